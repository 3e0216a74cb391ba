import { useState } from 'react';
import { Link } from '../../app/router';
import { getAlerts, postAlerts, type PostAlertsBody } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatWindow } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { HeldMark } from '../held/HeldCards';
import { applyLive, mergeAlert, SEVERITY_ORDER, textsOf, type Alert } from './alerts-data';
import { useAlertStream } from './live';
import './messages';

const RULES = ['count_spike', 'fatality_spike', 'civilian_harm', 'new_hotspot', 'cross_border', 'flash'] as const;

/** Flash alert form: title, severity, area, summary (analysts, focal points, confederation analysts). */
function FlashForm({ onRaised }: { onRaised(a: Alert): void }) {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const areas = (ref.data?.admin_areas ?? []).filter((a) => a.level === 1);
  return (
    <form
      className="card stack"
      aria-label={t('alerts.flash_title')}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setBusy(true);
        setError(null);
        postAlerts({ body: {
          title: String(f.get('title') ?? ''), summary: String(f.get('summary') ?? ''), severity: String(f.get('severity') ?? 'high') as PostAlertsBody['severity'],
          areas: [String(f.get('area') ?? '')], sharing_scope: String(f.get('scope') ?? 'confederation') as PostAlertsBody['sharing_scope'], classification: String(f.get('classification') ?? 'restricted') as PostAlertsBody['classification'],
        } }).then((a) => { onRaised(a); (e.target as HTMLFormElement).reset(); }, setError).finally(() => setBusy(false));
      }}
    >
      <h2>{t('alerts.flash_title')}</h2>
      <ErrorMessage error={error} />
      <div className="filter-grid">
        <label className="field">{t('alerts.col_title')}<input name="title" required minLength={3} maxLength={200} /></label>
        <label className="field">{t('alerts.col_severity')}
          <select name="severity" defaultValue="high">{SEVERITY_ORDER.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}`)}</option>)}</select>
        </label>
        <label className="field">{t('alerts.col_area')}
          <select name="area" required>{areas.map((a) => <option key={a.code} value={a.code}>{placeName(ref.data, a.state, lang)} — {lang === 'fr' ? a.name_fr : a.name_en}</option>)}</select>
        </label>
        <label className="field">{t('alerts.scope')}
          <select name="scope" defaultValue="confederation"><option value="confederation">{t('scope.confederation')}</option><option value="national">{t('scope.national')}</option></select>
        </label>
        <label className="field">{t('alerts.classification')}
          <select name="classification" defaultValue="restricted">{(['public', 'restricted', 'confidential', 'secret'] as const).map((c) => <option key={c} value={c}>{t(`classification.${c}`)}</option>)}</select>
        </label>
      </div>
      <label className="field">{t('alerts.summary')}<textarea name="summary" rows={3} maxLength={5000} /></label>
      <div className="actions"><button type="submit" disabled={busy}>{t('alerts.raise')}</button></div>
    </form>
  );
}

/** The alerts the reader may see, newest first, updated live; filters by state of the lifecycle, rule and severity. */
export function AlertsListPage() {
  const { t, lang } = useLang();
  const { can } = useSession();
  const ref = useApi('ref', () => loadReference());
  const [open, setOpen] = useState<'true' | 'false' | ''>('true');
  const [rule, setRule] = useState('');
  const [severity, setSeverity] = useState('');
  const [showFlash, setShowFlash] = useState(false);
  const key = `alerts-${open}-${rule}-${severity}`;
  const list = useApi(key, (s) => getAlerts({ query: { open, rule, severity, limit: 100 } }, s));
  const [live, setLive] = useState<{ key: string; items: Alert[] } | null>(null);
  // On a national node the server's list holds the confederation's alerts too, each marked with its owner node.
  const items = live?.key === key ? live.items : list.data?.items ?? [];
  const fits = (alert: Alert) => (!rule || alert.rule === rule) && (!severity || alert.severity === severity) && (open === '' || (open === 'true') === (alert.status !== 'closed'));
  useAlertStream((change) => {
    const base = live?.key === key ? live.items : list.data?.items ?? [];
    setLive({ key, items: applyLive(base, change, fits) });
  });
  return (
    <section>
      <div className="dash-head">
        <h1>{t('alerts.title')}</h1>
        {can('alert.raise') && <button type="button" onClick={() => setShowFlash(!showFlash)} aria-expanded={showFlash}>{t('alerts.flash_open')}</button>}
      </div>
      <p className="muted">{t('alerts.list_figures')}</p>
      {showFlash && <FlashForm onRaised={(a) => { setShowFlash(false); setLive({ key, items: mergeAlert(items, a) }); }} />}
      <div className="dash-filters">
        <label className="field">{t('alerts.filter_status')}
          <select value={open} onChange={(e) => setOpen(e.target.value as typeof open)}>
            <option value="true">{t('alerts.open')}</option><option value="false">{t('alerts.closed')}</option><option value="">{t('alerts.all')}</option>
          </select>
        </label>
        <label className="field">{t('alerts.col_rule')}
          <select value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="">{t('alerts.all')}</option>{RULES.map((r) => <option key={r} value={r}>{t(`alerts.rule.${r}`)}</option>)}
          </select>
        </label>
        <label className="field">{t('alerts.col_severity')}
          <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">{t('alerts.all')}</option>{SEVERITY_ORDER.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}`)}</option>)}
          </select>
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !items.length ? <p role="status">{t('app.loading')}</p> : !items.length ? <p className="muted">{t('alerts.none')}</p> : (
        <div className="table-wrap">
          <table data-testid="alerts-table">
            <thead><tr>
              <th scope="col">{t('alerts.col_issued')}</th><th scope="col">{t('alerts.col_severity')}</th><th scope="col">{t('alerts.col_rule')}</th>
              <th scope="col">{t('alerts.col_title')}</th><th scope="col">{t('alerts.col_area')}</th><th scope="col">{t('alerts.col_window')}</th><th scope="col">{t('alerts.col_status')}</th>
            </tr></thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-owner={a.origin_node}>
                  <td>{formatDateTime(a.created_at, lang)}</td>
                  <td><span className={`badge severity-${a.severity}`}>{t(`alerts.severity.${a.severity}`)}</span></td>
                  <td>{t(`alerts.rule.${a.rule}`)}</td>
                  <td><Link to={`/alerts/${a.id}`}>{textsOf(a, lang).title}</Link>{a.origin_node && <> <HeldMark node={a.origin_node} /></>}</td>
                  <td>{a.areas.map((c) => placeName(ref.data, c, lang)).join(', ')}</td>
                  <td>{formatWindow(a.window_start, a.window_end, lang)}</td>
                  <td>{t(`alerts.status.${a.status}`)} {a.states.map((s) => <span key={s.state} className={`badge ${s.acknowledged_at ? 'validated' : 'submitted'}`} title={s.acknowledged_at ? t('alerts.acknowledged_by_state') : t('alerts.awaiting')}>{placeName(ref.data, s.state, lang)}{s.acknowledged_at ? ' ✓' : ''}</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
