import { useState, type ReactNode } from 'react';
import type { HeldObjectView } from '@vigie/domain/federation.schema';
import { getFederationObjects } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ActionCard, AlertCard, Owner, str, useStateName, type Rec } from './HeldCards';
import './messages';

function Plain({ item, title, lines }: { item: HeldObjectView; title: string; lines: string[] }) {
  return (
    <article className="card stack" data-testid={`held-${item.type}`} aria-labelledby={`${item.type}-${item.id}`}>
      <h3 id={`${item.type}-${item.id}`}>{title}</h3>
      {lines.filter(Boolean).map((l) => <p key={l}>{l}</p>)}
      <Owner item={item} />
    </article>
  );
}

/**
 * On a national node: what it holds from the confederation — alerts sent down for this state, strategy, meetings,
 * decisions, actions assigned — read-only with the owner node shown, and this state's acknowledgement, response, report.
 */
export function HeldPage() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const stateName = useStateName();
  const org = session?.user.organisation ?? '';
  const [tick, setTick] = useState(0);
  const load = (type: string) => (s: AbortSignal) => getFederationObjects({ query: { type } }, s);
  const alerts = useApi(`held-alert-${tick}`, load('alert'));
  const strategies = useApi(`held-strategy-${tick}`, load('strategy'));
  const meetings = useApi(`held-meeting-${tick}`, load('meeting'));
  const decisions = useApi(`held-decision-${tick}`, load('decision'));
  const actions = useApi(`held-action-${tick}`, load('action'));
  const reload = () => setTick((n) => n + 1);
  const all = [alerts, strategies, meetings, decisions, actions];
  const error = all.find((x) => x.error)?.error;
  const loaded = all.every((x) => x.data || x.error);
  const count = all.reduce((n, x) => n + (x.data?.items.length ?? 0), 0);
  // What concerns this state first: the alerts it is concerned by, the actions assigned to it.
  const first = (items: HeldObjectView[] | undefined, mine: (r: Rec) => boolean) => [...(items ?? [])].sort((x, y) => Number(mine(y.record as Rec)) - Number(mine(x.record as Rec)));
  const concerned = first(alerts.data?.items, (r) => (r.states as { state: string }[]).some((s) => s.state === org));
  const assigned = first(actions.data?.items, (r) => r.owner_state === org);
  const section = (key: string, items: HeldObjectView[] | undefined, render: (i: HeldObjectView) => ReactNode) =>
    items?.length ? <section aria-labelledby={`held-${key}`}><h2 id={`held-${key}`}>{t(`held.${key}`)}</h2>{items.map(render)}</section> : null;

  return (
    <section aria-labelledby="held-title">
      <h1 id="held-title">{t('held.title')}</h1>
      <p className="muted">{t('held.intro')}</p>
      <ErrorMessage error={error} />
      {!loaded ? <p role="status">{t('app.loading')}</p> : count === 0 ? <p className="card" data-testid="held-none">{t('held.none')}</p> : (
        <>
          {section('alerts', concerned, (i) => <AlertCard key={i.id} item={i} org={org} reload={reload} />)}
          {section('strategies', strategies.data?.items, (i) => {
            const s = (i.record as { strategy: Rec; strategy_axes: unknown[]; strategy_indicators: unknown[] });
            return <Plain key={i.id} item={i} title={`${str(s.strategy.code)} — ${str(s.strategy[`title_${lang}`])}`}
              lines={[t('held.validity', { from: formatDate(str(s.strategy.valid_from), lang), to: formatDate(str(s.strategy.valid_to), lang) }), t('held.axes', { n: s.strategy_axes.length, i: s.strategy_indicators.length }), str(s.strategy[`description_${lang}`])]} />;
          })}
          {section('meetings', meetings.data?.items, (i) => {
            const m = i.record as Rec & { date: string; place: string; states: string[] };
            return <Plain key={i.id} item={i} title={str(m.title)} lines={[`${formatDate(m.date, lang)} — ${m.place} — ${m.states.map(stateName).join(', ')}`]} />;
          })}
          {section('decisions', decisions.data?.items, (i) => {
            const d = i.record as Rec & { code: string; text: string };
            return <Plain key={i.id} item={i} title={`${d.code} — ${d.text}`} lines={[]} />;
          })}
          {section('actions', assigned, (i) => <ActionCard key={i.id} item={i} org={org} reload={reload} />)}
        </>
      )}
    </section>
  );
}
