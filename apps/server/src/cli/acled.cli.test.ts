import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigie } from '../test-support/cli.js';
import { ENGINES } from '../test-support/engines.js';
import { testVigie, type TestVigie } from '../test-support/factories.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../test-fixtures/acled/acled_sahel_synthetic.csv');

describe.each(ENGINES)('vigie import acled on %s', (kind) => {
  let t: TestVigie;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-acled-cli-'));
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports an ACLED export, writes the rejected rows and unknown actors beside it, exits 1; a second run creates nothing', async () => {
    const file = path.join(dir, 'sahel.csv');
    fs.copyFileSync(FIXTURE, file);
    const res = await runVigie(t.url, ['import', 'acled', file]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('54 lignes lues : 48 incidents créés, 0 mis à jour, 0 inchangés, 6 rejetées');
    expect(res.stdout).toContain('incidents ACLED par État : BFA 16, MLI 16, NER 16');
    expect(res.stdout).toContain('ligne 22 (ACLED MLI99001) — event_date : date impossible');
    expect(res.stdout).toContain('« Katiba Macina » (1 lignes, dès la ligne 7) → GAN');
    const report = parse(fs.readFileSync(path.join(dir, 'sahel.rejets.csv')), { columns: true }) as Record<string, string>[];
    expect(report.map((r) => `${r.line}:${r.field}`)).toEqual(['22:event_date', '38:latitude', '39:country', '53:event_type', '54:event_id_cnty', '55:(row)']);
    const actors = parse(fs.readFileSync(path.join(dir, 'sahel.acteurs-inconnus.csv')), { columns: true });
    expect(actors).toEqual([{ name: 'Katiba Macina', rows: '1', first_line: '7', mapped_to: 'GAN' }]);

    const again = await runVigie(t.url, ['import', 'acled', file]);
    expect(again.stdout).toContain('48 inchangés');
  }, 240_000);

  it('refuses a file that is not an ACLED export with exit code 2, naming what is missing', async () => {
    const file = path.join(dir, 'ucdp.csv');
    fs.writeFileSync(file, 'id,relid,year,country\n1,MLI-1,2022,Mali\n');
    const res = await runVigie(t.url, ['import', 'acled', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("n'est pas un export ACLED (CSV) : colonnes manquantes : event_id_cnty");
  }, 240_000);
});
