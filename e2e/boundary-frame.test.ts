/**
 * End-to-end: the dashboard says which boundary sets its figures by area are counted in (« Découpage : … »), in
 * French and English, at desktop and phone width (screenshots in docs/screenshots/boundary-frame-*.png).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);
const FR = 'Découpage : Mali — cercles OCHA 2015, régions 2021 · Burkina Faso — 13 régions (2017) · Niger — 8 régions (OCHA)';
const EN = 'Boundaries: Mali — OCHA 2015 cercles, 2021 regions · Burkina Faso — 13 regions (2017) · Niger — 8 regions (OCHA)';

describe.skipIf(!hasChromium)('the boundary sets of the figures, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let account: { login: string; password: string };

  beforeAll(async () => {
    server = await startServer();
    await seedDemo(server.vigie.ctx, { count: 300, years: 1, endDate: new Date() });
    const u = await newUser(server.vigie.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'decoupage.analyste' });
    account = { login: u.login, password: u.password };
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(width: number, lang: 'fr' | 'en'): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.goto(server.url);
    await page.evaluate((l) => localStorage.setItem('vigie.lang', l), lang);
    await page.goto(server.url);
    await page.getByLabel(lang === 'fr' ? 'Identifiant' : 'Login').fill(account.login);
    await page.getByLabel(lang === 'fr' ? 'Mot de passe' : 'Password').fill(account.password);
    await page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    return page;
  }

  for (const [lang, width, text] of [['fr', 1280, FR], ['fr', 390, FR], ['en', 1280, EN], ['en', 390, EN]] as const) {
    it(`shows « ${text.split(':')[0]} » under the dashboard's figures by area (${lang}, ${width} px)`, async () => {
      const page = await signIn(width, lang);
      const note = page.getByTestId('boundary-frame').first();
      await note.waitFor();
      expect(await note.textContent()).toBe(text);
      await note.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `boundary-frame-dashboard-${lang}-${width}.png`) });
      await page.close();
    }, 180_000);
  }
});
