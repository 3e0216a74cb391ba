/**
 * End-to-end: the period comparison (week in progress, a past month, chosen dates) and the decision maker's briefing,
 * on a desktop (1280 px) and a phone (390 px), in French and English; the notification settings on « Mon compte ».
 * Screenshots go to /tmp/periods-shots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signInPage } from './support/sign-in.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodKeyOf, type CompareResult } from '@vigie/domain';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { addAction, addDecision, createMeeting } from '../apps/server/src/services/coordination/coordination.service.js';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { validateIncident } from '../apps/server/src/services/incidents/incident-workflow.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const SHOTS = process.env.VIGIE_SHOTS_DIR ?? '/tmp/periods-shots';
const hasChromium = fs.existsSync(CHROMIUM);
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
type Account = { login: string; password: string };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('period comparison and briefing in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let dm: Account;
  let analyst: Account;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    await seedDemo(ctx, { count: 600, years: 2, endDate: new Date() });
    const d = await newUser(ctx, { org: 'MLI', role: 'decision_maker', clearance: 2, login: 'e2e.decideur.periodes' });
    const a = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2, login: 'e2e.analyste.periodes' });
    const staff = await newUser(ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2, login: 'e2e.etat-major.periodes' });
    dm = d;
    analyst = a;
    // Today's incident, validated: the week in progress has at least one.
    const { incident } = await createIncident(ctx, a, newIncident({ state: 'MLI', occurred_start: `${daysAgo(0)}T06:00:00Z`, narrative: 'Embuscade contre un convoi près de Boni.' }));
    await validateIncident(ctx, a, incident.id);
    await raiseFlashAlert(ctx, a, { title: 'Convoi attaqué près de Boni', areas: ['ML05'], severity: 'critical' });
    const meeting = await createMeeting(ctx, staff, { title: 'Conseil des ministres de la défense', date: daysAgo(40), place: 'Niamey', states: ['BFA', 'MLI', 'NER'] });
    const decision = await addDecision(ctx, staff, meeting.id, { code: 'CMD-3', text: 'Mettre en place des escortes conjointes' });
    await addAction(ctx, staff, decision.id, { title: 'Désigner les unités d’escorte', owner_state: 'MLI', due_date: daysAgo(6) });
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (account: Account, viewport = DESKTOP): Promise<Page> => signInPage(browser.context, server.url, account, { width: viewport.width });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  const scrollWidth = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  const api = async (page: Page, query: string) => (await page.request.get(`${server.url}/api/v1/aggregates/compare?${query}`)).json() as Promise<CompareResult>;
  const nf = (n: number) => new Intl.NumberFormat('fr-FR').format(n).replace(/\s/gu, ' ');
  const text = async (page: Page, id: string) => (await page.getByTestId(id).innerText()).replace(/\s/gu, ' ');

  it('compares the week in progress like for like, a past month whole, and chosen dates; figures as the API gives them to the reader', async () => {
    const page = await signIn(analyst);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comparer les périodes' }).click();
    await page.getByTestId('compare-figures').waitFor();
    const week = await api(page, 'period=week');
    expect(week.complete).toBe(false);
    // The week in progress says so and how it is compared.
    const partial = await text(page, 'compare-partial');
    expect(partial).toContain('En cours');
    expect(partial).toMatch(/jours? écoulés? sur 7/);
    const incidents = await text(page, 'cmp-incidents');
    expect(incidents.startsWith(nf(week.current.totals.incidents))).toBe(true);
    expect(incidents).toContain(`semaine ${Number(week.previous.key.slice(6))} de ${week.previous.key.slice(0, 4)}`);
    expect(incidents).toContain('période entière');
    expect(incidents).toMatch(/[+−]\d|▲|▼|\b0\b/);
    await page.getByTestId('compare-latest').getByRole('link').first().waitFor();
    expect(await page.getByTestId('compare-alerts').innerText()).toContain('Convoi attaqué près de Boni');
    await shot(page, 'compare-week.png');

    // The previous month: over, compared whole, with changes in numbers and per cent.
    const lastMonth = periodKeyOf('month', daysAgo(new Date().getUTCDate()));
    await page.getByLabel('Période', { exact: true }).selectOption('month');
    await page.getByRole('button', { name: '◀ Précédente' }).click();
    await page.waitForURL(new RegExp(`anchor=${lastMonth}`));
    await page.getByText('Période terminée : comparée en entier.').waitFor();
    const month = await api(page, `period=month&anchor=${lastMonth}`);
    expect(await page.getByTestId('compare-partial').count()).toBe(0);
    const fatalities = await text(page, 'cmp-fatalities-previous');
    const { delta } = { delta: month.current.totals.fatalities - month.previous.totals.fatalities };
    expect(fatalities).toContain(nf(month.previous.totals.fatalities));
    if (delta < 0) expect(fatalities).toContain(`−${nf(-delta)}`);
    if (delta > 0) expect(fatalities).toContain(`+${nf(delta)}`);
    if (month.previous.totals.fatalities > 0 && delta !== 0) expect(fatalities).toMatch(/[+−]\d+ %\)/u);
    await shot(page, 'compare-month.png');

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Compare periods' }).waitFor();
    await page.getByText('Period over: compared whole.').waitFor();
    expect(await text(page, 'cmp-incidents')).toContain('against');
    await shot(page, 'compare-month-en.png');
    await page.getByRole('button', { name: 'Français' }).click();

    // Chosen dates.
    await page.getByLabel('Période', { exact: true }).selectOption('custom');
    await page.getByLabel('Du', { exact: true }).waitFor();
    await page.getByLabel('Du', { exact: true }).fill(daysAgo(30));
    await page.getByLabel('Au', { exact: true }).fill(daysAgo(1));
    await page.waitForURL(/to=/);
    await page.getByText('Période terminée : comparée en entier.').waitFor();
    const custom = await api(page, `period=custom&from=${daysAgo(30)}&to=${daysAgo(1)}`);
    await page.waitForFunction((n) => document.querySelector('[data-testid="cmp-incidents"] .kpi-value')?.textContent?.replace(/\s/gu, ' ') === n, nf(custom.current.totals.incidents));
    await page.close();

    const phone = await signIn(analyst, PHONE);
    await phone.goto(`${server.url}/compare?period=week`);
    await phone.getByTestId('compare-figures').waitFor();
    await phone.getByTestId('compare-latest').getByRole('link').first().waitFor();
    const w = await scrollWidth(phone);
    expect(w.scroll).toBeLessThanOrEqual(w.viewport);
    await shot(phone, 'compare-week-phone.png');
    await phone.getByRole('button', { name: 'English EN' }).click();
    await phone.getByRole('heading', { name: 'Compare periods' }).waitFor();
    await phone.getByText('In progress').waitFor();
    await shot(phone, 'compare-week-phone-en.png');
    await phone.getByRole('button', { name: 'Français FR' }).click();
    await phone.getByRole('heading', { name: 'Comparer les périodes' }).waitFor();
    await phone.close();
  }, 240_000);

  it('lands the decision maker on the briefing: alerts, overdue actions, the week, and the comparison one tap away (desktop, phone, fr, en)', async () => {
    const page = await signIn(dm);
    await page.getByRole('heading', { name: 'Synthèse du jour' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/briefing');
    await page.getByTestId('briefing-alerts').getByRole('link', { name: 'Convoi attaqué près de Boni' }).waitFor();
    expect(await page.getByTestId('briefing-actions').innerText()).toContain('Désigner les unités d’escorte');
    await page.getByTestId('briefing-week').waitFor();
    // What needs the reader comes first: alerts, then overdue actions, then the figures.
    const order = await page.locator('main section.card').evaluateAll((s) => s.map((e) => e.getAttribute('data-testid')));
    expect(order.slice(0, 3)).toEqual(['briefing-alerts', 'briefing-actions', 'briefing-week']);
    await shot(page, 'briefing.png');
    await page.getByTestId('briefing-compare').click();
    await page.getByTestId('compare-figures').waitFor();
    // No incident list for a reader without incident.read; the alerts panel is theirs.
    expect(await page.getByTestId('compare-latest').count()).toBe(0);
    await page.getByTestId('compare-alerts').waitFor();
    await page.close();

    const phone = await signIn(dm, PHONE);
    await phone.getByRole('heading', { name: 'Synthèse du jour' }).waitFor();
    await phone.getByTestId('briefing-week').waitFor();
    let w = await scrollWidth(phone);
    expect(w.scroll).toBeLessThanOrEqual(w.viewport);
    await shot(phone, 'briefing-phone.png');
    await phone.getByRole('button', { name: 'English EN' }).click();
    await phone.getByRole('heading', { name: 'Today’s briefing' }).waitFor();
    expect(await phone.getByTestId('briefing-alerts').innerText()).toContain('to acknowledge');
    w = await scrollWidth(phone);
    expect(w.scroll).toBeLessThanOrEqual(w.viewport);
    await shot(phone, 'briefing-phone-en.png');
    await phone.getByRole('button', { name: 'Français FR' }).click();
    await phone.close();
  }, 180_000);

  it('keeps notification settings chosen on « Mon compte »', async () => {
    const page = await signIn(dm);
    await page.goto(`${server.url}/account`);
    const form = page.getByTestId('notification-settings');
    await form.getByText('Alerte concernant mon État').waitFor();
    // This test server sends no e-mail: the form says so and offers the inbox only.
    expect(await form.innerText()).toContain('Ce serveur n’envoie pas de courriels');
    await form.getByRole('checkbox', { name: 'Action à échéance ou en retard — Dans Vigie' }).uncheck();
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByTestId('settings-saved').waitFor();
    await shot(page, 'account-notifications.png');
    await page.reload();
    await page.getByTestId('notification-settings').getByText('Alerte concernant mon État').waitFor();
    expect(await page.getByTestId('notification-settings').getByRole('checkbox', { name: 'Action à échéance ou en retard — Dans Vigie' }).isChecked()).toBe(false);
    expect(await page.getByTestId('notification-settings').getByRole('checkbox', { name: 'Alerte concernant mon État — Dans Vigie' }).isChecked()).toBe(true);
    await page.close();
  }, 120_000);
});
