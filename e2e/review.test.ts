/**
 * End-to-end: a Mali analyst's review queue (total, sort, filter, pages), the field-by-field merge of a duplicate with
 * its preview and undo, and the history of both records in French and English, desktop and phone width.
 * Screenshots go to /tmp/review-shots (a few are kept in docs/screenshots).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signInPage, type Account } from './support/sign-in.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = process.env.VIGIE_SHOTS ?? '/tmp/review-shots';
const DOCS = path.join(ROOT, 'docs/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('review queue, merge and history in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: { login: string; password: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    const reporter = await newUser(ctx, { org: 'MLI', role: 'reporter', clearance: 2 });
    const u = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.analyste.revue' });
    analyst = { login: u.login, password: u.password };
    // 27 ordinary reports spread over Mali and a month, then the case of the issue at Sabon Tenda.
    for (let k = 0; k < 27; k++) {
      await createIncident(ctx, reporter, newIncident({
        latitude: 14.4 + (k % 9) * 0.2, longitude: -5.0 + Math.floor(k / 9) * 0.7, occurred_start: `2026-0${1 + (k % 3)}-${String(1 + k).padStart(2, '0')}T08:00:00Z`,
        place_name: `Village ${k + 1}`, fatalities_best: k % 4, civilian_fatalities: k % 4,
      }));
    }
    const at = { latitude: 14.71, longitude: -3.62, occurred_start: '2026-04-10T06:00:00Z' };
    ids.attack = (await createIncident(ctx, reporter, newIncident({
      ...at, place_name: 'Sabon Tenda', fatalities_best: 11, civilian_fatalities: 11, injured: 4, narrative: 'Attaque du village à l’aube ; onze civils tués.',
      sources: [{ name: 'Mairie de Sabon Tenda', kind: 'local_authority', reliability: 'B', credibility: 2 }],
    }))).incident.id;
    ids.radio = (await createIncident(ctx, reporter, newIncident({
      ...at, occurred_start: '2026-04-10T09:00:00Z', place_name: 'Sabon Tenda (radio)', fatalities_best: 0, civilian_fatalities: 0, injured: 0,
      narrative: 'La radio locale signale une attaque contre Sabon Tenda, bilan inconnu.',
      sources: [{ name: 'Radio locale', kind: 'media', reliability: 'C', credibility: 3 }],
    }))).incident.id;
    ids.abduction = (await createIncident(ctx, reporter, newIncident({
      ...at, place_name: 'Sabon Tenda (enlèvement)', sub_event_type: 'abduction_forced_disappearance', fatalities_best: 0, civilian_fatalities: 0, injured: 0, abducted: 5,
      narrative: 'Cinq habitants enlevés.',
    }))).incident.id;
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = async (page: Page, name: string, keep = false) => {
    await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
    if (keep) fs.copyFileSync(path.join(SHOTS, name), path.join(DOCS, name));
  };
  const signIn = (): Promise<Page> => signInPage(browser.context, server.url, analyst);
  const total = (page: Page) => page.getByTestId('review-total').innerText();

  it('counts, sorts, filters and pages the whole queue', async () => {
    const page = await signIn();
    await page.getByRole('link', { name: 'File de revue' }).click();
    await page.getByText('30 rapports en attente').waitFor();
    expect(await total(page)).toContain('1–25 sur 30');
    expect(await page.getByTestId('review-queue').locator('> li').count()).toBe(25);
    await shot(page, 'review-queue-fr.png');
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.getByText('26–30 sur 30').waitFor();
    expect(await page.getByTestId('review-queue').locator('> li').count()).toBe(5);
    await page.getByRole('button', { name: 'Page précédente' }).click();
    await page.getByText('1–25 sur 30').waitFor();
    await page.getByLabel('Trier par').selectOption('-fatalities_best');
    await page.getByTestId('review-queue').locator('> li').first().getByText('Sabon Tenda', { exact: false }).waitFor();
    expect(await page.getByTestId('review-queue').locator('> li').first().innerText()).toContain('Tués : 11');
    await page.getByLabel('Sous-type').selectOption({ label: 'Enlèvement / disparition forcée' });
    await page.getByText('1 rapport en attente').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'review-queue-fr-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.close();
  }, 120_000);

  it('proposes the same attack, not the abduction, says why, and merges only after a field-by-field comparison; then undoes it', async () => {
    const page = await signIn();
    await page.goto(`${server.url}/review?sort=-fatalities_best`);
    const radio = page.getByTestId('review-queue').locator('li', { hasText: 'Sabon Tenda (radio)' });
    await radio.getByRole('button', { name: 'Doublons probables' }).click();
    const why = radio.getByTestId('duplicate-why');
    await why.first().waitFor();
    expect(await why.count()).toBe(1);
    expect(await why.first().innerText()).toContain('même sous-type, acteurs en commun, bilans différents');
    expect(await radio.innerText()).not.toContain('Sabon Tenda (enlèvement)');
    await radio.getByRole('button', { name: 'Comparer et fusionner…' }).click();
    const dialog = radio.getByTestId('merge-dialog');
    await dialog.locator('tr[data-field="fatalities_best"] output').waitFor();
    // Nothing is merged yet; the kept record keeps its 11 deaths by default, and the sources are united.
    expect(await dialog.locator('tr[data-field="fatalities_best"] output').innerText()).toBe('11');
    expect(await dialog.locator('tr[data-field="sources"] output').innerText()).toContain('Radio locale');
    expect(await dialog.locator('tr[data-field="sources"] output').innerText()).toContain('Mairie de Sabon Tenda');
    await shot(page, 'merge-dialog-fr.png', true);
    // Choosing the radio's toll shows 0 in the preview; back to the kept record's 11.
    await dialog.getByRole('radio', { name: 'Tués (meilleure estimation) — Ce rapport (fusionné)', exact: true }).check();
    await dialog.locator('tr[data-field="fatalities_best"] output', { hasText: /^0$/ }).waitFor();
    await dialog.getByRole('radio', { name: 'Tués (meilleure estimation) — Incident conservé', exact: true }).check();
    await dialog.locator('tr[data-field="fatalities_best"] output', { hasText: '11' }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'merge-dialog-fr-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole('button', { name: 'Confirmer la fusion' }).click();
    await page.getByText('Rapport fusionné dans l’incident conservé.').waitFor();
    await page.getByText('29 rapports en attente').waitFor();

    // The kept record: 11 killed, both sources, and a history in French naming the merged report.
    await page.getByRole('link', { name: 'Ouvrir l’incident conservé' }).click();
    const details = page.getByTestId('incident-details');
    await details.waitFor();
    expect(await details.innerText()).toMatch(/Tués \(meilleure estimation\)\s*11/);
    const history = page.getByTestId('history');
    await history.getByText('Fusion (incident conservé)').waitFor();
    const text = await history.innerText();
    expect(text).toContain('A repris le rapport fusionné');
    expect(text).toContain('Radio locale');
    expect(text).not.toMatch(/merged|absorb|sources\b|narrative/);
    await shot(page, 'history-kept-fr.png');

    // The merged report: closed, its history in French, and undone by the analyst.
    await page.goto(`${server.url}/incidents/${ids.radio}`);
    await page.getByTestId('merged-notice').waitFor();
    await page.getByTestId('history').getByText(/— Fusion —/).waitFor();
    const merged = await page.getByTestId('history').innerText();
    expect(merged).toMatch(/Statut\s+Soumis\s+Fusionné/);
    expect(merged).not.toMatch(/Enregistrer comme|submitted|merged_into|merged into/);
    await page.getByRole('button', { name: 'Annuler la fusion' }).click();
    await page.getByTestId('history').getByText('Annulation de fusion').waitFor();
    expect(await page.getByTestId('incident-details').innerText()).toContain('Soumis');
    await shot(page, 'history-undone-fr.png', true);
    const kept = await (await page.request.get(`${server.url}/api/v1/incidents/${ids.attack}`)).json() as { fatalities_best: number; sources: unknown[]; version: number };
    expect(kept).toMatchObject({ fatalities_best: 11, version: 3 });
    expect(kept.sources).toHaveLength(1);

    // The same pages in English.
    await page.getByRole('button', { name: 'English' }).click();
    const en = page.getByTestId('history');
    await en.getByText(/— Merge undone —/).waitFor();
    const enText = await en.innerText();
    expect(enText).toMatch(/Status\s+Submitted\s+Merged/);
    expect(enText).not.toMatch(/Soumis|Fusionné|merged_into/);
    await shot(page, 'history-undone-en.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'history-undone-en-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/review?sort=-fatalities_best`);
    const again = page.getByTestId('review-queue').locator('li', { hasText: 'Sabon Tenda (radio)' });
    await again.getByRole('button', { name: 'Likely duplicates' }).click();
    await again.getByRole('button', { name: 'Compare and merge…' }).click();
    await again.getByTestId('merge-dialog').locator('tr[data-field="fatalities_best"] output').waitFor();
    expect(await again.getByTestId('merge-dialog').innerText()).toContain('Kept incident');
    await shot(page, 'merge-dialog-en.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'merge-dialog-en-390.png');
    await again.getByTestId('merge-dialog').screenshot({ path: path.join(SHOTS, 'merge-dialog-only-en-390.png') });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 180_000);

  it("offers a report's likely duplicates on its own page, each compared in one click, with no id to copy", async () => {
    const page = await signIn();
    await page.goto(`${server.url}/incidents/${ids.radio}`);
    const list = page.getByTestId('likely-duplicates');
    const attack = list.getByRole('listitem').filter({ hasText: 'Attaque — Sabon Tenda' });
    await attack.getByText(/Ressemblance\s:\s\d+\s%/).waitFor();
    // The abduction at the same place and time is another kind of event: not proposed.
    expect(await list.getByText('Sabon Tenda (enlèvement)').count()).toBe(0);
    await shot(page, 'detail-duplicates-fr-1280.png');
    await attack.getByRole('button', { name: 'Comparer' }).click();
    const dialog = page.getByTestId('merge-dialog');
    await dialog.locator('tr[data-field="fatalities_best"] output').waitFor();
    expect(await dialog.innerText()).toContain('Incident conservé');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await list.getByText(/Likeness:\s\d+\s?%/).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'detail-duplicates-en-390.png');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  });

  it('offers the sub-types alphabetically, with a search box that brings the type along', async () => {
    const page = await signIn();
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Type d’événement').selectOption({ label: 'Violences contre les civils' });
    const options = await page.getByLabel('Sous-type', { exact: true }).locator('option').allInnerTexts();
    expect(options).toEqual(['— choisir —', 'Attaque', 'Enlèvement / disparition forcée', 'Violences sexuelles']);
    await page.getByLabel('Type d’événement').selectOption('');
    await page.getByLabel('Rechercher un sous-type').fill('engin');
    await page.getByLabel('Sous-type', { exact: true }).selectOption({ label: 'Engin explosif / mine / EEI' });
    expect(await page.getByLabel('Type d’événement').inputValue()).toBe('explosions_remote_violence');
    await shot(page, 'form-sub-type-search-fr.png');
    await page.close();
  }, 60_000);
});
