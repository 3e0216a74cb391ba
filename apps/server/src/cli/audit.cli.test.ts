import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relinkPlain } from '../test-support/audit.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { runVigie } from '../test-support/cli.js';
import { ENGINES, freshDatabase } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';

describe.each(ENGINES)('vigie audit on %s', (kind) => {
  let t: TestVigie;
  let dir: string;
  let checkpoints: string;
  const vigie = (args: string[], url = t.url) => runVigie(url, args, { env: { VIGIE_AUDIT_CHECKPOINT_FILE: checkpoints } });

  beforeEach(async () => {
    t = await testVigie(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-audit-'));
    checkpoints = path.join(dir, 'audit-checkpoints.log');
    const analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    for (let i = 0; i < 4; i++) await createIncident(t.ctx, analyst, newIncident());
  });
  afterEach(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the first edited entry with exit code 1, also when later hashes were recomputed with the plain function', async () => {
    const ok = await vigie(['audit', 'verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/journal d'audit intègre : 5 entrées vérifiées/);

    await sql`update audit_events set details = ${'{"forged":true}'} where seq = 3`.execute(t.ctx.engine.db);
    const tampered = await vigie(['audit', 'verify']);
    expect(tampered.code, tampered.stderr).toBe(1);
    expect(tampered.stderr).toContain("l'entrée 3 : altérée");

    await relinkPlain(t.ctx.engine, 3);
    const res = await vigie(['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("l'entrée 3 : altérée");
  }, 120_000);

  it('catches the deletion of the last entries against the last checkpoint, and against a head kept with --expect', async () => {
    const cp = await vigie(['audit', 'checkpoint']);
    expect(cp.code, cp.stderr).toBe(0);
    const head = cp.stdout.trim().split('\n').at(-1) ?? '';
    expect(head).toMatch(/^5:[0-9a-f]{64}$/);
    expect(fs.statSync(checkpoints).mode & 0o777).toBe(0o600);

    await sql`delete from audit_events where seq >= 4`.execute(t.ctx.engine.db);
    const cut = await vigie(['audit', 'verify']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain("journal d'audit tronqué : la chaîne compte 3 entrées, le dernier point de contrôle");

    // Without the checkpoint file, the head the operator kept still tells.
    fs.rmSync(checkpoints);
    const expected = await vigie(['audit', 'verify', '--expect', head]);
    expect(expected.code).toBe(1);
    expect(expected.stderr).toContain('la tête attendue (--expect)');

    const bad = await vigie(['audit', 'verify', '--expect', '5:xyz']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expect');
  }, 180_000);

  it('refuses to restore a backup whose content was edited, restoring nothing', async () => {
    const file = path.join(dir, 'b.vigie.gz');
    expect((await vigie(['backup', file])).code).toBe(0);
    const target = await freshDatabase(kind);
    try {
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
      expect(text).toContain('Attaque contre le marché');
      const edited = path.join(dir, 'edited.vigie.gz');
      fs.writeFileSync(edited, zlib.gzipSync(text.replaceAll('Attaque contre le marché', 'Fête au marché')));
      const refused = await vigie(['restore', edited], target.url);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/non signée par la clé de ce serveur, ou modifiée/);
      const n = await sql<{ n: unknown }>`select count(*) as n from incidents`.execute(target.engine.db);
      expect(Number(n.rows[0]?.n)).toBe(0);

      // The untouched backup restores, and its chain verifies against the signed head it carries.
      const restored = await vigie(['restore', file], target.url);
      expect(restored.code, restored.stderr).toBe(0);
      const verify = await vigie(['audit', 'verify'], target.url);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain('conforme au dernier point de contrôle');
    } finally {
      await target.drop();
    }
  }, 180_000);
});
