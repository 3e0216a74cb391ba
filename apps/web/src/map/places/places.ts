/**
 * Place search (GeoNames gazetteer on our server): the API call and the pure helpers the search box and the
 * pages use. The server folds accents and case and knows alternate names ("Tilabery" finds Tillabéri).
 */
import type { Place } from '@vigie/domain';
import { getPlaces } from '../../api/generated';

/** One place of GET /api/v1/places, as the domain package declares it. */
export type { Place };

/** The fewest characters the server searches on. */
export const MIN_QUERY = 2;
export const SEARCH_LIMIT = 8;

/** Whether a typed text is worth asking the server about. */
export function searchable(q: string): boolean {
  return q.trim().length >= MIN_QUERY;
}

/** Places matching `q` (optionally in one state), best first. */
export async function searchPlaces(q: string, options: { state?: string; limit?: number; signal?: AbortSignal } = {}): Promise<Place[]> {
  if (!searchable(q)) return [];
  const res = await getPlaces({ query: { q: q.trim(), state: options.state, limit: options.limit ?? SEARCH_LIMIT } }, options.signal);
  return res.items;
}

/** Where a place is, for telling namesakes apart: its admin-2, its admin-1 and its state ("Tillabéri, Tillabéri (NER)"). */
export function placeContext(p: Place): string {
  const parts = [p.admin2_name, p.admin1_name].filter((x): x is string => !!x);
  return `${parts.join(', ')}${parts.length ? ' ' : ''}(${p.state})`;
}

/** The incident form's fields a chosen place fills: coordinates, precision 2 (within 25 km of a named place), areas. */
export function formFieldsFor(p: Place): { latitude: string; longitude: string; geo_precision: string; place_name: string; admin1_code: string; admin2_code: string } {
  return {
    latitude: p.latitude.toFixed(5),
    longitude: p.longitude.toFixed(5),
    geo_precision: '2',
    place_name: p.name,
    admin1_code: p.admin1_code ?? '',
    admin2_code: p.admin2_code ?? '',
  };
}

/** The incident list's area filter for a chosen place: its admin-2 when known, else its admin-1, else its state. */
export function listFilterFor(p: Place): { admin2?: string[]; admin1?: string[]; states?: string[] } {
  if (p.admin2_code) return { admin2: [p.admin2_code] };
  if (p.admin1_code) return { admin1: [p.admin1_code] };
  return { states: [p.state] };
}
