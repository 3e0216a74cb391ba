/** Signing in through the real sign-in form, as a user does: one helper for every browser test. */
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
