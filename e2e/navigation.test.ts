/**
 * End-to-end, the router as a reader meets it: a link opened before signing in, the query-string filters, the back and
 * forward buttons, a fixed page beside a page with a parameter (/incidents/new, /incidents/:id), the 404 page, and a
 * reload on a page's own address (the server, or offline the service worker, answers it with the application).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn, type Account } from './support/sign-in.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('moving between pages', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: Account;

  beforeAll(async () => {
    server = await startServer();
    await seedDemo(server.vigie.ctx, { count: 300, years: 1, endDate: new Date() });
    const u = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.analyste.nav' });
    analyst = { login: u.login, password: u.password };
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const path = (page: Page) => { const u = new URL(page.url()); return `${u.pathname}${u.search}`; };
  const rows = (page: Page) => page.locator('[data-testid="incident-table"] tbody tr');

  it('opens a shared link after signing in, and the back and forward buttons retrace the filters and pages', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const shared = '/incidents?states=MLI&status=validated';
    await page.goto(`${server.url}${shared}`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await submitSignIn(page, analyst);
    // The shared page, with its filters, not the dashboard.
    await page.getByRole('heading', { name: 'Incidents', level: 1, exact: true }).waitFor();
    expect(path(page)).toBe(shared);
    await rows(page).first().waitFor();
    expect(await page.getByRole('checkbox', { name: /Mali/ }).first().isChecked()).toBe(true);

    // One incident, then back to the same filtered list, then forward to the incident again.
    await rows(page).first().getByRole('link').first().click();
    await page.getByTestId('history').locator('li').first().waitFor();
    const incident = path(page);
    expect(incident).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
    await page.goBack();
    await rows(page).first().waitFor();
    expect(path(page)).toBe(shared);
    await page.goForward();
    await page.getByTestId('history').locator('li').first().waitFor();
    expect(path(page)).toBe(incident);

    // A reload on the incident's own address shows it again (a deep link).
    await page.reload();
    await page.getByTestId('history').locator('li').first().waitFor();
    expect(path(page)).toBe(incident);
    await page.close();
    // Seven page loads and a sign-in: more than the default minute on a loaded two-core machine.
  }, 180_000);

  it('keeps the dashboard period in the address, and the back button puts the previous one back', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await submitSignIn(page, analyst);
    await page.locator('[data-charts-ready="true"]').waitFor();
    const period = page.getByLabel('Période', { exact: true });
    expect(await period.inputValue()).toBe('12');
    await period.selectOption('24');
    await page.waitForURL((u) => u.searchParams.get('months') === '24');
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('months'));
    expect(await period.inputValue()).toBe('12');
    await page.close();
  });

  it('opens the new-incident form at /incidents/new, and says a page is missing at an unknown address', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/incidents/new`);
    await submitSignIn(page, analyst);
    await page.getByRole('heading', { name: 'Nouvel incident' }).waitFor();
    await page.goto(`${server.url}/nulle-part/ici`);
    await page.getByRole('alert').filter({ hasText: 'Page introuvable.' }).waitFor();
    // An incident that does not exist (or that the reader may not see) is said in French, not with the server's note.
    await page.goto(`${server.url}/incidents/00000000-0000-4000-8000-000000000000`);
    const missing = page.getByRole('alert').filter({ hasText: 'Introuvable' });
    await missing.waitFor();
    expect(await missing.innerText()).toBe('Introuvable — Cet élément n’existe pas, ou vous n’y avez pas accès.');
    // The header's links still lead somewhere, without a reload.
    await page.getByRole('navigation').getByRole('link', { name: 'Incidents', exact: true }).click();
    await rows(page).first().waitFor();
    expect(path(page)).toBe('/incidents');
    await page.close();
  });
});
