/**
 * Following the change log from zero (GET /api/v1/changes' service, 1,000 entries a page, as an analyst of MLI cleared
 * for confidential: every record resolved through the visibility rule, tombstone checks, audited classified reads,
 * JSON of each page) vs the bare driver's keyset scan of the same incident rows (`where seq > ? order by seq limit
 * 1000`, JSON of each page), on every engine. N records, configurable up to 1,000,000 (`--size`). See bench/README.md.
 */
import { sql } from 'kysely';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { readChanges } from '../apps/server/src/services/exchange/changes.service.js';
import { loadReferenceConfig } from '../apps/server/src/services/geography/reference.service.js';
import { newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import { benchArgs } from './lib/args.js';
import { bareLoad } from './lib/bare-load.js';
import { BareRows } from './lib/bare-rows.js';
import { bareDriver, benchEngines, type Bare } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, settle } from './lib/stats.js';
import { SyntheticIncidents } from './lib/synthetic.js';

const GOALS: Record<string, Goal> = { 'follow/rows_per_s': { kind: 'min', ratio: 0.5 } };
const PAGE = 1000;
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

/** The baseline: the next page of incident rows in key order, straight from the driver; returns the last seq (or null at the end). */
function bareScanner(bare: Bare): (after: number) => Promise<{ rows: number; last: number | null }> {
  const text = 'select * from incidents where seq > $1 order by seq limit 1000';
  const stmt = bare.kind === 'sqlite' ? bare.raw.prepare(text.replace('$1', '?')) : null;
  return async (after) => {
    const page = (stmt ? stmt.all(after) : bare.kind === 'postgres' ? (await bare.pool.query(text, [after])).rows : []) as { seq: number }[];
    JSON.stringify(page);
    return { rows: page.length, last: page.length ? Number(page.at(-1)?.seq) : null };
  };
}

async function benchEngine(kind: EngineKind, size: number, synth: SyntheticIncidents): Promise<Figure[]> {
  const t = await testVigie(kind);
  try {
    const bare = bareDriver(t.engine);
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents with the bare driver, then their change-log entries`);
    const rows = await BareRows.prepare(t.engine, t.ctx.reference, synth);
    await bareLoad(bare, (i, at) => rows.values(i, at), size, { chunk: 50_000 });
    // One 'create' entry per record, as the migration enters records that predate the log.
    await sql`insert into change_log (entity_type, entity_id, op, changed_at) select 'incident', id, 'create', created_at from incidents order by seq`.execute(t.engine.db);
    if (bare.kind === 'postgres') await bare.pool.query('analyze');
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'analyste.suivi' });

    // The two sides page in turn (Vigie, bare, Vigie, bare…), each page timed on its own: on a shared machine both
    // meet the same load. Each side is warmed on a first page.
    const scan = bareScanner(bare);
    await readChanges(t.ctx, reader, { since: 0, limit: PAGE });
    await scan(0);
    settle();
    let followMs = 0;
    let scanMs = 0;
    let since = 0;
    let after: number | null = 0;
    let done = false;
    let scanned = 0;
    let records = 0;
    let tombstones = 0;
    while (!done || after !== null) {
      if (!done) {
        const t0 = now();
        const page = await readChanges(t.ctx, reader, { since, limit: PAGE });
        JSON.stringify(page);
        followMs += now() - t0;
        records += page.items.filter((i) => !i.deleted).length;
        tombstones += page.items.filter((i) => i.deleted).length;
        since = page.next_since;
        done = page.caught_up;
      }
      if (after !== null) {
        const t0 = now();
        const got = await scan(after);
        scanMs += now() - t0;
        scanned += got.rows;
        after = got.last;
      }
    }
    if (scanned !== size) throw new Error(`bare scan read ${scanned} rows, expected ${size}`);
    log(`${kind}: followed ${size} entries (${records} records, ${tombstones} tombstones) in ${(followMs / 1000).toFixed(1)} s; bare scan ${(scanMs / 1000).toFixed(1)} s`);
    const common = { engine: kind, size };
    return [
      figure({ ...common, workload: 'follow', metric: 'rows_per_s', vigie: size / (followMs / 1000), baseline: size / (scanMs / 1000), unit: 'rows/s' }),
      figure({ ...common, workload: 'follow', metric: 'total_s', vigie: followMs / 1000, baseline: scanMs / 1000, unit: 's' }),
    ];
  } finally {
    await t.drop();
  }
}

const args = benchArgs();
const synth = await SyntheticIncidents.create(loadReferenceConfig());
const figures: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const f = await benchEngine(kind, args.size, synth);
  recordFigures(f);
  figures.push(...f);
}
printTable(`changes — following the change log from 0 over ${args.size.toLocaleString('en-US')} incidents (ratio = vigie / baseline)`, figures, GOALS);
