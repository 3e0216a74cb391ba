/**
 * End-to-end: the « Découpages » page of a reference manager, in Chromium. After a second Mali set is imported with a
 * validity date and its re-placement job fails (the database refuses the writes), the page lists both sets with their
 * validity and the failed job with its error; the administrator retries it and watches it finish. French and English,
 * desktop and phone width (screenshots in /tmp/geo-shots).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBoundaries } from '../apps/server/src/services/geography/gazetteer.service.js';
import { runReplacementJob, startReplacementJob } from '../apps/server/src/services/geography/replacement-job.service.js';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { at, maliWithMoptiSplit } from '../apps/server/src/test-support/boundary-sets.js';
import { refuseUpdates } from '../apps/server/src/test-support/failing-writes.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInNewAdminPage } from './support/sign-in.js';

const SHOTS = process.env.VIGIE_SHOTS ?? '/tmp/geo-shots';

describe.skipIf(!fs.existsSync(CHROMIUM))('the boundary sets page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let allow: () => Promise<void>;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    const analyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    for (const [area, day] of [['ML0504', '2024-03-01'], ['ML0504', '2025-09-01'], ['ML0502', '2024-05-10']] as const) {
      await createIncident(ctx, analyst, newIncident({ ...at(area), occurred_start: `${day}T08:00:00Z` }));
    }
    await importBoundaries(ctx, SYSTEM, maliWithMoptiSplit(), { state: 'MLI', level: 1, codeField: 'code', nameField: 'name', validFrom: '2025-07-01', source: 'e2e:mali-2023' });
    const job = await startReplacementJob(ctx, SYSTEM, 'import mali-2023.geojson');
    allow = await refuseUpdates(ctx.engine, 'incidents', 'espace disque insuffisant');
    expect(await runReplacementJob(ctx, SYSTEM, job.id, { log: () => undefined })).toMatchObject({ status: 'failed' });
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the sets with their validity and a failed job with its error; the administrator retries it to its end', async () => {
    const admin = await newUser(server.vigie.ctx, { org: 'CONF', role: 'admin', clearance: 0, login: 'e2e.admin.decoupages' });
    // An administrator enrols the second factor first.
    const page = await signInNewAdminPage(browser.context, server.url, admin);

    await page.getByRole('navigation', { name: /Navigation principale/ }).getByRole('link', { name: 'Découpages' }).click();
    await page.getByRole('heading', { name: 'Découpages administratifs' }).waitFor();
    const sets = page.getByTestId('boundary-sets');
    await sets.waitFor();
    expect(await sets.getByRole('row', { name: /Mali — découpage du 1er juillet 2025/ }).innerText()).toMatch(/Mali\s+Mali — découpage du 1er juillet 2025\s+1er juillet 2025\s+en vigueur/);
    expect(await sets.getByRole('row', { name: /Mali — cercles OCHA 2015/ }).innerText()).toMatch(/sans date de début\s+30 juin 2025/);
    const failed = page.getByTestId('job-failed');
    await failed.waitFor();
    expect(await failed.innerText()).toContain('En échec');
    expect(await failed.innerText()).toContain('espace disque insuffisant');
    expect(await failed.innerText()).not.toMatch(/\.(ts|js):\d+/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'gazetteer-failed-fr-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'gazetteer-failed-fr-390.png'), fullPage: true });

    // The disk has room again: the administrator retries, and the job finishes from its last committed batch.
    await allow();
    await failed.getByRole('button', { name: 'Relancer' }).click();
    await page.getByText('Tâche relancée : elle reprend à son dernier lot enregistré.').waitFor();
    await page.getByTestId('job-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('job-done').innerText()).toMatch(/Terminée[\s\S]*3 \/ 3 \(100 %\)[\s\S]*3 incidents replacés/);
    await page.screenshot({ path: path.join(SHOTS, 'gazetteer-done-fr-390.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Administrative boundaries' }).waitFor();
    expect(await page.getByTestId('boundary-sets').innerText()).toContain('Mali — boundaries of 1 July 2025');
    expect(await page.getByTestId('job-done').innerText()).toMatch(/Done[\s\S]*3 incidents moved/);
    await page.screenshot({ path: path.join(SHOTS, 'gazetteer-done-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'gazetteer-done-en-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 240_000);
});
