/**
 * End-to-end: classification of meetings, decisions and actions, and the re-classify button of the alert page, in
 * Chromium. A confederation analyst records a confidential meeting through the form, its decision takes its level, he
 * lowers it (a reason asked, a confirmation, the new level shown) and cannot choose a level above his clearance; on
 * the alert page he re-classifies an alert after a confirmation. A Malian focal point cleared Restricted does not see
 * the confidential meeting and gets no re-classify control. French and English, 1280 and 390 px; shots in /tmp/shots-coord14/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInPage } from './support/sign-in.js';

const SHOTS = '/tmp/shots-coord14';
const narrow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

describe.skipIf(!fs.existsSync(CHROMIUM))('classification of coordination objects and alerts, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets a confederation analyst classify a meeting, lower it with a reason after a confirmation, and re-classify an alert', async () => {
    const staff = await newUser(server.vigie.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2, login: 'e2e.conf.classif' });
    const page = await signInPage(browser.context, server.url, staff, { lang: 'fr' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/coordination`);
    const form = page.getByRole('form', { name: 'Enregistrer une réunion' });
    await form.getByLabel('Intitulé').fill('Réunion du comité d’experts sur le renseignement');
    await form.getByLabel('Date').fill('2026-03-10');
    await form.getByLabel('Lieu').fill('Ouagadougou');
    // The states by their names (checkboxes), never codes to type.
    const states = form.getByRole('group', { name: 'États participants' });
    await states.getByLabel('Mali').check();
    await states.getByLabel('Burkina Faso').check();
    // Secret is above this analyst's clearance: offered but not choosable.
    expect(await form.getByLabel('Classification').locator('option[value="secret"]').isDisabled()).toBe(true);
    await form.getByLabel('Classification').selectOption('confidential');
    await form.getByRole('button', { name: 'Créer' }).click();
    const link = page.getByRole('link', { name: 'Réunion du comité d’experts sur le renseignement' });
    await link.waitFor();
    expect(await page.getByRole('listitem').filter({ has: link }).getByTestId('level-badge').innerText()).toBe('Confidentiel');
    await page.getByRole('listitem').filter({ has: link }).getByText(/Ouagadougou \(Mali, Burkina Faso\)/).waitFor();
    await link.click();
    await page.getByRole('heading', { level: 1, name: /Réunion du comité d’experts/ }).waitFor();
    await page.getByText(/Participants\s?: Mali, Burkina Faso$/).waitFor();

    // A decision takes the meeting's level by default.
    await page.getByLabel('Texte de la décision').fill('Mettre en commun les analyses des menaces transfrontalières');
    await page.getByRole('button', { name: 'Ajouter une décision' }).click();
    await page.getByRole('heading', { level: 3, name: /D1 — Mettre en commun/ }).waitFor();
    expect(await page.getByRole('heading', { level: 3, name: /D1/ }).getByTestId('level-badge').innerText()).toBe('Confidentiel');
    // An action for a state chosen by name, and shown by name in the decision's actions.
    const action = page.getByRole('form', { name: 'Ajouter une action' });
    await action.getByLabel('Action').fill('Désigner un point de contact renseignement');
    await action.getByLabel('État responsable').selectOption({ label: 'Burkina Faso' });
    await action.getByLabel('Échéance').fill('2026-04-30');
    await action.getByRole('button', { name: 'Ajouter une action' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Désigner un point de contact renseignement' });
    await row.getByRole('cell', { name: 'Burkina Faso', exact: true }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'meeting-confidential-fr-1280.png'), fullPage: true });

    // Lowering the meeting: a confirmation saying more readers will see it, and a reason.
    const control = page.getByTestId('meeting-reclassify');
    await control.getByLabel('Nouvelle classification').selectOption('restricted');
    await control.getByRole('button', { name: 'Reclassifier…' }).click();
    await control.getByText('Abaisser de « Confidentiel » à « Diffusion restreinte » ? Davantage de lecteurs le verront.').waitFor();
    await control.getByLabel('Motif (obligatoire pour abaisser)').fill('Compte rendu diffusé aux États participants');
    await page.screenshot({ path: path.join(SHOTS, 'meeting-reclassify-confirm-fr-1280.png'), fullPage: true });
    await control.getByRole('button', { name: 'Confirmer la reclassification' }).click();
    await control.getByRole('status').getByText('Classification enregistrée : Diffusion restreinte').waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).getByTestId('level-badge').innerText()).toBe('Diffusion restreinte');
    // The decision stays where it was (never below its meeting).
    expect(await page.getByRole('heading', { level: 3, name: /D1/ }).getByTestId('level-badge').innerText()).toBe('Confidentiel');
    await page.setViewportSize({ width: 390, height: 844 });
    await narrow(page);
    await page.screenshot({ path: path.join(SHOTS, 'meeting-fr-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('meeting-reclassify').getByText('Classification saved: Restricted').waitFor();
    await narrow(page);
    await page.screenshot({ path: path.join(SHOTS, 'meeting-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'meeting-en-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();

    // The alert page: re-classify after a confirmation; the new level shown.
    const alert = await raiseFlashAlert(server.vigie.ctx, staff, { title: 'Mouvements armés vers Ansongo', areas: ['ML05'] });
    await page.goto(`${server.url}/alerts/${alert.id}`);
    await page.getByRole('heading', { level: 1, name: 'Mouvements armés vers Ansongo' }).waitFor();
    expect(await page.getByTestId('alert-classification').innerText()).toBe('Classification actuelle : Diffusion restreinte');
    const re = page.getByTestId('alert-reclassify');
    await re.getByLabel('Nouvelle classification').selectOption('confidential');
    await re.getByRole('button', { name: 'Reclassifier…' }).click();
    await re.getByText(/Passer de « Diffusion restreinte » à « Confidentiel » \? Les lecteurs non habilités/).waitFor();
    await re.getByRole('button', { name: 'Confirmer la reclassification' }).click();
    await re.getByRole('status').getByText('Classification enregistrée : Confidentiel').waitFor();
    await expect.poll(() => page.getByTestId('alert-classification').innerText()).toBe('Classification actuelle : Confidentiel');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'alert-reclassified-fr-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await narrow(page);
    await page.screenshot({ path: path.join(SHOTS, 'alert-reclassified-fr-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('alert-classification').getByText('Current classification: Confidential').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'alert-reclassified-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'alert-reclassified-en-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('shows a Malian focal point cleared Restricted the meetings at his level only, with no re-classify control', async () => {
    const focal = await newUser(server.vigie.ctx, { org: 'MLI', role: 'focal_point', clearance: 1, login: 'e2e.pf.mli.classif' });
    const page = await signInPage(browser.context, server.url, focal, { lang: 'fr', width: 390 });
    await page.goto(`${server.url}/coordination`);
    await page.getByRole('heading', { level: 1, name: 'Suivi des décisions' }).waitFor();
    const link = page.getByRole('link', { name: 'Réunion du comité d’experts sur le renseignement' });
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { level: 1, name: /Réunion du comité d’experts/ }).waitFor();
    // The confidential decision is not shown; nothing to re-classify.
    expect(await page.getByRole('heading', { level: 3 }).count()).toBe(0);
    expect(await page.getByTestId('no-decisions').innerText()).toBe('Aucune décision que votre habilitation permette de lire.');
    expect(await page.getByTestId('meeting-reclassify').count()).toBe(0);
    await narrow(page);
    await page.screenshot({ path: path.join(SHOTS, 'meeting-focal-fr-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Decisions' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'meeting-focal-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'meeting-focal-en-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 120_000);
});
