import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from '../../app/router';
import { taxonomyLabel } from '@vigie/domain/taxonomy';
import { getAlertsId, getAlertsIdEvidence, patchAlertsId, postAlertsIdAcknowledge, postAlertsIdClose, postAlertsIdRespond } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatDateTime, formatNumber, formatWindow } from '../../i18n/format';
import { loadAreas } from '../../map/area-data';
import { BoundaryFrameNote } from '../../map/BoundaryFrameNote';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ReclassifyControl } from '../../ui/ReclassifyControl';
import { HeldAlert, HeldGone } from '../held/HeldAlert';
import { alertOutline, awaitsAcknowledgement, evidenceToGeoJSON, figuresNote, mayRespond, textsOf, type Alert } from './alerts-data';
import { BaselineChart, StatsDetails } from './AlertStats';
import { useAlertStream } from './live';
import './messages';

const MapView = lazy(() => import('../../map/MapView'));

function Actions({ alert, onChange, isMemberState }: { alert: Alert; onChange(a: Alert): void; isMemberState: boolean }) {
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const ref = useApi('ref', () => loadReference());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const org = session?.user.organisation ?? '';
  if (alert.status === 'closed') return null;
  const act = (call: Promise<Alert>, form?: HTMLFormElement) => {
    setBusy(true);
    setError(null);
    call.then((a) => { onChange(a); form?.reset(); }, setError).finally(() => setBusy(false));
  };
  return (
    <div className="card stack">
      <h2>{t('alerts.actions')}</h2>
      <ErrorMessage error={error} />
      {can('alert.acknowledge') && awaitsAcknowledgement(alert, org) && (
        <form className="actions" onSubmit={(e) => { e.preventDefault(); act(postAlertsIdAcknowledge({ id: alert.id, body: { note: String(new FormData(e.currentTarget).get('note') ?? '') || undefined } }), e.currentTarget); }}>
          <label className="field">{t('alerts.ack_note')}<input name="note" maxLength={2000} /></label>
          <button type="submit" disabled={busy}>{t('alerts.acknowledge', { state: placeName(ref.data, org, lang) })}</button>
        </form>
      )}
      {can('alert.respond') && !mayRespond(alert, org, isMemberState) && <p className="muted">{t('alerts.not_concerned')}</p>}
      {can('alert.respond') && mayRespond(alert, org, isMemberState) && (
        <form className="stack" onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          act(postAlertsIdRespond({ id: alert.id, body: { text: String(f.get('text') ?? ''), link: String(f.get('link') ?? '') || undefined } }), e.currentTarget);
        }}>
          <label className="field">{t('alerts.response')}<textarea name="text" rows={3} required minLength={3} maxLength={5000} /></label>
          <label className="field">{t('alerts.response_link')}<input name="link" type="url" maxLength={500} /></label>
          <div className="actions"><button type="submit" disabled={busy}>{t('alerts.respond')}</button></div>
        </form>
      )}
      {can('alert.close') && (
        <form className="actions" onSubmit={(e) => { e.preventDefault(); act(postAlertsIdClose({ id: alert.id, body: { note: String(new FormData(e.currentTarget).get('note') ?? '') || undefined } }), e.currentTarget); }}>
          <label className="field">{t('alerts.close_note')}<input name="note" maxLength={2000} /></label>
          <button type="submit" disabled={busy}>{t('alerts.close')}</button>
        </form>
      )}
    </div>
  );
}

/** One alert: what fired and why (statistics, baseline chart), its evidence on a small map and in a table, the states' acknowledgements, responses and actions. */
export function AlertPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { can, session } = useSession();
  const ref = useApi('ref', () => loadReference());
  const loaded = useApi(`alert-${id}`, (s) => getAlertsId({ id: id! }, s));
  const evidence = useApi(can('incident.read') ? `alert-evidence-${id}` : null, (s) => getAlertsIdEvidence({ id: id! }, s));
  const [fresh, setFresh] = useState<Alert | null>(null);
  const [gone, setGone] = useState<{ id: string; node: string | null } | null>(null);
  useAlertStream((change) => {
    if (change.kind === 'withdrawn') { if (change.gone.id === id) setGone({ id, node: change.gone.origin_node }); }
    else if (change.alert.id === id) setFresh(change.alert);
  });
  const alert = fresh?.id === id ? fresh : loaded.data;
  const points = useMemo(() => evidenceToGeoJSON(evidence.data?.items ?? []), [evidence.data]);
  const level = ref.data?.admin_areas.find((a) => a.code === alert?.areas[0])?.level === 2 ? 2 : 1;
  const shapes = useApi(alert?.areas.length ? `areas-${level}` : null, () => loadAreas(level));
  const outline = useMemo(
    () => alertOutline(shapes.data, alert?.areas ?? [], ref.data?.admin_areas ?? [], evidence.data?.items ?? []),
    [shapes.data, alert?.areas.join(','), ref.data, evidence.data], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const mapData = useMemo(() => ({ outline: outline.data, grid: points }), [outline, points]);
  // A held alert withdrawn while open here (by its owner, or re-classified above the reader): its content goes.
  // One of this node's own, re-classified above the reader while open here: its content goes too.
  if (gone?.id === id) return gone.node ? <HeldGone node={gone.node} /> : <AlertGone />;
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!alert) return <p role="status">{t('app.loading')}</p>;
  // One held read-only from the confederation (a national node): its card, with nothing that would edit it here.
  if (alert.read_only && alert.origin_node) return <HeldAlert id={id} node={alert.origin_node} refresh={fresh?.id === id ? fresh.updated_at : ''} />;
  const s = alert.statistics;
  const text = textsOf(alert, lang);
  return (
    <article>
      <p><Link to="/alerts">← {t('alerts.title')}</Link></p>
      <h1>{text.title}</h1>
      <BoundaryFrameNote of={alert} />
      <p>
        <span className={`badge severity-${alert.severity}`}>{t(`alerts.severity.${alert.severity}`)}</span>{' '}
        {t(`alerts.rule.${alert.rule}`)} · {t(`alerts.status.${alert.status}`)} · {t(`classification.${alert.classification}`)} · {t(`scope.${alert.sharing_scope}`)}
      </p>
      {text.summary && <p className="alert-lead" data-testid="alert-summary">{text.summary}</p>}
      <p className="muted" data-testid="alert-figures-for">{(() => {
        const note = figuresNote(alert);
        return t(`alerts.${note.key}`, { state: note.state ? placeName(ref.data, note.state, lang) : '', ceiling: note.ceiling ? t(`classification.${note.ceiling}`) : '' });
      })()}</p>
      <div className="two-col">
        <div>
          <div className="card">
            <dl className="details">
              <div><dt>{t('alerts.col_area')}</dt><dd>{alert.areas.map((c) => placeName(ref.data, c, lang)).join(', ')}</dd></div>
              <div><dt>{t('alerts.col_window')}</dt><dd>{formatWindow(alert.window_start, alert.window_end, lang)}</dd></div>
              <div><dt>{t('alerts.col_issued')}</dt><dd>{formatDateTime(alert.created_at, lang)}</dd></div>
            </dl>
          </div>
          <div className="card">
            <h2>{t('alerts.map_title')}</h2>
            <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
              <MapView data={mapData} fit={outline.bbox} className="map" />
            </Suspense>
            <p className="muted">{t('alerts.map_legend')}</p>
          </div>
          {s?.baseline && <div className="card"><h2>{t('alerts.baseline_title', { n: s.baseline.periods })}</h2><BaselineChart alert={alert} /></div>}
          <StatsDetails alert={alert} />
          <div className="card">
            <h2>{t('alerts.evidence', { count: alert.evidence_count })}</h2>
            <ErrorMessage error={evidence.error} />
            {evidence.data && (
              <div className="table-wrap">
                <table data-testid="alert-evidence">
                  <thead><tr><th scope="col">{t('incidents.col_date')}</th><th scope="col">{t('incidents.col_type')}</th><th scope="col">{t('incidents.col_place')}</th><th scope="col" className="num">{t('measures.fatalities')}</th><th scope="col" className="num">{t('measures.civilian_fatalities')}</th></tr></thead>
                  <tbody>
                    {evidence.data.items.map((e) => (
                      <tr key={e.id}>
                        <td><Link to={`/incidents/${e.id}`}>{formatDate(e.occurred_start, lang)}</Link></td>
                        <td>{taxonomyLabel(e.sub_event_type, lang)}</td>
                        <td>{placeName(ref.data, e.admin1_code, lang)}</td>
                        <td className="num">{formatNumber(e.fatalities_best, lang)}</td>
                        <td className="num">{formatNumber(e.civilian_fatalities, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </div>
        <div>
          <div className="card">
            <h2>{t('alerts.states')}</h2>
            <ul data-testid="alert-states">
              {alert.states.map((st) => (
                <li key={st.state}>
                  {placeName(ref.data, st.state, lang)}{t('common.sep')}{st.acknowledged_at ? `${t('alerts.acknowledged_on', { date: formatDateTime(st.acknowledged_at, lang) })}${st.note ? ` — ${st.note}` : ''}` : t('alerts.awaiting')}
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h2>{t('alerts.responses')}</h2>
            {alert.responses.length ? (
              <ul>{alert.responses.map((r) => <li key={r.id}>{formatDateTime(r.responded_at, lang)}{r.state ? ` (${placeName(ref.data, r.state, lang)})` : ''}{t('common.sep')}{r.text}{r.link && <> — <a href={r.link} rel="noreferrer">{t('alerts.link')}</a></>}</li>)}</ul>
            ) : <p className="muted">{t('alerts.no_response')}</p>}
            {alert.closed_at && <p>{t('alerts.closed_on', { date: formatDateTime(alert.closed_at, lang) })}{alert.closure_note ? ` — ${alert.closure_note}` : ''}</p>}
          </div>
          <Actions alert={alert} onChange={setFresh} isMemberState={!!ref.data?.states.some((st) => st.code === session?.user.organisation)} />
          {can('alert.raise') && (
            <div className="card">
              <h2>{t('reclassify.title')}</h2>
              <p data-testid="alert-classification">{t('reclassify.current', { level: t(`classification.${alert.classification}`) })}</p>
              <ReclassifyControl key={alert.id} testId="alert-reclassify" current={alert.classification} allowed heldBy={alert.origin_node}
                save={(level) => patchAlertsId({ id: alert.id, body: { classification: level } }).then((a) => { setFresh(a); return a; })} />
            </div>
          )}
        </div>
      </div>
    </article>
  );
}

/** One of this node's own alerts that the reader may no longer see (re-classified above their clearance while open). */
function AlertGone() {
  const { t } = useLang();
  return (
    <article>
      <p><Link to="/alerts">← {t('alerts.title')}</Link></p>
      <p role="status" data-testid="alert-gone">{t('alerts.gone')}</p>
    </article>
  );
}
