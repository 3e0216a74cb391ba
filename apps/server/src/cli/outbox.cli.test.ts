import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { runVigie } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';

describe.each(ENGINES)('vigie import outbox on %s', (kind) => {
  let t: TestVigie;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-outbox-cli-'));
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the exported reports in their author\'s name, once; a report the device had already sent is not duplicated', async () => {
    const reporter = await newUser(t.ctx, { org: 'NER', role: 'reporter', login: 'rapporteur.poste-isole' });
    const [a, b, c] = [1, 2, 3].map((n) => newIncident({ state: 'NER', narrative: `Exporté ${n}` }));
    const bad = { ...newIncident({ state: 'NER', narrative: 'Hors zone' }), latitude: 14.7, longitude: -17.44 };
    await createIncident(t.ctx, reporter, { ...c, status: 'submitted' }); // the device did get a link once, for this one
    const file = path.join(dir, 'file-attente.json');
    const items = [a, b, { ...c, status: 'submitted' }, bad].map((p) => ({ id: p.id, payload: { status: 'submitted', ...p }, state: 'queued', created_at: '2026-12-01T08:00:00.000Z' }));
    fs.writeFileSync(file, JSON.stringify({ format: 'vigie-outbox', version: 1, exported_at: '2026-12-01T09:00:00.000Z', user: { id: reporter.userId, login: reporter.login }, items }));

    const res = await runVigie(t.url, ['import', 'outbox', file]);
    expect(res.stdout, res.stderr).toContain('4 signalements lus (rapporteur.poste-isole) : 2 créés, 1 déjà reçus, 1 refusés');
    expect(res.stdout).toContain(`${bad.id} — location_outside_states`);
    expect(res.code).toBe(1);
    const again = await runVigie(t.url, ['import', 'outbox', file]);
    expect(again.stdout).toContain('0 créés, 3 déjà reçus, 1 refusés');
    const rows = await t.ctx.engine.db.selectFrom('incidents').select(['id', 'reporter_id', 'status']).where('narrative', 'like', 'Exporté%').execute();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.reporter_id))).toEqual(new Set([reporter.userId]));
  }, 180_000);
});
