import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../services/incidents/incident.service.js';
import { SYSTEM } from '../services/principal.js';
import { cliEnv } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp } from '../test-support/http.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');

async function vigie(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: cliEnv(url) });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(ENGINES)('vigie sitrep on %s', (kind) => {
  let t: TestVigie;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-sitrep-cli-'));
  beforeAll(async () => {
    t = await testVigie(kind);
    for (const [state, day] of [['MLI', '2026-11-24'], ['NER', '2026-11-26'], ['NER', '2026-11-18']] as const) {
      await createIncident(t.ctx, SYSTEM, newIncident({ state, occurred_start: `${day}T10:00:00Z` }), { reportingState: state, status: 'validated' });
    }
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('writes the weekly PDF that a cleared reader downloads from the web, byte for byte; then the stored one in English HTML', { timeout: 420_000 }, async () => {
    const out = path.join(tmp, 'sitrep.pdf');
    const res = await vigie(t.url, ['sitrep', '--week', '2026-W48', '--audience', 'CONF', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/rapport de situation généré \S+ écrit/);
    const pdf = fs.readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const row = await t.ctx.engine.db.selectFrom('situation_reports').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'week', period: '2026-W48', audience: 'CONF', ceiling: 1, created_by_login: null });
    const app = await testApp(t.ctx);
    try {
      const u = await newUser(t.ctx, { org: 'NER', role: 'decision_maker', clearance: 1 });
      const client = await signIn(app, u.login, u.password);
      expect((await client.get(`/api/v1/sitreps/${row.id}/report.pdf?lang=fr`)).rawPayload.equals(pdf)).toBe(true);
    } finally {
      await app.close();
    }
    const html = path.join(tmp, 'sitrep.html');
    const again = await vigie(t.url, ['sitrep', '--week', '2026-W48', '--lang', 'en', '--out', html]);
    expect(again.stdout).toContain(`rapport de situation existant ${row.id}`);
    const text = fs.readFileSync(html, 'utf8');
    expect(text).toContain('Week 48 (23 to 29 November 2026)');
    expect(text).toContain('2 incidents this week');
  });

  it('writes a monthly report, and refuses a malformed period naming the field', { timeout: 420_000 }, async () => {
    const ok = await vigie(t.url, ['sitrep', '--month', '2026-11', '--out', path.join(tmp, 'mois.html')]);
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'mois.html'), 'utf8')).toContain('Rapport de situation mensuel — Novembre 2026');
    const bad = await vigie(t.url, ['sitrep', '--week', '2026-48', '--out', path.join(tmp, 'x.pdf')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('period');
    expect(fs.existsSync(path.join(tmp, 'x.pdf'))).toBe(false);
  });
});
