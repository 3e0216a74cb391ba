/** The incident page's lines about where the record was placed (GET /api/v1/incidents/:id/placement). */
import { boundarySetText } from '@vigie/domain/boundary-frame-text';

type Area = { code: string; name_fr: string; name_en: string } | null;
type SetRef = { code: string; name_fr: string; name_en: string; valid_from: string | null; valid_to: string | null } | null;
export interface IncidentPlacement {
  method: string | null;
  at_date: { set: SetRef; admin1: Area; admin2: Area };
  current: { set: SetRef; admin1: Area; admin2: Area };
}

type T = (key: string, o?: Record<string, unknown>) => string;

/**
 * « Placement : dans le polygone de la zone » and, for a record dated before a newer boundary set, its areas in the set
 * valid at its date (« Mopti, Douentza (découpage : Mali — cercles OCHA 2015, régions 2021) »).
 */
export function placementRows(p: IncidentPlacement | undefined, t: T, lang: 'fr' | 'en'): [string, string][] {
  if (!p) return [];
  const rows: [string, string][] = [];
  if (p.method) rows.push([t('detail.placement'), t(`detail.placement_method.${p.method}`, { defaultValue: p.method })]);
  const d = p.at_date;
  if (d.set && d.set.code !== p.current.set?.code) {
    const areas = [d.admin1, d.admin2].filter((a): a is NonNullable<Area> => !!a).map((a) => (lang === 'fr' ? a.name_fr : a.name_en)).join(', ') || '—';
    rows.push([t('detail.placed_at_date'), t('detail.placed_in_set', { areas, set: boundarySetText({ ...d.set, state: '' }, lang) })]);
  }
  return rows;
}
