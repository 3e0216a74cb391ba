/**
 * `vigie gazetteer jobs` and `vigie gazetteer resume`, as an operator uses them after a re-placement job failed: the
 * list says « en échec » with the error and the command to retry; resume fails again (exit 1) while the cause lasts,
 * then finishes the job once it is fixed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runReplacementJob, startReplacementJob } from '../services/geography/replacement-job.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { runVigie } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { refuseUpdates } from '../test-support/failing-writes.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';

// Each test starts CLI processes (Node and TypeScript each time): slow on a busy two-core machine.
vi.setConfig({ testTimeout: 180_000 });

describe.each(ENGINES)('vigie gazetteer jobs and resume on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    for (let i = 0; i < 3; i++) await createIncident(t.ctx, analyst, newIncident());
    await t.ctx.engine.db.updateTable('incidents').set({ admin1_code: 'ML08', admin2_code: null }).execute();
  });
  afterAll(async () => t.drop());

  it('lists a failed job with its error, retries it while the cause lasts (exit 1), and finishes it once fixed', async () => {
    const job = await startReplacementJob(t.ctx, SYSTEM, 'import cli');
    const allow = await refuseUpdates(t.ctx.engine, 'incidents', 'espace disque insuffisant');
    await runReplacementJob(t.ctx, SYSTEM, job.id, { log: () => undefined });

    const jobs = await runVigie(t.url, ['gazetteer', 'jobs']);
    expect(jobs.stdout).toContain(`${job.id}  en échec  0/3 (0 %)  0 replacés  import cli  erreur : espace disque insuffisant — relancer : vigie gazetteer resume ${job.id}`);

    const still = await runVigie(t.url, ['gazetteer', 'resume', job.id]);
    expect(still.code).toBe(1);
    expect(still.stderr).toContain(`tâche ${job.id} : échec après 0/3 incidents (0 replacés) — espace disque insuffisant`);
    expect(still.stderr).not.toMatch(/\.(ts|js):\d+/);

    await allow();
    const fixed = await runVigie(t.url, ['gazetteer', 'retry', job.id]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`tâche ${job.id} : terminée, 3/3 incidents vus, 3 replacés`);
    expect((await runVigie(t.url, ['gazetteer', 'jobs'])).stdout).toContain(`${job.id}  terminée  3/3 (100 %)  3 replacés  import cli`);
    expect((await runVigie(t.url, ['gazetteer', 'resume'])).stdout).toContain('aucune tâche à reprendre');
  });
});
