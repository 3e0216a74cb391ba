/**
 * Who sees what, as a property: random records (state, classification, sharing scope, status, reporter, location
 * protection), random edits and reclassifications through the services, and every reader of a fixed set; a pure
 * oracle written here, independently of repositories/visibility.ts, says what each reader may see. No read path —
 * list, search, bbox, detail, history, aggregates, grid, H3, duplicates, an alert's evidence and counts, a computed
 * strategy indicator — may reveal a record, a version, an exact location or a figure that the oracle denies, and
 * figures must equal the oracle's exactly.
 *
 * Each run writes its records in its own quarter (runs never see each other's records through a date filter).
 * Runs are few (VIGIE_FC_RUNS, default 12) and the seed is printed on failure; replay with VIGIE_FC_SEED.
 */
import fc from 'fast-check';
import { CLASSIFICATIONS, roleCan, type Classification, type Role, type SharingScope } from '@vigie/domain';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, POINTS, testVigie, type TestVigie } from '../../test-support/factories.js';
import { aggregateGrid, aggregateH3, aggregateIncidents } from '../aggregate.service.js';
import { alertEvidence, getAlert, raiseFlashAlert } from '../alerts/alert.service.js';
import { findDuplicates } from './duplicate.service.js';
import { createIncident, patchIncident } from './incident.service.js';
import { getIncident, incidentHistory, listIncidents } from './incident-reads.js';
import { rejectIncident, submitIncident, validateIncident } from './incident-workflow.js';
import { SYSTEM, type Principal } from '../principal.js';
import { strategyProgress } from '../strategy/strategy.progress.service.js';
import { addAxis, addIndicator, addObjective, createStrategy } from '../strategy/strategy.service.js';

// ------------------------------------------------------------------ the oracle (pure; the rule as PRODUCT.md states it)

type Status = 'draft' | 'submitted' | 'validated' | 'rejected';
/** What decides visibility, as one version of a record had it. */
interface Shape { state: string; classification: number; scope: SharingScope; status: Status; reporterId: string | null; protection: number | null }

/** May this reader see a record (or a version) of this shape? */
function oracleSees(r: Principal, s: Shape): boolean {
  if (s.classification > r.clearance) return false;
  const ownState = s.state === r.organisation;
  const reporter = s.reporterId !== null && s.reporterId === r.userId;
  if (s.status === 'draft') return reporter;
  if (s.status === 'submitted' || s.status === 'rejected') return ownState && (reporter || r.role === 'analyst' || r.role === 'focal_point');
  return ownState || s.scope === 'confederation' || s.scope === 'public';
}
/** Does this reader see the exact location, or only the coarse one? */
const oracleExact = (r: Principal, s: Shape) => s.protection === null || s.protection <= r.clearance;

// ------------------------------------------------------------------ scenarios

const STATES = ['MLI', 'BFA', 'NER'] as const;
const arbRecord = fc.record({
  state: fc.constantFrom(...STATES),
  classification: fc.integer({ min: 0, max: 3 }),
  scope: fc.constantFrom<SharingScope>('national', 'confederation', 'public'),
  status: fc.constantFrom<Status>('draft', 'submitted', 'validated', 'rejected'),
  byReporter: fc.boolean(),
  protection: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  day: fc.integer({ min: 1, max: 20 }),
  fatalities: fc.integer({ min: 0, max: 9 }),
  jitter: fc.integer({ min: 0, max: 50 }),
});
const arbEdit = fc.record({
  record: fc.nat(),
  op: fc.constantFrom('classify', 'scope', 'protect', 'move', 'submit', 'validate', 'reject'),
  value: fc.nat(),
});
const arbScenario = fc.record({ records: fc.array(arbRecord, { minLength: 2, maxLength: 7 }), edits: fc.array(arbEdit, { maxLength: 8 }) });

interface Model { id: string; exactLat: number; fatalities: number; versions: Shape[] }
const current = (m: Model) => m.versions[m.versions.length - 1] as Shape;

describe.each(ENGINES)('who sees what, as a property, on %s', (kind) => {
  let t: TestVigie;
  let readers: Principal[];
  const reporters: Record<string, Principal> = {};
  let strategyId: string;
  let run = 0;

  beforeAll(async () => {
    t = await testVigie(kind);
    for (const s of STATES) reporters[s] = await newUser(t.ctx, { org: s, role: 'reporter', clearance: 3 });
    const more: { org: string; role: Role; clearance: number }[] = [
      { org: 'MLI', role: 'reporter', clearance: 1 }, { org: 'MLI', role: 'analyst', clearance: 1 }, { org: 'MLI', role: 'analyst', clearance: 3 },
      { org: 'BFA', role: 'focal_point', clearance: 2 }, { org: 'NER', role: 'analyst', clearance: 0 }, { org: 'NER', role: 'focal_point', clearance: 3 },
      { org: 'CONF', role: 'confederation_analyst', clearance: 1 }, { org: 'CONF', role: 'confederation_analyst', clearance: 3 },
      { org: 'CONF', role: 'decision_maker', clearance: 2 }, { org: 'BFA', role: 'decision_maker', clearance: 3 },
    ];
    readers = [...Object.values(reporters)];
    for (const m of more) readers.push(await newUser(t.ctx, m));
    // A public strategy with a computed indicator: incidents per quarter, for every reader to open.
    const s = await createStrategy(t.ctx, SYSTEM, { code: 'SC-PROP', title_fr: 'Propriété', title_en: 'Property', valid_from: '2001-01-01', valid_to: '2006-12-31', classification: 'public' });
    const axis = await addAxis(t.ctx, SYSTEM, s.id, { code: 'A1', name_fr: 'Axe', name_en: 'Axis' });
    const objective = await addObjective(t.ctx, SYSTEM, axis.id, { code: 'O1', name_fr: 'Objectif', name_en: 'Objective' });
    await addIndicator(t.ctx, SYSTEM, objective.id, { code: 'I1', name_fr: 'Incidents', name_en: 'Incidents', unit: 'count', direction: 'decrease', frequency: 'quarter', source: 'computed', definition: { measure: 'incidents' } });
    strategyId = s.id;
  }, 120_000);
  afterAll(async () => t?.drop());

  /** Builds a scenario through the services; returns the model the oracle reads. */
  async function build(scenario: typeof arbScenario extends fc.Arbitrary<infer S> ? S : never, quarterStart: Date): Promise<Model[]> {
    const models: Model[] = [];
    for (const r of scenario.records) {
      const base = POINTS[r.state] ?? POINTS.MLI;
      // Off the 0.5° PRIO-GRID centres (x.25, x.75), which a coarsened point may be.
      const latitude = Number((base.latitude + 0.001 * (r.jitter + 1) + 0.00037).toFixed(5));
      const reporterId = r.byReporter ? (reporters[r.state]?.userId ?? null) : null;
      const when = new Date(quarterStart.getTime() + (r.day - 1) * 86_400_000 + 8 * 3_600_000).toISOString();
      const body = newIncident({
        state: r.state, latitude, occurred_start: when, classification: CLASSIFICATIONS[r.classification] as Classification,
        sharing_scope: r.scope, status: r.status === 'draft' ? 'draft' : 'submitted', fatalities_best: r.fatalities, civilian_fatalities: 0,
        narrative: `Attaque signalée près du marché, propriete${run}.`, place_name: `Lieu-propriete-${run}-${models.length}`,
        ...(r.protection !== null ? { exact_location_classification: CLASSIFICATIONS[r.protection] as Classification } : {}),
      });
      await createIncident(t.ctx, SYSTEM, body, { reportingState: r.state, status: r.status, reporterId });
      models.push({ id: body.id, exactLat: latitude, fatalities: r.fatalities, versions: [{ state: r.state, classification: r.classification, scope: r.scope, status: r.status, reporterId, protection: r.protection }] });
    }
    for (const e of scenario.edits) {
      const m = models[e.record % models.length] as Model;
      const now = current(m);
      const version = m.versions.length;
      let next: Shape | null = null;
      if (e.op === 'classify') {
        const c = e.value % 4;
        if (c === now.classification) continue;
        await patchIncident(t.ctx, SYSTEM, m.id, { version, classification: CLASSIFICATIONS[c], change_reason: 'reclassement' });
        next = { ...now, classification: c };
      } else if (e.op === 'scope') {
        const scope = (['national', 'confederation', 'public'] as const)[e.value % 3] as SharingScope;
        if (scope === now.scope) continue;
        await patchIncident(t.ctx, SYSTEM, m.id, { version, sharing_scope: scope, change_reason: 'diffusion' });
        next = { ...now, scope };
      } else if (e.op === 'protect') {
        const p = e.value % 5 === 4 ? null : e.value % 5;
        if (p === now.protection) continue;
        await patchIncident(t.ctx, SYSTEM, m.id, { version, exact_location_classification: p === null ? null : CLASSIFICATIONS[p], change_reason: 'protection' });
        next = { ...now, protection: p };
      } else if (e.op === 'move') {
        const lat = Number((m.exactLat + 0.0007).toFixed(5));
        await patchIncident(t.ctx, SYSTEM, m.id, { version, latitude: lat, change_reason: 'position corrigée' });
        m.exactLat = lat;
        next = { ...now };
      } else {
        const from: Record<string, Status> = { submit: 'draft', validate: 'submitted', reject: 'submitted' };
        if (now.status !== from[e.op]) continue;
        if (e.op === 'submit') await submitIncident(t.ctx, SYSTEM, m.id, { version });
        if (e.op === 'validate') await validateIncident(t.ctx, SYSTEM, m.id, { version });
        if (e.op === 'reject') await rejectIncident(t.ctx, SYSTEM, m.id, { reason: 'non confirmé', version });
        next = { ...now, status: e.op === 'submit' ? 'submitted' : e.op === 'validate' ? 'validated' : 'rejected' };
      }
      m.versions.push(next);
    }
    return models;
  }

  /** Every read path, for one reader; returns the complaints. */
  async function complaints(r: Principal, models: Model[], window: { from: string; to: string }, period: string, alert: { id: string; evidence: Model[] } | null, paths: 'history' | 'current'): Promise<string[]> {
    const out: string[] = [];
    const who = `${r.role}/${r.organisation}/${r.clearance}`;
    const can = (p: Parameters<typeof roleCan>[1]) => roleCan(r.role, p);
    const seen = models.filter((m) => oracleSees(r, current(m)));
    const seenIds = new Set(seen.map((m) => m.id));
    const mine = new Set(models.map((m) => m.id));
    const sameSet = (label: string, ids: string[], want: Set<string>) => {
      const got = new Set(ids.filter((id) => mine.has(id)));
      const extra = [...got].filter((id) => !want.has(id));
      const missing = [...want].filter((id) => !got.has(id));
      if (extra.length || missing.length) out.push(`${who} ${label}: ${extra.length} records it may not see, ${missing.length} visible records missing`);
    };

    if (paths === 'history') {
      if (!can('incident.read')) return out;
      for (const m of models) {
        const s = current(m);
        // History: each version as that version was (item 1); a hidden current record may answer 404.
        const history = await incidentHistory(t.ctx, r, m.id).catch((e: { code?: string }) => (e.code === 'not_found' ? null : Promise.reject(e)));
        if (history === null) {
          if (oracleSees(r, s)) out.push(`${who} history of a visible record ${m.id} is not found`);
          continue;
        }
        // A record hidden now may still show the versions the reader could see then: each version is judged alone.
        m.versions.forEach((v, n) => {
          const entry = history.find((h) => h.version === n + 1) as (Record<string, unknown> & { snapshot?: { latitude: number; place_name: string | null } }) | undefined;
          if (!entry) return out.push(`${who} history of ${m.id}: version ${n + 1} missing`);
          if (!oracleSees(r, v)) {
            if (entry.accessible !== false || 'snapshot' in entry) out.push(`${who} history of ${m.id}: version ${n + 1} shown, oracle says hidden`);
          } else if (!oracleExact(r, v) && entry.snapshot && (entry.snapshot.latitude === m.exactLat || entry.snapshot.place_name)) {
            out.push(`${who} history of ${m.id}: exact location in version ${n + 1}`);
          }
        });
      }
      return out;
    }

    if (can('incident.read')) {
      const list = await listIncidents(t.ctx, r, { ...window, limit: 500 });
      sameSet('list', list.items.map((i) => i.id), seenIds);
      for (const i of list.items) {
        const m = models.find((x) => x.id === i.id);
        if (m && !oracleExact(r, current(m)) && (i.latitude === m.exactLat || i.place_name)) out.push(`${who} list: exact location of ${m.id}`);
      }
      sameSet('search', (await listIncidents(t.ctx, r, { ...window, q: `propriete${run}`, limit: 500 })).items.map((i) => i.id), seenIds);
      sameSet('bbox', (await listIncidents(t.ctx, r, { ...window, bbox: '-6,10,4,16', limit: 500 })).items.map((i) => i.id), seenIds);
      for (const m of models) {
        const s = current(m);
        const got = await getIncident(t.ctx, r, m.id).catch((e: { code?: string }) => (e.code === 'not_found' ? null : Promise.reject(e)));
        if (!!got !== oracleSees(r, s)) out.push(`${who} detail of ${m.id}: ${got ? 'shown' : 'hidden'}, oracle says ${oracleSees(r, s) ? 'visible' : 'hidden'}`);
        if (got && !oracleExact(r, s) && (got.latitude === m.exactLat || got.place_name)) out.push(`${who} detail: exact location of ${m.id}`);
      }
      for (const m of seen) {
        const dups = await findDuplicates(t.ctx, r, m.id);
        const leaked = dups.filter((d) => mine.has(d.incident.id) && !seenIds.has(d.incident.id)).length;
        if (leaked) out.push(`${who} duplicates of ${m.id}: ${leaked} records it may not see`);
      }
    }

    if (can('aggregate.read')) {
      const counted = seen.filter((m) => current(m).status === 'validated');
      const want = { incidents: counted.length, fatalities: counted.reduce((n, m) => n + m.fatalities, 0) };
      const agg = await aggregateIncidents(t.ctx, r, { ...window });
      if (agg.totals.incidents !== want.incidents || agg.totals.fatalities !== want.fatalities) out.push(`${who} aggregates: ${agg.totals.incidents}/${agg.totals.fatalities}, oracle ${want.incidents}/${want.fatalities}`);
      const grid = (await aggregateGrid(t.ctx, r, { ...window })).items.reduce((n, c) => n + c.incidents, 0);
      if (grid !== want.incidents) out.push(`${who} grid: ${grid}, oracle ${want.incidents}`);
      const h3 = (await aggregateH3(t.ctx, r, { ...window })).items.reduce((n, c) => n + c.incidents, 0);
      if (h3 !== want.incidents) out.push(`${who} h3: ${h3}, oracle ${want.incidents}`);
    }

    if (can('strategy.read')) {
      const progress = await strategyProgress(t.ctx, r, strategyId, period);
      const cells = progress.axes[0]?.objectives[0]?.indicators[0]?.cells ?? [];
      for (const c of cells) {
        const want = seen.filter((m) => current(m).status === 'validated' && (c.state === null || current(m).state === c.state)).length;
        if ((c.value ?? 0) !== want) out.push(`${who} computed indicator ${c.state ?? 'all'} ${period}: ${c.value}, oracle ${want}`);
      }
    }

    if (alert && can('alert.read')) {
      const a = await getAlert(t.ctx, r, alert.id).catch((e: { code?: string }) => (e.code === 'not_found' ? null : Promise.reject(e)));
      if (a) {
        const want = alert.evidence.filter((m) => seenIds.has(m.id));
        if (a.evidence_count !== want.length) out.push(`${who} alert evidence_count ${a.evidence_count}, oracle ${want.length}`);
        if (can('incident.read')) {
          const ev = await alertEvidence(t.ctx, r, alert.id);
          sameSet('alert evidence', ev.map((e) => e.id), new Set(want.map((m) => m.id)));
          for (const e of ev) {
            const m = models.find((x) => x.id === e.id);
            if (m && !oracleExact(r, current(m)) && e.latitude === m.exactLat) out.push(`${who} alert evidence: exact location of ${m.id}`);
          }
        }
      }
    }
    return out;
  }

  async function property(paths: 'history' | 'current'): Promise<void> {
    const numRuns = Math.min(Number(process.env.VIGIE_FC_RUNS ?? 12), 12);
    const seed = process.env.VIGIE_FC_SEED ? Number(process.env.VIGIE_FC_SEED) : Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(arbScenario, async (scenario) => {
        run++;
        // One quarter per run, from 2001-Q1 on (the strategy is valid 2001–2006: 24 quarters, 12 runs per property).
        const q = (run - 1) % 24;
        const year = 2001 + Math.floor(q / 4);
        const month = (q % 4) * 3;
        const start = new Date(Date.UTC(year, month, 1));
        const end = new Date(Date.UTC(year, month + 1, 0));
        const window = { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
        const period = `${year}-Q${(q % 4) + 1}`;
        const models = await build(scenario, start);
        const validated = models.filter((m) => current(m).status === 'validated');
        let alert: { id: string; evidence: Model[] } | null = null;
        if (validated.length && paths === 'current') {
          const areas = [...new Set(await Promise.all(validated.map(async (m) => (await getIncident(t.ctx, SYSTEM, m.id)).admin1_code as string)))];
          const a = await raiseFlashAlert(t.ctx, SYSTEM, { title: `Alerte ${run}`, areas, incident_ids: validated.map((m) => m.id), classification: 'public' });
          alert = { id: a.id, evidence: validated };
        }
        const found: string[] = [];
        for (const r of readers) found.push(...(await complaints(r, models, window, period, alert, paths)));
        if (found.length) throw new Error(`${found.length} reads reveal what the oracle denies:\n${found.slice(0, 25).join('\n')}`);
      }),
      { numRuns, seed, endOnFailure: true },
    ).catch((e: Error) => {
      const cause = (e as { cause?: unknown }).cause;
      throw new Error(`${cause instanceof Error ? cause.message : ''}\n${e.message.split('\n').slice(0, 3).join('\n')}\nreplay: VIGIE_FC_SEED=${seed}`);
    });
  }

  it('no read of current records (list, search, bbox, detail, duplicates, aggregates, grid, H3, computed indicator, alert evidence and counts) reveals what the oracle denies', async () => {
    await property('current');
  }, 600_000);

  it('history shows each version only to those who could see that version (its classification, scope, status, location protection)', async () => {
    await property('history');
  }, 600_000);
});
