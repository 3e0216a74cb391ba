/** Signing in through the real sign-in form, as a user does: one helper for every browser test. */
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';

export interface Account {
  login: string;
  password: string;
}

export interface SignInOptions {
  /** The interface language, chosen before the form is shown (stored as the web app stores it). Default: French. */
  lang?: 'fr' | 'en';
  /** The window's width (a phone is 390); the height follows. Default: the context's viewport. */
  width?: number;
}

/** Fills and sends the sign-in form of a page showing it, in the form's language, and waits for the signed-in header. */
export async function submitSignIn(page: Page, account: Account, lang: 'fr' | 'en' = 'fr'): Promise<void> {
  await page.getByLabel(lang === 'fr' ? 'Identifiant' : 'Login').fill(account.login);
  await page.getByLabel(lang === 'fr' ? 'Mot de passe' : 'Password').fill(account.password);
  await page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}

/** A new page of `context`, signed in as `account` on the server at `url`, after any previous session is dropped. */
export async function signInPage(context: BrowserContext, url: string, account: Account, options: SignInOptions = {}): Promise<Page> {
  const lang = options.lang ?? 'fr';
  await context.clearCookies();
  const page = await context.newPage();
  if (options.width) await page.setViewportSize({ width: options.width, height: options.width < 600 ? 844 : 900 });
  await page.goto(url);
  await page.evaluate((l) => localStorage.setItem('vigie.lang', l), lang);
  await page.reload();
  await submitSignIn(page, account, lang);
  return page;
}

/**
 * A new page signed in, in French, as an administrator who has not enrolled the second factor yet: the form asks for it
 * first, the helper generates the key and confirms the first code, and waits for the signed-in header.
 */
export async function signInNewAdminPage(context: BrowserContext, url: string, account: Account): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => localStorage.setItem('vigie.lang', 'fr'));
  await page.reload();
  await page.getByLabel('Identifiant').fill(account.login);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Générer la clé' }).click();
  const secret = await page.getByTestId('totp-secret').innerText();
  await page.getByLabel('Premier code affiché').fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate());
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByTestId('who').waitFor();
  return page;
}
