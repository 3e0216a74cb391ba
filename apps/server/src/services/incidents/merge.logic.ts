import { CLASSIFICATIONS, MERGE_FIELD_COLUMNS, MERGE_FIELDS, SHARING_SCOPES, type Incident, type MergeChoices, type MergeField, type MergePreview } from '@vigie/domain';
import { canonicalJson } from '../../lib/ids.js';

type Side = 'into' | 'this';
export type ResolvedChoices = Record<MergeField, Side | 'both'>;
type Row = MergePreview['fields'][number];

const TOLLS = new Set<MergeField>(['fatalities_best', 'civilian_fatalities', 'injured', 'abducted']);

/**
 * The choices with their defaults filled in: a toll takes the higher of the two values (a merge never loses a death
 * someone reported) — the civilians killed going with the killed toll they belong to —, the narrative keeps both,
 * everything else stays as the kept record has it.
 */
export function resolveChoices(into: Incident, other: Incident, choices: MergeChoices): ResolvedChoices {
  const out = {} as ResolvedChoices;
  for (const f of MERGE_FIELDS) {
    const given = choices[f];
    if (given) out[f] = given;
    else if (f === 'narrative') out[f] = 'both';
    // The civilians killed follow the killed toll they are part of.
    else if (f === 'civilian_fatalities') out[f] = out.fatalities_best;
    else if (TOLLS.has(f)) out[f] = (other[f as keyof Incident] as number) > (into[f as keyof Incident] as number) ? 'this' : 'into';
    else out[f] = 'into';
  }
  return out;
}

const pick = (r: Incident, f: MergeField) => Object.fromEntries(MERGE_FIELD_COLUMNS[f].map((c) => [c, r[c as keyof Incident]]));
const unite = <T>(a: T[], b: T[]) => {
  const seen = new Set<string>();
  return [...a, ...b].filter((x) => {
    const k = canonicalJson(x);
    return seen.has(k) ? false : (seen.add(k), true);
  });
};

/** Both narratives, the kept one first; one when they are the same or one is empty. */
export function bothNarratives(a: string, b: string): string {
  const x = a.trim();
  const y = b.trim();
  if (!y || x === y) return a;
  if (!x) return b;
  return `${x}\n\n${y}`;
}

const higher = (a: string | null, b: string | null) => {
  const l = Math.max(a ? CLASSIFICATIONS.indexOf(a as never) : -1, b ? CLASSIFICATIONS.indexOf(b as never) : -1);
  return l < 0 ? null : CLASSIFICATIONS[l] ?? null;
};

/**
 * The kept record after the merge, and the comparison row by row. Sources and tags are united; the classification and
 * the location protection take the higher, the sharing scope the narrower: what either record protected stays protected.
 */
export function combine(into: Incident, other: Incident, choices: ResolvedChoices): { result: Incident; fields: Row[] } {
  const result: Incident = { ...into };
  const fields: Row[] = [];
  for (const f of MERGE_FIELDS) {
    const choice = choices[f];
    if (f === 'narrative') {
      result.narrative = choice === 'both' ? bothNarratives(into.narrative, other.narrative) : choice === 'this' ? other.narrative : into.narrative;
      fields.push({ field: f, into: into.narrative, this: other.narrative, result: result.narrative, choice });
      continue;
    }
    if (choice === 'this') Object.assign(result, pick(other, f));
    fields.push({ field: f, into: pick(into, f), this: pick(other, f), result: pick(result, f), choice });
  }
  result.sources = unite(into.sources, other.sources);
  result.tags = unite(into.tags, other.tags);
  result.classification = higher(into.classification, other.classification) ?? into.classification;
  result.exact_location_classification = higher(into.exact_location_classification, other.exact_location_classification);
  result.sharing_scope = SHARING_SCOPES[Math.min(SHARING_SCOPES.indexOf(into.sharing_scope), SHARING_SCOPES.indexOf(other.sharing_scope))] ?? 'national';
  fields.push(
    { field: 'sources', into: into.sources, this: other.sources, result: result.sources, choice: 'union' },
    { field: 'tags', into: into.tags, this: other.tags, result: result.tags, choice: 'union' },
    { field: 'classification', into: into.classification, this: other.classification, result: result.classification, choice: 'stricter' },
    { field: 'sharing_scope', into: into.sharing_scope, this: other.sharing_scope, result: result.sharing_scope, choice: 'stricter' },
    { field: 'exact_location_classification', into: into.exact_location_classification, this: other.exact_location_classification, result: result.exact_location_classification, choice: 'stricter' },
  );
  return { result, fields };
}
