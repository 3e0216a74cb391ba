import { useState } from 'react';
import { Link } from '../../app/router';
import { getActions, getActionsOverdue, getFederationObjects, getMeetings, postMeetings, type PostMeetingsBody } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CheckGroup } from '../../ui/MultiSelect';
import { ClassificationSelect, LevelBadge } from '../../ui/ReclassifyControl';
import type { Classification } from '@vigie/domain/classification';
import { ActionCard, HeldMark, str, type Rec } from '../held/HeldCards';
import { ActionsTable } from './ActionsTable';
import './messages';
import '../held/messages';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Overdue actions at a glance, the reader's state's actions, and the meetings. */
export function CoordinationPage() {
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const org = session?.user.organisation ?? '';
  const meetings = useApi('meetings', (s) => getMeetings({}, s));
  const overdue = useApi('overdue', (s) => getActionsOverdue({}, s));
  const mine = useApi(org && org !== 'CONF' ? `mine-${org}` : null, (s) => getActions({ query: { mine: 'true' } }, s));
  const [error, setError] = useState<unknown>(null);
  const ref = useApi('ref', () => loadReference());
  const stateName = (code: string) => placeName(ref.data, code, lang);
  // The states taking part in the meeting being recorded, chosen by name.
  const [meetingStates, setMeetingStates] = useState<string[]>([]);
  // A national node: the confederation's actions and meetings it holds, read-only, those assigned to this state first.
  const national = session?.federation_role === 'national';
  const [tick, setTick] = useState(0);
  const heldActions = useApi(national ? `held-actions-${tick}` : null, (s) => getFederationObjects({ query: { type: 'action' } }, s));
  const heldMeetings = useApi(national ? 'held-meetings' : null, (s) => getFederationObjects({ query: { type: 'meeting' } }, s));
  const assigned = [...(heldActions.data?.items ?? [])].sort((x, y) => Number((y.record as Rec).owner_state === org) - Number((x.record as Rec).owner_state === org));
  return (
    <section>
      <h1>{t('coordination.title')}</h1>
      <h2>{t('coordination.overdue')}</h2>
      <ErrorMessage error={overdue.error} />
      {overdue.data && (overdue.data.count ? <p role="status" className="warning-banner" data-testid="overdue-count">{t('coordination.overdue_count', { count: overdue.data.count })}</p> : <p className="muted">{t('coordination.no_overdue')}</p>)}
      {overdue.data && overdue.data.count > 0 && <ActionsTable items={overdue.data.items} testId="overdue-table" />}
      {mine.data && (
        <>
          <h2>{t('coordination.mine')} — {org}</h2>
          {mine.data.items.length ? <ActionsTable items={mine.data.items} testId="mine-table" /> : <p className="muted">{t('coordination.no_mine')}</p>}
        </>
      )}
      {national && (
        <section aria-labelledby="coordination-held" data-testid="held-actions">
          <h2 id="coordination-held">{t('held.from_conf')}</h2>
          <ErrorMessage error={heldActions.error ?? heldMeetings.error} />
          {assigned.length > 0 && <p className="muted">{t('held.from_conf_intro', { node: assigned[0]?.origin_node ?? '' })}</p>}
          {heldActions.data && !assigned.length && <p className="muted">{t('coordination.none_held')}</p>}
          {assigned.map((i) => <ActionCard key={i.id} item={i} org={org} reload={() => setTick((n) => n + 1)} />)}
          {(heldMeetings.data?.items.length ?? 0) > 0 && (
            <>
              <h3>{t('held.meetings_conf')}</h3>
              <ul data-testid="held-meetings">
                {(heldMeetings.data?.items ?? []).map((i) => {
                  const m = i.record as Rec & { date: string; place: string; states: string[] };
                  return <li key={i.id}><Link to="/confederation">{str(m.title)}</Link> — {formatDate(m.date, lang)}, {m.place} ({m.states.map(stateName).join(', ')}) {m.classification && <LevelBadge level={m.classification} />} <HeldMark node={i.origin_node} /></li>;
                })}
              </ul>
            </>
          )}
        </section>
      )}
      <h2>{t('coordination.meetings')}</h2>
      <ErrorMessage error={meetings.error} />
      {meetings.data && !meetings.data.items.length && <p className="muted">{t('coordination.none')}</p>}
      <ul>
        {(meetings.data?.items ?? []).map((m) => (
          <li key={m.id}><Link to={`/coordination/meetings/${m.id}`}>{m.title}</Link> — {formatDate(m.date, lang)}, {m.place} ({[...m.states.map(stateName), ...m.bodies].join(', ')}) <LevelBadge level={m.classification} /></li>
        ))}
      </ul>
      {can('coordination.edit') && (
        <form className="card stack" aria-label={t('coordination.new_meeting')} onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const form = e.currentTarget;
          setError(null);
          postMeetings({ body: {
            title: String(f.get('title') ?? ''), date: String(f.get('date') ?? ''), place: String(f.get('place') ?? ''),
            states: meetingStates, bodies: list(String(f.get('bodies') ?? '')), agenda: String(f.get('agenda') ?? ''),
            classification: String(f.get('classification') ?? 'restricted') as PostMeetingsBody['classification'],
          } }).then(() => { form.reset(); setMeetingStates([]); meetings.reload(); }, setError);
        }}>
          <h2>{t('coordination.new_meeting')}</h2>
          <ErrorMessage error={error} />
          <div className="filter-grid">
            <label className="field">{t('coordination.title_field')}<input name="title" required /></label>
            <label className="field">{t('coordination.date')}<input name="date" type="date" required /></label>
            <label className="field">{t('coordination.place')}<input name="place" required /></label>
            <CheckGroup name="states" legend={t('coordination.states')} value={meetingStates} onChange={setMeetingStates}
              options={(ref.data?.states ?? []).map((st) => ({ value: st.code, label: stateName(st.code) }))} />
            <label className="field">{t('coordination.bodies')}<input name="bodies" /></label>
            <ClassificationSelect name="classification" label={t('coordination.classification')} defaultValue={'restricted' satisfies Classification} />
          </div>
          <label className="field">{t('coordination.agenda')}<textarea name="agenda" rows={3} /></label>
          <div className="actions"><button type="submit">{t('coordination.create')}</button></div>
        </form>
      )}
    </section>
  );
}
