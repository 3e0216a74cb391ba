import { useState } from 'react';
import { Link, useParams } from '../../app/router';
import {
  getMeetingsId, patchActionsIdClassification, patchDecisionsIdClassification, patchMeetingsIdClassification, postActionsIdNotes, postDecisionsIdActions,
  postMeetingsIdDecisions, type PostActionsIdNotesBody, type PostDecisionsIdActionsBody,
} from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ClassificationSelect, LevelBadge, ReclassifyControl } from '../../ui/ReclassifyControl';
import { ActionsTable } from './ActionsTable';
import type { Action } from './types';
import './messages';

const STATUSES = ['planned', 'in_progress', 'done', 'blocked', 'cancelled'] as const;

/** A progress note on an action, by its owner state or the staff. */
function NoteForm({ action, onDone }: { action: Action; onDone(): void }) {
  const { t } = useLang();
  const [error, setError] = useState<unknown>(null);
  return (
    <form className="stack" aria-label={`${t('coordination.note')} — ${action.title}`} onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const status = String(f.get('status') ?? '');
      const progress = String(f.get('progress') ?? '');
      setError(null);
      postActionsIdNotes({ id: action.id, body: { text: String(f.get('text') ?? ''), ...(status ? { status: status as PostActionsIdNotesBody['status'] } : {}), ...(progress ? { progress: Number(progress) } : {}) } }).then(onDone, setError);
    }}>
      <ErrorMessage error={error} />
      <div className="filter-grid">
        <label className="field">{t('coordination.note')}<input name="text" required minLength={2} /></label>
        <label className="field">{t('coordination.new_status')}<select name="status" defaultValue=""><option value="">{t('coordination.unchanged')}</option>{STATUSES.map((s) => <option key={s} value={s}>{t(`coordination.status.${s}`)}</option>)}</select></label>
        <label className="field">{t('coordination.progress')} (%)<input name="progress" type="number" min={0} max={100} /></label>
      </div>
      <div className="actions"><button type="submit">{t('coordination.add_note')}</button></div>
    </form>
  );
}

/** A meeting: participants, agenda, minutes, decisions and their actions with notes. */
export function MeetingPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const m = useApi(`meeting-${id}`, (s) => getMeetingsId({ id: id! }, s));
  const ref = useApi('ref', () => loadReference());
  const [error, setError] = useState<unknown>(null);
  const org = session?.user.organisation ?? '';
  const mayUpdate = (a: Action) => can('action.update') && (can('coordination.edit') || a.owner_state === org);
  return (
    <section>
      <p><Link to="/coordination">← {t('coordination.title')}</Link></p>
      <ErrorMessage error={m.error} />
      {m.data && (
        <>
          <h1>{m.data.title} <LevelBadge level={m.data.classification} /></h1>
          <p>{formatDate(m.data.date, lang)} — {m.data.place}</p>
          <ReclassifyControl key={`m-${id}`} testId="meeting-reclassify" current={m.data.classification} allowed={can('coordination.edit')} reasonToLower
            save={(level, reason) => patchMeetingsIdClassification({ id: id!, body: { classification: level, ...(reason ? { change_reason: reason } : {}) } }).then((r) => { m.reload(); return r; })} />
          <p><strong>{t('coordination.participants')}{t('common.sep').trimEnd()}</strong> {[...m.data.states.map((code) => placeName(ref.data, code, lang)), ...m.data.bodies].join(', ')}</p>
          {m.data.agenda && <><h2>{t('coordination.agenda')}</h2><p className="narrative">{m.data.agenda}</p></>}
          {m.data.minutes && <><h2>{t('coordination.minutes')}</h2><p className="narrative">{m.data.minutes}</p></>}
          <h2>{t('coordination.decisions')}</h2>
          <ErrorMessage error={error} />
          {!m.data.decisions.length && <p className="muted" data-testid="no-decisions">{t('coordination.no_decisions')}</p>}
          {m.data.decisions.map((d) => (
            <section key={d.id} className="card stack">
              <h3>{d.code} — {d.text} <LevelBadge level={d.classification} /></h3>
              <ReclassifyControl key={`d-${d.id}`} testId={`decision-reclassify-${d.code}`} current={d.classification} allowed={can('coordination.edit')} reasonToLower
                save={(level, reason) => patchDecisionsIdClassification({ id: d.id, body: { classification: level, ...(reason ? { change_reason: reason } : {}) } }).then((r) => { m.reload(); return r; })} />
              <ActionsTable items={d.actions} showMeeting={false} />
              {d.actions.filter(mayUpdate).map((a) => (
                <details key={a.id}><summary>{t('coordination.note')} — {a.title}</summary><NoteForm action={a} onDone={() => m.reload()} /></details>
              ))}
              {can('coordination.edit') && d.actions.map((a) => (
                <details key={`c-${a.id}`}><summary>{t('coordination.reclassify_action', { title: a.title })}</summary>
                  <ReclassifyControl testId={`action-reclassify-${a.id}`} current={a.classification} allowed reasonToLower
                    save={(level, reason) => patchActionsIdClassification({ id: a.id, body: { classification: level, ...(reason ? { change_reason: reason } : {}) } }).then((r) => { m.reload(); return r; })} />
                </details>
              ))}
              {can('coordination.edit') && (
                <form className="filter-grid" aria-label={t('coordination.add_action')} onSubmit={(e) => {
                  e.preventDefault();
                  const f = new FormData(e.currentTarget);
                  const form = e.currentTarget;
                  const ownerState = String(f.get('owner_state') ?? '').trim();
                  const ownerBody = String(f.get('owner_body') ?? '').trim();
                  setError(null);
                  const alertId = String(f.get('alert') ?? '').trim();
                  const level = String(f.get('classification') ?? '') as PostDecisionsIdActionsBody['classification'] | '';
                  postDecisionsIdActions({ id: d.id, body: { title: String(f.get('title') ?? ''), due_date: String(f.get('due') ?? ''), owner_state: ownerState || null, owner_body: ownerBody || null, alert_id: alertId || null, ...(level ? { classification: level } : {}) } }).then(() => { form.reset(); m.reload(); }, setError);
                }}>
                  <label className="field">{t('coordination.action')}<input name="title" required /></label>
                  <label className="field">{t('coordination.owner_state')}<select name="owner_state" defaultValue=""><option value="">{t('coordination.no_owner_state')}</option>{(ref.data?.states ?? []).map((st) => <option key={st.code} value={st.code}>{placeName(ref.data, st.code, lang)}</option>)}</select></label>
                  <label className="field">{t('coordination.owner_body')}<input name="owner_body" /></label>
                  <label className="field">{t('coordination.due')}<input name="due" type="date" required /></label>
                  <label className="field">{t('coordination.alert')}<input name="alert" /></label>
                  <ClassificationSelect name="classification" label={t('coordination.classification')} inherit={t('coordination.inherit_decision')} />
                  <div className="actions"><button type="submit">{t('coordination.add_action')}</button></div>
                </form>
              )}
            </section>
          ))}
          {can('coordination.edit') && (
            <form className="stack" aria-label={t('coordination.add_decision')} onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const form = e.currentTarget;
              setError(null);
              const level = String(f.get('classification') ?? '') as PostDecisionsIdActionsBody['classification'] | '';
              postMeetingsIdDecisions({ id: id!, body: { text: String(f.get('text') ?? ''), ...(level ? { classification: level } : {}) } }).then(() => { form.reset(); m.reload(); }, setError);
            }}>
              <label className="field">{t('coordination.decision_text')}<textarea name="text" rows={2} required /></label>
              <ClassificationSelect name="classification" label={t('coordination.classification')} inherit={t('coordination.inherit_meeting')} />
              <div className="actions"><button type="submit">{t('coordination.add_decision')}</button></div>
            </form>
          )}
          <p className="muted">{formatDateTime(new Date().toISOString(), lang)}</p>
        </>
      )}
    </section>
  );
}
