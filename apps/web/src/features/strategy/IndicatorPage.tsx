import { useMemo, useState } from 'react';
import { Link, useParams } from '../../app/router';
import type { AlignedData, Options } from 'uplot';
import { getIndicatorsIdTrend, postIndicatorsIdValues } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { UPlotChart } from '../../ui/charts/UPlotChart';
import { partialHook } from '../dashboard/charts';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { actorName, loadReference, placeName } from '../../api/reference';
import { BoundaryFrameNote } from '../../map/BoundaryFrameNote';
import { definitionHasAreas, definitionText } from './definition-text';
import { RedrawnAreasNote } from './RedrawnAreasNote';
import { isPartialPeriod, periodText, valueText } from './strategy-format';
import type { Trend, Value } from './types';
import './messages';

const COLORS = ['#1f3a5f', '#2b8a3e', '#c2410c', '#7c3aed', '#0e7490'];

/** Trend per state and target as a line chart (periods as categories). */
function TrendChart({ trend }: { trend: Trend }) {
  const { t, lang } = useLang();
  const chart = useMemo(() => {
    const x = trend.periods.map((_, i) => i);
    // The running period is partial: left out of the lines (the table shows it, marked).
    const partial = trend.periods.map((p) => isPartialPeriod(p));
    const complete = (vs: (number | null)[]) => vs.map((v, k) => (partial[k] ? null : v));
    const label = (i: number) => (Number.isInteger(i) && trend.periods[i] ? periodText(trend.periods[i] as string, lang) : '');
    const first = partial.indexOf(true);
    const options: Omit<Options, 'width'> = {
      height: 240,
      ...partialHook(first < 0 ? undefined : { from: first - 0.5, label: t('strategy.partial_band') }),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [{ values: (_u, ticks) => ticks.map(label), space: 70 }, { size: 50 }],
      series: [
        { label: t('strategy.period'), value: (_u, i) => (i === null ? '—' : label(i)) },
        ...trend.series.map((s, k) => ({ label: s.state ?? t('strategy.confederation'), stroke: COLORS[k % COLORS.length], width: s.state === null ? 3 : 1.5, points: { show: true } })),
        { label: `${t('strategy.target')} (${t('strategy.confederation')})`, stroke: '#555', dash: [5, 4], points: { show: false } },
      ],
    };
    const data = [x, ...trend.series.map((s) => complete(s.values)), trend.series[0]?.targets ?? []] as AlignedData;
    return { options, data };
  }, [trend, lang, t]);
  return <UPlotChart options={chart.options} data={chart.data} label={t('strategy.trend_label')} testId="indicator-trend" />;
}

/** An indicator: its definition, trend chart per state and target, and for a state's analysts the value entry form. */
export function IndicatorPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const trend = useApi(`trend-${id}`, (s) => getIndicatorsIdTrend({ id: id! }, s));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Value | null>(null);
  const ref = useApi('ref', () => loadReference());
  const i = trend.data?.indicator;
  const org = session?.user.organisation ?? '';
  const names = { place: (c: string) => placeName(ref.data, c, lang), actor: (c: string) => actorName(ref.data, c) };
  const unit = (u: string) => t(`strategy.units.${u}`, { defaultValue: u });
  const conf = trend.data?.series[0];
  return (
    <section>
      <p><Link to="/strategy">← {t('strategy.title')}</Link></p>
      <ErrorMessage error={trend.error} />
      {i && trend.data && (
        <>
          <h1>{i.code} — {lang === 'fr' ? i.name_fr : i.name_en}</h1>
          <p className="muted">
            {t('strategy.unit')}{t('common.sep')}{unit(i.unit)} · {t('strategy.direction')}{t('common.sep')}{t(`strategy.${i.direction}`)} · {t('strategy.frequency')}{t('common.sep')}{t(`strategy.freq.${i.frequency}`)} ·{' '}
            {t('strategy.source')}{t('common.sep')}{i.source === 'computed' ? t('strategy.computed') : t('strategy.manual')}
            {i.baseline_value !== null ? ` · ${t('strategy.baseline')}${t('common.sep')}${valueText(i.baseline_value, i.unit, lang)}${i.baseline_period ? ` (${periodText(i.baseline_period, lang)})` : ''}` : ''}
          </p>
          {i.definition && <p data-testid="indicator-definition"><strong>{t('strategy.definition')}{t('common.sep').trimEnd()}</strong> {definitionText(i.definition, i.frequency, lang, t, names)}</p>}
          <h2>{t('strategy.trend')}</h2>
          {trend.data.periods.length > 0 && <TrendChart trend={trend.data} />}
          {trend.data.periods.some((p) => isPartialPeriod(p)) && <p className="muted">{t('strategy.partial_note')}</p>}
          <div className="table-wrap">
            <table data-testid="trend-table">
              <thead><tr><th scope="col">{t('strategy.period')}</th>{trend.data.series.map((s) => <th key={s.state ?? 'conf'} scope="col" className="num">{s.state ?? t('strategy.confederation')}</th>)}</tr></thead>
              <tbody>
                {trend.data.periods.map((p, k) => (
                  <tr key={p} className={isPartialPeriod(p) ? 'partial' : undefined}>
                    <th scope="row">{isPartialPeriod(p) ? t('strategy.partial', { period: periodText(p, lang) }) : periodText(p, lang)}</th>
                    {trend.data?.series.map((s) => (
                      <td key={s.state ?? 'conf'} className="num">{valueText(s.values[k] ?? null, i.unit, lang)} <span className="muted">/ {valueText(s.targets[k] ?? null, i.unit, lang)}</span>
                        {s.state === null && conf?.reported && (conf.reported[k] ?? 0) < (trend.data?.series.length ?? 1) - 1 && (
                          <><br /><span className="muted" data-testid="coverage">{t('strategy.coverage', { count: conf.reported[k] ?? 0, expected: (trend.data?.series.length ?? 1) - 1 })}</span></>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {i.source === 'computed' && definitionHasAreas(i.definition) && <BoundaryFrameNote of={trend.data} />}
          {i.source === 'computed' && i.definition && definitionHasAreas(i.definition) && <RedrawnAreasNote definition={i.definition} />}
          {i.source === 'manual' && can('indicator_value.enter') && (
            <form
              className="card stack"
              aria-label={t('strategy.enter_value')}
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                const evidence = String(f.get('evidence') ?? '').trim();
                setError(null);
                postIndicatorsIdValues({ id: i.id, body: {
                  period: String(f.get('period')), value: Number(String(f.get('value') ?? '').replace(',', '.')), comment: String(f.get('comment') ?? ''),
                  evidence: evidence ? [{ title: evidence }] : [], submit: f.get('submit') === 'on',
                } }).then((v) => { setSaved(v); trend.reload(); }, setError);
              }}
            >
              <h2>{t('strategy.enter_value')} — {org}</h2>
              <ErrorMessage error={error} />
              {saved && <p role="status">✓ {periodText(saved.period, lang)}{t('common.sep')}{valueText(saved.value, i.unit, lang)} ({t(`strategy.value_status.${saved.status}`)})</p>}
              <div className="filter-grid">
                <label className="field">{t('strategy.period')}<select name="period">{[...trend.data.periods].reverse().map((p) => <option key={p} value={p}>{periodText(p, lang)}</option>)}</select></label>
                <label className="field">{t('strategy.value')} ({unit(i.unit)})<input name="value" inputMode="decimal" required /></label>
                <label className="field">{t('strategy.comment')}<input name="comment" /></label>
                <label className="field">{t('strategy.evidence')}<input name="evidence" /></label>
                <label className="check"><input type="checkbox" name="submit" defaultChecked /> {t('strategy.submit_now')}</label>
              </div>
              <div className="actions"><button type="submit">{t('strategy.save')}</button></div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
