/**
 * A situation report prints the boundary sets its figures by area were counted in, with their validity, in its HTML
 * and PDF (as pdftotext reads it), French and English; and it keeps printing them after a newer set is imported: the
 * frame is frozen with the figures. A newer report names the newer set.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SitrepLang } from '@vigie/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maliWithMoptiSplit } from '../../test-support/boundary-sets.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, testVigie, type TestVigie } from '../../test-support/factories.js';
import { importBoundaries } from '../geography/gazetteer.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import { renderSitrepHtml } from './sitrep-html.js';
import { renderSitrepPdf } from './sitrep-pdf.js';
import { generateSitrep, getSitrep, sitrepForDownload } from './sitrep.service.js';

const OLD = {
  fr: 'Découpage administratif : Mali — cercles OCHA 2015, régions 2021, en vigueur sans date de début · Burkina Faso — 13 régions (2017), en vigueur sans date de début · Niger — 8 régions (OCHA), en vigueur sans date de début.',
  en: 'Administrative boundaries: Mali — OCHA 2015 cercles, 2021 regions, in force with no start date · Burkina Faso — 13 regions (2017), in force with no start date · Niger — 8 regions (OCHA), in force with no start date.',
};
const NEW_MALI = {
  fr: 'Mali — découpage du 1er juillet 2025, en vigueur depuis le 1er juillet 2025',
  en: 'Mali — boundaries of 1 July 2025, in force since 1 July 2025',
};

const normalise = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ');
const htmlText = (html: string) => normalise(html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));

describe.each(ENGINES)('the boundary sets of a situation report on %s', (kind) => {
  let t: TestVigie;
  let before: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-sitrep-frame-'));

  const printed = async (id: string, lang: SitrepLang) => {
    const m = await sitrepForDownload(t.ctx, SYSTEM, id, 'pdf', lang);
    const file = path.join(dir, `${id}-${lang}.pdf`);
    fs.writeFileSync(file, await renderSitrepPdf(m, lang));
    return { html: htmlText(renderSitrepHtml(m, lang)), pdf: normalise(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })) };
  };

  beforeAll(async () => {
    t = await testVigie(kind);
    await createIncident(t.ctx, SYSTEM, newIncident({ state: 'MLI', occurred_start: '2026-03-03T08:00:00Z' }), { reportingState: 'MLI', status: 'validated' });
    before = (await generateSitrep(t.ctx, SYSTEM, { period: '2026-W10' })).id;
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  it('prints the sets and their validity in the HTML and the PDF, in French and English', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const { html, pdf } = await printed(before, lang);
      expect(html).toContain(OLD[lang]);
      expect(pdf).toContain(OLD[lang]);
    }
  });

  it('keeps printing the sets it was produced with after a newer set is imported; a newer report names the newer set', async () => {
    await importBoundaries(t.ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2025-07-01', source: 'test:mali-2023' });
    for (const lang of ['fr', 'en'] as const) {
      const { html, pdf } = await printed(before, lang);
      expect(html).toContain(OLD[lang]);
      expect(pdf).toContain(OLD[lang]);
      expect(pdf).not.toContain(NEW_MALI[lang]);
    }
    expect((await getSitrep(t.ctx, SYSTEM, before)).figures.boundary_frame?.sets.map((s) => s.code)).toEqual(['mli-ocha-cod-2015', 'bfa-geoboundaries-wb-2017', 'ner-ocha-rowca-wca']);

    const after = (await generateSitrep(t.ctx, SYSTEM, { period: '2026-W11' })).id;
    for (const lang of ['fr', 'en'] as const) {
      const { html, pdf } = await printed(after, lang);
      expect(html).toContain(NEW_MALI[lang]);
      expect(pdf).toContain(NEW_MALI[lang]);
    }
  }, 300_000);

  it('prints, for a report stored before frames were kept with it, the sets current at its "as of" time', async () => {
    const row = await t.ctx.engine.db.selectFrom('situation_reports').select('figures').where('id', '=', before).executeTakeFirstOrThrow();
    const { boundary_frame: _dropped, ...older } = JSON.parse(row.figures) as Record<string, unknown>;
    await t.ctx.engine.db.updateTable('situation_reports').set({ figures: JSON.stringify(older) }).where('id', '=', before).execute();
    const { html, pdf } = await printed(before, 'fr');
    expect(html).toContain(OLD.fr);
    expect(pdf).toContain(OLD.fr);
  });
});
