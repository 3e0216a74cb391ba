import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../services/accounts/auth.service.js';
import { listAuditEvents } from '../services/audit/audit.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { validateIncident } from '../services/incidents/incident-workflow.js';
import { SYSTEM } from '../services/principal.js';
import { runVigie } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';

describe.each(ENGINES)('vigie export on %s', (kind) => {
  let t: TestVigie;
  let dir: string;
  let mliLogin = '';
  let token = '';
  const ids = { secret: '', open: '' };

  beforeAll(async () => {
    t = await testVigie(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-export-cli-'));
    const bfa = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    const mli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    mliLogin = mli.login;
    token = (await createApiToken(t.ctx, SYSTEM, mli.login, 'export')).token;
    for (const [key, classification] of [['secret', 'secret'], ['open', 'public']] as const) {
      ids[key] = (await createIncident(t.ctx, bfa, newIncident({ state: 'BFA', classification }))).incident.id;
      await validateIncident(t.ctx, bfa, ids[key]);
    }
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the named user’s view to a file, with the list’s filters, and audits it as theirs', async () => {
    const out = path.join(dir, 'mli.csv');
    const res = await runVigie(t.url, ['export', '--format', 'csv', '--filter', 'states=BFA', '--filter', 'from=2026-01-01', '--as', mliLogin, '--delimiter', 'semicolon', '--bom', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(`1 incident exporté pour ${mliLogin}`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF# PUBLIC — export Vigie du ')).toBe(true);
    expect(text).toContain(ids.open);
    expect(text).not.toContain(ids.secret);
    expect(text.split('\r\n')[1]?.split(';').slice(0, 2)).toEqual(['Identifiant', 'Début']);
    const audit = (await listAuditEvents(t.ctx.engine, SYSTEM, { action: 'incident.export', user: mliLogin })).items;
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ format: 'csv', count: 1, filters: { states: ['BFA'], from: '2026-01-01' } });
  }, 120_000);

  it('acts as an API token’s user, and refuses to export for nobody or with a bad filter', async () => {
    const res = await runVigie(t.url, ['export', '--format', 'geojson'], { env: { VIGIE_TOKEN: token } });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout) as { features: { id: string }[]; metadata: { exported_by: string } };
    expect(doc.metadata.exported_by).toBe(mliLogin);
    expect(doc.features.map((f) => f.id)).toEqual([ids.open]);
    const nobody = await runVigie(t.url, ['export', '--format', 'csv']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('--as');
    const bad = await runVigie(t.url, ['export', '--format', 'shp', '--as', mliLogin]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/vigie: format: /);
  }, 120_000);
});
