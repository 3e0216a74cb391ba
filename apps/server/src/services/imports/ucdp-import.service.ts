/**
 * Imports UCDP GED events as validated incidents (mapping in docs/ucdp-mapping.md).
 *
 * Two streaming passes over the file: the first checks that it is a UCDP GED CSV whose quoting holds from the
 * first line to the last and validates every row, so a file that is not UCDP, or is cut or broken half-way, is
 * refused before anything is written; the second writes the valid rows, one transaction per batch. Each event
 * gets a UUID derived from its UCDP id, so a re-import finds the same record: unchanged ones are left alone,
 * changed ones are updated through the normal edit path (history and audit included), nothing is duplicated.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { foldText, type IncidentCreate } from '@vigie/domain';
import { v5 as uuidv5 } from 'uuid';
import { Problem } from '../../lib/problem.js';
import { countExternalByState } from '../../repositories/external-incident.repository.js';
import { listActors, listAdminAreas } from '../../repositories/reference.repository.js';
import type { Ctx } from '../context.js';
import { countryTable, readUcdpCsv, type UcdpEvent } from '../forecast/ucdp-csv.js';
import { writeExternalBatch } from './external-import.js';
import { requirePermission, type Principal } from '../principal.js';

/** Namespace of the UUIDs derived from UCDP ids (UUIDv5 of the GED address). */
const UCDP_NAMESPACE = uuidv5('https://ucdp.uu.se/ged/', uuidv5.URL);

/** The incident id of a UCDP event: the same on every import, on every node. */
export const ucdpIncidentId = (ucdpId: number | string): string => uuidv5(`ucdp-ged:${ucdpId}`, UCDP_NAMESPACE);

/** Every column of a GED 24.x CSV; anything else is reported as unknown (and ignored). */
export const UCDP_KNOWN_COLUMNS = [
  'id', 'relid', 'year', 'active_year', 'code_status', 'type_of_violence', 'conflict_dset_id', 'conflict_new_id',
  'conflict_name', 'dyad_dset_id', 'dyad_new_id', 'dyad_name', 'side_a_dset_id', 'side_a_new_id', 'side_a',
  'side_b_dset_id', 'side_b_new_id', 'side_b', 'number_of_sources', 'source_article', 'source_office', 'source_date',
  'source_headline', 'source_original', 'where_prec', 'where_coordinates', 'where_description', 'adm_1', 'adm_2',
  'latitude', 'longitude', 'geom_wkt', 'priogrid_gid', 'country', 'country_id', 'region', 'event_clarity', 'date_prec',
  'date_start', 'date_end', 'deaths_a', 'deaths_b', 'deaths_civilians', 'deaths_unknown', 'best_est', 'high_est',
  'low_est', 'best', 'high', 'low', 'gwnoa', 'gwnob',
];

/** A row that was not imported, for the report file. */
export interface UcdpRejection {
  line: number;
  id: string;
  field: string;
  reason: string;
}

/** An event placed by polygon in another admin-1 area than the one UCDP names. */
export interface UcdpAdminDisagreement {
  line: number;
  id: string;
  /** UCDP's adm_1, as written. */
  ucdp_adm1: string;
  /** The admin-1 area UCDP's name matches. */
  named_admin1: string;
  /** The admin-1 area holding the coordinates. */
  placed_admin1: string | null;
  placement_method: string;
}

export interface UcdpImportResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: UcdpRejection[];
  /** Header columns Vigie does not know (ignored). */
  unknownColumns: string[];
  /** Events whose adm_1 is empty or unknown (every event is placed by its coordinates; these have nothing to compare). */
  placedByPoint: number;
  /** Events whose own adm_1 names another admin-1 area than the polygon holding their coordinates (docs/geography.md). */
  adminDisagreements: UcdpAdminDisagreement[];
  byState: Record<string, number>;
}

export interface UcdpImportOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

// UCDP side names → actor codes of the default reference data. Governments are resolved from the configuration
// (the state forces actor of the member state named), so no alliance is hard-wired here.
const SIDE_ACTORS: Record<string, string> = {
  jnim: 'JNIM',
  'is': 'EIGS',
  'is sahel': 'EIGS',
  'islamic state': 'EIGS',
  'islamic state in the greater sahara': 'EIGS',
  iswap: 'ISWAP',
  jas: 'JAS',
  civilians: 'CIVILS',
  'dan na ambassagou': 'DAN-NA-AMBASSAGOU',
  koglweogo: 'KOGLWEOGO',
};
/** Communal and ethnic militias named by UCDP after a community. */
const COMMUNAL = new Set(['dozos (mali)', 'fulani', 'dogon', 'tuareg', 'arab', 'kounta', 'djerma (zherma)', 'toubou', 'zaghawa', 'daoussak (tuareg)', 'banibangou vigilance committee']);

interface Lookups {
  countries: ReturnType<typeof countryTable>;
  /** state → folded admin-1 name → code */
  admin1: Map<string, Map<string, string>>;
  actors: Set<string>;
  /** folded country name → state forces actor code */
  governments: Map<string, string>;
}

async function lookups(ctx: Ctx): Promise<Lookups> {
  const db = ctx.engine.db;
  const areas = await listAdminAreas(db, { level: 1 });
  const admin1 = new Map<string, Map<string, string>>();
  for (const a of areas) {
    const byName = admin1.get(a.state) ?? new Map<string, string>();
    for (const n of [a.name_fr, a.name_en]) byName.set(foldText(n), a.code);
    admin1.set(a.state, byName);
  }
  const actors = await listActors(db);
  const governments = new Map<string, string>();
  for (const s of ctx.reference.states) {
    const forces = actors.find((a) => a.kind === 1 && a.state === s.code);
    if (forces) for (const n of [s.name_en, s.name_fr]) governments.set(foldText(n), forces.code);
  }
  const states = ctx.reference.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] }));
  return { countries: countryTable(states), admin1, actors: new Set(actors.map((a) => a.code)), governments };
}

/** The actor code for one UCDP side: known names, governments, communities; anything else the unidentified armed group. */
function sideActor(l: Lookups, side: string, e: UcdpEvent): string | null {
  const name = foldText(side);
  const gov = /^government of (.+)$/.exec(name);
  let code: string | undefined;
  if (gov?.[1]) code = l.governments.get(gov[1]) ?? 'FORCES-EXT';
  else if (name === 'is' && e.adm1 !== null && foldText(e.adm1) === 'diffa') code = 'ISWAP'; // IS in Lake Chad is ISWAP
  else code = SIDE_ACTORS[name] ?? (COMMUNAL.has(name) ? 'MIL-COMM' : 'GAN');
  if (l.actors.has(code)) return code;
  return l.actors.has('GAN') ? 'GAN' : null;
}

const SUB_TYPES = {
  1: { event_type: 'battles', sub_event_type: 'armed_clash' },
  2: { event_type: 'battles', sub_event_type: 'armed_clash' },
  3: { event_type: 'violence_against_civilians', sub_event_type: 'attack' },
} as const;

/** UCDP where_prec 1–6 → Vigie geo precision 1–5. */
export function geoPrecision(wherePrec: number): 1 | 2 | 3 | 4 | 5 {
  if (wherePrec <= 3) return wherePrec as 1 | 2 | 3;
  if (wherePrec <= 5) return 4; // admin-1, or a road/border/larger area: no better than the region
  return 5;
}

/** UCDP date_prec 1–5 → Vigie time precision 1–3. */
export function timePrecision(datePrec: number): 1 | 2 | 3 {
  if (datePrec === 1) return 1;
  if (datePrec <= 3) return 2;
  return 3; // month or year: Vigie's coarsest
}

/** `"Outlet,YYYY-MM-DD,Headline";"…"` → outlets and headlines; older free-form citations are kept whole. */
export function splitSources(article: string): { office: string; headline: string }[] {
  const items = article.split(/"\s*;\s*"/).map((s) => s.replace(/^"+|"+$/g, '').trim()).filter(Boolean);
  return items.map((item) => {
    const m = /^(.*?),(\d{4}-\d{2}-\d{2}),(.*)$/s.exec(item);
    return m ? { office: (m[1] ?? '').trim(), headline: (m[3] ?? '').trim() } : { office: item, headline: '' };
  });
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Maps one UCDP event to the body of an incident (see docs/ucdp-mapping.md). */
function toIncident(l: Lookups, e: UcdpEvent): { body: IncidentCreate; placedByPoint: boolean; namedAdmin1: string | undefined } {
  // Areas come from the coordinates (polygon placement); UCDP's own adm_1 is only compared, never copied.
  const admin1 = e.adm1 === null ? undefined : l.admin1.get(e.state)?.get(foldText(e.adm1));
  const sources = splitSources(e.sourceArticle);
  const offices = [...new Set(sources.map((s) => clip(s.office, 200)).filter(Boolean))].slice(0, 10);
  const headlines = [...new Set(sources.map((s) => s.headline).filter((h) => h && !/^#\w+\s*:?$/.test(h)))];
  const narrative = [
    e.whereDescription,
    ...headlines,
    `UCDP GED ${e.relid} — ${e.dyadName}${e.sideB === 'Civilians' ? '' : ` (${e.sideA} / ${e.sideB})`}.`,
    e.sourceOriginal ? `Source originale : ${e.sourceOriginal}.` : '',
  ].filter(Boolean).join('\n');
  const best = e.best;
  const body: IncidentCreate = {
    id: ucdpIncidentId(e.id),
    status: 'submitted',
    occurred_start: e.dateStart,
    occurred_end: e.dateEnd === e.dateStart ? null : e.dateEnd,
    time_precision: timePrecision(e.datePrec),
    latitude: e.latitude,
    longitude: e.longitude,
    geo_precision: geoPrecision(e.wherePrec),
    place_name: e.whereCoordinates ? clip(e.whereCoordinates, 200) : null,
    ...SUB_TYPES[e.typeOfViolence],
    tags: ['ucdp', `ucdp-tov-${e.typeOfViolence}`],
    narrative: clip(narrative, 20_000),
    actor1: sideActor(l, e.sideA, e),
    actor2: sideActor(l, e.sideB, e),
    fatalities_best: best,
    // UCDP's own low/high sometimes straddle best (40 rows of the shared extract): bound them so low ≤ best ≤ high.
    fatalities_low: Math.min(e.low, best),
    fatalities_high: Math.max(e.high, best),
    civilian_fatalities: Math.min(e.deathsCivilians, best),
    sources: (offices.length ? offices : ['UCDP GED']).map((name) => ({
      name, kind: name.startsWith('@') ? 'social_media' : 'media', reliability: 'B', credibility: 2,
    })),
    classification: 'public',
    sharing_scope: 'confederation',
  };
  return { body, placedByPoint: !admin1, namedAdmin1: admin1 };
}

/** The first record of the file, or a clear refusal when it is not CSV with a UCDP header. */
async function readHeader(file: string): Promise<string[]> {
  const input = fs.createReadStream(file, { end: 64 * 1024 });
  const parser = parse({ bom: true, to_line: 1, relax_column_count: true, relax_quotes: true });
  input.once('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record.map((c) => c.trim());
  } catch (e) {
    throw notUcdp(file, `lecture impossible : ${(e as Error).message}`);
  } finally {
    input.destroy();
  }
  throw notUcdp(file, 'fichier vide');
}

const notUcdp = (file: string, why: string) =>
  new Problem('validation_failed', `${file} n'est pas un fichier UCDP GED (CSV) : ${why}`, [{ field: 'file', message: why }]);

/** Validates the whole file without writing: structure first, then every row. */
async function checkFile(file: string, l: Lookups): Promise<{ rows: number; rejected: UcdpRejection[]; unknownColumns: string[] }> {
  if (!fs.existsSync(file)) throw new Problem('validation_failed', `fichier introuvable : ${file}`, [{ field: 'file', message: 'fichier introuvable' }]);
  const header = await readHeader(file);
  const unknownColumns = header.filter((c) => c !== '' && !UCDP_KNOWN_COLUMNS.includes(c));
  const rejected: UcdpRejection[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  try {
    for await (const row of readUcdpCsv(file, l.countries)) {
      rows++;
      if (!row.ok) {
        rejected.push({ line: row.line, id: '', field: row.field, reason: row.reason });
        continue;
      }
      const id = String(row.event.id);
      const first = seen.get(id);
      if (first !== undefined) rejected.push({ line: row.line, id, field: 'id', reason: `id ${id} already appears on line ${first}` });
      else seen.set(id, row.line);
    }
  } catch (e) {
    const message = (e as Error).message;
    if (message.startsWith('Not a UCDP GED file')) throw notUcdp(file, message.replace('Not a UCDP GED file: ', ''));
    throw new Problem('validation_failed', `${file} : CSV mal formé, rien n'a été importé (${message})`, [{ field: 'file', message }]);
  }
  if (rows === 0) throw notUcdp(file, 'aucune ligne de données');
  return { rows, rejected, unknownColumns };
}

interface Pending {
  line: number;
  ucdpId: string;
  state: string;
  body: IncidentCreate;
}

/** One report line per rejected row, naming every bad field. */
function rejection(p: Pending, errors: { field: string; message: string }[]): UcdpRejection {
  const fields = [...new Set(errors.map((e) => e.field))];
  const reasons = [...new Set(errors.map((e) => e.message))];
  return { line: p.line, id: p.ucdpId, field: fields.join(';'), reason: reasons.join('; ') };
}

/** Writes one batch (services/imports/external-import.ts), reporting rejections with the row's line and id. */
const writeBatch = (ctx: Ctx, principal: Principal, batch: Pending[], result: UcdpImportResult) =>
  writeExternalBatch(ctx, principal, 'ucdp', batch.map((p) => ({ line: p.line, externalId: p.ucdpId, state: p.state, incident: p.body, pending: p })), result,
    (r, errors) => result.rejected.push(rejection((r as unknown as { pending: Pending }).pending, errors)));

/**
 * Imports a UCDP GED CSV file as validated, confederation-shared public incidents (local operator only).
 * Refuses a file that is not UCDP or whose CSV is broken before writing anything; reports every rejected row.
 */
export async function importUcdpFile(ctx: Ctx, principal: Principal, file: string, options: UcdpImportOptions = {}): Promise<UcdpImportResult> {
  requirePermission(principal, 'incident.create');
  if (principal.kind !== 'system') throw new Problem('forbidden', "l'import UCDP est réservé à l'opérateur local (commande vigie)");
  const l = await lookups(ctx);
  const check = await checkFile(file, l);
  const result: UcdpImportResult = {
    rows: check.rows, created: 0, updated: 0, unchanged: 0, rejected: [...check.rejected], unknownColumns: check.unknownColumns,
    placedByPoint: 0, adminDisagreements: [], byState: {},
  };
  await ctx.gazetteer.ready();
  const badLines = new Set(check.rejected.map((r) => r.line));
  const size = options.batchSize ?? 2000;
  let batch: Pending[] = [];
  let done = 0;
  const flush = async () => {
    if (!batch.length) return;
    await writeBatch(ctx, principal, batch, result);
    done += batch.length;
    options.onProgress?.(done, check.rows);
    batch = [];
  };
  for await (const row of readUcdpCsv(file, l.countries)) {
    if (!row.ok || badLines.has(row.line)) {
      done++;
      continue;
    }
    const { body, placedByPoint, namedAdmin1 } = toIncident(l, row.event);
    if (placedByPoint) result.placedByPoint++;
    if (namedAdmin1) {
      const placed = ctx.gazetteer.placeLoaded(body.latitude, body.longitude);
      if (placed.admin1 !== namedAdmin1) {
        result.adminDisagreements.push({
          line: row.line, id: String(row.event.id), ucdp_adm1: row.event.adm1 ?? '', named_admin1: namedAdmin1, placed_admin1: placed.admin1, placement_method: placed.method,
        });
      }
    }
    batch.push({ line: row.line, ucdpId: String(row.event.id), state: row.event.state, body });
    if (batch.length >= size) await flush();
  }
  await flush();
  options.onProgress?.(check.rows, check.rows);
  result.byState = await countExternalByState(ctx.engine.db, 'ucdp');
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}

/** The rejection report as CSV: line, id, field, reason. */
export function rejectionReportCsv(rejected: readonly UcdpRejection[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return ['line,id,field,reason', ...rejected.map((r) => [r.line, r.id, r.field, r.reason].map(cell).join(','))].join('\n') + '\n';
}

/** The admin-1 disagreements as CSV: line, id, ucdp_adm1, named_admin1, placed_admin1, placement_method. */
export function adminDisagreementCsv(rows: readonly UcdpAdminDisagreement[]): string {
  const cell = (v: string | number | null) => {
    const s = String(v ?? '');
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) => [r.line, r.id, r.ucdp_adm1, r.named_admin1, r.placed_admin1, r.placement_method].map(cell).join(','));
  return ['line,id,ucdp_adm1,named_admin1,placed_admin1,placement_method', ...lines].join('\n') + '\n';
}
