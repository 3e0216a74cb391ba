/**
 * Re-placement of every incident after a boundary import, as a background job (docs/geography.md, "Boundary versions"):
 * incidents are taken in id order, a batch per transaction through mutate(); the job's cursor and progress are written
 * in the batch's own transaction, so a crash loses nothing and the job resumes after the last committed batch.
 */
import { CLASSIFICATIONS } from '@vigie/domain';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { bumpIncidentVersion, countIncidents, findJob, incidentsAfter, insertJob, listJobs, setIncidentPlacement, updateJob, type ReplacementJobRow } from '../../repositories/boundary-set.repository.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { writeVersion } from '../incidents/incident.service.js';
import { mutate, type MutationAudit } from '../mutation.js';
import { requirePermission, SYSTEM, type Principal } from '../principal.js';
import { prioGridCentre } from './geo.service.js';

export const REPLACEMENT_BATCH = 500;

/** What a client reads of a job. */
export const jobView = (j: ReplacementJobRow) => ({
  id: j.id, reason: j.reason, status: j.status, total: j.total, done: j.done, moved: j.moved,
  percent: j.total ? Math.floor((100 * j.done) / j.total) : 100,
  started_at: j.started_at, updated_at: j.updated_at, finished_at: j.finished_at, error: j.error,
});
export type ReplacementJobView = ReturnType<typeof jobView>;

/** Creates a job over every incident (audited); run it with runReplacementJob. */
export async function startReplacementJob(ctx: Ctx, principal: Principal, reason: string): Promise<ReplacementJobView> {
  return mutate(ctx, principal, {
    permission: 'reference.manage',
    async run(trx) {
      const now = nowIso();
      const row: ReplacementJobRow = {
        id: newId(), reason, status: 'running', total: await countIncidents(trx), done: 0, moved: 0, cursor: null,
        started_by: principal.userId ?? null, started_at: now, updated_at: now, finished_at: null, error: null,
      };
      await insertJob(trx, row);
      return { result: jobView(row), audit: { action: 'gazetteer.reassign', objectType: 'replacement_job', objectId: row.id, details: { phase: 'started', reason, total: row.total } } };
    },
  });
}

/** Jobs running in this process: a second runner of the same job waits for none and returns. */
const running = new Set<string>();

export interface RunOptions {
  onProgress?: (done: number, total: number) => void;
  /** Stop after this many batches (the job stays `running`, to be resumed): for tests of an interruption. */
  maxBatches?: number;
  batchSize?: number;
  /** Where the full error of a failure goes (the server's log); users read only its first line, on the job. */
  log?: (message: string) => void;
}

/** What users read of a failure: the error's first line, never its stack (which goes to the server's log only). */
export function failureText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const line = message.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'erreur inconnue';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * Runs (or resumes) a job from its cursor to its end. Each batch: every incident placed in the set valid at its date
 * and mapped to the current set; a record whose areas change gets a version, an audit entry and a change-log entry.
 * A batch that fails rolls back alone: the job is marked `failed` with the error (audited), keeps its cursor, and an
 * administrator retries it (retryReplacementJob) from the last committed batch.
 */
export async function runReplacementJob(ctx: Ctx, principal: Principal, id: string, o: RunOptions = {}): Promise<ReplacementJobView> {
  requirePermission(principal, 'reference.manage');
  const first = await findJob(ctx.engine.db, id);
  if (!first) throw new Problem('not_found', `job ${id}`);
  if (first.status !== 'running' || running.has(id)) return jobView(first);
  running.add(id);
  try {
    await ctx.gazetteer.ready();
    for (let batches = 0; o.maxBatches === undefined || batches < o.maxBatches; batches++) {
      const job = await mutate(ctx, principal, { permission: 'reference.manage', run: (trx) => replaceBatch(ctx, principal, trx, id, o.batchSize ?? REPLACEMENT_BATCH) });
      o.onProgress?.(job.done, job.total);
      if (job.status !== 'running') return jobView(job);
    }
    return jobView((await findJob(ctx.engine.db, id))!);
  } catch (e) {
    (o.log ?? ((m: string) => console.error(m)))(`re-placement ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return await failJob(ctx, principal, id, failureText(e));
  } finally {
    running.delete(id);
  }
}

/** Records a job's failure and its audit entry, in their own transaction (the failed batch rolled back). */
async function failJob(ctx: Ctx, principal: Principal, id: string, error: string): Promise<ReplacementJobView> {
  return mutate(ctx, principal, {
    permission: 'reference.manage',
    async run(trx) {
      const job = (await findJob(trx, id))!;
      const now = nowIso();
      const next: ReplacementJobRow = { ...job, status: 'failed', error, updated_at: now, finished_at: now };
      await updateJob(trx, id, { status: 'failed', error, updated_at: now, finished_at: now });
      return { result: jobView(next), audit: { action: 'gazetteer.reassign', objectType: 'replacement_job', objectId: id, details: { phase: 'failed', error, done: job.done, total: job.total } } };
    },
  });
}

/**
 * An administrator's retry of a failed job (or of one left `running` by a stopped process): it is marked running again
 * (audited) and resumes from its cursor — nothing already re-placed is done twice. Refused for a finished job or one
 * this process is running now. Run it afterwards with runReplacementJob.
 */
export async function retryReplacementJob(ctx: Ctx, principal: Principal, id: string): Promise<ReplacementJobView> {
  return mutate(ctx, principal, {
    permission: 'reference.manage',
    async run(trx) {
      const job = await findJob(trx, id);
      if (!job) throw new Problem('not_found', `job ${id}`, [{ field: 'id', message: 'tâche inconnue' }]);
      if (job.status === 'done') throw new Problem('invalid_transition', `la tâche ${id} est terminée : rien à reprendre`);
      if (running.has(id)) throw new Problem('invalid_transition', `la tâche ${id} est en cours`);
      const now = nowIso();
      const next: ReplacementJobRow = { ...job, status: 'running', error: null, updated_at: now, finished_at: null };
      await updateJob(trx, id, { status: 'running', error: null, updated_at: now, finished_at: null });
      return {
        result: jobView(next),
        audit: { action: 'gazetteer.reassign', objectType: 'replacement_job', objectId: id, details: { phase: 'retried', previous_status: job.status, previous_error: job.error, done: job.done, total: job.total } },
      };
    },
  });
}

/** Whether this process is running the job now. */
export const isRunningHere = (id: string) => running.has(id);

type Trx = Parameters<Parameters<typeof mutate>[2]['run']>[0];

async function replaceBatch(ctx: Ctx, principal: Principal, trx: Trx, id: string, size: number) {
  const job = (await findJob(trx, id))!;
  const rows = await incidentsAfter(trx, job.cursor, size);
  const placed: MutationAudit[] = [];
  for (const r of rows) {
    const p = await ctx.gazetteer.placeAt(r.latitude, r.longitude, r.occurred_start, trx, r.geo_precision);
    if (!p.current.state) continue;
    const c = p.current;
    const areasChanged = c.admin1 !== r.admin1_code || c.admin2 !== r.admin2_code;
    const frameChanged = p.placed.set !== r.placed_boundary_set || p.placed.admin1 !== r.placed_admin1_code || p.placed.admin2 !== r.placed_admin2_code;
    if (!areasChanged && !frameChanged && c.method === r.placement_method) continue;
    const coarse = (c.admin2 && (await ctx.gazetteer.centroid(c.admin2, trx))) || prioGridCentre(r.latitude, r.longitude);
    await setIncidentPlacement(trx, r.id, {
      placement_method: c.method, placed_boundary_set: p.placed.set, placed_admin1_code: p.placed.admin1, placed_admin2_code: p.placed.admin2,
      ...(areasChanged ? { admin1_code: c.admin1, admin2_code: c.admin2, coarse_latitude: coarse.lat, coarse_longitude: coarse.lon } : {}),
    });
    if (!areasChanged) continue;
    // A re-placement is a change of the record like any other: a new version in its history, an audit entry.
    await bumpIncidentVersion(trx, r.id, nowIso());
    const rec = await writeVersion(trx, principal, r.id, 'place', 'gazetteer', ['admin1_code', 'admin2_code']);
    placed.push({
      action: 'incident.place', objectType: 'incident', objectId: r.id,
      before: { admin1_code: r.admin1_code, admin2_code: r.admin2_code },
      after: { admin1_code: c.admin1, admin2_code: c.admin2, placed_boundary_set: p.placed.set, placed_admin1_code: p.placed.admin1, placed_admin2_code: p.placed.admin2 },
      classificationLevel: CLASSIFICATIONS.indexOf(rec.classification), sharingScope: rec.sharing_scope, ownerState: rec.reporting_state,
    });
  }
  const finished = rows.length < size;
  const now = nowIso();
  const next: ReplacementJobRow = {
    ...job, cursor: rows.at(-1)?.id ?? job.cursor, done: Math.min(job.total, job.done + rows.length), moved: job.moved + placed.length, updated_at: now,
    ...(finished ? { status: 'done' as const, finished_at: now, done: job.total, error: null } : {}),
  };
  await updateJob(trx, id, next);
  const audit: MutationAudit[] = finished
    ? [...placed, { action: 'gazetteer.reassign', objectType: 'replacement_job', objectId: id, details: { phase: 'done', moved: next.moved, total: next.total } }]
    : placed;
  return {
    result: next, audit, changes: placed.map((a) => ({ type: 'incident' as const, id: a.objectId ?? '', op: 'place' })),
    events: placed.length ? [event('incident.changed', { action: 'place', count: placed.length })] : [],
  };
}

/** A job's progress, for the API. */
export async function getReplacementJob(ctx: Ctx, principal: Principal, id: string): Promise<ReplacementJobView> {
  requirePermission(principal, 'reference.manage');
  const job = await findJob(ctx.engine.db, id);
  if (!job) throw new Problem('not_found', `job ${id}`, [{ field: 'id', message: 'tâche inconnue' }]);
  return jobView(job);
}

export async function listReplacementJobs(ctx: Ctx, principal: Principal): Promise<ReplacementJobView[]> {
  requirePermission(principal, 'reference.manage');
  return (await listJobs(ctx.engine.db)).map(jobView);
}

/** At start-up: resumes, in the background, every job a crash or a stop left running (failed ones wait for an administrator's retry). Returns when they are done. */
export async function resumeReplacementJobs(ctx: Ctx, log: (m: string) => void = () => undefined): Promise<number> {
  const jobs = await listJobs(ctx.engine.db, 'running');
  for (const j of jobs) {
    log(`re-placement ${j.id}: resumed at ${j.done}/${j.total}`);
    const done = await runReplacementJob(ctx, SYSTEM, j.id, { log }).catch((e: unknown) => log(`re-placement ${j.id}: ${(e as Error).message}`));
    if (done?.status === 'failed') log(`re-placement ${j.id}: failed (${done.error}); retry: vigie gazetteer resume ${j.id}`);
  }
  return jobs.length;
}
