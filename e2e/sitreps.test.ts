/**
 * End-to-end: the situation reports in the real web app (Chromium): the archive and its search, generating a report as
 * an analyst, the report page with its frozen figures, the inbox entry and the briefing card — desktop in French, phone
 * in English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isoWeekOf, sitrepShift } from '@vigie/domain';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { generateSitrep } from '../apps/server/src/services/sitrep/sitrep.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('situation reports in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const lastWeek = sitrepShift('week', isoWeekOf(new Date().toISOString().slice(0, 10)), 1);
  const twoWeeksAgo = sitrepShift('week', lastWeek, 1);

  beforeAll(async () => {
    server = await startServer();
    await seedDemo(server.vigie.ctx, { count: 400, seed: 7 });
    await generateSitrep(server.vigie.ctx, SYSTEM, { period: twoWeeksAgo });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(account: { login: string; password: string }, lang: 'fr' | 'en', width: number): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.goto(server.url);
    await page.evaluate((l) => localStorage.setItem('vigie.lang', l), lang);
    await page.reload();
    await page.getByLabel(lang === 'fr' ? 'Identifiant' : 'Login').fill(account.login);
    await page.getByLabel(lang === 'fr' ? 'Mot de passe' : 'Password').fill(account.password);
    await page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    return page;
  }

  it('an analyst finds the archive, searches it, generates last week’s report and opens it (desktop, French)', { timeout: 240_000 }, async () => {
    const analyst = await newUser(server.vigie.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2, login: 'e2e.analyste.sitrep' });
    const page = await signIn(analyst, 'fr', 1280);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.getByRole('navigation').getByRole('link', { name: 'Rapports de situation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapports de situation' }).waitFor();
    await expect.poll(() => page.getByTestId('sitrep-count').innerText()).toBe('1 rapport');
    expect(await page.getByTestId('sitrep-list').innerText()).toContain(`Semaine ${Number(twoWeeksAgo.slice(6))}`);
    expect(await page.getByTestId('sitrep-list').innerText()).toContain('jusqu’à « Diffusion restreinte »');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/sitreps.png'), fullPage: true });

    await page.getByLabel('Mots du rapport').fill('mot-introuvable');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Aucun rapport de situation.').waitFor();
    await page.getByLabel('Mots du rapport').fill('');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => page.getByTestId('sitrep-count').innerText()).toBe('1 rapport');

    expect(await page.getByLabel('Période', { exact: true }).inputValue()).toBe(lastWeek);
    await page.getByRole('button', { name: 'Générer' }).click();
    await page.getByTestId('sitrep-for').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('sitrep-for').innerText()).toMatch(/^Pour .+, jusqu’à « Diffusion restreinte » · données arrêtées le/);
    const frame = page.frameLocator('[data-testid="sitrep-frame"]');
    await frame.getByRole('heading', { level: 2, name: 'Faits saillants' }).waitFor();
    const h2 = await frame.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(h2).toEqual(['Faits saillants', 'Chiffres clés', 'Carte des incidents', 'Évolution', 'Situation par État', 'Acteurs', 'Alerte précoce', 'Suivi des décisions conjointes', 'Note méthodologique']);
    expect(await frame.locator('svg.map circle').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('sitrep-pdf-fr').getAttribute('href')).toMatch(/^\/api\/v1\/sitreps\/[^/]+\/report\.pdf\?lang=fr$/);
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/sitrep.png'), fullPage: true });
    await page.screenshot({ path: '/tmp/ux-sitrep-fr-1280.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a decision maker is told of the new report and opens it from the briefing (phone, English)', { timeout: 240_000 }, async () => {
    const minister = await newUser(server.vigie.ctx, { org: 'CONF', role: 'decision_maker', clearance: 1, login: 'e2e.ministre.sitrep' });
    await generateSitrep(server.vigie.ctx, SYSTEM, { period: lastWeek });
    const page = await signIn(minister, 'en', 390);
    await page.goto(`${server.url}/notifications`);
    const note = page.getByTestId('inbox').getByRole('link', { name: `New situation report: ${lastWeek}` });
    await note.waitFor();
    await page.goto(`${server.url}/briefing`);
    const card = page.getByTestId('briefing-sitrep');
    await card.getByRole('link', { name: `Read the ${lastWeek} report` }).waitFor();
    await page.screenshot({ path: '/tmp/ux-sitrep-briefing-en-390.png', fullPage: true });
    await card.getByRole('link', { name: `Read the ${lastWeek} report` }).click();
    await page.getByTestId('sitrep-for').waitFor();
    expect(await page.getByTestId('sitrep-for').innerText()).toMatch(/^For .+, up to “Restricted” · data as of/);
    const frame = page.frameLocator('[data-testid="sitrep-frame"]');
    await frame.getByRole('heading', { level: 2, name: 'Highlights' }).waitFor();
    expect(await frame.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({ path: '/tmp/ux-sitrep-en-390.png', fullPage: true });
    await page.goto(`${server.url}/sitreps`);
    await expect.poll(() => page.getByTestId('sitrep-count').innerText()).toMatch(/^\d+ reports$/);
    expect(await page.getByRole('heading', { name: 'Generate a report' }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/ux-sitreps-en-390.png', fullPage: true });
    await page.close();
  });
});
