/**
 * End-to-end: an alert within seconds of the validation that triggers it. Mali's focal point and Niger's have the
 * alerts page open; a Malian analyst validates reports of Mopti (national records) through the API; the rules,
 * evaluated incrementally after commit, raise the spike, and it appears on Mali's open page without reloading, while
 * Niger's page — whose readers may not read Malian national records, so whose figures cross no threshold — never
 * shows it (a flash alert on Niger, sent after it on the same stream, arrives there instead).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { watchIncidentChanges, type ChangeWatcher } from '../apps/server/src/services/alerts/alert-schedule.js';
import { addWeeks, weekStart } from '../apps/server/src/services/alerts/rules.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { signIn } from '../apps/server/src/test-support/http.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { submitSignIn } from './support/sign-in.js';
import { ROOT } from './support/web-build.js';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('alerts live in Chromium', () => {
  let server: RunningServer;
  const browsers: Browser[] = [];
  let watcher: ChangeWatcher;
  let pending: string[] = [];
  const users: Record<'mliFocal' | 'nerFocal' | 'mliAnalyst', { login: string; password: string }> = {} as never;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    // What `serve` starts: the rules evaluated after every change.
    watcher = watchIncidentChanges(ctx, SYSTEM);
    // Two national incidents a week in Mopti for half a year (validated), and twelve reports of this week awaiting review.
    const week = weekStart(new Date());
    const base = { state: 'MLI', classification: 'restricted', sharing_scope: 'national', fatalities_best: 1, civilian_fatalities: 0 } as const;
    const history = [];
    for (let w = 1; w <= 26; w++) for (let k = 0; k < 2; k++) history.push(newIncident({ ...base, occurred_start: addWeeks(week, -w).replace('T00', `T0${k + 1}`) }));
    const now = Date.now();
    const reports = Array.from({ length: 12 }, (_, k) => newIncident({ ...base, occurred_start: new Date(Math.max(Date.parse(week), now - (k + 1) * 600_000)).toISOString() }));
    await importIncidents(ctx, SYSTEM, [
      ...history.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })),
      ...reports.map((input) => ({ input, options: { status: 'submitted' as const, reportingState: 'MLI' } })),
    ]);
    pending = reports.map((r) => r.id);
    await watcher.idle();
    expect((await runAlertRules(ctx, SYSTEM)).alerts).toEqual([]);
    users.mliFocal = await newUser(ctx, { org: 'MLI', role: 'focal_point', clearance: 2, login: 'e2e.direct.mli' });
    users.nerFocal = await newUser(ctx, { org: 'NER', role: 'focal_point', clearance: 2, login: 'e2e.direct.ner' });
    users.mliAnalyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.direct.analyste' });
  });
  afterAll(async () => {
    watcher?.();
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  async function openAlerts(user: { login: string; password: string }) {
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await submitSignIn(page, user);
    await page.getByRole('navigation').getByRole('link', { name: /Alertes/ }).click();
    await page.getByRole('heading', { name: 'Alertes', level: 1 }).waitFor();
    return { page, problems };
  }

  it('shows the alert a validation raises on the open page of the concerned state, and not on another state’s', async () => {
    const mli = await openAlerts(users.mliFocal);
    const ner = await openAlerts(users.nerFocal);
    // The reports are validated through the API, as an analyst's clicks would.
    const analyst = await signIn(server.app, users.mliAnalyst.login, users.mliAnalyst.password);
    for (const id of pending) {
      const res = await analyst.post(`/api/v1/incidents/${id}/validate`, {});
      expect(res.statusCode).toBe(200);
    }
    // Mali's page shows the spike without a reload.
    await mli.page.getByRole('link', { name: /Pic d’incidents — Mopti/ }).waitFor();
    await expect.poll(() => mli.page.getByTestId('alerts-badge').innerText()).toBe('1');
    await mli.page.screenshot({ path: path.join(ROOT, 'docs/screenshots/alerts-live-validated.png'), fullPage: true });

    // Niger's stream carries a later flash alert on Niger, but never Mali's national spike.
    const nerAnalyst = await newUser(server.vigie.ctx, { org: 'NER', role: 'analyst', clearance: 2 });
    await raiseFlashAlert(server.vigie.ctx, nerAnalyst, { title: 'Mouvement signalé vers Ayorou', areas: ['NE006'], severity: 'high' });
    await ner.page.getByRole('link', { name: 'Mouvement signalé vers Ayorou' }).waitFor();
    expect(await ner.page.getByRole('link', { name: /Pic d’incidents — Mopti/ }).count()).toBe(0);
    expect(await ner.page.getByTestId('alerts-table').innerText()).not.toContain('Mopti');
    expect([...mli.problems, ...ner.problems]).toEqual([]);
  }, 300_000);
});
