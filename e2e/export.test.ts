/**
 * End-to-end: an analyst exports the incident list with its filters from Chromium, in French and English, on a laptop
 * and a phone: the « Exporter » menu downloads a CSV for Excel (semicolons and a byte-order mark in French) holding the
 * incidents the reader sees and nothing above their clearance; the map and the dashboard offer the same menu.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { validateIncident } from '../apps/server/src/services/incidents/incident-workflow.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn } from './support/sign-in.js';

const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.join(os.tmpdir(), 'export-shots');

describe.skipIf(!hasChromium)('incident export in Chromium', () => {
  let server: RunningServer;
  let analyst: { login: string; password: string };
  const ids = { open: '', secret: '', other: '' };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    const ctx = server.vigie.ctx;
    const bfa = await newUser(ctx, { org: 'BFA', role: 'analyst', clearance: 3, login: 'e2e.export.bfa' });
    const make = async (o: Parameters<typeof newIncident>[0]) => {
      const id = (await createIncident(ctx, bfa, newIncident({ state: 'BFA', ...o }))).incident.id;
      await validateIncident(ctx, bfa, id);
      return id;
    };
    ids.open = await make({ classification: 'restricted', place_name: 'Djibo', narrative: 'Attaque du marché de Djibo.' });
    ids.secret = await make({ classification: 'secret', narrative: 'Rapport secret.' });
    const ner = await newUser(ctx, { org: 'NER', role: 'analyst', clearance: 3, login: 'e2e.export.ner' });
    ids.other = (await createIncident(ctx, ner, newIncident({ state: 'NER', classification: 'public', status: 'submitted' }))).incident.id;
    await validateIncident(ctx, ner, ids.other);
    const a = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.export.analyste' });
    analyst = { login: a.login, password: a.password };
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const [lang, viewport] of [['fr', { width: 1280, height: 900 }], ['en', { width: 1280, height: 900 }], ['fr', { width: 390, height: 844 }], ['en', { width: 390, height: 844 }]] as const) {
    it(`downloads the filtered list as CSV from the « Exporter » menu (${lang}, ${viewport.width}px)`, async () => {
      const browser = await launchBrowser({ viewport, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      try {
        await browser.context.addInitScript((l) => localStorage.setItem('vigie.lang', l), lang);
        const page = await browser.context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        const L = lang === 'fr'
          ? { button: 'Exporter', csv: 'CSV pour Excel (point-virgule)', sep: ';', header: 'Identifiant' }
          : { button: 'Export', csv: 'CSV for Excel', sep: ',', header: 'id' };
        await page.goto(server.url);
        await submitSignIn(page, analyst, lang);
        // The dashboard and the map offer the menu too.
        await page.getByTestId('export-menu').waitFor();
        await page.goto(`${server.url}/map`);
        await page.getByTestId('export-menu').waitFor();

        await page.goto(`${server.url}/incidents?states=BFA`);
        await page.getByTestId('incident-table').waitFor();
        await page.getByText(L.button, { exact: true }).click();
        await page.screenshot({ path: path.join(SHOTS, `export-menu-${lang}-${viewport.width}.png`) });
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: L.csv }).click()]);
        expect(download.suggestedFilename()).toMatch(/^vigie-incidents-\d{4}-\d{2}-\d{2}\.csv$/);
        const file = await download.path();
        const bytes = fs.readFileSync(file);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = bytes.toString('utf8').slice(1).split('\r\n');
        expect(lines[0]).toMatch(lang === 'fr' ? /^# DIFFUSION RESTREINTE — export Vigie/ : /^# RESTRICTED — Vigie export/);
        expect(lines[1]?.split(L.sep)[0]).toBe(L.header);
        const text = bytes.toString('utf8');
        expect(text).toContain(ids.open);
        expect(text).not.toContain(ids.secret);
        // The list's filter (states=BFA) applies: the Nigerien record is not in it.
        expect(text).not.toContain(ids.other);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }
});
