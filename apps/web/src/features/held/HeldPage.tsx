import { useState, type ReactNode } from 'react';
import type { HeldObjectView } from '@vigie/domain/federation.schema';
import {
  getFederationObjects, postFederationActionsIdReport, postFederationAlertsIdAcknowledge, postFederationAlertsIdRespond, type PostFederationActionsIdReportBody,
} from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';

type Rec = Record<string, unknown> & { title?: string; status?: string; classification?: string };
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The owner node of a held object, and why it is not editable here: a disabled edit button with the reason. */
function Owner({ item }: { item: HeldObjectView }) {
  const { t, lang } = useLang();
  const reason = `held-reason-${item.type}-${item.id}`;
  return (
    <div className="held-owner">
      <span className="badge locked">{t('held.owner', { node: item.origin_node })}</span>{' '}
      <button type="button" disabled aria-describedby={reason}>{t('held.edit')}</button>
      <p id={reason} className="hint">{t('held.read_only', { node: item.origin_node })}</p>
      <p className="muted">{item.version === null ? t('held.received', { at: formatDateTime(item.received_at, lang) }) : t('held.received_version', { at: formatDateTime(item.received_at, lang), version: item.version })}</p>
    </div>
  );
}

/** A form that posts to a reply route, then reloads the list (the reply is shown as sent). */
function ReplyForm({ send, label, onDone, children }: { send(f: FormData): Promise<unknown>; label: string; onDone(): void; children: ReactNode }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form className="stack" onSubmit={(e) => {
      e.preventDefault();
      const form = e.currentTarget;
      setBusy(true);
      setError(null);
      send(new FormData(form)).then(() => { form.reset(); onDone(); }, setError).finally(() => setBusy(false));
    }}>
      <ErrorMessage error={error} />
      {children}
      <div className="actions"><button type="submit" disabled={busy}>{label}</button></div>
    </form>
  );
}

function Sent({ item }: { item: HeldObjectView }) {
  const { t, lang } = useLang();
  if (!item.replies?.length) return null;
  return (
    <ul className="held-sent" data-testid="held-sent">
      {item.replies.map((r) => {
        const at = formatDateTime(r.at, lang);
        const key = r.type === 'alert_ack' ? 'held.sent_ack' : r.type === 'alert_response' ? 'held.sent_response' : 'held.sent_report';
        return <li key={`${r.type}-${r.at}`}>{t(key, { at, node: item.origin_node, text: r.text ?? '' })}</li>;
      })}
    </ul>
  );
}

function AlertCard({ item, org, reload }: { item: HeldObjectView; org: string; reload(): void }) {
  const { t, lang } = useLang();
  const { can } = useSession();
  const a = item.record as Rec & { severity: string; summary: string; states: { state: string; acknowledged_at: string | null }[]; responses: { id: string; state: string | null; text: string; responded_at: string }[]; texts?: Record<'fr' | 'en', { title: string; summary: string }> };
  const title = a.texts?.[lang]?.title ?? a.title;
  const summary = a.texts?.[lang]?.summary ?? a.summary;
  const mine = a.states.find((s) => s.state === org);
  const acked = !!mine?.acknowledged_at || !!item.replies?.some((r) => r.type === 'alert_ack');
  const open = a.status !== 'closed';
  return (
    <article className="card stack" data-testid="held-alert" aria-labelledby={`alert-${item.id}`}>
      <h3 id={`alert-${item.id}`}>{title} <span className={`badge severity-${a.severity}`}>{t(`alerts.severity.${a.severity}`)}</span> <span className="badge">{t(`held.status.${a.status}`)}</span></h3>
      <p>{summary}</p>
      <p>{t('held.concerned')}{t('common.sep')}{a.states.map((s) => `${s.state} (${s.acknowledged_at ? t('held.acknowledged', { at: formatDateTime(s.acknowledged_at, lang) }) : t('held.not_acknowledged')})`).join(', ')}</p>
      {a.responses.length > 0 && (
        <><h4>{t('held.responses')}</h4><ul>{a.responses.map((r) => <li key={r.id}>{r.state ?? '—'} — {formatDateTime(r.responded_at, lang)}{t('common.sep')}{r.text}</li>)}</ul></>
      )}
      <Owner item={item} />
      <Sent item={item} />
      {open && !mine && <p className="muted">{t('held.not_concerned')}</p>}
      {open && mine && can('alert.acknowledge') && !acked && (
        <ReplyForm label={t('held.acknowledge', { state: org })} onDone={reload}
          send={(f) => postFederationAlertsIdAcknowledge({ id: item.id, body: { note: str(f.get('note')) || undefined } })}>
          <label className="field">{t('held.ack_note')}<input name="note" maxLength={2000} /></label>
        </ReplyForm>
      )}
      {open && mine && can('alert.respond') && (
        <ReplyForm label={t('held.respond')} onDone={reload}
          send={(f) => postFederationAlertsIdRespond({ id: item.id, body: { text: str(f.get('text')), link: str(f.get('link')) || undefined } })}>
          <label className="field">{t('held.response', { state: org })}<textarea name="text" rows={3} required minLength={3} maxLength={5000} /></label>
          <label className="field">{t('held.response_link')}<input name="link" type="url" maxLength={500} /></label>
        </ReplyForm>
      )}
    </article>
  );
}

const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'blocked', 'cancelled'] as const;

function ActionCard({ item, org, reload }: { item: HeldObjectView; org: string; reload(): void }) {
  const { t, lang } = useLang();
  const { can } = useSession();
  const a = item.record as Rec & { description: string; owner_state: string | null; owner_body: string | null; due_date: string; progress: number };
  const yours = a.owner_state === org;
  return (
    <article className="card stack" data-testid="held-action" aria-labelledby={`action-${item.id}`}>
      <h3 id={`action-${item.id}`}>{a.title} <span className="badge">{t(`held.status.${a.status}`)}</span>{yours && <> <span className="badge mine">{t('held.yours')}</span></>}</h3>
      {a.description && <p>{a.description}</p>}
      <p>{t('held.owner_body', { who: a.owner_state ?? a.owner_body ?? '—' })} · {t('held.due', { date: formatDate(a.due_date, lang) })} · {t('held.progress', { n: a.progress })}</p>
      <Owner item={item} />
      <Sent item={item} />
      {yours && can('action.update') && (
        <ReplyForm label={t('held.report_send')} onDone={reload}
          send={(f) => postFederationActionsIdReport({ id: item.id, body: {
            text: str(f.get('text')), progress: f.get('progress') ? Number(f.get('progress')) : undefined,
            status: (str(f.get('status')) || undefined) as PostFederationActionsIdReportBody['status'],
          } })}>
          <label className="field">{t('held.report', { state: org })}<textarea name="text" rows={3} required minLength={2} maxLength={5000} /></label>
          <label className="field">{t('held.report_progress')}<input name="progress" type="number" min={0} max={100} /></label>
          <label className="field">{t('held.report_status')}
            <select name="status" defaultValue=""><option value="">{t('held.unchanged')}</option>{ACTION_STATUSES.map((s) => <option key={s} value={s}>{t(`held.status.${s}`)}</option>)}</select>
          </label>
        </ReplyForm>
      )}
    </article>
  );
}

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
            return <Plain key={i.id} item={i} title={str(m.title)} lines={[`${formatDate(m.date, lang)} — ${m.place} — ${m.states.join(', ')}`]} />;
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
