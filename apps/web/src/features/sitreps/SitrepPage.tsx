import { Link, useParams } from '../../app/router';
import { CONFEDERATION_ORG } from '@vigie/domain/classification';
import { apiUrl } from '../../api/client';
import { getSitrepsId } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { sitrepPeriodLabel } from './sitrep-format';
import { BoundaryFrameNote } from '../../map/BoundaryFrameNote';
import './sitreps.css';
import './messages';

/**
 * One situation report: whose figures and as of when, its downloads, and the report itself — the server's printable
 * page, drawn from the frozen figures, shown in a sandboxed frame (no script runs in it).
 */
export function SitrepPage() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const head = useApi(`sitrep-${id}`, (s) => getSitrepsId({ id: id! }, s));
  const html = useApi(head.data ? `sitrep-html-${id}-${lang}` : null, async (s) => {
    const res = await fetch(apiUrl(`sitreps/${id}/report.html`, { lang }), { credentials: 'same-origin', signal: s });
    if (!res.ok) throw new Error(String(res.status));
    return res.text();
  });
  const ref = useApi('ref', () => loadReference());
  const r = head.data;
  return (
    <section aria-labelledby="sitrep-title" className="sitrep">
      <p><Link to="/sitreps">← {t('sitreps.back')}</Link></p>
      <ErrorMessage error={head.error ?? html.error} />
      {!r ? <p role="status">{t('app.loading')}</p> : (
        <>
          <h1 id="sitrep-title">{t('sitreps.report_frame', { period: sitrepPeriodLabel(r, t, lang) })}</h1>
          <p data-testid="sitrep-for"><strong>{t('sitreps.for', { audience: r.audience === CONFEDERATION_ORG && ref.data ? ref.data.alliance[lang === 'fr' ? 'name_fr' : 'name_en'] : placeName(ref.data, r.audience, lang), ceiling: t(`classification.${r.ceiling}`) })}</strong> · {t('sitreps.as_of', { date: formatDateTime(r.as_of, lang) })}</p>
          <BoundaryFrameNote of={r} />
          <p className="hint">{t('sitreps.frozen')}</p>
          <p className="sitrep-downloads">
            <a href={apiUrl(`sitreps/${r.id}/report.pdf`, { lang: 'fr' })} data-testid="sitrep-pdf-fr">{t('sitreps.pdf', { lang: t('sitreps.lang_fr') })}</a>
            <a href={apiUrl(`sitreps/${r.id}/report.pdf`, { lang: 'en' })}>{t('sitreps.pdf', { lang: t('sitreps.lang_en') })}</a>
            <a href={apiUrl(`sitreps/${r.id}/report.html`, { lang })} target="_blank" rel="noopener">{t('sitreps.html', { lang: t(`sitreps.lang_${lang}`) })}</a>
          </p>
          {html.data === undefined ? <p role="status">{t('app.loading')}</p>
            : <iframe className="sitrep-frame" title={t('sitreps.report_frame', { period: sitrepPeriodLabel(r, t, lang) })} sandbox="" srcDoc={html.data} data-testid="sitrep-frame" />}
        </>
      )}
    </section>
  );
}
