/**
 * End-to-end: the account pages in Debian's Chromium — changing one's password, the forced change of a one-time
 * password, the failed sign-ins told after sign-in, and unlocking a locked account. Screenshots in French and English,
 * desktop and phone width, go to docs/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { createUser } from '../apps/server/src/services/accounts/user.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('account pages in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });

  async function fillSignIn(page: Page, login: string, password: string): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(login);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  }

  it('forces a new password after a one-time one, then lets the administrator enrol the second factor', async () => {
    const { user, password } = await createUser(server.vigie.ctx, SYSTEM, { login: 'e2e.admin.premier', organisation: 'CONF', role: 'admin', clearance: 0, display_name: 'Premier administrateur' });
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await fillSignIn(page, user.login, password!);
    await page.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor();
    await shot(page, 'password-forced-fr.png');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Mot de passe actuel').fill(password!);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('aaaaaaaaaaaa');
    await page.getByLabel('Confirmer le nouveau mot de passe').fill('aaaaaaaaaaaa');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    // Our own message, next to the field, in French.
    await page.getByText('Mot de passe trop facile à deviner : évitez les caractères ou mots répétés').waitFor();
    await shot(page, 'password-weak-fr.png');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'password-forced-en-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('Tamtam-de-Gao-sous-les-étoiles');
    await page.getByLabel('Confirmer le nouveau mot de passe').fill('Tamtam-de-Gao-sous-les-étoiles');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByRole('heading', { name: 'Activer le second facteur' }).waitFor();
    await page.getByRole('button', { name: 'Générer la clé' }).click();
    const secret = await page.getByTestId('totp-secret').innerText();
    await page.getByLabel('Premier code affiché').fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate());
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.close();

    // The one-time password no longer opens the account.
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: user.login, password: password! } });
    expect(res.statusCode).toBe(401);
  });

  it('tells the owner of failed sign-ins and lets them change their password from "Mon compte"', async () => {
    const u = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', login: 'e2e.analyste.compte' });
    for (let i = 0; i < 3; i++) {
      await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: u.login, password: `mauvais-essai-${i}` } });
    }
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await fillSignIn(page, u.login, u.password);
    const warning = page.getByTestId('failed-attempts');
    await warning.waitFor();
    expect(await warning.innerText()).toContain('3 tentatives de connexion ont échoué');
    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await shot(page, 'account-fr.png');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Mot de passe actuel').fill(u.password);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('Les-dunes-de-Tombouctou-au-matin');
    await page.getByLabel('Confirmer le nouveau mot de passe').fill('Les-dunes-de-Tombouctou-au-matin');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByTestId('password-changed').waitFor();
    expect(await page.getByTestId('failed-attempts').count()).toBe(1); // still this session's notice until dismissed
    await page.getByRole('button', { name: 'Masquer' }).click();
    expect(await page.getByTestId('failed-attempts').count()).toBe(0);

    // English, desktop then phone width.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await shot(page, 'account-en.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'account-en-390.png');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await shot(page, 'account-fr-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.close();

    const old = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: u.login, password: u.password } });
    expect(old.statusCode).toBe(401);
  });

  it('shows a locked account to the administrators, who unlock it', async () => {
    const locked = await newUser(server.vigie.ctx, { org: 'NER', role: 'reporter', login: 'e2e.rapporteur.verrou' });
    for (let i = 0; i < 10; i++) {
      await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: locked.login, password: `essai-${i}-faux` }, remoteAddress: `203.0.113.${i + 1}` });
    }
    const focal = await newUser(server.vigie.ctx, { org: 'NER', role: 'focal_point', clearance: 2, login: 'e2e.point-focal.ner' });
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await fillSignIn(page, focal.login, focal.password);
    await page.getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByTestId(`locked-${locked.login}`).waitFor();
    await shot(page, 'users-locked-fr.png');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('row', { name: new RegExp(locked.login) }).getByRole('button', { name: 'Déverrouiller' }).click();
    await page.getByText(`Compte ${locked.login} déverrouillé.`).waitFor();
    // The list reloads after the notice: the badge goes once it has.
    await page.getByTestId(`locked-${locked.login}`).waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'users-fr-390.png');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await shot(page, 'users-en-390.png');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.close();
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: locked.login, password: locked.password } });
    expect(res.statusCode).toBe(200);
  });
});
