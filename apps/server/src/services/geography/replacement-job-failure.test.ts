/**
 * A re-placement job whose write fails: it is recorded `failed` with the error's first line (never a stack), audited,
 * not resumed by a restart, and an administrator's retry (audited) finishes it from its last committed batch without
 * doing any record twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../lib/problem.js';
import { at } from '../../test-support/boundary-sets.js';
import { ENGINES } from '../../test-support/engines.js';
import { refuseUpdates } from '../../test-support/failing-writes.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { getReplacementJob, listReplacementJobs, resumeReplacementJobs, retryReplacementJob, runReplacementJob, startReplacementJob } from './replacement-job.service.js';

describe.each(ENGINES)('a failing re-placement job on %s', (kind) => {
  let t: TestVigie;
  let analyst: Principal;
  const ids: string[] = [];
  const areas = ['ML0504', 'ML0502', 'ML0401', 'ML0101', 'ML0601'];

  beforeAll(async () => {
    t = await testVigie(kind);
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    for (const a of areas) ids.push((await createIncident(t.ctx, analyst, newIncident({ ...at(a) }))).incident.id);
    // Areas gone wrong (as after an import): the job has every record to put back in its polygon.
    await t.ctx.engine.db.updateTable('incidents').set({ admin1_code: 'ML08', admin2_code: null }).execute();
  });
  afterAll(async () => t.drop());

  it('records the failure with its error, keeps the committed batches, and is retried by an administrator to its end', async () => {
    const job = await startReplacementJob(t.ctx, SYSTEM, 'import test');
    expect(await runReplacementJob(t.ctx, SYSTEM, job.id, { batchSize: 2, maxBatches: 1 })).toMatchObject({ status: 'running', done: 2, moved: 2 });

    const allow = await refuseUpdates(t.ctx.engine, 'incidents', 'disque plein');
    const logged: string[] = [];
    const failed = await runReplacementJob(t.ctx, SYSTEM, job.id, { batchSize: 2, log: (m) => logged.push(m) });
    expect(failed).toMatchObject({ status: 'failed', done: 2, moved: 2, total: 5 });
    expect(failed.error).toContain('disque plein');
    // Users read one line; the stack went to the server's log only.
    expect(failed.error).not.toMatch(/\n|\bat .*\.(ts|js):\d+/);
    expect(logged.join('\n')).toMatch(/at .*:\d+/);
    expect((await listReplacementJobs(t.ctx, SYSTEM)).find((j) => j.id === job.id)).toMatchObject({ status: 'failed', error: failed.error });

    // A failed job waits for an administrator: running it again or restarting the server does not resume it.
    expect(await runReplacementJob(t.ctx, SYSTEM, job.id)).toMatchObject({ status: 'failed' });
    expect(await resumeReplacementJobs(t.ctx)).toBe(0);
    await expect(retryReplacementJob(t.ctx, analyst, job.id)).rejects.toMatchObject({ code: 'forbidden' });

    await allow();
    expect(await retryReplacementJob(t.ctx, SYSTEM, job.id)).toMatchObject({ status: 'running', error: null, done: 2 });
    expect(await runReplacementJob(t.ctx, SYSTEM, job.id, { batchSize: 2 })).toMatchObject({ status: 'done', done: 5, moved: 5, error: null });
    const rows = await t.ctx.engine.db.selectFrom('incidents').select(['id', 'admin2_code']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.admin2_code]))).toEqual(Object.fromEntries(ids.map((id, i) => [id, areas[i]])));

    // Every record re-placed once (one version each, though the job failed and was retried).
    const db = t.ctx.engine.db;
    const versions = (await db.selectFrom('incident_versions').select('incident_id').where('action', '=', 'place').execute()).map((v) => v.incident_id).sort();
    expect(versions).toEqual([...ids].sort());
    // The job's life in the audit log: started, failed (with the error), retried, done.
    const phases = (await db.selectFrom('audit_events').select(['details', 'seq']).where('action', '=', 'gazetteer.reassign').where('object_id', '=', job.id).orderBy('seq').execute())
      .map((a) => JSON.parse(String(a.details)) as { phase: string; error?: string });
    expect(phases.map((p) => p.phase)).toEqual(['started', 'failed', 'retried', 'done']);
    expect(phases[1]!.error).toBe(failed.error);
  });

  it('refuses to retry a finished job or an unknown one', async () => {
    const job = await startReplacementJob(t.ctx, SYSTEM, 'nothing to do');
    expect(await runReplacementJob(t.ctx, SYSTEM, job.id)).toMatchObject({ status: 'done' });
    const err = await retryReplacementJob(t.ctx, SYSTEM, job.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).status).toBe(409);
    await expect(retryReplacementJob(t.ctx, SYSTEM, 'pas-une-tache')).rejects.toMatchObject({ code: 'not_found' });
    expect(await getReplacementJob(t.ctx, SYSTEM, job.id)).toMatchObject({ status: 'done' });
  });
});
