/**
 * End-to-end: an alert reads in plain words in the reader's language (French and English, desktop and phone), its
 * statistics folded in a details section in locale formats, its map outlining the alerted area; the incident form's
 * validation speaks the reader's language. Screenshots under /tmp/vigie-language-shots.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { addWeeks, weekStart } from '../apps/server/src/services/alerts/rules.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInPage, submitSignIn } from './support/sign-in.js';

const hasChromium = fs.existsSync(CHROMIUM);
const SHOTS = '/tmp/vigie-language-shots';

/** What must never reach a reader: library words, raw statistics, codes, « (s) » plurals. */
const RAW = /\b(Time|Value|count|negative_binomial|undefined|NaN)\b|\d[.,]?\d*e-\d|quantile 0[.,]\d|\p{L}\(s\)|Too (big|small)|Trop (grand|petit)|<=|>=/u;
const ENGLISH_IN_FRENCH = /\b(the|and|week|expected|observed|Spike|incidents? in)\b/;
const FRENCH_IN_ENGLISH = /\b(semaine|attendus?|observé|victimes|Pic|contre|d’habitude)\b/;

describe.skipIf(!hasChromium)('the language of alerts and forms in Chromium', () => {
  let server: RunningServer;
  const users: Record<'mli' | 'conf', { login: string; password: string }> = {} as never;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    const ctx = server.vigie.ctx;
    // Two incidents a week in Mopti for half a year, then twelve this week.
    const week = weekStart(new Date());
    const items = [];
    for (let w = 1; w <= 26; w++) for (let k = 0; k < 2; k++) items.push(newIncident({ state: 'MLI', occurred_start: addWeeks(week, -w).replace('T00', `T0${k + 1}`), classification: 'public', sharing_scope: 'confederation', fatalities_best: 1, civilian_fatalities: 0 }));
    const now = Date.now();
    for (let k = 0; k < 12; k++) items.push(newIncident({ state: 'MLI', occurred_start: new Date(Math.max(Date.parse(week), now - (k + 1) * 600_000)).toISOString(), classification: 'public', sharing_scope: 'confederation', fatalities_best: 1, civilian_fatalities: 0 }));
    await importIncidents(ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'MLI' } })));
    await runAlertRules(ctx, SYSTEM);
    users.mli = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.langue.mli' });
    users.conf = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3, login: 'e2e.langue.conf' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function signIn(page: Page, who: 'mli' | 'conf', lang: 'fr' | 'en') {
    await page.goto(server.url);
    await submitSignIn(page, users[who]);
    if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
  }

  const mainText = (page: Page) => page.locator('main').innerText();

  for (const [who, lang, width] of [['mli', 'fr', 1280], ['mli', 'en', 390], ['conf', 'fr', 390], ['conf', 'en', 1280]] as const) {
    it(`reads the alerts in plain ${lang === 'fr' ? 'French' : 'English'} (${who}, ${width} px)`, async () => {
      const browser: Browser = await launchBrowser({ viewport: { width, height: width < 500 ? 844 : 900 } });
      try {
        const page = await browser.context.newPage();
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await signIn(page, who, lang);
        await page.goto(`${server.url}/alerts`);
        const table = page.getByTestId('alerts-table');
        await table.waitFor();
        const title = lang === 'fr' ? /^Pic d’incidents — Mopti, semaine du \d{1,2}(er)? \p{L}+ \d{4}$/u : /^Spike in incidents — Mopti, week of \d{1,2} [A-Z][a-z]+ \d{4}$/;
        const link = table.getByRole('link', { name: title });
        await link.waitFor();
        const list = await mainText(page);
        expect(list).not.toMatch(RAW);
        await page.screenshot({ path: `${SHOTS}/alerts-${who}-${lang}-${width}.png`, fullPage: true });

        await link.click();
        const summary = page.getByTestId('alert-summary');
        await summary.waitFor();
        expect(await summary.innerText()).toMatch(lang === 'fr'
          ? /^Mopti : 12 incidents cette semaine, contre \d+(,\d)? attendus? d’habitude — un tel nombre n’arrive par hasard qu’environ une fois sur .+\.$/
          : /^Mopti: 12 incidents this week, against \d+(\.\d)? expected usually — a number this high happens by chance about once in .+\.$/);
        // The statistics are there for who wants them, folded, in the reader's formats.
        const stats = page.getByTestId('alert-statistics');
        await stats.locator('summary').click();
        await page.getByTestId('alert-observed').waitFor();
        const statsText = await stats.innerText();
        expect(statsText).toMatch(lang === 'fr' ? /quantile à 99\s%/ : /99% quantile/);
        expect(statsText).toMatch(lang === 'fr' ? /Poisson|binomiale négative/ : /Poisson|negative binomial/);
        // The map outlines the alerted area and shows the place names around it.
        const map = page.locator('.map[data-map-ready="true"]');
        await map.waitFor({ timeout: 60_000 });
        const drawn = (await map.getAttribute('data-rendered')) ?? '';
        expect(drawn).toMatch(/outline-line:[1-9]/);
        expect(drawn).toMatch(/places:[1-9]/);
        const text = await mainText(page);
        expect(text).not.toMatch(RAW);
        expect(text).not.toMatch(lang === 'fr' ? ENGLISH_IN_FRENCH : FRENCH_IN_ENGLISH);
        await page.screenshot({ path: `${SHOTS}/alert-${who}-${lang}-${width}.png`, fullPage: true });

        if (who === 'mli') {
          // The incident form's errors: in the reader's language, next to the field, never the library's phrasing.
          await page.goto(`${server.url}/incidents/new`);
          await page.getByLabel(lang === 'fr' ? 'Latitude' : 'Latitude').fill('95');
          await page.locator('form button[type="submit"]').first().click();
          const latError = page.locator('#f-latitude-error');
          await latError.waitFor();
          expect(await latError.innerText()).toBe(lang === 'fr' ? 'doit être au plus 90' : 'must be at most 90');
          const form = await mainText(page);
          expect(form).not.toMatch(RAW);
          expect(form).toContain(lang === 'fr' ? 'Champ obligatoire' : 'Required');
          await page.screenshot({ path: `${SHOTS}/form-${who}-${lang}-${width}.png`, fullPage: true });
        }
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 240_000);
  }
});

describe.skipIf(!hasChromium)('the main pages in French', () => {
  let server: RunningServer;
  let analyst: { login: string; password: string };
  beforeAll(async () => {
    server = await startServer();
    await importIncidents(server.vigie.ctx, SYSTEM, [0, 1, 2].map((k) => ({ input: newIncident({ state: 'MLI', occurred_start: `2026-0${k + 3}-01T08:00:00Z`, classification: 'public', sharing_scope: 'confederation' }), options: { status: 'validated' as const, reportingState: 'MLI' } })));
    analyst = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.pages.mli' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('show no library word, raw code or English word to a French reader', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await submitSignIn(page, analyst);
      const found: string[] = [];
      for (const path of ['/', '/incidents', '/review', '/forecast', '/strategy', '/coordination', '/alerts', '/account']) {
        await page.goto(`${server.url}${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        const text = await page.locator('main').innerText();
        for (const re of [RAW, ENGLISH_IN_FRENCH]) {
          const m = re.exec(text);
          if (m) found.push(`${path}: « ${text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')} »`);
        }
      }
      expect(found).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 240_000);

  // The features' English strings are chunks of their own, loaded with the English catalogue: an English reader gets
  // them (not the French fallback), on a first visit and after switching.
  it("show an English reader the features' own headings in English", async () => {
    const browser = await launchBrowser();
    try {
      const page = await signInPage(browser.context, server.url, analyst, { lang: 'en' });
      const headings: Record<string, string> = { '/strategy': 'Common strategy follow-up', '/coordination': 'Decision follow-up', '/forecast': 'Forecasts by region', '/alerts': 'Alerts' };
      for (const [path, heading] of Object.entries(headings)) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      }
      const french = await signInPage(browser.context, server.url, analyst, { lang: 'fr' });
      await french.goto(`${server.url}/strategy`);
      await french.getByRole('heading', { level: 1, name: 'Suivi de la stratégie commune' }).waitFor();
      await french.getByRole('button', { name: 'English' }).click();
      await french.getByRole('heading', { level: 1, name: 'Common strategy follow-up' }).waitFor();
    } finally {
      await browser.close();
    }
  }, 240_000);
});
