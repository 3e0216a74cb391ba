/** The incident list's filter state and its round trip through the URL, so a view can be shared by link. */
export const LIST_KEYS = ['states', 'admin1', 'admin2', 'event_types', 'sub_event_types', 'actors', 'status'] as const;
export const SCALAR_KEYS = ['from', 'to', 'q', 'sort', 'cursor', 'bbox'] as const;
type ListKey = (typeof LIST_KEYS)[number];
type ScalarKey = (typeof SCALAR_KEYS)[number];

export type IncidentFilterState = { [K in ListKey]: string[] } & { [K in ScalarKey]?: string };

export const emptyFilters = (): IncidentFilterState => ({ states: [], admin1: [], admin2: [], event_types: [], sub_event_types: [], actors: [], status: [] });

/** Reads the filters from a query string (`?states=MLI,NER&from=2025-01-01`); unknown keys are ignored. */
export function filtersFromSearch(search: URLSearchParams | string): IncidentFilterState {
  const sp = typeof search === 'string' ? new URLSearchParams(search) : search;
  const out = emptyFilters();
  for (const k of LIST_KEYS) {
    const all = sp.getAll(k).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    out[k] = [...new Set(all)];
  }
  for (const k of SCALAR_KEYS) {
    const v = sp.get(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Writes the filters as a query string in a stable order, leaving out what is empty. */
export function filtersToSearch(f: Partial<IncidentFilterState>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of SCALAR_KEYS) {
    if (k === 'cursor') continue;
    const v = f[k];
    if (v) sp.set(k, v);
  }
  for (const k of LIST_KEYS) {
    const v = f[k];
    if (v?.length) sp.set(k, v.join(','));
  }
  if (f.cursor) sp.set('cursor', f.cursor);
  return sp;
}

/** The API query for GET /incidents (and the aggregates, which take the same filters). */
export function filtersToQuery(f: IncidentFilterState, limit = 50): Record<string, string | number | string[] | undefined> {
  return {
    from: f.from, to: f.to, q: f.q && f.q.length >= 2 ? f.q : undefined, sort: f.sort, cursor: f.cursor, bbox: f.bbox,
    states: f.states, admin1: f.admin1, admin2: f.admin2, event_types: f.event_types, sub_event_types: f.sub_event_types,
    actors: f.actors, status: f.status, limit,
  };
}

/** A link to the incident list filtered as given, e.g. from a dashboard chart. */
export function listHref(f: Partial<IncidentFilterState>): string {
  const qs = filtersToSearch(f).toString();
  return qs ? `/incidents?${qs}` : '/incidents';
}

/** First and last day of a 'YYYY-MM' month, as the list's from/to dates. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
