/**
 * Early warning in seconds: the time from a validation request to the alert event on a live stream, with 50 writers
 * validating at once, on every engine. The real server listens on a port; a Malian focal point holds the live stream
 * (GET /api/v1/alerts/stream, server-sent events) open; 50 writers POST /api/v1/incidents/:id/validate on reports of
 * Mopti this week, each one after the other. After commit the rules are evaluated incrementally (the watcher `serve`
 * starts): the spike is issued, then its figures re-computed as more reports are validated.
 *
 * Before the clock starts, reports are validated in small groups (untimed; ten at a time up to 160,000 incidents, a
 * fortieth of the set-aside reports above) until the spike reaches the focal point's stream: until then a validation moves no alert the reader may see (their audience's figures are under the threshold),
 * and there is no event to wait for. The time from the request of the group that brought it to that first event is
 * reported on its own (first_event_s).
 *
 * Latency of a validation: from its request to the first stream event whose observed count includes it (an upper bound:
 * the count the event must reach is the number of validations answered when its own answer came). Baseline: the
 * validation request alone (its own round trip, p50 and p95), measured in the same run; and the 5 s goal.
 *
 * The cost of one incremental change (`evaluateChanges` on one record's cell) against the full run (`runAlertRules`)
 * over the same data, both measured in the same run.
 *
 *   node --conditions=vigie-source --import tsx bench/alerts-live.bench.ts [--engine sqlite|postgres] [--size N]
 *
 * Size: `--size`, else VIGIE_BENCH_ALERTS_LIVE_SIZE (1000000 for the figure), else 50,000.
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { rebuildRollups } from '../apps/server/src/db/rollups.js';
import { buildApp } from '../apps/server/src/http/app.js';
import { evaluateChanges, runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { validateIncident } from '../apps/server/src/services/incidents/incident-workflow.js';
import { watchIncidentChanges } from '../apps/server/src/services/alerts/alert-schedule.js';
import { rulesConfigSchema } from '../apps/server/src/services/alerts/rules-config.js';
import { weekStart } from '../apps/server/src/services/alerts/rules.js';
import { visibleTo } from '../apps/server/src/repositories/visibility.js';
import { testKeys } from '../apps/server/src/lib/server-keys.js';
import { newId } from '../apps/server/src/lib/ids.js';
import { createContext } from '../apps/server/src/services/context.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../apps/server/src/services/geography/reference.service.js';
import { freshDatabase } from '../apps/server/src/test-support/engines.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { benchArgs } from './lib/args.js';
import { BareRows, copyText, INCIDENT_COLUMNS, type BareValue } from './lib/bare-rows.js';
import { bareDriver, benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';
import { now, percentile } from './lib/stats.js';
import { SyntheticIncidents } from './lib/synthetic.js';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const GOAL_S = 5;
const WRITERS = 50;
const PER_WRITER = Number(process.env.VIGIE_BENCH_ALERTS_LIVE_PER_WRITER) || 6;
/**
 * Reports set aside to bring the spike over the reader's threshold before the clock starts: the area's usual week grows
 * with the size (at 1,000,000 Mopti has some 700 records a week), so its spike needs more (400 at 100,000 and below).
 */
const warmUpFor = (size: number) => Math.max(400, Math.ceil(size / 400));
const GOALS: Record<string, Goal> = {
  'alerts_live/validation_to_event_p95_s': { kind: 'max', ratio: 1 },
};

const col = (name: (typeof INCIDENT_COLUMNS)[number]) => INCIDENT_COLUMNS.indexOf(name);

/** A session of the real server: cookie and CSRF token. */
async function signIn(base: string, login: string, password: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status !== 200) throw new Error(`sign-in ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = ((await res.json()) as { csrf_token: string }).csrf_token;
  return { cookie, csrf };
}

/**
 * The writers' HTTP client: node:http with one kept-alive connection per writer, opened before the clock starts, as
 * fifty analysts' browsers hold theirs. (fetch in this process opening fifty connections at once under load left some
 * writers' first request waiting for all the others: a p95 of the client's connection set-up, not of the server.)
 */
function writersClient(base: string, writers: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: writers });
  const request = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}${path}`, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    request,
    /** Opens one connection per writer (a cheap authenticated read each, all at once). */
    warm: (headers: Record<string, string>) => Promise.all(Array.from({ length: writers }, () => request('GET', '/api/v1/auth/me', headers))),
    close: () => agent.destroy(),
  };
}

/** Opens the live stream and calls `onAlert` with each event's arrival time and alert. */
function openStream(base: string, cookie: string, onAlert: (at: number, alert: { rule: string; areas: string[]; statistics: { observed: number } }) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/alerts/stream`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        const at = now();
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) onAlert(at, JSON.parse(data.slice(6)));
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
  });
}

/** Loads rows straight into `incidents` (SQLite prepared statement, PostgreSQL COPY), as the other benches do. */
async function load(engine: Awaited<ReturnType<typeof freshDatabase>>['engine'], total: number, valuesOf: (i: number) => BareValue[]) {
  const bare = bareDriver(engine);
  if (bare.kind === 'sqlite') {
    // The rollups' row triggers are set aside during the load and the rollups rebuilt once after it (as a restore
    // does): a million row-by-row upserts would take longer than the measurement.
    const triggers = bare.raw.prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'incidents'`).all() as { name: string; sql: string }[];
    for (const t of triggers) bare.raw.exec(`drop trigger ${t.name}`);
    const insert = bare.raw.prepare(`insert into incidents (${INCIDENT_COLUMNS.join(', ')}) values (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`);
    for (let from = 0; from < total; from += 100_000) {
      bare.raw.transaction(() => {
        for (let i = from; i < Math.min(total, from + 100_000); i++) insert.run(valuesOf(i));
      })();
    }
    for (const t of triggers) bare.raw.exec(t.sql);
    await engine.writeTransaction((trx) => rebuildRollups(trx));
    bare.raw.exec('analyze');
  } else {
    const client = await bare.pool.connect();
    try {
      async function* lines() {
        for (let from = 0; from < total; from += 1000) {
          let text = '';
          for (let i = from; i < Math.min(total, from + 1000); i++) text += valuesOf(i).map(copyText).join('\t') + '\n';
          yield text;
        }
      }
      await client.query('begin');
      await pipeline(Readable.from(lines()), client.query(copyFrom(`copy incidents (${INCIDENT_COLUMNS.join(', ')}) from stdin`)));
      await client.query('commit');
      await client.query('analyze incidents');
    } finally {
      client.release();
    }
  }
}

async function runEngine(kind: EngineKind, size: number): Promise<Figure[]> {
  const db = await freshDatabase(kind);
  try {
    await migrateToLatest(db.engine);
    const reference = loadReferenceConfig();
    await syncReferenceData(db.engine, reference);
    const ctx = createContext(db.engine, reference, testKeys());
    const synth = await SyntheticIncidents.create(reference);
    const rows = await BareRows.prepare(db.engine, reference, synth);
    const at = new Date().toISOString();
    // The reports the writers validate: Mopti, this week (the last hours), restricted, shared, awaiting review.
    const reports = WRITERS * PER_WRITER;
    const ids: string[] = [];
    const warmUp: string[] = [];
    const warmUp_n = warmUpFor(size);
    const valuesOf = (i: number) => {
      const v = rows.values(i, at);
      if (i >= size) {
        const id = newId();
        (i - size < warmUp_n ? warmUp : ids).push(id);
        v[col('id')] = id;
        v[col('reporting_state')] = 'MLI';
        v[col('admin1_code')] = 'ML05';
        v[col('occurred_start')] = new Date(Date.now() - (i - size + 1) * 5_000).toISOString();
        v[col('occurred_end')] = null;
        v[col('status')] = 'submitted';
        v[col('classification_level')] = 1;
        v[col('exact_location_level')] = null;
        v[col('sharing_scope')] = 'confederation';
        v[col('assigned_to')] = null;
      }
      return v;
    };
    log(`${kind}: loading ${size.toLocaleString('en-US')} incidents + ${warmUp_n + reports} reports to validate`);
    await load(db.engine, size + warmUp_n + reports, valuesOf);
    const config = rulesConfigSchema.parse({});
    const focal = await newUser(ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    const analyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    await newUser(ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });

    // The full run, as the schedule does it (first run, then the median of three over the same data).
    await runAlertRules(ctx, SYSTEM, { config });
    const full: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = now();
      await runAlertRules(ctx, SYSTEM, { config });
      full.push(now() - t0);
    }
    const fullMs = percentile(full, 50);
    log(`${kind}: full run p50 ${fullMs.toFixed(0)} ms`);
    // One change's incremental run: the cell of one report (area, week) and its neighbours.
    const cell = { at: new Date().toISOString(), admin1: 'ML05', admin2: null };
    const inc: number[] = [];
    for (let k = 0; k < 9; k++) {
      const t0 = now();
      await evaluateChanges(ctx, SYSTEM, [cell], { config });
      inc.push(now() - t0);
    }
    const incMs = percentile(inc, 50);
    log(`${kind}: incremental run for one change p50 ${incMs.toFixed(0)} ms`);

    // The live path: the server on a port, the watcher `serve` starts, a focal point's stream, 50 writers.
    const app = await buildApp(ctx, {});
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const watcher = watchIncidentChanges(ctx, SYSTEM, { config });
    let close: (() => void) | undefined;
    try {
      const reader = await signIn(base, focal.login, focal.password);
      const writer = await signIn(base, analyst.login, analyst.password);
      const events: { at: number; observed: number }[] = [];
      close = await openStream(base, reader.cookie, (t, alert) => {
        if (alert.areas.length === 1 && alert.areas[0] === 'ML05' && alert.rule === 'count_spike') events.push({ at: t, observed: alert.statistics.observed });
      });
      // Untimed: a fortieth of the warm-up's reports at a time (ten at most sizes) until the reader's stream shows the spike.
      let firstEvent = NaN;
      const step = Math.max(10, Math.ceil(warmUp.length / 40));
      for (let k = 0; k < warmUp.length && !events.length; k += step) {
        const start = now();
        await Promise.all(warmUp.slice(k, k + step).map((id) => validateIncident(ctx, analyst, id, {})));
        await watcher.idle();
        for (let w = 0; w < 50 && !events.length; w++) await new Promise((r) => setTimeout(r, 20));
        if (events.length) firstEvent = (events[0] as { at: number }).at - start;
        if (!events.length && (k / step) % 10 === 9) log(`${kind}: ${k + step} reports validated, no alert on the stream yet`);
      }
      if (!events.length) throw new Error(`the spike never reached the reader's stream after ${warmUp.length} validations`);
      log(`${kind}: the spike reached the reader's stream ${firstEvent.toFixed(0)} ms after the request of the ${step} validations that brought it`);
      // What the reader's figures count before the writers start: the validated records of Mopti this week they may read.
      const before = (await db.engine.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where(visibleTo(focal))
        .where('status', '=', 'validated').where('admin1_code', '=', 'ML05').where('occurred_start', '>=', weekStart(at)).executeTakeFirstOrThrow()).n;
      let answered = 0;
      const done: { start: number; answer: number; needs: number }[] = [];
      const queue = [...ids];
      const client = writersClient(base, WRITERS);
      const headers = { cookie: writer.cookie, 'x-csrf-token': writer.csrf };
      await client.warm(headers);
      const t0 = now();
      await Promise.all(Array.from({ length: WRITERS }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const start = now();
          const status = await client.request('POST', `/api/v1/incidents/${id}/validate`, { ...headers, 'content-type': 'application/json' }, '{}');
          if (status !== 200) throw new Error(`validate ${status}`);
          answered++;
          done.push({ start, answer: now(), needs: Number(before) + answered });
        }
      }));
      const wall = now() - t0;
      client.close();
      await watcher.idle();
      // The last event may still be on its way through the socket (up to a minute on a loaded machine).
      for (let k = 0; k < 600 && !events.some((e) => e.observed >= Number(before) + reports); k++) await new Promise((r) => setTimeout(r, 100));
      close();
      close = undefined;
      const latencies: number[] = [];
      let missing = 0;
      for (const d of done) {
        const e = events.find((x) => x.observed >= d.needs && x.at >= d.answer);
        if (e) latencies.push(e.at - d.start);
        else missing++;
      }
      if (missing) log(`${kind}: ${missing} validations never seen counted on the stream (last observed ${events.at(-1)?.observed ?? 'none'}, expected ${Number(before) + reports})`);
      if (!latencies.length) throw new Error('no alert event counted any validation');
      const requests = done.map((d) => d.answer - d.start);
      log(`${kind}: ${done.length} validations by ${WRITERS} writers in ${(wall / 1000).toFixed(1)} s; ${events.length} alert events; ` +
        `validation → event p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms; request alone p50 ${percentile(requests, 50).toFixed(0)} ms`);
      return [
        figure({ workload: 'alerts_live', engine: kind, metric: 'first_event_s', vigie: firstEvent / 1000, baseline: GOAL_S, unit: 's', size }),
        figure({ workload: 'alerts_live', engine: kind, metric: 'validation_to_event_p50_s', vigie: percentile(latencies, 50) / 1000, baseline: percentile(requests, 50) / 1000, unit: 's', size }),
        figure({ workload: 'alerts_live', engine: kind, metric: 'validation_to_event_p95_s', vigie: percentile(latencies, 95) / 1000, baseline: GOAL_S, unit: 's', size }),
        figure({ workload: 'alerts_live', engine: kind, metric: 'validation_to_event_vs_request_p95_s', vigie: percentile(latencies, 95) / 1000, baseline: percentile(requests, 95) / 1000, unit: 's', size }),
        figure({ workload: 'alerts_live', engine: kind, metric: 'change_vs_full_run_ms', vigie: incMs, baseline: fullMs, unit: 'ms', size }),
        figure({ workload: 'alerts_live', engine: kind, metric: 'alert_events_per_validation', vigie: events.length, baseline: done.length, unit: 'events', size }),
      ];
    } finally {
      watcher();
      // An open stream would keep the server from closing (Fastify waits for its connections) when a step above failed.
      close?.();
      await app.close();
    }
  } finally {
    await db.drop();
  }
}

const args = benchArgs();
const size = process.argv.includes('--size') || process.argv.some((a) => a.startsWith('--size='))
  ? args.size : Number(process.env.VIGIE_BENCH_ALERTS_LIVE_SIZE) || 50_000;
const figures: Figure[] = [];
for (const kind of benchEngines(args.engines)) figures.push(...(await runEngine(kind, size)));
printTable(`Alerts live: validation → alert event with ${WRITERS} writers (${size.toLocaleString('en-US')} incidents; baselines: the request alone, the ${GOAL_S} s goal, the full run)`, figures, GOALS);
recordFigures(figures);
