/**
 * End-to-end: the federation page ("Fédération") for a node's administrator, in Chromium. On a single node it says
 * that federation is not configured; it is in the administrator's menu only; another role is refused it. Screenshots
 * in French and English, desktop and phone width, go to docs/screenshots/. (The page with live links is covered by the
 * status API's tests with real NATS servers: apps/server/src/services/federation/.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInNewAdminPage } from './support/sign-in.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');

describe.skipIf(!fs.existsSync(CHROMIUM))('the federation page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(login: string, password: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(login);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    return page;
  }
  const nav = (page: Page) => page.getByRole('navigation', { name: /Navigation principale|Main navigation/ });

  it('tells an administrator of a single node that federation is not configured, in French and English, on a phone too', async () => {
    const admin = await newUser(server.vigie.ctx, { org: 'CONF', role: 'admin', clearance: 0, login: 'e2e.admin.federation' });
    const page = await signInNewAdminPage(browser.context, server.url, admin);

    await nav(page).getByRole('link', { name: 'Fédération' }).click();
    await page.getByRole('heading', { name: 'Liens de la fédération' }).waitFor();
    expect(await page.getByTestId('federation-single').innerText()).toBe('Ce serveur fonctionne seul : la fédération n’est pas configurée (voir docs/federation.md).');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'federation-fr.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'federation-fr-390.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Federation links' }).waitFor();
    expect(await page.getByTestId('federation-single').innerText()).toBe('This server runs on its own: federation is not configured (see docs/federation.md).');
    await page.screenshot({ path: path.join(SHOTS, 'federation-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'federation-en.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 240_000);

  it('is not in the menu of a confederation analyst, and refuses them the page', async () => {
    await browser.context.clearCookies();
    const analyst = await newUser(server.vigie.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'e2e.analyste.federation' });
    const page = await signIn(analyst.login, analyst.password);
    await page.getByTestId('who').waitFor();
    expect(await nav(page).getByRole('link', { name: 'Fédération' }).count()).toBe(0);
    // A single node holds nothing from the confederation: no « Confédération » entry either (a national node's page).
    expect(await nav(page).getByRole('link', { name: 'Confédération' }).count()).toBe(0);
    await page.goto(`${server.url}/federation`);
    await page.getByText('Vous n’avez pas accès à cette page.').waitFor();
    expect(await page.getByTestId('federation-single').count()).toBe(0);
    await page.close();
  }, 120_000);
});
