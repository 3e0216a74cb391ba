/**
 * Imports an ACLED CSV export as validated incidents (mapping in exchange/acled.ts, docs/acled-mapping.md).
 *
 * As the UCDP import: a first streaming pass checks that the file is an ACLED export whose CSV holds from the first
 * line to the last and reads every row, so a file that is not ACLED, or is broken half-way, is refused before
 * anything is written; the second pass writes the valid rows, a transaction per batch. The incident id derives from
 * event_id_cnty, so a re-import finds the same record: unchanged ones are left alone, changed ones updated through
 * the edit path (history, audit), nothing duplicated. Placement is by polygon from the coordinates.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { foldText } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { countExternalByState } from '../../repositories/external-incident.repository.js';
import { listActors, listAdminAreas } from '../../repositories/reference.repository.js';
import { ACLED_COLUMNS, ACLED_REQUIRED_COLUMNS, fromAcledRow, type AcledReference } from '../../exchange/acled.js';
import type { Ctx } from '../context.js';
import { writeExternalBatch } from './external-import.js';
import { requirePermission, type Principal } from '../principal.js';

/** A row that was not imported: its line in the file (1 = header), ACLED id, field and reason. */
export interface AcledRejection {
  line: number;
  id: string;
  field: string;
  reason: string;
}

/** An actor name Vigie's actor list does not hold: how often, first line, and the actor that stood in. */
export interface AcledUnknownActor {
  name: string;
  rows: number;
  first_line: number;
  mapped_to: string;
}

/** An event placed by polygon in another admin-1 area than the one ACLED's own `admin1` names (docs/geography.md). */
export interface AcledAdminDisagreement {
  line: number;
  id: string;
  /** ACLED's admin1, as written. */
  acled_admin1: string;
  /** The admin-1 area ACLED's name matches. */
  named_admin1: string;
  /** The admin-1 area holding the coordinates. */
  placed_admin1: string | null;
  placement_method: string;
}

export interface AcledImportResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: AcledRejection[];
  unknownColumns: string[];
  unknownActors: AcledUnknownActor[];
  /** Events whose own admin1 names another admin-1 area than the polygon holding their coordinates (placed by the polygon). */
  adminDisagreements: AcledAdminDisagreement[];
  byState: Record<string, number>;
}

export interface AcledImportOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The reference the mapping reads, from the deployment's configuration and actor list. */
export async function acledReference(ctx: Ctx): Promise<AcledReference> {
  const [actors, areas] = await Promise.all([listActors(ctx.engine.db), listAdminAreas(ctx.engine.db)]);
  return {
    states: ctx.reference.states,
    actors: actors.map((a) => ({ code: a.code, name: a.name, kind: Number(a.kind), state: a.state ?? null })),
    areaNames: new Map(areas.map((a) => [a.code, a.name_en || a.name_fr])),
  };
}

const notAcled = (file: string, why: string) =>
  new Problem('validation_failed', `${file} n'est pas un export ACLED (CSV) : ${why}`, [{ field: 'file', message: why }]);

/** Every record of the file with its line number; the header first. Throws on broken CSV. */
async function* records(file: string): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, comment: '#', comment_no_infix: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { line: r.info.lines, cells: r.record };
}

/** The first record of the file (its first 64 KiB are enough), or a clear refusal when it cannot be read as CSV. */
async function readHeader(file: string): Promise<string[]> {
  const input = fs.createReadStream(file, { end: 64 * 1024 });
  // A leading `#` line (the classification banner of Vigie's own ACLED export) is skipped.
  const parser = parse({ bom: true, comment: '#', comment_no_infix: true, to: 1, relax_column_count: true, relax_quotes: true });
  input.once('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record.map((c) => c.trim());
  } catch (e) {
    throw notAcled(file, `lecture impossible : ${(e as Error).message}`);
  } finally {
    input.destroy();
  }
  return [];
}

interface Row {
  line: number;
  values: Record<string, string> | null;
}

/** The file's rows as column → value, after checking the header; a short or long row has `values` null. */
async function* rows(file: string, header: { columns: string[] }): AsyncGenerator<Row> {
  let first = true;
  for await (const r of records(file)) {
    if (first) {
      first = false;
      continue;
    }
    if (r.cells.length !== header.columns.length) {
      yield { line: r.line, values: null };
      continue;
    }
    yield { line: r.line, values: Object.fromEntries(header.columns.map((c, i) => [c, r.cells[i] ?? ''])) };
  }
}

/** Validates the whole file without writing: header, CSV structure, every row's mapping, duplicate ids. */
async function checkFile(file: string, ref: AcledReference) {
  if (!fs.existsSync(file)) throw new Problem('validation_failed', `fichier introuvable : ${file}`, [{ field: 'file', message: 'fichier introuvable' }]);
  const columns = await readHeader(file);
  if (!columns.length) throw notAcled(file, 'fichier vide');
  const missing = ACLED_REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw notAcled(file, `colonnes manquantes : ${missing.join(', ')}`);
  const header = { columns };
  const rejected: AcledRejection[] = [];
  const seen = new Map<string, number>();
  let count = 0;
  try {
    for await (const row of rows(file, header)) {
      count++;
      if (!row.values) {
        rejected.push({ line: row.line, id: '', field: '(row)', reason: `la ligne n'a pas ${columns.length} colonnes` });
        continue;
      }
      const reading = fromAcledRow(row.values, ref);
      if (!reading.ok) {
        rejected.push({ line: row.line, id: reading.eventId, field: reading.field, reason: reading.reason });
        continue;
      }
      const first = seen.get(reading.eventId);
      if (first !== undefined) rejected.push({ line: row.line, id: reading.eventId, field: 'event_id_cnty', reason: `${reading.eventId} figure déjà ligne ${first}` });
      else seen.set(reading.eventId, row.line);
    }
  } catch (e) {
    const message = (e as Error).message;
    throw new Problem('validation_failed', `${file} : CSV mal formé, rien n'a été importé (${message})`, [{ field: 'file', message }]);
  }
  if (count === 0) throw notAcled(file, 'aucune ligne de données');
  const unknownColumns = columns.filter((c) => c !== '' && !(ACLED_COLUMNS as readonly string[]).includes(c));
  return { header, rows: count, rejected, unknownColumns };
}

interface Pending {
  line: number;
  eventId: string;
  state: string;
  body: ReturnType<typeof fromAcledRow> & { ok: true };
}

const rejection = (p: Pending, errors: { field: string; message: string }[]): AcledRejection => ({
  line: p.line, id: p.eventId, field: [...new Set(errors.map((e) => e.field))].join(';'), reason: [...new Set(errors.map((e) => e.message))].join('; '),
});

/** Writes one batch (services/imports/external-import.ts), reporting rejections with the row's line and id. */
const writeBatch = (ctx: Ctx, principal: Principal, batch: Pending[], result: AcledImportResult) =>
  writeExternalBatch(ctx, principal, 'acled', batch.map((p) => ({ line: p.line, externalId: p.eventId, state: p.state, incident: p.body.incident, pending: p })), result,
    (r, errors) => result.rejected.push(rejection((r as unknown as { pending: Pending }).pending, errors)));

/**
 * Imports an ACLED CSV export as validated incidents shared within the confederation, restricted (ACLED's data may
 * not be redistributed). Local operator only. Refuses a file that is not ACLED or whose CSV is broken before writing
 * anything; reports every rejected row and every actor name the actor list does not know.
 */
export async function importAcledFile(ctx: Ctx, principal: Principal, file: string, options: AcledImportOptions = {}): Promise<AcledImportResult> {
  requirePermission(principal, 'incident.create');
  if (principal.kind !== 'system') throw new Problem('forbidden', "l'import ACLED est réservé à l'opérateur local (commande vigie)");
  const ref = await acledReference(ctx);
  const check = await checkFile(file, ref);
  const result: AcledImportResult = {
    rows: check.rows, created: 0, updated: 0, unchanged: 0, rejected: [...check.rejected], unknownColumns: check.unknownColumns, unknownActors: [], adminDisagreements: [], byState: {},
  };
  // ACLED's own admin-1 names, to report where they disagree with the polygon (placement is by the coordinates).
  const admin1Named = new Map<string, Map<string, string>>();
  for (const a of await listAdminAreas(ctx.engine.db, { level: 1 })) {
    const byName = admin1Named.get(a.state) ?? new Map<string, string>();
    for (const n of [a.name_fr, a.name_en]) byName.set(foldText(n), a.code);
    admin1Named.set(a.state, byName);
  }
  await ctx.gazetteer.ready();
  const badLines = new Set(check.rejected.map((r) => r.line));
  const unknown = new Map<string, AcledUnknownActor>();
  const size = options.batchSize ?? 2000;
  let batch: Pending[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length) await writeBatch(ctx, principal, batch, result);
    done += batch.length;
    options.onProgress?.(done, check.rows);
    batch = [];
  };
  for await (const row of rows(file, check.header)) {
    if (!row.values || badLines.has(row.line)) {
      done++;
      continue;
    }
    const reading = fromAcledRow(row.values, ref);
    if (!reading.ok) continue;
    for (const a of reading.unknownActors) {
      const u = unknown.get(a.name) ?? { name: a.name, rows: 0, first_line: row.line, mapped_to: a.code };
      u.rows++;
      unknown.set(a.name, u);
    }
    const named = row.values.admin1 ? admin1Named.get(reading.state)?.get(foldText(row.values.admin1)) : undefined;
    if (named) {
      const placed = ctx.gazetteer.placeLoaded(reading.incident.latitude, reading.incident.longitude);
      if (placed.admin1 !== named) {
        result.adminDisagreements.push({ line: row.line, id: reading.eventId, acled_admin1: row.values.admin1 ?? '', named_admin1: named, placed_admin1: placed.admin1, placement_method: placed.method });
      }
    }
    batch.push({ line: row.line, eventId: reading.eventId, state: reading.state, body: reading });
    if (batch.length >= size) await flush();
  }
  await flush();
  options.onProgress?.(check.rows, check.rows);
  result.unknownActors = [...unknown.values()].sort((a, b) => b.rows - a.rows);
  result.byState = await countExternalByState(ctx.engine.db, 'acled');
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}
