/**
 * Objects a national node holds read-only from the confederation, as cards: the owner node, a greyed edit button with
 * the reason, and this state's acknowledgement, response or report where the national flow allows it. Shown on the
 * « Confédération » page and, next to the node's own, on its alert and coordination pages.
 */
import { useState, type ReactNode } from 'react';
import type { HeldObjectView } from '@vigie/domain/federation.schema';
import {
  postFederationActionsIdReport, postFederationAlertsIdAcknowledge, postFederationAlertsIdRespond, type PostFederationActionsIdReportBody,
} from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import type { Classification } from '@vigie/domain/classification';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { LevelBadge, ReclassifyControl } from '../../ui/ReclassifyControl';
import '../alerts/messages';
import './messages';

/** A state's name in the reader's language, from its code (the held records carry codes). */
export function useStateName(): (code: string | null | undefined) => string {
  const { lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  return (code) => placeName(ref.data, code, lang);
}

/** A held object's record, as its owner sent it. */
export type Rec = Record<string, unknown> & { title?: string; status?: string; classification?: Classification };
export const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** In a list of this node's own objects: the owner node of a held one, read-only (the reason on hover and for screen readers). */
export function HeldMark({ node }: { node: string }) {
  const { t } = useLang();
  return <span className="badge locked" data-testid="held-mark" title={t('held.read_only', { node })}>{t('held.owner_short', { node })}<span className="sr-only"> — {t('held.read_only', { node })}</span></span>;
}

/** The owner node of a held object, and why it is not editable here: a disabled edit button with the reason. */
export function Owner({ item }: { item: HeldObjectView }) {
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

export function AlertCard({ item, org, reload, asPage = false }: { item: HeldObjectView; org: string; reload(): void; asPage?: boolean }) {
  const { t, lang } = useLang();
  const { can } = useSession();
  const stateName = useStateName();
  const a = item.record as Rec & { classification: Classification; severity: string; summary: string; states: { state: string; acknowledged_at: string | null }[]; responses: { id: string; state: string | null; text: string; responded_at: string }[]; texts?: Record<'fr' | 'en', { title: string; summary: string }> };
  const title = a.texts?.[lang]?.title ?? a.title;
  const summary = a.texts?.[lang]?.summary ?? a.summary;
  const mine = a.states.find((s) => s.state === org);
  const acked = !!mine?.acknowledged_at || !!item.replies?.some((r) => r.type === 'alert_ack');
  const open = a.status !== 'closed';
  return (
    <article className="card stack" data-testid="held-alert" aria-labelledby={`alert-${item.id}`}>
      {(() => {
        const Heading = asPage ? 'h1' : 'h3';
        return <Heading id={`alert-${item.id}`}>{title} <span className={`badge severity-${a.severity}`}>{t(`alerts.severity.${a.severity}`)}</span> <span className="badge">{t(`held.status.${a.status}`)}</span></Heading>;
      })()}
      <p>{summary}</p>
      <p>{t('held.concerned')}{t('common.sep')}{a.states.map((s) => `${stateName(s.state)} (${s.acknowledged_at ? t('held.acknowledged', { at: formatDateTime(s.acknowledged_at, lang) }) : t('held.not_acknowledged')})`).join(', ')}</p>
      {a.responses.length > 0 && (
        <><h4>{t('held.responses')}</h4><ul>{a.responses.map((r) => <li key={r.id}>{stateName(r.state)} — {formatDateTime(r.responded_at, lang)}{t('common.sep')}{r.text}</li>)}</ul></>
      )}
      <Owner item={item} />
      {asPage && can('alert.raise') && (
        <div className="stack">
          <p data-testid="alert-classification">{t('reclassify.current', { level: t(`classification.${a.classification}`) })}</p>
          <ReclassifyControl testId="alert-reclassify" current={a.classification} allowed heldBy={item.origin_node} save={() => Promise.reject(new Error('read-only'))} />
        </div>
      )}
      <Sent item={item} />
      {open && !mine && <p className="muted">{t('held.not_concerned')}</p>}
      {open && mine && can('alert.acknowledge') && !acked && (
        <ReplyForm label={t('held.acknowledge', { state: stateName(org) })} onDone={reload}
          send={(f) => postFederationAlertsIdAcknowledge({ id: item.id, body: { note: str(f.get('note')) || undefined } })}>
          <label className="field">{t('held.ack_note')}<input name="note" maxLength={2000} /></label>
        </ReplyForm>
      )}
      {open && mine && can('alert.respond') && (
        <ReplyForm label={t('held.respond')} onDone={reload}
          send={(f) => postFederationAlertsIdRespond({ id: item.id, body: { text: str(f.get('text')), link: str(f.get('link')) || undefined } })}>
          <label className="field">{t('held.response', { state: stateName(org) })}<textarea name="text" rows={3} required minLength={3} maxLength={5000} /></label>
          <label className="field">{t('held.response_link')}<input name="link" type="url" maxLength={500} /></label>
        </ReplyForm>
      )}
    </article>
  );
}

const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'blocked', 'cancelled'] as const;

export function ActionCard({ item, org, reload }: { item: HeldObjectView; org: string; reload(): void }) {
  const { t, lang } = useLang();
  const { can } = useSession();
  const stateName = useStateName();
  const a = item.record as Rec & { description: string; owner_state: string | null; owner_body: string | null; due_date: string; progress: number };
  const yours = a.owner_state === org;
  return (
    <article className="card stack" data-testid="held-action" aria-labelledby={`action-${item.id}`}>
      <h3 id={`action-${item.id}`}>{a.title} <span className="badge">{t(`held.status.${a.status}`)}</span>{a.classification && <> <LevelBadge level={a.classification} /></>}{yours && <> <span className="badge mine">{t('held.yours')}</span></>}</h3>
      {a.description && <p>{a.description}</p>}
      <p>{t('held.owner_body', { who: a.owner_state ? stateName(a.owner_state) : a.owner_body ?? '—' })} · {t('held.due', { date: formatDate(a.due_date, lang) })} · {t('held.progress', { n: a.progress })}</p>
      <Owner item={item} />
      <Sent item={item} />
      {yours && can('action.update') && (
        <ReplyForm label={t('held.report_send')} onDone={reload}
          send={(f) => postFederationActionsIdReport({ id: item.id, body: {
            text: str(f.get('text')), progress: f.get('progress') ? Number(f.get('progress')) : undefined,
            status: (str(f.get('status')) || undefined) as PostFederationActionsIdReportBody['status'],
          } })}>
          <label className="field">{t('held.report', { state: stateName(org) })}<textarea name="text" rows={3} required minLength={2} maxLength={5000} /></label>
          <label className="field">{t('held.report_progress')}<input name="progress" type="number" min={0} max={100} /></label>
          <label className="field">{t('held.report_status')}
            <select name="status" defaultValue=""><option value="">{t('held.unchanged')}</option>{ACTION_STATUSES.map((s) => <option key={s} value={s}>{t(`held.status.${s}`)}</option>)}</select>
          </label>
        </ReplyForm>
      )}
    </article>
  );
}

