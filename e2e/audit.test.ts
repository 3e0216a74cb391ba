/**
 * End-to-end: the audit trail page in Chromium, in French and English, on a laptop and a phone: a focal point finds
 * who read a secret record of their state, filters by record and action, follows the record's link; an analyst has
 * no such page in the navigation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { getIncident } from '../apps/server/src/services/incidents/incident-reads.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn } from './support/sign-in.js';
import { ROOT } from './support/web-build.js';

const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = path.join(ROOT, 'docs/screenshots');

describe.skipIf(!hasChromium)('audit trail in Chromium', () => {
  let server: RunningServer;
  let focal: { login: string; password: string };
  let analyst: { login: string; password: string };
  let secretId: string;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    const reporter = await newUser(ctx, { org: 'MLI', role: 'reporter', clearance: 3, login: 'e2e.audit.rapporteur' });
    const reader = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 3, login: 'e2e.audit.lecteur' });
    const secret = (await createIncident(ctx, reporter, newIncident({ classification: 'secret', narrative: 'Mouvement de colonne signalé près de Douentza.' }))).incident;
    secretId = secret.id;
    await getIncident(ctx, reader, secret.id);
    await createIncident(ctx, reporter, newIncident({ classification: 'restricted' }));
    const f = await newUser(ctx, { org: 'MLI', role: 'focal_point', clearance: 3, login: 'e2e.audit.pf' });
    focal = { login: f.login, password: f.password };
    const a = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 3, login: 'e2e.audit.analyste' });
    analyst = { login: a.login, password: a.password };
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const [lang, viewport] of [['fr', { width: 1280, height: 900 }], ['en', { width: 1280, height: 900 }], ['fr', { width: 390, height: 844 }], ['en', { width: 390, height: 844 }]] as const) {
    it(`lets a focal point find who read a secret record, filter and follow it (${lang}, ${viewport.width}px)`, async () => {
      const browser = await launchBrowser({ viewport, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      try {
        await browser.context.addInitScript((l) => localStorage.setItem('vigie.lang', l), lang);
        const page = await browser.context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        const L = lang === 'fr'
          ? { nav: 'Journal d’audit', read: 'Incident consulté', filter: 'Filtrer', created: 'Incident créé' }
          : { nav: 'Audit trail', read: 'Incident opened', filter: 'Filter', created: 'Incident created' };
        await page.goto(server.url);
        await submitSignIn(page, focal, lang);
        const nav = page.locator('#main-nav');
        if (viewport.width < 600) await page.locator('.menu-toggle').click();
        await nav.getByRole('link', { name: L.nav }).click();
        const table = page.getByTestId('audit-table');
        await table.waitFor();
        // The read of the secret record by the Malian analyst is there, under its translated name, never a raw code.
        // (Earlier runs of this test open the record as the focal point: those reads are in the trail too.)
        const readRow = table.locator('tr', { hasText: L.read }).filter({ hasText: 'e2e.audit.lecteur' });
        await expect.poll(() => readRow.count()).toBe(1);
        expect(await table.innerText()).not.toMatch(/incident\.(read|create)/);
        await page.screenshot({ path: path.join(SHOTS, `audit-${lang}-${viewport.width}.png`), fullPage: true });

        // Filter by record and action.
        await page.locator('input[name=user]').fill('e2e.audit.lecteur');
        await page.locator('input[name=object_id]').fill(secretId);
        await page.locator('select[name=action]').selectOption({ label: L.read });
        await page.getByRole('button', { name: L.filter, exact: true }).click();
        await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
        expect(page.url()).toContain(`object_id=${secretId}`);

        // The record's id links to its page.
        await table.getByRole('link', { name: `…${secretId.slice(-8)}`, exact: true }).click();
        await page.waitForURL(`**/incidents/${secretId}`);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }

  it('shows no audit entry in the navigation to an analyst, and the API refuses them', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.getByLabel('Identifiant', { exact: true }).fill(analyst.login);
      await page.getByLabel('Mot de passe').fill(analyst.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByTestId('who').waitFor();
      expect(await page.locator('#main-nav').getByRole('link', { name: 'Journal d’audit' }).count()).toBe(0);
      const status = await page.evaluate(async () => (await fetch('/api/v1/audit')).status);
      expect(status).toBe(403);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
