/**
 * End-to-end: real geography in the browser — place search in the incident form and the list, the choropleth's
 * polygons with a legend, boundaries and place labels from Vigie's own tiles and fonts. Walks the map as an analyst,
 * a confederation analyst and a decision maker, at desktop and phone width, in French and English, and takes the
 * map screenshots of docs/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signInPage } from './support/sign-in.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);

type Account = { login: string; password: string };

/** "layer:count" pairs of what the map draws now (MapView's data-rendered). */
async function rendered(page: Page): Promise<Record<string, number>> {
  const raw = (await page.locator('[data-map-ready="true"]').getAttribute('data-rendered')) ?? '';
  return Object.fromEntries(raw.split(' ').filter(Boolean).map((p) => { const [k, v] = p.split(':'); return [k, Number(v)]; }));
}

/** The place search's list box (not the page's other selects, whose options share the role). */
const places = (page: Page) => page.getByRole('listbox', { name: /Rechercher un lieu|Search for a place/ });

describe.skipIf(!hasChromium)('real geography in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let reporter: Account;
  let analyst: Account;
  let confAnalyst: Account;
  let decider: Account;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    await seedDemo(ctx, { count: 1500, years: 2, endDate: new Date() });
    const mk = async (org: string, role: 'reporter' | 'analyst' | 'confederation_analyst' | 'decision_maker', login: string, clearance = 2) => {
      const u = await newUser(ctx, { org, role, clearance, login });
      return { login: u.login, password: u.password };
    };
    reporter = await mk('NER', 'reporter', 'geo.rapporteur.ner');
    analyst = await mk('MLI', 'analyst', 'geo.analyste.mli');
    confAnalyst = await mk('CONF', 'confederation_analyst', 'geo.analyste.conf', 3);
    decider = await mk('CONF', 'decision_maker', 'geo.decideur.conf', 3);
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (account: Account, viewport?: { width: number; height?: number }): Promise<Page> => signInPage(browser.context, server.url, account, { width: viewport?.width });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });

  it('finds "Tillaberi" without its accent in the incident form and fills coordinates and precision', async () => {
    const page = await signIn(reporter);
    await page.goto(`${server.url}/incidents/new`);
    const box = page.getByRole('combobox', { name: 'Rechercher un lieu' });
    await box.fill('Tillaberi');
    const option = places(page).getByRole('option', { name: /Tillabéri/ }).first();
    await option.waitFor();
    // Results say where the place is (its state at least) and the list box is wired to the input.
    expect(await option.innerText()).toContain('NER');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBeTruthy();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('group', { name: 'Où' }).screenshot({ path: path.join(SHOTS, 'incident-form-place-search.png') });
    // The keyboard chooses: the first result is active, Enter takes it.
    await box.press('Enter');
    expect(Number(await page.getByLabel('Latitude').inputValue())).toBeCloseTo(14.21, 1);
    expect(Number(await page.getByLabel('Longitude').inputValue())).toBeCloseTo(1.45, 1);
    expect(await page.getByLabel('Précision du lieu').inputValue()).toBe('2');
    expect(await page.getByLabel('Nom du lieu').inputValue()).toBe('Tillabéri');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    // The light picker shows the regions' boundaries and the point.
    await page.getByTestId('svg-picker-regions').locator('path').first().waitFor();
    expect(await page.getByTestId('svg-picker-regions').locator('path').count()).toBeGreaterThan(20);
    expect(await page.getByText(/GeoNames/).first().isVisible()).toBe(true);
    // The detailed map opens on the chosen place, with the boundaries and places of Vigie's own tiles.
    await page.getByRole('button', { name: /Carte détaillée/ }).click();
    await page.getByTestId('location-picker').locator('.maplibregl-marker').waitFor({ timeout: 60_000 });
    await page.getByTestId('location-picker').locator('.maplibregl-ctrl-attrib').waitFor();
    await page.close();
  }, 120_000);

  it('filters the incident list on the area of a searched place', async () => {
    const page = await signIn(analyst);
    await page.goto(`${server.url}/incidents`);
    const box = page.getByRole('combobox', { name: 'Rechercher un lieu' });
    await box.fill('mopti');
    await places(page).getByRole('option', { name: /Mopti/ }).first().click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/admin2=ML\d+|admin1=ML\d+/);
    await page.getByTestId('incident-table').or(page.getByText('Aucun résultat.')).first().waitFor();
    await page.close();
  }, 120_000);

  it('draws the choropleth as polygons with a legend, under boundaries and place labels', async () => {
    const page = await signIn(confAnalyst);
    await page.goto(`${server.url}/map?layer=choropleth&measure=incidents&view=detailed`);
    await page.getByTestId('map-legend').waitFor();
    expect(await page.getByTestId('map-legend').innerText()).toMatch(/Incidents par zone/);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await rendered(page))['choro-fill'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(20);
    const r = await rendered(page);
    expect(r['states-line']).toBeGreaterThan(0);
    expect(r['admin1-line']).toBeGreaterThan(0);
    await expect.poll(async () => (await rendered(page)).places ?? 0, { timeout: 30_000 }).toBeGreaterThan(3);
    // Attribution of the boundary and place sources in the map's control.
    expect(await page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('GeoNames');
    await shot(page, 'map-choropleth.png');

    // Admin-2: more, smaller polygons.
    await page.getByRole('radio', { name: 'Cercles / provinces' }).click();
    await expect.poll(async () => (await rendered(page))['choro-fill'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(r['choro-fill']);
    await page.getByRole('radio', { name: 'Régions' }).click();
    await expect.poll(async () => (await rendered(page))['choro-fill'] ?? 0, { timeout: 30_000 }).toBe(r['choro-fill']);

    // Search a place on the map: it flies there, and places and admin-2 names are labelled close in.
    const box = page.getByRole('combobox', { name: 'Rechercher un lieu' });
    await box.fill('Tillaberi');
    await places(page).getByRole('option', { name: /Tillabéri/ }).first().click();
    // The flight ends close in, with the place marked.
    await expect.poll(async () => Number(await page.locator('.map.large').getAttribute('data-zoom')), { timeout: 30_000 }).toBeGreaterThanOrEqual(8.9);
    await page.locator('.maplibregl-marker').waitFor();
    await expect.poll(async () => (await rendered(page)).places ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    // A click on an area: its figures and a link to its incidents (this reader may read the list).
    const canvas = page.locator('.map.large canvas');
    const b = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: b.width / 2 + 20, y: b.height / 2 + 20 } });
    const popup = page.locator('.maplibregl-popup-content');
    await popup.waitFor();
    expect(await popup.innerText()).toMatch(/Incidents/);
    expect(await popup.getByRole('link', { name: 'Voir ces incidents' }).getAttribute('href')).toMatch(/admin1=NE/);
    await shot(page, 'map-place-zoom.png');
    await page.close();
  }, 180_000);

  it('gives a decision maker the choropleth without links to the list, in English and at phone width', async () => {
    const page = await signIn(decider, { width: 390, height: 844 });
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${server.url}/map?layer=choropleth&measure=fatalities&view=detailed`);
    await page.getByTestId('map-legend').waitFor();
    expect(await page.getByTestId('map-legend').innerText()).toMatch(/Fatalities by area/);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await rendered(page))['choro-fill'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(5);
    const canvas = page.locator('.map.large canvas');
    const b = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: b.width / 2, y: b.height / 2 } });
    const popup = page.locator('.maplibregl-popup-content');
    await popup.waitFor();
    expect(await popup.getByRole('link').count()).toBe(0);
    await shot(page, 'map-choropleth-phone-en.png');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 180_000);

  it('shows an analyst clusters over boundaries and place labels', async () => {
    const page = await signIn(analyst);
    await page.goto(`${server.url}/map?view=detailed`);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await rendered(page)).grid ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await rendered(page)).places ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await shot(page, 'map-clusters.png');
    await page.close();
  }, 180_000);

  it('gives a slow link the light choropleth first: polygons, region names, the figures of an area and its list', async () => {
    const page = await signIn(analyst);
    await page.goto(`${server.url}/map?layer=choropleth&view=light`);
    const map = page.getByTestId('svg-area-map');
    await map.waitFor();
    expect(await map.locator('path.area').count()).toBeGreaterThan(20);
    expect(await map.locator('.svg-labels text').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('map-legend').isVisible()).toBe(true);
    // Keyboard: an area is a button; Enter shows its figures and the link to its incidents.
    const mopti = map.getByRole('button', { name: /^Mopti/ });
    await mopti.focus();
    await page.keyboard.press('Enter');
    const card = page.getByTestId('selected-area');
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Mopti — Incidents/);
    expect(await card.getByRole('link', { name: 'Voir ces incidents' }).getAttribute('href')).toMatch(/admin1=ML/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shot(page, 'map-choropleth-light.png');
    // The detailed map is one click away.
    await page.getByRole('button', { name: /Carte détaillée/ }).click();
    await page.locator('.map.large[data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await page.close();
  }, 180_000);
});
