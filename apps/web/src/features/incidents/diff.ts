/** Field-by-field differences between two versions of a record, for the history and for edit conflicts. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping fields that change with every write and say nothing to a reader. */
const IGNORED = new Set(['version', 'updated_at', 'created_at', 'location_coarsened']);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose value differs between `before` and `after` (deep comparison, nulls and absent alike). */
export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const out: FieldChange[] = [];
  for (const field of keys) {
    if (IGNORED.has(field)) continue;
    const b = before?.[field];
    const a = after[field];
    if (!same(b, a)) out.push({ field, before: b ?? null, after: a ?? null });
  }
  return out;
}

/**
 * For an edit that hit a version conflict: what the other person changed (base → current), and
 * which of those fields the user had also changed (base → mine) — those are the real clashes.
 */
export function conflictReport(base: Record<string, unknown>, current: Record<string, unknown>, mine: Record<string, unknown>): (FieldChange & { mine?: unknown; clash: boolean })[] {
  const theirs = diffRecords(base, current);
  return theirs.map((c) => {
    const touched = c.field in mine && !same(mine[c.field], base[c.field]);
    return { ...c, ...(touched ? { mine: mine[c.field] } : {}), clash: touched && !same(mine[c.field], current[c.field]) };
  });
}

/** A value as short readable text for the diff tables. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
