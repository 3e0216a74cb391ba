/**
 * End-to-end: alerts in the real web app (Chromium): the live badge, the list, an alert page with its baseline chart
 * and evidence, acknowledging for one's state, and a flash alert arriving live (server-sent events).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { addWeeks, weekStart } from '../apps/server/src/services/alerts/rules.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn } from './support/sign-in.js';
import { ROOT } from './support/web-build.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('alerts in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: { login: string; password: string };

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    // Two incidents a week in Mopti for half a year, then a surge this week.
    const week = weekStart(new Date());
    const items = [];
    for (let w = 1; w <= 26; w++) for (let k = 0; k < 2; k++) items.push(newIncident({ state: 'MLI', occurred_start: addWeeks(week, -w).replace('T00', `T0${k + 1}`), classification: 'public', sharing_scope: 'confederation', fatalities_best: 1, civilian_fatalities: 0 }));
    const now = Date.now();
    for (let k = 0; k < 12; k++) items.push(newIncident({ state: 'MLI', occurred_start: new Date(Math.max(Date.parse(week), now - (k + 1) * 600_000)).toISOString(), classification: 'public', sharing_scope: 'confederation', fatalities_best: 1, civilian_fatalities: 0 }));
    await importIncidents(ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })));
    const run = await runAlertRules(ctx, SYSTEM);
    expect(run.alerts.map((a) => a.rule)).toContain('count_spike');
    const u = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.alertes.mli' });
    analyst = { login: u.login, password: u.password };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the badge, the alert with its baseline and evidence, takes the acknowledgement, and receives a flash alert live', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await submitSignIn(page, analyst);
    await expect.poll(() => page.getByTestId('alerts-badge').innerText()).toBe('1');

    await page.getByRole('navigation').getByRole('link', { name: /Alertes/ }).click();
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    await table.getByRole('link', { name: /Pic d’incidents — Mopti/ }).click();
    await page.getByTestId('alert-statistics').locator('summary').click();
    await page.getByTestId('alert-observed').waitFor();
    expect(await page.getByTestId('alert-observed').innerText()).toContain('12');
    await page.locator('[data-testid="alert-chart"][data-ready="true"]').waitFor();
    // The evidence table loads after the chart: wait for its rows rather than count them at once.
    await expect.poll(() => page.getByTestId('alert-evidence').locator('tbody tr').count()).toBe(12);
    await page.getByRole('button', { name: 'Accuser réception pour Mali' }).click();
    await expect.poll(() => page.getByTestId('alert-states').innerText()).toContain('accusé de réception le');
    await expect.poll(async () => page.getByTestId('alerts-badge').count()).toBe(0);
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/alert-page.png'), fullPage: true });

    // A flash alert raised elsewhere appears in the open list without reloading.
    await page.getByRole('navigation').getByRole('link', { name: /Alertes/ }).click();
    await page.getByTestId('alerts-table').waitFor();
    const nerAnalyst = await newUser(server.vigie.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    await raiseFlashAlert(server.vigie.ctx, nerAnalyst, { title: 'Embuscade signalée près de Ménaka', areas: ['ML10', 'NE006'], severity: 'critical' });
    await page.getByRole('link', { name: 'Embuscade signalée près de Ménaka' }).waitFor();
    await expect.poll(() => page.getByTestId('alerts-badge').innerText()).toBe('1');
    // Each alert names the states it concerns, and whether each has acknowledged it — by name, not by code.
    const row = (name: RegExp | string) => page.getByTestId('alerts-table').locator('tbody tr', { has: page.getByRole('link', { name }) });
    await expect.poll(() => row(/Pic d’incidents — Mopti/).innerText()).toContain('Mali ✓');
    const flash = await row('Embuscade signalée près de Ménaka').innerText();
    expect(flash).toContain('Mali');
    expect(flash).toContain('Niger');
    expect(flash).not.toMatch(/\b(MLI|NER|BFA)\b/);
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/alerts-list.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 240_000);
});
