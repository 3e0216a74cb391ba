/**
 * OpenRosa intake against the JSON API, on each engine: 1,000 submissions as ODK Collect posts them (multipart with the
 * instance XML, token in the path) next to the same 1,000 incidents as POST /api/v1/incidents (Bearer token, JSON), over
 * real HTTP on 127.0.0.1, 4 at a time. Both go through the same create path (mutate, change log, audit); the figure
 * says what the XML, the multipart parsing and the submission bookkeeping cost. Goal: OpenRosa ≥ 0.5× the JSON API.
 * The baseline here is Vigie's own JSON API, as the issue asks: the comparison is between two doors to one path.
 */
import type { AddressInfo } from 'node:net';
import type { EngineKind } from '../apps/server/src/db/engine.js';
import { buildApp } from '../apps/server/src/http/app.js';
import { createApiToken } from '../apps/server/src/services/accounts/auth.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newId, newIncident, newUser, testVigie } from '../apps/server/src/test-support/factories.js';
import { multipart, submissionXml, xmlPart } from '../apps/server/src/test-support/openrosa.js';
import { benchArgs } from './lib/args.js';
import { benchEngines } from './lib/engines.js';
import { figure, printTable, recordFigures, type Figure, type Goal } from './lib/results.js';

const CONCURRENCY = 4;
const GOALS: Record<string, Goal> = { 'openrosa-intake/reports_per_s': { kind: 'min', ratio: 0.5 } };
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

async function pool(n: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await work(next++); }));
  return (performance.now() - t0) / 1000;
}

const day = (i: number) => `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T08:30:00.000Z`;

async function benchEngine(kind: EngineKind, n: number): Promise<Figure[]> {
  const t = await testVigie(kind);
  const app = await buildApp(t.ctx, { checkResponses: false });
  try {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1, login: 'bench.odk' });
    const { token } = await createApiToken(t.ctx, SYSTEM, reporter.login, 'bench');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const lat = (i: number) => Number((14.2 + (i % 97) * 0.005).toFixed(4));

    const openrosa = async (i: number) => {
      const body = multipart([xmlPart(submissionXml({ instanceId: `uuid:${newId()}`, occurred: day(i), location: `${lat(i)} -4.19 300 5`, fatalities: i % 7, civilians: 0 }))]);
      const res = await fetch(`${base}/openrosa/key/${token}/submission`, { method: 'POST', body: body.payload, headers: { ...body.headers, 'x-openrosa-version': '1.0' } });
      if (res.status !== 201) throw new Error(`OpenRosa ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const json = async (i: number) => {
      const incident = newIncident({ occurred_start: day(i), latitude: lat(i), longitude: -4.19, fatalities_best: i % 7, civilian_fatalities: 0, sharing_scope: 'national', tags: ['odk'] });
      const res = await fetch(`${base}/api/v1/incidents`, { method: 'POST', body: JSON.stringify(incident), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      if (res.status !== 201) throw new Error(`JSON ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    // Warm both paths (JIT, statement caches), then measure each in turn.
    await pool(50, openrosa);
    await pool(50, json);
    log(`${kind}: ${n} OpenRosa submissions`);
    const o = await pool(n, openrosa);
    log(`${kind}: ${n} JSON creates`);
    const j = await pool(n, json);
    return [figure({ workload: 'openrosa-intake', engine: kind, metric: 'reports_per_s', vigie: n / o, baseline: n / j, unit: 'reports/s', size: n })];
  } finally {
    await app.close();
    await t.drop();
  }
}

const args = benchArgs();
const n = args.size >= 1_000_000 ? 1000 : args.size;
const figures: Figure[] = [];
for (const kind of benchEngines(args.engines)) {
  const f = await benchEngine(kind, n);
  recordFigures(f);
  figures.push(...f);
}
printTable(`openrosa — ${n.toLocaleString('en-US')} submissions (multipart XML, token in the path) vs the same incidents through POST /api/v1/incidents, ${CONCURRENCY} at a time`, figures, GOALS);
