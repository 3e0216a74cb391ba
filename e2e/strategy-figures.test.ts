/**
 * End-to-end: official figures do not depend on who reads them. The demo's final evaluation gives byte-identical PDF
 * reports to the confederation analyst, a Mali focal point and the CLI; its cover names the audience and the freezing
 * date; a reader outside an evaluation's audience gets a 403, not the figures. The strategy, indicator, evaluation and
 * dashboard pages say whose view live figures are, mark the running period and write definitions and units in words
 * (three accounts, fr and en, desktop and 390 px).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInPage } from './support/sign-in.js';
import { writeReport } from '../apps/server/src/cli/commands/strategy.js';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { createEvaluation, listStrategyEvaluations, patchEvaluation } from '../apps/server/src/services/strategy/strategy.evaluation.service.js';
import { listStrategies } from '../apps/server/src/services/strategy/strategy.service.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = '/tmp/strategy-shots';
type Account = { login: string; password: string };

describe.skipIf(!hasChromium)('official figures and whose view the pages show, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: Account;
  let focalMli: Account;
  let minister: Account;
  let focalBfa: Account;
  let strategyId: string;
  let finalId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-figures-'));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    const ctx = server.vigie.ctx;
    await seedDemo(ctx, { count: 400, seed: 11 });
    analyst = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'e2e.fig.analyste' });
    focalMli = await newUser(ctx, { org: 'MLI', role: 'focal_point', clearance: 3, login: 'e2e.fig.pf-mli' });
    minister = await newUser(ctx, { org: 'CONF', role: 'decision_maker', clearance: 2, login: 'e2e.fig.ministre' });
    focalBfa = await newUser(ctx, { org: 'BFA', role: 'focal_point', clearance: 3, login: 'e2e.fig.pf-bfa' });
    strategyId = (await listStrategies(ctx, SYSTEM))[0]?.id as string;
    finalId = (await listStrategyEvaluations(ctx, SYSTEM, strategyId)).find((e) => e.status === 'final')?.id as string;
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (account: Account, lang: 'fr' | 'en', width: number): Promise<Page> => signInPage(browser.context, server.url, account, { lang, width });

  /** Downloads a URL with the page's session: status and body. */
  const download = (page: Page, url: string) => page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    let s = '';
    for (const x of b) s += String.fromCharCode(x);
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: btoa(s) };
  }, url);

  it('gives the analyst, a Mali focal point and the CLI the same frozen report, its audience and date on the cover', async () => {
    const files: string[] = [];
    for (const account of [analyst, focalMli]) {
      const page = await signIn(account, 'fr', 1280);
      const res = await download(page, `/api/v1/evaluations/${finalId}/report.pdf`);
      expect(res.status).toBe(200);
      const file = path.join(dir, `${account.login}.pdf`);
      fs.writeFileSync(file, Buffer.from(res.body, 'base64'));
      files.push(file);
      await page.close();
    }
    const cli = path.join(dir, 'rapport.pdf');
    await writeReport(server.vigie.ctx, finalId, cli);
    files.push(cli);
    const bytes = files.map((f) => fs.readFileSync(f));
    expect(bytes[1]?.equals(bytes[0] as Buffer)).toBe(true);
    expect(bytes[2]?.equals(bytes[0] as Buffer)).toBe(true);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', cli, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toMatch(/Chiffres établis pour : Confédération des États du Sahel, jusqu.à « Diffusion restreinte » · Données arrêtées le \d+ \S+ 2026 à \d\d:\d\d UTC/);
    // The civilian-harm table has every quarter the chart has (T1 2025 was missing from the PDF's table).
    const civilian = text.slice(text.indexOf('Atteintes aux civils'), text.indexOf('Indicateurs de protection des civils'));
    for (const q of ['T1 2025', 'T2 2025', 'T3 2025', 'T4 2025', 'T1 2026', 'T2 2026', 'T3 2026']) {
      expect(civilian.split(q).length - 1, q).toBeGreaterThanOrEqual(2);
    }
  });

  it('refuses an evaluation computed for Mali to a Burkina focal point with a 403 that says why', async () => {
    const ctx = server.vigie.ctx;
    const e = await createEvaluation(ctx, SYSTEM, strategyId, { period: '2026-Q2', audience: 'MLI', ceiling: 'confidential' });
    await patchEvaluation(ctx, SYSTEM, e.id, { version: e.version, status: 'final' });
    const page = await signIn(focalBfa, 'fr', 1280);
    const res = await download(page, `/api/v1/evaluations/${e.id}/report.pdf`);
    expect(res.status).toBe(403);
    expect(res.type).toContain('application/problem+json');
    expect(Buffer.from(res.body, 'base64').toString('utf8')).toContain('votre habilitation ne permet pas de la lire');
    await page.goto(`${server.url}/strategy/evaluations/${e.id}`);
    await expect.poll(() => page.getByRole('alert').first().innerText(), { timeout: 30_000 }).toContain('habilitation');
    await page.close();
    const mali = await signIn(focalMli, 'fr', 1280);
    expect((await download(mali, `/api/v1/evaluations/${e.id}/report.pdf`)).status).toBe(200);
    await mali.close();
  });

  const NOTICE = { fr: /^Chiffres visibles avec votre habilitation \(.+, jusqu’à « .+ »\)/, en: /^Figures visible with your clearance \(.+, up to “.+”\)/ };
  const accounts = { analyste: () => analyst, 'pf-mli': () => focalMli, ministre: () => minister };
  for (const [lang, width] of [['fr', 1280], ['en', 390]] as const) {
    for (const [name, account] of Object.entries(accounts)) {
    it(`says whose view the figures are, marks the running period, writes definitions in words: ${name}, ${lang}, ${width} px`, async () => {
      {
        const page = await signIn(account(), lang, width);
        await page.goto(`${server.url}/strategy`);
        await page.getByTestId('axis-A2').waitFor();
        await expect.poll(() => page.getByTestId('clearance-notice').innerText(), { timeout: 30_000 }).toMatch(NOTICE[lang]);
        const body = await page.locator('main').innerText();
        expect(body).not.toMatch(/-\d+ %/);
        expect(body).toContain(lang === 'fr' ? 'plus bas = mieux' : 'lower is better');
        // A confederation total built from the states that declared says so, and is not rated.
        const coverage = await page.getByTestId('coverage').allInnerTexts();
        expect(coverage.length).toBeGreaterThan(0);
        for (const c of coverage) expect(c).toMatch(lang === 'fr' ? /^(\d États? sur 3 (a|ont) déclaré|aucun des 3 États n’a déclaré)$/ : /^(\d of 3 states reported|none of the 3 states reported)$/);
        await page.screenshot({ path: `${SHOTS}/strategy-${name}-${lang}-${width}.png`, fullPage: width < 600 });
        expect(await accessibilityProblems(page)).toEqual([]);

        // The evaluations: the final one says its figures are official and frozen, the draft one that they are provisional.
        await page.goto(`${server.url}/strategy/evaluations/${finalId}`);
        await expect.poll(() => page.getByTestId('evaluation-audience').innerText(), { timeout: 30_000 })
          .toMatch(lang === 'fr' ? /^Chiffres officiels établis pour Confédération des États du Sahel, jusqu’à « Diffusion restreinte », arrêtés le/ : /^Official figures for .+, up to “Restricted”, frozen on/);
        await page.screenshot({ path: `${SHOTS}/evaluation-${name}-${lang}-${width}.png`, fullPage: false });

        // An indicator computed from incidents: its definition in words, its unit translated, the running quarter marked.
        await page.goto(`${server.url}/strategy`);
        await page.getByRole('link', { name: /^I07 — / }).click();
        const def = page.getByTestId('indicator-definition');
        await def.waitFor();
        expect(await def.innerText()).toBe(lang === 'fr'
          ? 'Définition : Nombre de civils tués, par État et pour l’ensemble de la Confédération, par trimestre'
          : 'Definition: Number of civilians killed, per state and for the whole confederation, per quarter');
        const meta = await page.locator('main p.muted').first().innerText();
        expect(meta).toContain(lang === 'fr' ? 'Unité : nombre' : 'Unit: count');
        expect(await page.getByTestId('trend-table').innerText()).toContain(lang === 'fr' ? '(en cours)' : '(in progress)');
        expect(await page.locator('.u-legend').innerText()).not.toMatch(/\bValue\b/);
        await page.screenshot({ path: `${SHOTS}/indicator-${name}-${lang}-${width}.png`, fullPage: width < 600 });
        expect(await accessibilityProblems(page)).toEqual([]);

        await page.goto(`${server.url}/`);
        await expect.poll(() => page.getByTestId('clearance-notice').innerText(), { timeout: 30_000 }).toMatch(NOTICE[lang]);
        await page.screenshot({ path: `${SHOTS}/dashboard-${name}-${lang}-${width}.png`, fullPage: false });
        await page.close();
      }
    }, 300_000);
    }
  }
});
