/**
 * Reads UCDP Georeferenced Event Dataset (GED) CSV files.
 *
 * The file is RFC 4180 CSV whose free-text fields (`where_description`, `source_*`) hold
 * commas, doubled quotes and newlines, so it goes through csv-parse, never `split(',')`.
 * Every data row comes out either as a typed event or as a rejection naming the bad field:
 * an import must never drop a row silently.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { foldText } from '@vigie/domain';
import { admin1Key, type ForecastEvent } from './forecast.js';

/** A UCDP event, typed and validated. Names follow Vigie's vocabulary, values UCDP's codes. */
export interface UcdpEvent {
  readonly id: number;
  readonly relid: string;
  /** ISO 3166-1 alpha-3 code of the member state, looked up in the caller's country table. */
  readonly state: string;
  /** The country as UCDP wrote it. */
  readonly country: string;
  /** 1 state-based, 2 non-state, 3 one-sided violence. */
  readonly typeOfViolence: 1 | 2 | 3;
  readonly conflictName: string;
  readonly dyadName: string;
  readonly sideA: string;
  readonly sideB: string;
  /** Earliest possible start, a UTC instant (`2022-11-30T00:00:00.000Z`). */
  readonly dateStart: string;
  /** Latest possible end, a UTC instant. */
  readonly dateEnd: string;
  /** 1 exact day, 2 within 2–6 days, 3 week, 4 month, 5 year. */
  readonly datePrec: 1 | 2 | 3 | 4 | 5;
  /** 1 exact place, 2 within ~25 km, 3 admin-2, 4 admin-1, 5 linear/larger area, 6 country. */
  readonly wherePrec: 1 | 2 | 3 | 4 | 5 | 6;
  readonly whereCoordinates: string;
  readonly whereDescription: string;
  /** First-order unit without UCDP's type suffix ("Mopti region" → "Mopti"); null when UCDP gives none. */
  readonly adm1: string | null;
  /** Second-order unit as written ("Bankass cercle"); null when UCDP gives none. */
  readonly adm2: string | null;
  readonly latitude: number;
  readonly longitude: number;
  readonly priogridGid: number | null;
  /** 1 clear single event, 2 aggregate or unclear. */
  readonly eventClarity: 1 | 2;
  readonly deathsA: number;
  readonly deathsB: number;
  readonly deathsCivilians: number;
  readonly deathsUnknown: number;
  /** Fatalities, best estimate (GED `best`). */
  readonly best: number;
  readonly low: number;
  readonly high: number;
  /** Null where UCDP codes the count as unknown (-1). */
  readonly numberOfSources: number | null;
  readonly sourceOriginal: string;
  readonly sourceArticle: string;
}

/** One CSV record keyed by column name; a missing column is `undefined`. */
export type UcdpRecord = Readonly<Record<string, string | undefined>>;

export type UcdpRowResult =
  | { readonly ok: true; readonly event: UcdpEvent }
  | { readonly ok: false; readonly reason: string; readonly field: string };

/** Folded country name → ISO3 code of a member state. Build it with `countryTable`. */
export type CountryTable = ReadonlyMap<string, string>;

/** The columns the mapper reads; a file lacking one of them is refused as a whole. */
export const UCDP_REQUIRED_COLUMNS = [
  'id', 'relid', 'type_of_violence', 'conflict_name', 'dyad_name', 'side_a', 'side_b',
  'number_of_sources', 'source_article', 'source_original', 'where_prec', 'where_coordinates',
  'where_description', 'adm_1', 'adm_2', 'latitude', 'longitude', 'priogrid_gid', 'country',
  'event_clarity', 'date_prec', 'date_start', 'date_end', 'deaths_a', 'deaths_b',
  'deaths_civilians', 'deaths_unknown', 'best_est', 'high_est', 'low_est',
] as const;

/**
 * Builds the country table from the configured member states, so no alliance is hard-wired:
 * each state's names (e.g. `name_en`, `name_fr`) map to its code, matched accent- and case-blind.
 */
export function countryTable(states: ReadonlyArray<{ readonly code: string; readonly names: readonly string[] }>): CountryTable {
  const table = new Map<string, string>();
  for (const state of states) {
    for (const name of state.names) table.set(foldText(name), state.code);
  }
  return table;
}

/** A field that failed validation; thrown inside the mapper and turned into a rejection. */
class FieldProblem extends Error {
  constructor(readonly field: string, reason: string) {
    super(reason);
  }
}

function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function required(record: UcdpRecord, field: string): string {
  const value = record[field];
  if (value === undefined) throw new FieldProblem(field, `column ${field} is missing`);
  return value;
}

function text(record: UcdpRecord, field: string): string {
  return required(record, field).trim();
}

function optionalText(record: UcdpRecord, field: string): string | null {
  const value = text(record, field);
  return value === '' ? null : value;
}

function integer(record: UcdpRecord, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(record, field);
  if (!/^-?\d+$/.test(raw)) throw new FieldProblem(field, `${field} must be a whole number, got ${show(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new FieldProblem(field, `${field} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function optionalInteger(record: UcdpRecord, field: string, min: number): number | null {
  return text(record, field) === '' ? null : integer(record, field, min);
}

/** Narrows to a code list such as 1 | 2 | 3 while checking membership. */
function code<T extends number>(record: UcdpRecord, field: string, allowed: readonly T[]): T {
  const value = integer(record, field, Math.min(...allowed), Math.max(...allowed));
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new FieldProblem(field, `${field} must be one of ${allowed.join(', ')}, got ${value}`);
  return found;
}

function decimal(record: UcdpRecord, field: string, min: number, max: number): number {
  const raw = text(record, field);
  if (!/^-?\d+(\.\d+)?$/.test(raw)) throw new FieldProblem(field, `${field} must be a decimal number, got ${show(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new FieldProblem(field, `${field} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

// The shared extract writes `MM/DD/YYYY 00:00:00`; UCDP's own downloads write
// `YYYY-MM-DD 00:00:00.000`. Both are calendar dates, so both are accepted, and only at midnight:
// any other time would mean the column is not what we think it is.
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})(?: 00:00:00)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?Z?)?$/;

function date(record: UcdpRecord, field: string): string {
  const raw = text(record, field);
  const us = US_DATE.exec(raw);
  const iso = ISO_DATE.exec(raw);
  const [year, month, day] = us ? [us[3], us[1], us[2]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (year === undefined || month === undefined || day === undefined) {
    throw new FieldProblem(field, `${field} must be a date as MM/DD/YYYY 00:00:00, got ${show(raw)}`);
  }
  const instant = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Date.UTC rolls 02/30 over to March; a round trip catches dates that do not exist.
  if (instant.getUTCFullYear() !== Number(year) || instant.getUTCMonth() !== Number(month) - 1 || instant.getUTCDate() !== Number(day)) {
    throw new FieldProblem(field, `${field} is not a calendar date: ${show(raw)}`);
  }
  return instant.toISOString();
}

// UCDP suffixes the unit's type ("Mopti region", "Soum province"); the gazetteer holds bare names.
const ADMIN_SUFFIX = /\s+(region|province|department|district|state|governorate|prefecture|cercle)$/i;

/** "Mopti region" → "Mopti"; "Centre Nord region" → "Centre Nord". Accents are kept as written. */
export function stripAdminSuffix(name: string): string {
  return name.trim().replace(ADMIN_SUFFIX, '');
}

function state(record: UcdpRecord, countries: CountryTable): string {
  const country = text(record, 'country');
  const found = countries.get(foldText(country));
  if (found === undefined) throw new FieldProblem('country', `country ${show(country)} is not one of the configured member states`);
  return found;
}

function toEvent(record: UcdpRecord, countries: CountryTable): UcdpEvent {
  const adm1 = optionalText(record, 'adm_1');
  const event: UcdpEvent = {
    id: integer(record, 'id', 1),
    relid: text(record, 'relid'),
    state: state(record, countries),
    country: text(record, 'country'),
    typeOfViolence: code(record, 'type_of_violence', [1, 2, 3] as const),
    conflictName: text(record, 'conflict_name'),
    dyadName: text(record, 'dyad_name'),
    sideA: text(record, 'side_a'),
    sideB: text(record, 'side_b'),
    dateStart: date(record, 'date_start'),
    dateEnd: date(record, 'date_end'),
    datePrec: code(record, 'date_prec', [1, 2, 3, 4, 5] as const),
    wherePrec: code(record, 'where_prec', [1, 2, 3, 4, 5, 6] as const),
    whereCoordinates: text(record, 'where_coordinates'),
    whereDescription: text(record, 'where_description'),
    adm1: adm1 === null ? null : stripAdminSuffix(adm1),
    adm2: optionalText(record, 'adm_2'),
    latitude: decimal(record, 'latitude', -90, 90),
    longitude: decimal(record, 'longitude', -180, 180),
    priogridGid: optionalInteger(record, 'priogrid_gid', 1),
    eventClarity: code(record, 'event_clarity', [1, 2] as const),
    deathsA: integer(record, 'deaths_a', 0),
    deathsB: integer(record, 'deaths_b', 0),
    deathsCivilians: integer(record, 'deaths_civilians', 0),
    deathsUnknown: integer(record, 'deaths_unknown', 0),
    best: integer(record, 'best_est', 0),
    low: integer(record, 'low_est', 0),
    high: integer(record, 'high_est', 0),
    numberOfSources: sourcesCount(record),
    sourceOriginal: text(record, 'source_original'),
    sourceArticle: text(record, 'source_article'),
  };
  // low ≤ best ≤ high is NOT enforced: UCDP's own estimates break it (40 rows of the shared
  // extract), and rejecting real events would hide fatalities from every count.
  if (event.dateEnd < event.dateStart) {
    throw new FieldProblem('date_end', `date_end ${event.dateEnd.slice(0, 10)} is before date_start ${event.dateStart.slice(0, 10)}`);
  }
  return event;
}

function sourcesCount(record: UcdpRecord): number | null {
  const count = integer(record, 'number_of_sources', -1);
  return count === -1 ? null : count;
}

/**
 * Validates one UCDP record and maps it to an event, or says which field is wrong and why.
 * `countries` comes from the configured member states (see `countryTable`).
 */
export function parseUcdpRow(record: UcdpRecord, countries: CountryTable): UcdpRowResult {
  try {
    return { ok: true, event: toEvent(record, countries) };
  } catch (error) {
    if (error instanceof FieldProblem) return { ok: false, reason: error.message, field: error.field };
    throw error;
  }
}

/** A row's outcome with where it sits in the file, for the import report. */
export type UcdpFileRow = UcdpRowResult & {
  /** 1-based index of the data row (the header is not counted). */
  readonly row: number;
  /** 1-based line of the file where the row starts (rows can span lines). */
  readonly line: number;
};

interface CsvChunk {
  readonly record: string[];
  readonly info: { readonly lines: number; readonly empty_lines: number };
}

/** Header names; an unnamed column (older GED files end every line with a comma) is ignored. */
function readHeader(fields: readonly string[]): string[] {
  const header = fields.map((f) => f.trim());
  const missing = UCDP_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`Not a UCDP GED file: missing column(s) ${missing.join(', ')}`);
  return header;
}

function toRecord(header: readonly string[], fields: readonly string[]): UcdpRecord {
  const record: Record<string, string> = {};
  header.forEach((name, i) => {
    const value = fields[i];
    if (name !== '' && value !== undefined) record[name] = value;
  });
  return record;
}

/**
 * Streams a UCDP GED CSV file (path or stream), yielding every data row as an event or a
 * rejection with its row and line numbers. Memory stays flat whatever the file size.
 * Throws if the header lacks a required column or the CSV quoting itself is broken.
 */
export async function* readUcdpCsv(source: string | Readable, countries: CountryTable): AsyncGenerator<UcdpFileRow> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  // relax_column_count: a short or long row becomes a rejection below instead of aborting the file.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  // pipe() does not pass on a read error (missing file, disk fault): without this the loop would wait forever.
  input.once('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let header: string[] | null = null;
  let row = 0;
  let previous = { lines: 0, empty_lines: 0 };
  try {
    for await (const chunk of parser as AsyncIterable<CsvChunk>) {
      // info.lines is where the record ends; it starts after the previous one and any skipped blank lines.
      const line = previous.lines + 1 + (chunk.info.empty_lines - previous.empty_lines);
      previous = chunk.info;
      if (header === null) {
        header = readHeader(chunk.record);
        continue;
      }
      row += 1;
      if (chunk.record.length !== header.length) {
        yield { ok: false, field: '(row)', reason: `expected ${header.length} fields, found ${chunk.record.length}`, row, line };
        continue;
      }
      yield { ...parseUcdpRow(toRecord(header, chunk.record), countries), row, line };
    }
  } finally {
    // A consumer that stops early must not leave the file open.
    if (typeof source === 'string') input.destroy();
  }
}

/** The event as the forecast sees it; null when UCDP placed it in no admin-1 unit. */
export function toForecastEvent(event: UcdpEvent): ForecastEvent | null {
  if (event.adm1 === null) return null;
  return {
    dateStart: event.dateStart, admin1: admin1Key(event.state, event.adm1), fatalities: event.best,
    typeOfViolence: event.typeOfViolence, latitude: event.latitude, longitude: event.longitude,
  };
}

/** What a forecast run takes from a GED file, with an account of every row not used. */
export interface UcdpForecastInput {
  /** Data rows read (header excluded). */
  readonly rows: number;
  readonly events: ForecastEvent[];
  /** Rows that failed validation, with field and reason, for the run's report. */
  readonly rejected: Array<Extract<UcdpFileRow, { ok: false }>>;
  /** Valid events without `adm_1` (country-wide or cross-border places): outside the area panel. */
  readonly withoutAdmin1: number;
}

/** Reads a GED file into forecast events; nothing is dropped without being counted. */
export async function readUcdpForecastEvents(source: string | Readable, countries: CountryTable): Promise<UcdpForecastInput> {
  const events: ForecastEvent[] = [];
  const rejected: Array<Extract<UcdpFileRow, { ok: false }>> = [];
  let rows = 0;
  let withoutAdmin1 = 0;
  for await (const row of readUcdpCsv(source, countries)) {
    rows += 1;
    if (!row.ok) {
      rejected.push(row);
      continue;
    }
    const event = toForecastEvent(row.event);
    if (event === null) withoutAdmin1 += 1;
    else events.push(event);
  }
  return { rows, events, rejected, withoutAdmin1 };
}
