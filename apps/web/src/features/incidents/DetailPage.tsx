import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from '../../app/router';
import { CREDIBILITY_LABELS, RELIABILITY_LABELS, type Credibility, type Reliability } from '@vigie/domain/classification';
import { taxonomyLabel } from '@vigie/domain/taxonomy';
import { deleteIncidentsIdAssign, getIncidentsId, getIncidentsIdDuplicates, getIncidentsIdHistory, getIncidentsIdPlacement, postIncidentsIdAssign, postIncidentsIdReject, postIncidentsIdSubmit, postIncidentsIdUnmerge, postIncidentsIdValidate } from '../../api/generated';
import { actorName, loadReference, placeName } from '../../api/reference';
import type { Reference } from '../../api/types';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { prefetchedOr } from '../../api/prefetch';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber, formatPercent } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { MergeDialog } from '../review/MergeDialog';
import { Attachments } from '../attachments/Attachments';
import { diffRecords } from './diff';
import { fieldName, showField } from './show-field';
import { placementRows, type IncidentPlacement } from './placement-rows';
import '../review/messages';

/** History lines of a merge name the other record. */
const MERGE_ACTIONS = new Set(['merge', 'absorb', 'unmerge', 'unabsorb']);
/** Merges recorded before merges had their own history line stored this English reason: the line above says it. */
const LEGACY_MERGE_REASON = /^merged into [0-9a-f-]{36}$/;

/** One incident: every detail, the actions the reader's role allows, and the history as diffs. */
export function DetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { can, session } = useSession();
  const location = useLocation();
  const [tick, setTick] = useState(0);
  // The first answers may already be on their way (boot.ts asks for them with "who am I"); after an action, fresh ones.
  const inc = useApi(`inc-${id}-${tick}`, (s) => prefetchedOr(getIncidentsId, { id: id! }, s));
  const hist = useApi(`hist-${id}-${tick}`, (s) => prefetchedOr(getIncidentsIdHistory, { id: id! }, s));
  const ref = useApi('ref', () => loadReference());
  const placement = useApi(`placement-${id}-${tick}`, (s) => prefetchedOr(getIncidentsIdPlacement, { id: id! }, s));
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [into, setInto] = useState('');
  const [comparing, setComparing] = useState<string | null>(null);
  const saved = (location.state as { saved?: boolean } | null)?.saved;

  async function act(call: (id: string, version: number | undefined) => Promise<unknown>) {
    setError(null);
    try {
      await call(id!, inc.data?.version);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }

  if (inc.error) return <ErrorMessage error={inc.error} />;
  const i = inc.data;
  if (!i) return <p role="status">{t('app.loading')}</p>;
  const me = session?.user.id;
  const reviewer = can('incident.validate');
  const actor = (code: string) => <span key={code} title={code}>{actorName(ref.data, code)}</span>;
  const actors = (codes: string[]): ReactNode => (codes.length ? codes.flatMap((c, n) => (n ? [', ', actor(c)] : [actor(c)])) : '—');
  const rows: [string, ReactNode][] = [
    [t('incidents.col_status'), t(`status.${i.status}`)],
    [t('form.occurred_start'), formatDateTime(i.occurred_start, lang)],
    ...(i.occurred_end ? [[t('form.occurred_end'), formatDateTime(i.occurred_end, lang)] as [string, string]] : []),
    [t('form.time_precision'), t(`time_precision.${i.time_precision}`)],
    [t('form.event_type'), taxonomyLabel(i.event_type, lang)],
    [t('form.sub_event_type'), taxonomyLabel(i.sub_event_type, lang)],
    [t('form.place_name'), i.place_name ?? '—'],
    [t('incidents.admin1'), placeName(ref.data, i.admin1_code, lang)],
    [t('incidents.admin2'), placeName(ref.data, i.admin2_code, lang)],
    [`${t('form.latitude')} / ${t('form.longitude')}`, `${formatNumber(i.latitude, lang, 4)} / ${formatNumber(i.longitude, lang, 4)}${i.location_coarsened ? ` (${t('common.coarsened')})` : ''}`],
    [t('form.geo_precision'), `${i.geo_precision} – ${t(`geo_precision.${i.geo_precision}`)}`],
    ...placementRows(placement.data, t, lang),
    [t('form.actor1'), actors(i.actor1 ? [i.actor1] : [])], [t('form.actor2'), actors(i.actor2 ? [i.actor2] : [])],
    [t('form.associated_actors'), actors(i.associated_actors)],
    [t('form.fatalities_best'), `${formatNumber(i.fatalities_best, lang)}${i.fatalities_low != null || i.fatalities_high != null ? ` (${i.fatalities_low ?? '?'}–${i.fatalities_high ?? '?'})` : ''}`],
    [t('form.civilian_fatalities'), formatNumber(i.civilian_fatalities, lang)],
    [t('form.injured'), formatNumber(i.injured, lang)], [t('form.abducted'), formatNumber(i.abducted, lang)],
    [t('detail.reporting_state'), placeName(ref.data, i.reporting_state, lang)],
    [t('form.classification'), t(`classification.${i.classification}`)], [t('form.sharing_scope'), t(`scope.${i.sharing_scope}`)],
    [t('form.tags'), i.tags.join(', ') || '—'],
    ...(i.rejection_reason ? [[t('detail.rejection_reason'), i.rejection_reason] as [string, string]] : []),
  ];
  const history = hist.data?.items ?? [];
  const show = { t, lang, ref: ref.data };
  const actionName = (a: string) => {
    const own = t(`review.action_names.${a}`, { defaultValue: '' });
    return own || t(`detail.action_names.${a}`, { defaultValue: t('detail.action_names.update') });
  };

  return (
    <section aria-labelledby="inc-title">
      <h1 id="inc-title">{taxonomyLabel(i.sub_event_type, lang)} — {i.place_name ?? placeName(ref.data, i.admin1_code, lang)}</h1>
      {saved && <p role="status" className="notice">{t('form.saved')}</p>}
      <div className="two-col">
        <div className="card">
          <dl className="details" data-testid="incident-details">
            {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
          </dl>
          {i.merged_into && (
            <div className="notice" data-testid="merged-notice">
              <p>{t('detail.merged_into')} <Link to={`/incidents/${i.merged_into}`}>{i.merged_into}</Link></p>
              {can('incident.merge') && <p className="muted">{t('review.history.undo_hint')} <button type="button" onClick={() => void act((id, version) => postIncidentsIdUnmerge({ id, body: { version } }))}>{t('review.undo')}</button></p>}
            </div>
          )}
          <h2>{t('form.narrative')}</h2>
          <p className="narrative">{i.narrative || '—'}</p>
          <h2>{t('form.sources')}</h2>
          <ul>{i.sources.map((s, k) => (
            <li key={k}>{s.name} ({t(`source_kind.${s.kind}`)}) — <abbr title={`${RELIABILITY_LABELS[s.reliability as Reliability][lang]} / ${CREDIBILITY_LABELS[s.credibility as Credibility][lang]}`}>{s.reliability}{s.credibility}</abbr></li>
          ))}</ul>
          <Attachments incidentId={i.id} canAdd={(can('incident.update') && (i.status === 'draft' || (i.status === 'submitted' && !!me && i.reporter === me))) || (reviewer && i.status !== 'merged')} />
        </div>
        <div className="card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('detail.actions')}</h2>
          <ErrorMessage error={error} />
          <div className="stack">
            {['draft', 'submitted', 'rejected'].includes(i.status) && can('incident.update') && <Link className="button" to={`/incidents/${i.id}/edit`}>{t('detail.edit')}</Link>}
            {i.status === 'validated' && reviewer && <Link className="button" to={`/incidents/${i.id}/edit`}>{t('detail.edit')}</Link>}
            {i.status === 'draft' && can('incident.submit') && <button type="button" onClick={() => void act((id, version) => postIncidentsIdSubmit({ id, body: { version } }))}>{t('detail.submit')}</button>}
            {i.status === 'submitted' && reviewer && (
              <>
                {i.assigned_to === me
                  ? <button type="button" onClick={() => void deleteIncidentsIdAssign({ id: id! }).then(() => undefined, setError).finally(() => setTick((n) => n + 1))}>{t('detail.release')}</button>
                  : !i.assigned_to && <button type="button" onClick={() => void act((id) => postIncidentsIdAssign({ id }))}>{t('detail.take')}</button>}
                {i.assigned_to && <p className="muted">{t('detail.assigned', { who: i.assigned_to === me ? session?.user.login : i.assigned_to })}</p>}
                <button type="button" className="primary" onClick={() => void act((id, version) => postIncidentsIdValidate({ id, body: { version } }))}>{t('detail.validate')}</button>
                <form className="stack" onSubmit={(e) => { e.preventDefault(); void act((id, version) => postIncidentsIdReject({ id, body: { reason, version } })); }}>
                  <label>{t('detail.reject_reason')}<textarea required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
                  <button type="submit" className="danger">{t('detail.reject')}</button>
                </form>
              </>
            )}
            {['submitted', 'validated'].includes(i.status) && can('incident.merge') && (
              <>
                <LikelyDuplicates id={i.id} tick={tick} refData={ref.data} onCompare={setComparing} />
                <form className="stack" onSubmit={(e) => { e.preventDefault(); setComparing(into.trim()); }}>
                  <label>{t('review.merge_by_id_label')}<input value={into} onChange={(e) => setInto(e.target.value)} required pattern="[0-9a-fA-F-]{36}" /></label>
                  <button type="submit">{t('review.compare')}</button>
                </form>
              </>
            )}
          </div>
        </div>
      </div>
      {comparing && <MergeDialog report={i} intoId={comparing} onCancel={() => setComparing(null)} onMerged={() => { setComparing(null); setTick((n) => n + 1); }} />}
      <section className="card" aria-labelledby="hist-title">
        <h2 id="hist-title">{t('detail.history')}</h2>
        <ErrorMessage error={hist.error} />
        <ol className="history" data-testid="history">
          {history.map((v, k) => {
            if (!v.accessible) {
              return (
                <li key={v.version} className="withheld">
                  <h3>{t('detail.version', { v: v.version })} — {formatDateTime(v.changed_at, lang)}</h3>
                  <p className="muted">{t('detail.version_withheld')}</p>
                </li>
              );
            }
            // Compared with the last version the reader may see: a withheld one in between is not shown.
            const prev = history.slice(0, k).findLast((p) => p.accessible);
            const prevSnapshot = prev?.accessible ? prev.snapshot : null;
            const changes = prevSnapshot ? diffRecords(prevSnapshot as unknown as Record<string, unknown>, v.snapshot as unknown as Record<string, unknown>) : [];
            return (
              <li key={v.version}>
                <h3>{t('detail.version', { v: v.version })} — {actionName(v.action)} — {formatDateTime(v.changed_at, lang)} {v.changed_by_login ? t('detail.by', { who: v.changed_by_login }) : ''}</h3>
                {MERGE_ACTIONS.has(v.action) && (v.related_incident ?? v.snapshot.merged_into) && (
                  <p>{t(`review.history.${v.action}`)} <Link to={`/incidents/${v.related_incident ?? v.snapshot.merged_into}`}>{(v.related_incident ?? v.snapshot.merged_into ?? '').slice(0, 8)}</Link></p>
                )}
                {v.reason && !LEGACY_MERGE_REASON.test(v.reason) && <p className="muted">{v.reason}</p>}
                {prev && prev.version !== v.version - 1 && <p className="muted">{t('detail.changes_since', { v: prev.version })}</p>}
                {prevSnapshot && (changes.length === 0 ? <p className="muted">{t('detail.no_changes')}</p> : (
                  <div className="table-wrap"><table className="diff">
                    <thead><tr><th scope="col">{t('form.field')}</th><th scope="col">{t('form.before')}</th><th scope="col">{t('form.after')}</th></tr></thead>
                    <tbody>{changes.map((c) => <tr key={c.field}><th scope="row">{fieldName(t, c.field)}</th><td><del>{showField(show, c.field, c.before)}</del></td><td><ins>{showField(show, c.field, c.after)}</ins></td></tr>)}</tbody>
                  </table></div>
                ))}
              </li>
            );
          })}
        </ol>
      </section>
    </section>
  );
}

/** The likely duplicates of a record, each to compare with it (and merge) in one click: no id to copy. */
function LikelyDuplicates({ id, tick, refData, onCompare }: { id: string; tick: number; refData: Reference | undefined; onCompare(into: string): void }) {
  const { t, lang } = useLang();
  const dups = useApi(`dups-${id}-${tick}`, (s) => getIncidentsIdDuplicates({ id }, s));
  if (dups.error) return <ErrorMessage error={dups.error} />;
  const items = dups.data?.items ?? [];
  if (!dups.data) return null;
  if (!items.length) return <p className="muted">{t('review.no_duplicates')}</p>;
  return (
    <div className="stack" data-testid="likely-duplicates">
      <h3>{t('review.duplicates')}</h3>
      <ul>
        {items.map((d) => (
          <li key={d.incident.id}>
            <Link to={`/incidents/${d.incident.id}`}>{taxonomyLabel(d.incident.sub_event_type, lang)} — {d.incident.place_name ?? placeName(refData, d.incident.admin1_code, lang)}</Link>
            {' '}<span className="muted">{formatDateTime(d.incident.occurred_start, lang)} · {t('review.distance', { km: formatNumber(d.distance_km, lang, 1), days: formatNumber(d.days_apart, lang, 1), count: d.days_apart })} · {t('review.likelihood', { pct: formatPercent(d.score, lang) })}</span>
            {' '}<button type="button" onClick={() => onCompare(d.incident.id)}>{t('review.compare')}</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
