/**
 * The offline web app in Chromium: reports written with no network survive a reload and a browser restart on the same
 * profile, and reach the server exactly once when the network comes back; a 500 then a 201 loses nothing; a 409 is
 * shown as a conflict with its difference; a 4xx refusal is kept with its reason. Screenshots of the outbox at
 * desktop and phone width, French and English, go to /tmp/outbox-shots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import type { Principal } from '../apps/server/src/services/principal.js';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const SHOTS = process.env.VIGIE_SHOTS_DIR ?? '/tmp/outbox-shots';
const hasChromium = fs.existsSync(CHROMIUM);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('the offline outbox in Chromium', () => {
  let server: RunningServer;
  let reporter: Principal & { password: string };
  let profile: string;
  let context: BrowserContext;

  const open = async (viewport = { width: 1280, height: 900 }, locale = 'fr-FR') => {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, locale });
    return context;
  };
  /** Incidents of the reporter whose narrative starts with `mark`, as the database holds them. */
  const stored = (mark: string) => server.vigie.ctx.engine.db.selectFrom('incidents').select(['id', 'narrative'])
    .where('reporter_id', '=', reporter.userId).where('narrative', 'like', `${mark}%`).execute();

  async function signIn(page: Page) {
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(reporter.login);
    await page.getByLabel('Mot de passe').fill(reporter.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('who').waitFor();
  }

  /** Waits until the service worker controls the page (it precaches the shell on install). */
  async function controlled(page: Page) {
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  }

  async function writeReport(page: Page, narrative: string, where = { lat: '14.4900', lon: '-4.1900' }) {
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Début (heure UTC)').fill(`${yesterday}T09:30`);
    await page.getByLabel('Latitude').fill(where.lat);
    await page.getByLabel('Longitude').fill(where.lon);
    await page.getByLabel('Type d’événement').selectOption({ label: 'Violences contre les civils' });
    await page.getByLabel('Sous-type', { exact: true }).selectOption({ label: 'Attaque' });
    await page.getByLabel('Récit').fill(narrative);
    await page.getByLabel('Nom de la source').fill('Poste de gendarmerie');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
  }

  const pendingText = async (page: Page) => {
    await page.getByTestId('outbox-count').waitFor();
    return page.getByTestId('outbox-count').innerText();
  };

  beforeAll(async () => {
    server = await startServer();
    reporter = await newUser(server.vigie.ctx, { org: 'MLI', role: 'reporter', clearance: 2, login: 'e2e.rapporteur.hors-ligne' });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-outbox-profile-'));
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await server?.stop();
  });

  it('keeps three reports written offline through a reload and a browser restart, and delivers each exactly once', async () => {
    await open();
    let page = await context.newPage();
    await signIn(page);
    await controlled(page);
    await page.goto(`${server.url}/incidents/new`); // the reference data reaches the service worker's cache
    await page.getByLabel('Type d’événement').waitFor();

    await context.setOffline(true);
    for (const n of [1, 2, 3]) {
      await writeReport(page, `Hors ligne ${n} : tirs entendus près du poste.`);
      await page.getByTestId('saved-offline').waitFor();
    }
    expect(await pendingText(page)).toBe('3 signalements en attente d’envoi');
    await page.screenshot({ path: path.join(SHOTS, 'outbox-offline-fr-desktop.png'), fullPage: true });

    await page.reload();
    await page.getByTestId('outbox-count').waitFor();
    expect(await pendingText(page)).toBe('3 signalements en attente d’envoi');
    expect(await stored('Hors ligne')).toEqual([]);

    // The browser is closed and opened again on the same profile, still with no network.
    await context.close();
    await open();
    await context.setOffline(true);
    page = await context.newPage();
    await page.goto(`${server.url}/my-reports`);
    await page.getByTestId('outbox-count').waitFor();
    expect(await pendingText(page)).toBe('3 signalements en attente d’envoi');
    expect(await page.getByTestId('outbox-badge').getAttribute('aria-label')).toBe('3 signalements en attente d’envoi');

    await context.setOffline(false);
    await page.getByText('Aucun signalement en attente d’envoi.').waitFor({ timeout: 30_000 });
    const rows = await stored('Hors ligne');
    expect(rows.map((r) => r.narrative).sort()).toEqual([1, 2, 3].map((n) => `Hors ligne ${n} : tirs entendus près du poste.`));
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    // Sending again (another tab, an old export) creates nothing.
    await page.getByTestId('outbox-send').isDisabled();
    expect(await stored('Hors ligne')).toHaveLength(3);
  }, 240_000);

  it('loses nothing when the server answers 500 then 201', async () => {
    const page = context.pages()[0] ?? await context.newPage();
    let posts = 0;
    await page.route('**/api/v1/incidents', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts += 1;
      if (posts === 1) return route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Erreur interne', status: 500, code: 'internal' }) });
      return route.continue();
    });
    await writeReport(page, 'Erreur 500 puis 201 : convoi arrêté.');
    await page.getByTestId('saved-offline').waitFor();
    await page.getByText('Aucun signalement en attente d’envoi.').waitFor({ timeout: 30_000 });
    expect(posts).toBe(2);
    expect(await stored('Erreur 500')).toHaveLength(1);
    await page.unroute('**/api/v1/incidents');
  }, 120_000);

  it('shows a 409 as a conflict with the difference, and keeps a 4xx refusal with its reason', async () => {
    const page = context.pages()[0] ?? await context.newPage();
    // Someone (an import, another device) stored other content under the same id just before this report arrives.
    await page.route('**/api/v1/incidents', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const body = route.request().postDataJSON() as { id: string };
      await createIncident(server.vigie.ctx, reporter, newIncident({ id: body.id, state: 'MLI', narrative: 'Version déjà sur le serveur.' }));
      return route.continue();
    });
    await writeReport(page, 'Conflit : version de l’appareil.');
    await page.getByTestId('outbox-conflict').waitFor();
    const conflict = await page.getByTestId('outbox-conflict').innerText();
    expect(conflict).toContain('Version déjà sur le serveur.');
    expect(conflict).toContain('Conflit : version de l’appareil.');
    await page.unroute('**/api/v1/incidents');

    // Dakar is outside the member states: the server refuses the report (422) and it stays, with the reason in French.
    await writeReport(page, 'Refusé : lieu hors des États membres.', { lat: '14.7000', lon: '-17.4400' });
    await page.getByRole('alert').filter({ hasText: 'Lieu hors des États membres' }).first().waitFor();
    await page.goto(`${server.url}/my-reports`);
    const reason = page.getByTestId('outbox-reason');
    await reason.waitFor();
    expect(await reason.innerText()).toContain('Lieu hors des États membres');
    expect(await page.locator('[data-testid=outbox-item][data-state=rejected]').count()).toBe(1);
    expect(await page.locator('[data-testid=outbox-item][data-state=conflict]').count()).toBe(1);
    expect(await stored('Refusé')).toEqual([]);

    for (const [lang, button] of [['fr', 'Français'], ['en', 'English']] as const) {
      await page.getByRole('button', { name: button }).first().click();
      await page.getByTestId('outbox-count').waitFor();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(SHOTS, `outbox-${lang}-desktop.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(SHOTS, `outbox-${lang}-phone.png`), fullPage: true });
    }
    await page.getByRole('button', { name: /Français|FR/ }).first().click();
  }, 120_000);
  it('keeps an unfinished report on the device as a draft, sends nothing, and sends it once finished', async () => {
    if (!context) await open();
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${server.url}/my-reports`);
    if (await page.getByLabel('Identifiant').isVisible()) await signIn(page);
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Récit').fill('Brouillon : à compléter au poste.');
    await page.getByLabel('Nom de la source').fill('Poste de gendarmerie');
    await page.getByRole('button', { name: 'Garder sur cet appareil' }).click();
    await page.getByTestId('kept-on-device').waitFor();
    const draft = page.locator('[data-testid=outbox-item][data-state=draft]');
    await draft.waitFor();
    expect(await draft.innerText()).toContain('Brouillon : à compléter au poste.');
    expect(await stored('Brouillon')).toEqual([]);

    await draft.getByRole('link', { name: 'Corriger' }).click();
    await expect.poll(() => page.getByLabel('Récit').inputValue(), { timeout: 15_000 }).toBe('Brouillon : à compléter au poste.');
    await page.getByLabel('Début (heure UTC)').fill(`${yesterday}T10:15`);
    await page.getByLabel('Latitude').fill('14.4900');
    await page.getByLabel('Longitude').fill('-4.1900');
    await page.getByLabel('Type d’événement').selectOption({ label: 'Violences contre les civils' });
    await page.getByLabel('Sous-type', { exact: true }).selectOption({ label: 'Attaque' });
    expect(await page.getByLabel('Nom de la source').inputValue()).toBe('Poste de gendarmerie');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(async () => (await stored('Brouillon')).length, { timeout: 30_000 }).toBe(1);
    await page.goto(`${server.url}/my-reports`);
    await page.getByTestId('outbox-count').waitFor();
    expect(await page.locator('[data-testid=outbox-item][data-state=draft]').count()).toBe(0);
  }, 300_000);
});
