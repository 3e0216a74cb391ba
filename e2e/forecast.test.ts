/**
 * End-to-end: the forecast page in the real web app (Chromium): a decision maker sees, for each region, the
 * probability of reaching the threshold next month with the 90 % interval, not only a median.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn } from './support/sign-in.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('forecast page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let reader: { login: string; password: string };

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    // Two years of monthly incidents in Mopti, 10 to 40 deaths a month, up to last month.
    const now = new Date();
    const items = [];
    for (let m = 1; m <= 24; m++) {
      const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 10, 8)).toISOString();
      items.push(newIncident({ state: 'MLI', occurred_start: day, classification: 'public', sharing_scope: 'confederation', fatalities_best: 10 + ((m * 13) % 31), civilian_fatalities: 0 }));
    }
    await importIncidents(ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })));
    const u = await newUser(ctx, { org: 'MLI', role: 'decision_maker', clearance: 1, login: 'e2e.previsions.mli' });
    reader = { login: u.login, password: u.password };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the probability of more than 25 deaths next month with the 90 % interval', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await submitSignIn(page, reader);
    await page.getByRole('navigation').getByRole('link', { name: 'Prévisions' }).click();
    const table = page.getByTestId('forecast-table');
    await table.waitFor();
    const header = await table.locator('thead').innerText();
    expect(header).toContain('Probabilité d’au moins 25 morts');
    expect(header).toContain('Intervalle à 90 %');
    const row = await table.locator('tbody tr').first().innerText();
    expect(row).toContain('Mopti');
    expect(row).toMatch(/\d+ %/);
    expect(row).toMatch(/\d+ – \d+/);
    const sentence = await page.getByTestId('forecast-sentence').innerText();
    expect(sentence).toMatch(/Probabilité de plus de 25 morts en .+ : \d+ % \(entre \d+ et \d+ morts dans 9 cas sur 10\)/);
    expect(problems).toEqual([]);
  });
});
