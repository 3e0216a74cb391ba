/** Which areas a computed indicator names were redrawn by a newer boundary set (by the crosswalk of GET /boundary-sets). */
import type { Definition } from '@vigie/domain/strategy.schema';

/** GET /api/v1/boundary-sets. */
export interface BoundarySets {
  sets: { code: string; state: string; name_fr: string; name_en: string; valid_from: string | null; valid_to: string | null }[];
  crosswalk: { from_set: string; from_code: string; from_level: number; to_set: string; to_code: string; to_level: number; share_of_from: number }[];
}

/** The admin codes a definition names, in its filter and its ratio's parts. */
export const definitionAreas = (d: Definition): string[] =>
  [...new Set([d.filter, d.numerator?.filter, d.denominator?.filter].flatMap((f) => [...(f?.admin1 ?? []), ...(f?.admin2 ?? [])]))];

/** What a closed set's area became in the current set, by the crosswalk: only areas that were split or renamed. */
export function redrawnAreas(codes: readonly string[], data: BoundarySets): { code: string; set: BoundarySets['sets'][number]; to: string[] }[] {
  const out: { code: string; set: BoundarySets['sets'][number]; to: string[] }[] = [];
  for (const code of codes) {
    const links = data.crosswalk.filter((l) => l.from_code === code && l.to_level === l.from_level && l.share_of_from >= 0.01);
    const to = [...new Set(links.sort((a, b) => b.share_of_from - a.share_of_from).map((l) => l.to_code))];
    const set = data.sets.find((s) => s.code === links[0]?.to_set);
    if (set && (to.length > 1 || to[0] !== code)) out.push({ code, set, to });
  }
  return out;
}
