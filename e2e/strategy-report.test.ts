/**
 * End-to-end: the strategy page and the ministers' printable report in the real web app (Chromium): French headings,
 * one section per axis with charts, and the civilian-harm section always there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInPage, submitSignIn, type Account } from './support/sign-in.js';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)("the ministers' report in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let minister: { login: string; password: string };

  beforeAll(async () => {
    server = await startServer();
    await seedDemo(server.vigie.ctx, { count: 400, seed: 11 });
    const u = await newUser(server.vigie.ctx, { org: 'CONF', role: 'decision_maker', clearance: 2, login: 'e2e.ministre' });
    minister = { login: u.login, password: u.password };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the strategy page, then the printable report: French headings, a section per axis with charts, civilian harm', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await submitSignIn(page, minister);

    await page.getByRole('navigation').getByRole('link', { name: 'Stratégie' }).click();
    await page.getByRole('heading', { level: 1, name: 'Suivi de la stratégie commune' }).waitFor();
    await page.getByTestId('axis-A2').waitFor();
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/strategy.png'), fullPage: false });
    expect(await accessibilityProblems(page)).toEqual([]);
    const reportLink = page.getByTestId('evaluations').getByRole('link', { name: 'Rapport imprimable' }).first();
    const href = await reportLink.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/evaluations\/[^/]+\/report\.html$/);

    const report = await browser.context.newPage();
    await report.goto(`${server.url}${href}`);
    expect(await report.locator('html').getAttribute('lang')).toBe('fr');
    await expect.poll(() => report.getByRole('heading', { level: 1 }).innerText()).toBe("Rapport d'évaluation de la stratégie commune");
    const h2 = await report.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(h2).toContain('Synthèse');
    expect(h2).toContain('Atteintes aux civils');
    expect(h2.filter((h) => h.startsWith('Axe '))).toHaveLength(5);
    expect(h2).toContain('Axe 2 — Protéger les populations civiles');
    const civilian = report.locator('#atteintes-aux-civils');
    expect(await civilian.isVisible()).toBe(true);
    expect(await civilian.locator('svg.chart').count()).toBe(1);
    expect(await civilian.innerText()).toContain('Civils tués — Confédération');
    expect(await report.locator('.indicator svg.chart').count()).toBeGreaterThan(10);
    expect(await accessibilityProblems(report)).toEqual([]);
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: path.join(ROOT, 'docs/screenshots/strategy-report.png'), fullPage: false });
    expect(problems).toEqual([]);
  });

  it('shows the overdue actions of the demo meetings at a glance', async () => {
    const page = (browser.context.pages()[0]) ?? (await browser.context.newPage());
    await page.goto(`${server.url}/coordination`);
    await page.getByRole('heading', { level: 1, name: 'Suivi des décisions' }).waitFor();
    // Overdue is a warning (not a green success box), counted with a real plural.
    await expect.poll(() => page.getByTestId('overdue-count').innerText()).toMatch(/^\d+ actions? en retard$/);
    const overdue = page.getByTestId('overdue-count');
    expect(await overdue.getAttribute('class')).toBe('warning-banner');
    expect(await overdue.getAttribute('role')).toBe('status');
    expect(await overdue.innerText()).not.toContain('(s)');
    expect(await page.getByTestId('overdue-table').getByText('en retard').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/coordination.png'), fullPage: false });
    expect(await accessibilityProblems(page)).toEqual([]);
  });
  const signIn = (account: Account, lang: 'fr' | 'en', width: number): Promise<Page> => signInPage(browser.context, server.url, account, { lang, width });

  it('has confederation staff build a computed indicator by choosing states, regions and the unit by name', async () => {
    const staff = await newUser(server.vigie.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2, login: 'e2e.conf.indicateur' });
    const page = await signIn(staff, 'fr', 1280);
    await page.goto(`${server.url}/strategy`);
    await page.getByTestId('strategy-builder').getByText('Construire la stratégie').click();
    const form = page.getByRole('form', { name: 'Ajouter un indicateur' });
    await form.getByLabel('Code').fill('I-E2E');
    await form.getByLabel('Intitulé (fr)').fill('Incidents au centre du Mali');
    await form.getByLabel('Intitulé (en)').fill('Incidents in central Mali');
    await form.locator('select[name="unit"]').selectOption({ label: 'nombre' });
    await form.getByRole('group', { name: 'États' }).getByLabel('Mali').check();
    // The regions offered are those of the states chosen, each with its state.
    const regions = form.getByLabel('Régions (admin-1)');
    await expect.poll(async () => (await regions.locator('option').allInnerTexts()).every((x) => x.endsWith('(Mali)'))).toBe(true);
    await regions.selectOption({ label: 'Mopti (Mali)' });
    await form.getByRole('button', { name: 'Ajouter un indicateur' }).click();
    await page.getByTestId('strategy-builder').getByRole('status').waitFor();
    const saved = await server.vigie.ctx.engine.db.selectFrom('strategy_indicators').select(['unit', 'definition']).where('code', '=', 'I-E2E').executeTakeFirstOrThrow();
    const mopti = await server.vigie.ctx.engine.db.selectFrom('admin_areas').select('code').where('name_fr', '=', 'Mopti').where('level', '=', 1).executeTakeFirstOrThrow();
    expect(saved.unit).toBe('count');
    expect(JSON.parse(String(saved.definition))).toEqual({ measure: 'incidents', filter: { states: ['MLI'], admin1: [mopti.code] }, scale: 1 });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/ux-indicator-builder-fr-1280.png', fullPage: true });
    await page.close();
  });

  it("shows the focal point each value's indicator by code and name, in French and in English", async () => {
    const u = await newUser(server.vigie.ctx, { org: 'MLI', role: 'focal_point', clearance: 3, login: 'e2e.point-focal.valeurs' });
    for (const [lang, width] of [['fr', 1280], ['en', 390]] as const) {
      const page = await signIn(u, lang, width);
      await page.goto(`${server.url}/strategy/values`);
      const cells = page.getByTestId('values-table').getByTestId('value-indicator');
      await expect.poll(() => cells.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => cells.first().innerText()).toMatch(/^I[\d.]+ — \S/);
      expect((await cells.allInnerTexts()).filter((x) => !/^I[\d.]+ — \S/.test(x))).toEqual([]);
      await page.screenshot({ path: `/tmp/ux-values-${lang}-${width}.png`, fullPage: true });
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.close();
    }
  });

  it("names an incident's actors on its detail page (code on hover) and labels the tags without the form's hint", async () => {
    const ctx = server.vigie.ctx;
    const reporter = await newUser(ctx, { org: 'MLI', role: 'reporter' });
    const analyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.analyste.acteurs' });
    const { incident } = await createIncident(ctx, reporter, newIncident({ state: 'MLI', actor1: 'GAN', actor2: 'CIVILS', tags: ['marché'], status: 'submitted' }));
    for (const [lang, tags, width] of [['fr', 'Mots-clés', 1280], ['en', 'Tags', 390]] as const) {
      const page = await signIn(analyst, lang, width);
      await page.goto(`${server.url}/incidents/${incident.id}`);
      const details = page.getByTestId('incident-details');
      await details.waitFor();
      const gan = details.locator('span[title="GAN"]');
      await gan.waitFor();
      expect(await gan.innerText()).not.toBe('GAN');
      expect(await details.locator('span[title="CIVILS"]').innerText()).not.toBe('CIVILS');
      const ref = await page.evaluate(() => fetch('/api/v1/reference').then((r) => r.json())) as { actors: { code: string; name: string }[] };
      expect(await gan.innerText()).toBe(ref.actors.find((a) => a.code === 'GAN')?.name);
      await page.screenshot({ path: `/tmp/ux-detail-${lang}-${width}.png`, fullPage: true });
      const labels = await details.locator('dt').allInnerTexts();
      expect(labels).toContain(tags);
      expect(labels.join(' ')).not.toMatch(/virgules|comma/);
      await page.close();
    }
  });
});
