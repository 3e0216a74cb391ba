/** How the map's table names a cluster: the nearest named place, then its admin-2 and admin-1 areas and the state. */

export interface NamedArea { code: string; name_fr: string; name_en: string }
/** One answer of GET /places/nearest. */
export interface NamedPoint {
  latitude: number;
  longitude: number;
  state: string | null;
  admin1: NamedArea | null;
  admin2: NamedArea | null;
  place: { name: string; distance_km: number } | null;
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** "près de Djibo (12 km) — Soum, Sahel (Burkina Faso)"; without a place near, the areas alone; null outside every state. */
export function pointLabel(p: NamedPoint, lang: 'fr' | 'en', stateName: (code: string) => string, t: T): string | null {
  const name = (a: NamedArea | null) => (a ? (lang === 'fr' ? a.name_fr : a.name_en) : null);
  // A cercle often bears its region's name (Mopti, Mopti): said once.
  const areas = [...new Set([name(p.admin2), name(p.admin1)].filter((x): x is string => !!x))].join(', ');
  const where = [areas, p.state ? `(${stateName(p.state)})` : ''].filter(Boolean).join(' ');
  const near = p.place ? t('map.near_place', { place: p.place.name, km: p.place.distance_km }) : '';
  const label = [near, where].filter(Boolean).join(' — ');
  return label || null;
}
