import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { exportHref, type ExportChoice } from './export-href';
import type { IncidentFilterState } from './filters';

const CHOICES: ExportChoice[] = ['csv_excel', 'csv', 'hxl', 'acled', 'geojson', 'gpkg', 'xlsx'];

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
