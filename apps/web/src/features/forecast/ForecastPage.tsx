import { useState } from 'react';
import { getForecast } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatMonth, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { byRisk, defaultThreshold, intervalText, probabilityText } from './forecast-format';
import './messages';

/** Probabilistic forecasts per admin-1 area: the chance of a surge, with the interval, not only the median. */
export function ForecastPage() {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  const forecast = useApi('forecast', (s) => getForecast({}, s));
  const [horizon, setHorizon] = useState(1);
  const [chosen, setChosen] = useState<number | null>(null);
  const data = forecast.data;
  const threshold = chosen ?? defaultThreshold(data?.thresholds.fatalities ?? []);
  const current = data?.horizons.find((h) => h.horizon === horizon);
  const areas = current ? byRisk(current.areas, threshold) : [];
  const n = (x: number) => formatNumber(Math.round(x), lang);
  return (
    <section>
      <h1>{t('forecast.title')}</h1>
      <p>{t('forecast.intro')}</p>
      <ErrorMessage error={forecast.error ?? ref.error} />
      {data && (
        <div className="filters">
          <label>
            {t('forecast.month')}{' '}
            <select value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} data-testid="forecast-month">
              {data.horizons.map((h) => <option key={h.horizon} value={h.horizon}>{formatMonth(h.month, lang)}</option>)}
            </select>
          </label>{' '}
          <label>
            {t('forecast.threshold')}{' '}
            <select value={threshold} onChange={(e) => setChosen(Number(e.target.value))} data-testid="forecast-threshold">
              {data.thresholds.fatalities.map((x) => <option key={x} value={x}>{x}</option>)}
            </select>
          </label>
        </div>
      )}
      {data && areas.length === 0 && <p>{t('forecast.none')}</p>}
      {current && areas.length > 0 && (
        <>
          <p data-testid="forecast-sentence">
            <strong>{placeName(ref.data, areas[0].admin1_code, lang)}</strong> —{' '}
            {t('forecast.sentence', {
              n: threshold,
              month: formatMonth(current.month, lang),
              p: probabilityText(areas[0].fatalities_exceedance[String(threshold)] ?? 0, lang),
              low: n(areas[0].fatalities_quantiles.q05),
              high: n(areas[0].fatalities_quantiles.q95),
            })}
          </p>
          <div className="table-wrap">
            <table data-testid="forecast-table">
              <thead>
                <tr>
                  <th scope="col">{t('forecast.area')}</th>
                  <th scope="col">{t('forecast.state')}</th>
                  <th scope="col" className="num">{t('forecast.probability', { n: threshold })}</th>
                  <th scope="col" className="num">{t('forecast.median')}</th>
                  <th scope="col" className="num">{t('forecast.interval')}</th>
                  <th scope="col" className="num">{t('forecast.incidents')}</th>
                  <th scope="col" className="num">{t('forecast.last_month')}</th>
                </tr>
              </thead>
              <tbody>
                {areas.map((a) => (
                  <tr key={a.admin1_code}>
                    <td>{placeName(ref.data, a.admin1_code, lang)}</td>
                    <td>{placeName(ref.data, a.state, lang)}</td>
                    <td className="num">{probabilityText(a.fatalities_exceedance[String(threshold)] ?? 0, lang)}</td>
                    <td className="num">{n(a.fatalities_quantiles.q50)}</td>
                    <td className="num">{intervalText(a.fatalities_quantiles, lang)}</td>
                    <td className="num">{n(a.incidents_quantiles.q50)} ({intervalText(a.incidents_quantiles, lang)})</td>
                    <td className="num">{n(a.last_month)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
