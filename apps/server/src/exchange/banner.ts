import type { Classification } from '@vigie/domain';
import type { ExportMetadata } from './formats/format.js';

const LABELS: Record<Classification, { fr: string; en: string }> = {
  public: { fr: 'PUBLIC', en: 'PUBLIC' },
  restricted: { fr: 'DIFFUSION RESTREINTE', en: 'RESTRICTED' },
  confidential: { fr: 'CONFIDENTIEL', en: 'CONFIDENTIAL' },
  secret: { fr: 'SECRET', en: 'SECRET' },
};

export const classificationLabel = (c: Classification, lang: 'fr' | 'en') => LABELS[c][lang];

/**
 * The banner every exported file starts with (or carries in its metadata): the highest classification it contains,
 * who exported it and when, with which filters, and that it is the reader's view.
 */
export function bannerText(m: ExportMetadata, lang: 'fr' | 'en'): string {
  const label = classificationLabel(m.classification as Classification, lang);
  const filters = new URLSearchParams(Object.entries(m.filters).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])).toString();
  // No comma, semicolon or quote: the CSV banner is a bare comment line, which csv readers skip (pandas comment='#').
  return lang === 'fr'
    ? `${label} — export Vigie du ${m.exported_at} par ${m.exported_by} (${m.organisation} · habilitation ${m.clearance}) · filtres : ${filters || 'aucun'} · ` +
      'vue du lecteur : seuls les incidents qu’il peut voir · positions protégées généralisées au cercle'
    : `${label} — Vigie export of ${m.exported_at} by ${m.exported_by} (${m.organisation} · clearance ${m.clearance}) · filters: ${filters || 'none'} · ` +
      'reader’s view: only the incidents they may see · protected locations generalised to the admin-2 area'
}
