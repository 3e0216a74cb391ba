import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { createEvaluation } from './strategy.evaluation.service.js';
import { addAxis, addIndicator, addObjective, createStrategy } from './strategy.service.js';

/** Text the HTML report shows as written; the PDF must give it back (pdftotext, from Debian's poppler-utils). */
const SAMPLES = {
  arabic: 'حماية المدنيين في الساحل',
  chinese: '萨赫勒地区安全形势',
  japanese: 'ひらがなカタカナ',
  emoji: '⚠🔥📍',
  fulfulde: 'Ɓamtaare ɗemngal ŋoolde ƴiiƴam',
  tifinagh: 'ⵜⵉⴼⵉⵏⴰⵖ',
};

const pdftotext = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
// pdftotext marks right-to-left text with bidi controls; lines end where the layout broke them.
const normalise = (s: string) => s.normalize('NFC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ');

describe.each(ENGINES)('the PDF report in every script the HTML shows, on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let decider: Client;
  let evaluationId: string;
  let objectiveId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-pdf-'));

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const conf = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const d = await newUser(t.ctx, { org: 'CONF', role: 'decision_maker', clearance: 3 });
    decider = await signIn(app, d.login, d.password);
    const s = await createStrategy(t.ctx, conf, { code: 'SC-U', title_fr: `Stratégie ${SAMPLES.tifinagh} ${SAMPLES.fulfulde}`, title_en: 'Unicode strategy', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    const axis = await addAxis(t.ctx, conf, s.id, { code: 'A1', name_fr: SAMPLES.arabic, name_en: 'Protection', civilian_protection: true });
    const obj = await addObjective(t.ctx, conf, axis.id, { code: 'O1', name_fr: `${SAMPLES.chinese} ${SAMPLES.japanese}`, name_en: 'Objective' });
    objectiveId = obj.id;
    await addIndicator(t.ctx, conf, obj.id, {
      code: 'I1', name_fr: `Alertes ${SAMPLES.emoji}`, name_en: 'Alerts', unit: 'percent', direction: 'increase', frequency: 'quarter', source: 'manual',
      targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
    });
    const e = await createEvaluation(t.ctx, conf, s.id, {
      period: '2026-Q1',
      ratings: [{ objective_id: objectiveId, rating: 'at_risk', justification: 'Les chiffres restent fragiles.', comment: `${SAMPLES.arabic} 2026، ${SAMPLES.arabic}` }],
      narrative: `Synthèse : ${SAMPLES.arabic}. ${SAMPLES.chinese}, ${SAMPLES.japanese}. ${SAMPLES.fulfulde}. ${SAMPLES.tifinagh} ${SAMPLES.emoji}`,
    });
    evaluationId = e.id;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives back Arabic, Chinese, Japanese kana, emoji, Fulfulde and Tifinagh, with subset fonts only, at a reasonable size', async () => {
    const res = await decider.get(`/api/v1/evaluations/${evaluationId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    const file = path.join(dir, 'rapport.pdf');
    fs.writeFileSync(file, res.rawPayload);
    if (process.env.VIGIE_KEEP_PDF) fs.copyFileSync(file, process.env.VIGIE_KEEP_PDF);
    // Whole words, in reading order: a word in two fonts (ƴ and i come from different font files) is never cut.
    const text = normalise(pdftotext(file));
    for (const [script, sample] of Object.entries(SAMPLES)) expect(text, script).toContain(sample);
    // Every font is embedded as a subset: no font the reader's machine would have to supply (and substitute).
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length).toBeGreaterThan(3);
    for (const line of fonts) expect(line, line).toMatch(/\+\S+\s.*\byes\s+yes\s+yes\b/);
    expect(res.rawPayload.length).toBeLessThan(400_000);
  });
});
