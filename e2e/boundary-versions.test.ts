/**
 * End-to-end: after a second boundary set for Mali is imported with a validity date (the Mopti region split as in the
 * 2023 reform) and incidents are re-placed, the map page, an alert page, a situation report page and a computed
 * indicator's page say which sets their figures use, with the date from which the new one is in force — in French and
 * English, at desktop and phone width (screenshots in /tmp/geo-shots). A report produced before the import keeps the
 * sets it was produced with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isoWeekOf, sitrepShift } from '@vigie/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { importBoundaries } from '../apps/server/src/services/geography/gazetteer.service.js';
import { runReplacementJob, startReplacementJob } from '../apps/server/src/services/geography/replacement-job.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { generateSitrep } from '../apps/server/src/services/sitrep/sitrep.service.js';
import { at, maliWithMoptiSplit } from '../apps/server/src/test-support/boundary-sets.js';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInPage, type Account } from './support/sign-in.js';

const SHOTS = process.env.VIGIE_SHOTS ?? '/tmp/geo-shots';
const hasChromium = fs.existsSync(CHROMIUM);

const MALI = { fr: 'Mali — découpage du 1er juillet 2025, en vigueur depuis le 1er juillet 2025', en: 'Mali — boundaries of 1 July 2025, in force since 1 July 2025' };
const OTHERS = { fr: 'Burkina Faso — 13 régions (2017) · Niger — 8 régions (OCHA)', en: 'Burkina Faso — 13 regions (2017) · Niger — 8 regions (OCHA)' };
const OLD_MALI = { fr: 'Mali — cercles OCHA 2015, régions 2021', en: 'Mali — OCHA 2015 cercles, 2021 regions' };
const LEAD = { fr: 'Découpage : ', en: 'Boundaries: ' };
const all = (lang: 'fr' | 'en') => `${LEAD[lang]}${MALI[lang]} · ${OTHERS[lang]}`;

describe.skipIf(!hasChromium)('boundary sets over time, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let account: Account;
  let alertId: string;
  let before: string;
  let after: string;
  let indicatorId: string;
  let olderId: string;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    await seedDemo(ctx, { count: 300, years: 1, endDate: new Date() });
    const u = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'decoupage.versions' });
    account = { login: u.login, password: u.password };
    const lastWeek = sitrepShift('week', isoWeekOf(new Date().toISOString().slice(0, 10)), 1);
    before = (await generateSitrep(ctx, SYSTEM, { period: sitrepShift('week', lastWeek, 1) })).id;

    // The reform: a new Mali set in force from 1 July 2025, the shipped one kept and closed the day before.
    await importBoundaries(ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2025-07-01', source: 'e2e:mali-2023' });
    const job = await startReplacementJob(ctx, SYSTEM, 'e2e import');
    expect(await runReplacementJob(ctx, SYSTEM, job.id)).toMatchObject({ status: 'done' });

    const mli = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    alertId = (await raiseFlashAlert(ctx, mli, { title: 'Attaque signalée près de Douentza', areas: ['ML15'], severity: 'high' })).id;
    after = (await generateSitrep(ctx, SYSTEM, { period: lastWeek })).id;
    // An incident at Douentza dated before the reform: placed in the 2015 Mopti region, counted in today's Douentza.
    olderId = (await createIncident(ctx, SYSTEM, newIncident({ ...at('ML0504'), state: 'MLI', occurred_start: '2024-03-01T08:00:00Z' }), { reportingState: 'MLI', status: 'validated' })).incident.id;
    indicatorId = (await ctx.engine.db.selectFrom('strategy_indicators').select('id').where('code', '=', 'I01').executeTakeFirstOrThrow()).id;
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const visit = async (page: Page, url: string) => {
    await page.goto(`${server.url}${url}`);
    return page;
  };
  const noteOf = async (page: Page, name: string) => {
    const note = page.getByTestId('boundary-frame').first();
    await note.waitFor();
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    return note.textContent();
  };

  for (const [lang, width] of [['fr', 1280], ['fr', 390], ['en', 1280], ['en', 390]] as const) {
    it(`map, alert, situation reports and indicator name the new Mali set (${lang}, ${width} px)`, async () => {
      // The choropleth by region, as a user picks it on the map page.
      const page = await signInPage(browser.context, server.url, account, { lang, width });
      await visit(page, '/map?layer=choropleth&measure=incidents');
      expect(await noteOf(page, `map-${lang}-${width}`)).toBe(all(lang));

      // The alert concerns Mali only: Mali's set alone.
      await visit(page, `/alerts/${alertId}`);
      expect(await noteOf(page, `alert-${lang}-${width}`)).toBe(`${LEAD[lang]}${MALI[lang]}`);

      // A report produced after the import names the new set, on its page and in the report itself.
      await visit(page, `/sitreps/${after}`);
      expect(await noteOf(page, `sitrep-after-${lang}-${width}`)).toBe(all(lang));
      await expect.poll(() => page.frameLocator('[data-testid=sitrep-frame]').getByTestId('sitrep-boundaries').textContent()).toContain(MALI[lang]);

      // One produced before keeps the sets it was produced with.
      await visit(page, `/sitreps/${before}`);
      expect(await noteOf(page, `sitrep-before-${lang}-${width}`)).toBe(`${LEAD[lang]}${OLD_MALI[lang]} · ${OTHERS[lang]}`);
      await expect.poll(() => page.frameLocator('[data-testid=sitrep-frame]').getByTestId('sitrep-boundaries').textContent()).toContain(lang === 'fr' ? `${OLD_MALI.fr}, en vigueur sans date de début` : `${OLD_MALI.en}, in force with no start date`);

      // A computed indicator counting incidents by area (the Liptako-Gourma).
      await visit(page, `/strategy/indicators/${indicatorId}`);
      expect(await noteOf(page, `indicator-${lang}-${width}`)).toBe(all(lang));
      // Its definition names the 2015 Mopti region, split by the reform: the page says what it became.
      const redrawn = page.getByTestId('redrawn-area');
      await redrawn.waitFor();
      const said = await redrawn.textContent();
      expect(said).toContain(lang === 'fr' ? `Zone redécoupée (${MALI.fr}) : Mopti correspond aujourd’hui à ` : `Area redrawn (${MALI.en}): Mopti is now `);
      for (const area of ['Bandiagara', 'Douentza']) expect(said).toContain(area);
      await redrawn.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `indicator-redrawn-${lang}-${width}.png`) });
      expect(await accessibilityProblems(page)).toEqual([]);

      // The incident page says where the record was placed at its date, in the set then in force.
      await visit(page, `/incidents/${olderId}`);
      const detail = (label: string) => page.getByTestId('incident-details').locator('div', { has: page.locator('dt', { hasText: label }) });
      const placedRow = detail(lang === 'fr' ? 'Zones à la date de l’incident' : 'Areas at the incident’s date');
      await placedRow.waitFor();
      expect(await placedRow.innerText()).toMatch(lang === 'fr' ? /Mopti, Douentza \(découpage : Mali — cercles OCHA 2015, régions 2021\)/ : /Mopti, Douentza \(boundaries: Mali — OCHA 2015 cercles, 2021 regions\)/);
      // The method in words, never a raw code.
      expect(await detail('Placement').innerText()).toMatch(lang === 'fr' ? /dans le polygone|zone la plus proche|centre de/ : /inside the area|nearest area|centre of the area/);
      await placedRow.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `incident-placement-${lang}-${width}.png`) });
      await page.close();
    }, 300_000);
  }
});
