import { apiUrl } from '../../api/client';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { filtersToSearch, type IncidentFilterState } from './filters';

type Choice = 'csv_excel' | 'csv' | 'hxl' | 'geojson' | 'gpkg' | 'xlsx';

/**
 * The export options for the filters in view: CSV for the reader's spreadsheet (semicolons in French, with the byte
 * order mark Excel needs to read accents), plain CSV, HXL, GeoJSON, GeoPackage and XLSX, headers in the page's language.
 */
export function exportHref(filters: Partial<IncidentFilterState>, choice: Choice, lang: 'fr' | 'en'): string {
  const sp = filtersToSearch(filters);
  // An export holds every matching record, newest first: the list's page and order do not apply.
  sp.delete('cursor');
  sp.delete('sort');
  const format = choice === 'csv_excel' ? 'csv' : choice;
  const options = choice === 'csv_excel' ? { delimiter: lang === 'fr' ? 'semicolon' : 'comma', bom: 'true' } : {};
  return apiUrl('exports/incidents', { ...Object.fromEntries(sp), format, headers: lang, ...options });
}

const CHOICES: Choice[] = ['csv_excel', 'csv', 'hxl', 'geojson', 'gpkg', 'xlsx'];

/** "Exporter": a menu of download links for the incidents the reader sees with the current filters (incident.export). */
export function ExportMenu({ filters }: { filters: Partial<IncidentFilterState> }) {
  const { t, lang } = useLang();
  const { can } = useSession();
  if (!can('incident.export')) return null;
  return (
    <details className="export-menu" data-testid="export-menu">
      <summary className="button">{t('export.button')}</summary>
      <div className="export-panel card" role="group" aria-label={t('export.title')}>
        <p className="hint">{t('export.hint')}</p>
        <ul>
          {CHOICES.map((c) => (
            <li key={c}><a href={exportHref(filters, c, lang)} download data-format={c}>{t(`export.${c}`)}</a></li>
          ))}
        </ul>
      </div>
    </details>
  );
}
