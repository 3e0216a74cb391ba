/**
 * End-to-end: a reporter registers an ODK Collect device from "Mon compte" in Chromium, gets its server address once,
 * the address serves the OpenRosa form list, and revoking the device cuts it off. Screenshots in French and English,
 * desktop and phone width, go to docs/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');

describe.skipIf(!fs.existsSync(CHROMIUM))('ODK Collect devices in "Mon compte"', () => {
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

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });

  it('creates a device address that serves the form list, and revokes it', async () => {
    const u = await newUser(server.vigie.ctx, { org: 'MLI', role: 'reporter', clearance: 1, login: 'e2e.rapporteur.collect' });
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(u.login);
    await page.getByLabel('Mot de passe').fill(u.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { name: 'Appareils ODK Collect' }).waitFor();
    await page.getByText('Aucun appareil enregistré.').waitFor();
    await page.getByLabel('Nom de l’appareil').fill('Tablette poste de Gao');
    await page.getByRole('button', { name: 'Créer l’adresse de l’appareil' }).click();
    const shown = page.getByTestId('collect-url');
    await shown.waitFor();
    const url = (await shown.locator('code').innerText()).trim();
    expect(url).toMatch(/\/openrosa\/key\/vigie_[\w-]+$/);
    await page.getByText('Tablette poste de Gao', { exact: true }).waitFor();
    await shot(page, 'collect-devices-fr.png');
    expect(await accessibilityProblems(page)).toEqual([]);

    // The address is what Collect is given: its form list answers.
    const key = new URL(url).pathname;
    const list = await server.app.inject({ method: 'GET', url: `${key}/formList`, headers: { 'x-openrosa-version': '1.0' } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<formID>vigie_incident</formID>');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'ODK Collect devices' }).waitFor();
    await shot(page, 'collect-devices-en.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'collect-devices-en-390.png');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: 'Appareils ODK Collect' }).waitFor();
    await shot(page, 'collect-devices-fr-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Révoquer « Tablette poste de Gao »' }).click();
    await page.getByText('Aucun appareil enregistré.').waitFor();
    const after = await server.app.inject({ method: 'GET', url: `${key}/formList`, headers: { 'x-openrosa-version': '1.0' } });
    expect(after.statusCode).toBe(401);
    await page.close();
  }, 300_000);
});
