import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVigie, type TestVigie } from '../../test-support/factories.js';
import { ruleAreas } from './alert-rules.service.js';
import { importBoundaries, readBoundaryFile } from '../geography/gazetteer.service.js';
import { SYSTEM } from '../principal.js';

const ADM1 = path.resolve(import.meta.dirname, '../../../../../../shared/data/admin-boundaries/adm1_mli_bfa_ner_ocha_wca.geojson');

describe.skipIf(!fs.existsSync(ADM1))(`cross-border neighbours from the official admin-1 boundaries (skipped without ${ADM1})`, () => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie('sqlite');
    const fc = readBoundaryFile(ADM1);
    for (const [state, iso2] of [['MLI', 'ML'], ['BFA', 'BF'], ['NER', 'NE']] as const) {
      await importBoundaries(t.ctx, SYSTEM, fc, { state, level: 1, codeField: 'admin1Pcod', nameField: 'admin1Name', filter: { field: 'admin0Pcod', value: iso2 } });
    }
  });
  afterAll(async () => t.drop());

  it('finds the regions of two states that share a border, and only those', async () => {
    const { borders } = await ruleAreas(t.ctx, 1);
    // Liptako-Gourma: Mopti–Nord, Mopti–Sahel, Gao–Tillabéri, Sahel–Tillabéri, Est–Tillabéri.
    for (const pair of ['BF54|ML05', 'BF56|ML05', 'ML07|NE006', 'BF56|NE006', 'BF52|NE006']) expect(borders).toContain(pair);
    // Kayes and Bamako touch no other member state; Centre (Ouagadougou) is inland.
    for (const pair of [...borders]) expect(pair).not.toMatch(/ML01|ML09|BF13/);
  });
});
