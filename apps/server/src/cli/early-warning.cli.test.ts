import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVigie, type TestVigie } from '../test-support/factories.js';
import { cliEnv } from '../test-support/cli.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');
const UCDP_FILE = path.resolve(ROOT, '../shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv');
const hasUcdpFile = fs.existsSync(UCDP_FILE);

async function vigie(url: string, args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = cliEnv(url);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('early-warning commands (SQLite)', () => {
  let t: TestVigie;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ew-cli-'));
  beforeAll(async () => {
    t = await testVigie('sqlite');
  });
  afterAll(async () => t.drop());

  it.skipIf(!hasUcdpFile)('vigie forecast evaluate prints the evaluation as JSON', { timeout: 120_000 }, async () => {
    const res = await vigie(t.url, ['forecast', 'evaluate', '--ucdp', UCDP_FILE, '--from', '2022-06', '--to', '2022-11', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, { rmsle: number; mae: number }> & { n: number };
    expect(out.n).toBe(31 * 6);
    for (const k of ['model', 'persistence', 'mean3', 'zero', 'ewm', 'bootstrap12']) {
      expect(out[k]).toMatchObject({ rmsle: expect.any(Number), mae: expect.any(Number), crps: expect.any(Number), coverage90: expect.any(Number) });
    }
    const refused = await vigie(t.url, ['forecast', 'evaluate', '--ucdp', UCDP_FILE, '--from', '2023-01', '--to', '2023-03']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('fenêtre refusée');
  });

  it.skipIf(!hasUcdpFile)('vigie import ucdp writes the rejection report; vigie alerts run raises alerts as of a date, once', { timeout: 180_000 }, async () => {
    const records = parse(fs.readFileSync(UCDP_FILE), { columns: true }) as Record<string, string>[];
    const cols = Object.keys(records[0] ?? {});
    const line = (r: Record<string, string>) => cols.map((c) => `"${(r[c] ?? '').replace(/"/g, '""')}"`).join(',');
    const file = path.join(tmp, 'sample.csv');
    // The header, the events of autumn 2022, and a row cut short.
    const autumn = records.filter((r) => /^(09|10|11)\/\d\d\/2022/.test(r.date_start ?? ''));
    fs.writeFileSync(file, [cols.join(','), ...autumn.map(line), '999999,MLI-2022,2022'].join('\n'));
    const imp = await vigie(t.url, ['import', 'ucdp', file, '--report', path.join(tmp, 'rejets.csv')]);
    expect(imp.stdout, imp.stderr).toMatch(/lignes lues : \d+ incidents créés/);
    expect(imp.code).toBe(1);
    const report = fs.readFileSync(path.join(tmp, 'rejets.csv'), 'utf8').trim().split('\n');
    expect(report[0]).toBe('line,id,field,reason');
    expect(report.at(-1)).toContain('(row)');
    const first = await vigie(t.url, ['alerts', 'run', '--as-of', '2022-12-01T00:00:00Z', '--json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as { issued: number; duplicates: number; findings: number };
    const second = JSON.parse((await vigie(t.url, ['alerts', 'run', '--as-of', '2022-12-01T00:00:00Z', '--json'])).stdout) as { issued: number; duplicates: number };
    expect(second).toMatchObject({ issued: 0, duplicates: a.findings });
  });
});
