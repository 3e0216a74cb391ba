/** The statistics behind a rule alert, for those who want them: the figures in a details section, and the baseline chart. */
import { useMemo } from 'react';
import type { AlignedData, Options } from 'uplot';
import { useLang } from '../../i18n';
import { formatDate, formatLevel, formatNumber, formatProbability } from '../../i18n/format';
import { UPlotChart } from '../../ui/charts/UPlotChart';
import { baselineSeries, type Alert } from './alerts-data';
import './messages';

/** The baseline weeks (bars), the expected level (line) and the observed week (red). */
export function BaselineChart({ alert }: { alert: Alert }) {
  const { t, lang } = useLang();
  const series = baselineSeries(alert);
  const chart = useMemo(() => {
    if (!series) return null;
    const options: Omit<Options, 'width'> = {
      height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [{ values: (_u, ticks) => ticks.map((s) => formatDate(new Date(s * 1000).toISOString(), lang)), space: 80 }, { size: 45 }],
      series: [
        { label: t('alerts.week') },
        { label: t('alerts.baseline'), stroke: '#0072B2', fill: 'rgba(0,114,178,0.25)', points: { show: true } },
        { label: t('alerts.observed'), stroke: '#b3261e', width: 0, points: { show: true, size: 10, fill: '#b3261e' } },
        { label: t('alerts.expected'), stroke: '#555', dash: [4, 4], points: { show: false } },
      ],
    };
    return { options, data: [series.x, series.baseline, series.observed, series.expected] as AlignedData };
  }, [series?.x.length, alert.id, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!chart) return null;
  return <UPlotChart options={chart.options} data={chart.data} label={t('alerts.chart_label')} testId="alert-chart" />;
}

/** Observed, expected, threshold, p and the reference distribution, in the reader's formats, folded by default. */
export function StatsDetails({ alert }: { alert: Alert }) {
  const { t, lang } = useLang();
  const s = alert.statistics;
  if (!s) return null;
  const dist = s.distribution === 'poisson' || s.distribution === 'negative_binomial' ? t(`alerts.distributions.${s.distribution}`) : s.distribution;
  return (
    <details className="card" data-testid="alert-statistics">
      <summary><h2 className="inline">{t('alerts.stats_title')}</h2></summary>
      {s.quantile_level !== null && s.baseline && <p className="muted">{t('alerts.stats_intro', { n: s.baseline.periods, rest: formatLevel(1 - s.quantile_level, lang) })}</p>}
      <dl className="details">
        <div><dt>{t('alerts.observed')}</dt><dd data-testid="alert-observed">{formatNumber(s.observed, lang)} ({t(`alerts.metric.${s.metric ?? 'count'}`)})</dd></div>
        <div><dt>{t('alerts.expected')}</dt><dd>{formatNumber(s.expected, lang, 1)}</dd></div>
        {s.quantile !== null && s.quantile_level !== null && <div><dt>{t('alerts.threshold', { q: formatLevel(s.quantile_level, lang) })}</dt><dd>{formatNumber(s.quantile, lang)}</dd></div>}
        {s.p_value !== null && <div><dt>{t('alerts.p_value')}</dt><dd data-testid="alert-p">{formatProbability(s.p_value, lang)}</dd></div>}
        {dist && <div><dt>{t('alerts.distribution')}</dt><dd>{dist}{s.dispersion !== null ? ` (${t('alerts.dispersion', { r: formatNumber(s.dispersion, lang, 2) })})` : ''}</dd></div>}
      </dl>
    </details>
  );
}
