/**
 * Exports whose lines the database writes (CSV, HXL, GeoJSON): the reader's rows — the list's visibility rule and
 * coarsening, its filters and order — come out of the query as text, so that a million-row export costs JavaScript a
 * few values per row rather than an object of forty. The text is byte for byte what the record writers of
 * exchange/formats write (csv.ts, geojson.ts; a test holds the two to it); only the point's numbers are left to
 * JavaScript, whose shortest round-trip form of a double neither engine writes.
 */
import { CLASSIFICATIONS, type IncidentFilter, type Principal } from '@vigie/domain';
import { sql, type AliasedRawBuilder, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { textLiteral, type Engine, type ExportTextSql, type LineLayout, type LinePage } from '../db/engine.js';
import { layLines, type LineRow } from '../db/line-layout.js';
import type { Database } from '../db/schema.js';
import { applyIncidentFilter, exportWindows, windowFrom, type ExportWindow } from './incident.repository.js';
import { coarsenFor, visibleCoordinate } from './visibility.js';

/** How an exported value is written: as text, a whole number, a boolean, or a number (the point's, written by JavaScript). */
export type ExportCellKind = 'text' | 'instant' | 'int' | 'bool' | 'number';
/** One exported column: its field (ExportRecord's) and kind. */
export interface ExportCellSpec { key: string; kind: ExportCellKind }

/**
 * The lines to write: CSV lines of `columns` separated by `sep`, or GeoJSON features with `properties`. In both, the
 * point (latitude, longitude) is written by JavaScript between the text the database writes before it (head) and after
 * it (tail); `layout` says how, and how the lines are separated.
 */
export type ExportLineShape =
  | { format: 'csv'; sep: string; columns: readonly ExportCellSpec[]; lang: 'fr' | 'en'; layout: LineLayout }
  | { format: 'geojson'; properties: readonly ExportCellSpec[]; lang: 'fr' | 'en'; layout: LineLayout };

export type { LineLayout, LinePage };

type IncidentsFrom = SelectQueryBuilder<Database, 'incidents', object>;
const v = (key: string) => sql.ref<string>(`v.${key}`);

/** The exported values as the reader may see them, by field, selected from `incidents` (the names in the export's language). */
function values(engine: Engine, principal: Principal, lang: 'fr' | 'en') {
  const coarse = coarsenFor(principal);
  const name = lang === 'fr' ? 'name_fr' : 'name_en';
  const classification = sql`(case incidents.classification_level ${sql.join(CLASSIFICATIONS.map((c, k) => sql`when ${sql.lit(k)} then ${textLiteral(c)}`), sql` `)} else 'secret' end)`;
  const own = (col: string) => sql<string>`incidents.${sql.raw(col)}`;
  const named: Record<string, Expression<unknown>> = {
    admin1_name: sql.ref(`a1.${name}`), admin2_name: sql.ref(`a2.${name}`), actor1_name: sql.ref('c1.name'), actor2_name: sql.ref('c2.name'),
    place_name: sql`(case when ${coarse} = 1 then null else incidents.place_name end)`,
    latitude: visibleCoordinate(principal, 'latitude'), longitude: visibleCoordinate(principal, 'longitude'), location_coarsened: coarse,
    associated_actors: engine.text.joinJsonArray(own('associated_actors'), ' | '), tags: engine.text.joinJsonArray(own('tags'), ' | '),
    // The sources' names, stored joined (incident-codec.ts): a subquery per record over the JSON was two fifths of a CSV window.
    sources: own('source_names'), classification,
  };
  return [
    ...['id', 'occurred_start', 'occurred_end', 'time_precision', 'reporting_state', 'admin1_code', 'admin2_code', 'geo_precision', 'event_type',
      'sub_event_type', 'interaction', 'actor1', 'actor2', 'fatalities_best', 'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured',
      'abducted', 'narrative', 'sharing_scope', 'status', 'created_at', 'updated_at', 'classification_level'].map((c) => own(c).as(c)),
    ...Object.entries(named).map(([k, e]) => sql`${e}`.as(k)),
  ];
}

/** Formula-like first characters a spreadsheet would run (OWASP CSV injection): csv.ts's FORMULA_START. */
const FORMULA_START = '-=+@\t\r';
/** Marks where each text value starts in a row's check text (a value holding it only sends its row the long way). */
const MARK = '\u0001';
/** Text that holds commas and quotes on many rows (a narrative): in CSV, written the long way on every row, never tested with the others. */
const FREE_TEXT = new Set(['narrative']);

/** csv.ts's csvText in SQL: apostrophe before a would-be formula (not before a plain signed number), quoted when needed. */
function csvText(t: ExportTextSql, x: Expression<string>, sep: string): RawBuilder<string> {
  const first = sql`substr(${x}, 1, 1)`;
  const signedNumber = sql`(${first} in ('+', '-') and ${t.isUnsignedDecimal(sql`substr(${x}, 2)`)})`;
  const prefix = sql`(case when ${first} in (${sql.join([...FORMULA_START].map(textLiteral))}) and not ${signedNumber} then '''' else '' end)`;
  return sql<string>`(case when ${x} is null then '' when ${t.holdsAnyOf(x, `"${sep}\r\n`)} then '"' || ${prefix} || replace(${x}, '"', '""') || '"' else ${prefix} || ${x} end)`;
}

/** Numbers other than the point's are not written by the database (see above): a column of that kind is a mistake here. */
function noNumber(c: ExportCellSpec): void {
  if (c.kind === 'number') throw new Error(`export column ${c.key}: only the point's numbers are written, by JavaScript`);
}

const isText = (c: ExportCellSpec) => c.kind === 'text' || c.kind === 'instant';

/**
 * A CSV cell as csvField writes it. `plain`: the row's text values are known to need neither quotes nor an apostrophe
 * (the cell is then the value as it is; free text is always checked on its own).
 */
function csvCell(t: ExportTextSql, c: ExportCellSpec, sep: string, plain: boolean): Expression<unknown> {
  noNumber(c);
  if (c.kind === 'bool') return sql<string>`(case when ${v(c.key)} = 1 then 'true' when ${v(c.key)} is null then '' else 'false' end)`;
  // concat() writes a null as nothing, and a whole number as JavaScript does.
  if (c.kind === 'int' || (plain && !FREE_TEXT.has(c.key))) return v(c.key);
  return csvText(t, v(c.key), sep);
}

/**
 * The exported values that are never null: columns NOT NULL in `incidents` (a test holds the list to the schema), and
 * values the export computes as text. A line writes them with no test for null: a text between its quotes, a whole
 * number as it is (concat writes both).
 */
export const NEVER_NULL: ReadonlySet<string> = new Set([
  'id', 'occurred_start', 'time_precision', 'reporting_state', 'geo_precision', 'event_type', 'sub_event_type', 'fatalities_best',
  'civilian_fatalities', 'injured', 'abducted', 'narrative', 'sharing_scope', 'status', 'created_at', 'updated_at',
  'classification', 'associated_actors', 'tags', 'sources',
]);

/** A line's parts: literal text (adjacent pieces are written as one) or a value. */
type LinePart = string | Expression<unknown>;

/** The parts of a JSON value as JSON.stringify writes it. `plain`: the row's text values are known to need no escape. */
function jsonCell(t: ExportTextSql, c: ExportCellSpec, plain: boolean): LinePart[] {
  noNumber(c);
  const x = v(c.key);
  if (c.kind === 'bool') return [sql<string>`(case when ${x} = 1 then 'true' when ${x} is null then 'null' else 'false' end)`];
  if (c.kind === 'int') return [NEVER_NULL.has(c.key) ? x : sql<string>`coalesce(cast(${x} as text), 'null')`];
  if (!plain) return [t.json(x)];
  return NEVER_NULL.has(c.key) ? ['"', x, '"'] : [sql<string>`coalesce('"' || ${x} || '"', 'null')`];
}

/** The parts as concat's arguments, adjacent literal text joined. */
function joined(parts: readonly LinePart[]): Expression<unknown>[] {
  const out: Expression<unknown>[] = [];
  let text = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    if (text) out.push(textLiteral(text));
    text = '';
    out.push(p);
  }
  if (text) out.push(textLiteral(text));
  return out;
}

/** concat(): both engines write a null argument as nothing. Nested past 90 arguments (PostgreSQL takes at most 100). */
function concat(parts: readonly Expression<unknown>[]): RawBuilder<string> {
  if (parts.length <= 90) return sql<string>`concat(${sql.join(parts)})`;
  const groups: Expression<unknown>[] = [];
  for (let i = 0; i < parts.length; i += 90) groups.push(concat(parts.slice(i, i + 90)));
  return concat(groups);
}

/**
 * A line's parts, the short way when the row's `tested` text values need no escape (one test of them all, each value
 * after `mark`; true on nearly every row), else each value escaped: `cells(plain)` gives the parts either way.
 */
function eitherWay(tested: readonly ExportCellSpec[], mark: string, needsEscape: (all: Expression<string>) => Expression<SqlBool>, cells: (plain: boolean) => Expression<unknown>[]): RawBuilder<string> {
  if (!tested.length) return concat(cells(false));
  const all = concat(tested.flatMap((c) => (mark ? [textLiteral(mark), v(c.key)] : [v(c.key)])));
  return sql<string>`(case when ${needsEscape(all)} then ${concat(cells(false))} else ${concat(cells(true))} end)`;
}

/** The text before and after the point, over the values' CTE `v`. */
function lineText(t: ExportTextSql, shape: ExportLineShape): { head: RawBuilder<string>; tail: RawBuilder<string> } {
  if (shape.format === 'csv') {
    const { sep, columns } = shape;
    const at = columns.findIndex((c) => c.key === 'latitude');
    if (at < 0 || columns[at + 1]?.key !== 'longitude') throw new Error('a CSV line needs latitude then longitude, side by side');
    const part = (cs: readonly ExportCellSpec[], before: string, after: string) => {
      const tested = cs.filter((c) => isText(c) && !FREE_TEXT.has(c.key));
      const cells = (plain: boolean) => [textLiteral(before), ...cs.flatMap((c, k) => (k ? [textLiteral(sep), csvCell(t, c, sep, plain)] : [csvCell(t, c, sep, plain)])), textLiteral(after)];
      // Quotes, the separator or a line break anywhere, or a would-be formula at the start of a value.
      return eitherWay(tested, MARK, (all) => sql<SqlBool>`(${t.holdsAnyOf(all, `"${sep}\r\n`)} or ${t.holdsAnyAfter(all, MARK, FORMULA_START)})`, cells);
    };
    return { head: part(columns.slice(0, at), '', sep), tail: part(columns.slice(at + 2), sep, '') };
  }
  // JSON.stringify({ type, id, geometry: { type, coordinates: [lon, lat] }, properties }) in that key order.
  const { properties } = shape;
  const cells = (plain: boolean) => joined([
    ']},"properties":{',
    ...properties.flatMap((c, k) => [`${k ? ',' : ''}${JSON.stringify(c.key)}:`, ...jsonCell(t, c, plain)]),
    '}}',
  ]);
  return {
    head: concat([textLiteral('{"type":"Feature","id":'), t.json(v('id')), textLiteral(',"geometry":{"type":"Point","coordinates":[')]),
    // A quote, a backslash or a control character anywhere needs JSON's escapes.
    // (No mark between the values: a control character is what is looked for.)
    tail: eitherWay(properties.filter(isText), '', (all) => t.holdsAnyOf(all, '"\\\u0001-\u001f'), cells),
  };
}

/**
 * A number as JavaScript's String writes it, from PostgreSQL's float8 text (the shortest that reads back the same
 * double, as JavaScript's): the two differ only below 1e-4 (PostgreSQL's exponent from 1e-5, JavaScript's from 1e-7
 * and with no leading zero in it) and for -0. PostgreSQL SQL: only its COPY paths write the point in SQL.
 */
function jsNumberText(x: Expression<unknown>): RawBuilder<string> {
  const n = sql`(${x})::float8`;
  return sql<string>`(case when ${n} is null then null when ${n} = 0 then '0' when abs(${n}) >= 1e-4 then ${n}::text when abs(${n}) >= 1e-6 then ${n}::text::numeric::text
    else replace(${n}::text, 'e-0', 'e-') end)`;
}

/**
 * The fields of a CSV line for COPY … (FORMAT csv), which quotes a field holding the separator, a quote or a line
 * break itself: what is left to SQL is csvField's apostrophe before a would-be formula (one test of each value's first
 * character), an empty text written as nothing (COPY quotes it, as its null is written as nothing), booleans, and
 * the point's numbers as JavaScript writes them.
 */
function copyCsvFields(t: ExportTextSql, columns: readonly ExportCellSpec[]): Expression<unknown>[] {
  const formula = [...FORMULA_START].map((c) => c.charCodeAt(0));
  if (formula.some((c) => c >= 48 && c !== 61 && c !== 64)) throw new Error('a formula character past the quick test of copyCsvFields');
  return columns.map((c) => {
    const x = v(c.key);
    if (c.kind === 'number') return jsNumberText(x);
    if (c.kind === 'bool') return sql<string>`(case when ${x} = 1 then 'true' when ${x} is null then null else 'false' end)`;
    if (c.kind === 'int') return x;
    const signedNumber = sql`(ascii(${x}) in (43, 45) and ${t.isUnsignedDecimal(sql`substr(${x}, 2)`)})`;
    const fixed = sql<string>`(case when ascii(${x}) in (${sql.join(formula.map((c) => sql.lit(c)))}) and not ${signedNumber} then '''' || ${x} else nullif(${x}, '') end)`;
    // Every formula character is below '0' but '=' and '@' (an empty text's ascii is 0): two comparisons let nearly every
    // value (a letter, a digit first) through as it is, and only the others take the full test.
    return sql<string>`(case when ascii(${x}) < 48 or ascii(${x}) in (61, 64) then ${fixed} else ${x} end)`;
  });
}

/** Pages read ahead of the one being written: one per SQLite reader thread (PostgreSQL: per connection). */
const AHEAD = 2;

/**
 * Every incident the reader may see that matches the filter, newest first, as export lines, a page at a time: the same
 * windows, visibility rule, coarsening and filters as iterateVisibleIncidents. `auditedFrom`: the level from which the
 * row's id is read (an export's audit names its classified records). The next pages are read while one is written
 * (at most AHEAD of them: memory stays that of a few pages); when the export stops, no further page is read.
 */
export async function* iterateExportLines(
  engine: Engine,
  principal: Principal,
  filter: IncidentFilter,
  shape: ExportLineShape,
  auditedFrom: number,
  windowSize?: number,
): AsyncGenerator<LinePage> {
  const db = engine.db;
  const copy = shape.format === 'csv' ? engine.copyCsv : undefined;
  const selected = values(engine, principal, shape.lang);
  const { head, tail } = lineText(engine.text, shape);
  const read = (w: ExportWindow) => {
    const { from: window, order } = windowFrom(engine, principal, filter, w);
    const from = window
      // The names, in the export's language (a code whose area is retired, or unknown, has none).
      .leftJoin('admin_areas as a1', (j) => j.onRef('a1.code', '=', 'incidents.admin1_code').on('a1.retired_on', 'is', null))
      .leftJoin('admin_areas as a2', (j) => j.onRef('a2.code', '=', 'incidents.admin2_code').on('a2.retired_on', 'is', null))
      .leftJoin('actors as c1', 'c1.code', 'incidents.actor1')
      .leftJoin('actors as c2', 'c2.code', 'incidents.actor2') as unknown as IncidentsFrom;
    // The values once per row (below), then the text over them: a value the line names several times (tested,
    // then written) is computed once.
    const inner = applyIncidentFilter(engine, principal, from.select([...selected, sql`${order[0]}`.as('w_start'), sql`${order[1]}`.as('w_id')]), filter, w.plan);
    // The window's rows in the list's order, with `columns` over the values `v`. PostgreSQL: `v` is a subquery sorted
    // in that order and kept whole (OFFSET 0: not merged into the select above, so each value is computed once); the
    // planner sees that its rows come in the order asked for and sorts them once, before the lines' text is written,
    // where a materialized CTE is stored, read back and sorted again (its order is not known above it): a fifth less of
    // the server's time per window. SQLite: the values CTE, materialized, its rows in the window's order already.
    const ordered = (columns: AliasedRawBuilder<unknown, string>[]) => (engine.kind === 'postgres'
      ? db.selectFrom(inner.orderBy(sql`w_start`, 'desc').orderBy(sql`w_id`, 'desc').offset(0).as('v'))
      : db.with((wb) => wb('v').materialized(), () => inner).selectFrom('v' as never))
      .select(columns)
      .orderBy(sql`v.w_start`, 'desc').orderBy(sql`v.w_id`, 'desc');
    const levelAndId = [sql`v.classification_level`.as('level'), sql`(case when v.classification_level >= ${sql.lit(auditedFrom)} then v.id end)`.as('audited')];
    let lines: Promise<LinePage>;
    if (shape.format === 'csv' && copy) {
      lines = copy(ordered([...levelAndId, ...copyCsvFields(engine.text, shape.columns).map((f, k) => sql`${f}`.as(`f${k}`))]), shape.sep);
    } else if (engine.copyLines) {
      // The whole line in SQL, the point as JavaScript writes it, each line read back from COPY's text.
      const { first, sep, missing } = shape.layout.point;
      const coordinate = (axis: 'latitude' | 'longitude') => sql`coalesce(${jsNumberText(v(axis))}, ${textLiteral(missing)})`;
      const line = concat([head, coordinate(first), textLiteral(sep), coordinate(first === 'latitude' ? 'longitude' : 'latitude'), tail]);
      lines = engine.copyLines(ordered([...levelAndId, line.as('line')]), shape.layout);
    } else {
      const page = ordered([...levelAndId, head.as('head'), sql`v.latitude`.as('latitude'), sql`v.longitude`.as('longitude'), tail.as('tail')]);
      lines = engine.readLines ? engine.readLines(page, shape.layout) : engine.readArrays(page).then((rows) => layLines(rows as LineRow[], shape.layout));
    }
    // A page read ahead and never awaited (the export stopped) must not be an unhandled rejection.
    lines.catch(() => undefined);
    return lines;
  };
  const ahead: Promise<LinePage>[] = [];
  // A COPY costs a statement's planning and round trips whatever its size: larger windows (a few MB of text each).
  for await (const w of exportWindows(engine, principal, filter, windowSize ?? (copy || engine.copyLines ? 5000 : 2000))) {
    ahead.push(read(w));
    if (ahead.length <= AHEAD) continue;
    const page = await (ahead.shift() as Promise<LinePage>);
    if (page.count) yield page;
  }
  for (const next of ahead) {
    const page = await next;
    if (page.count) yield page;
  }
}
