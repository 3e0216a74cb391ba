/**
 * End-to-end, by role: the decision maker's briefing, the reporter's inbox and "Mes signalements", places named on the
 * dashboard and the map, and every main page at phone width without sideways scrolling. Screenshots go to
 * /tmp/roles-shots (a few are kept in docs/screenshots).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signInPage } from './support/sign-in.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlashAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { addAction, addDecision, createMeeting } from '../apps/server/src/services/coordination/coordination.service.js';
import { seedDemo } from '../apps/server/src/services/demo/demo-seed.service.js';
import { createIncident } from '../apps/server/src/services/incidents/incident.service.js';
import { rejectIncident } from '../apps/server/src/services/incidents/incident-workflow.js';
import { newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { ROOT } from './support/web-build.js';

const SHOTS = process.env.VIGIE_SHOTS_DIR ?? '/tmp/roles-shots';
const DOCS = path.join(ROOT, 'docs/screenshots');
const hasChromium = fs.existsSync(CHROMIUM);
const PHONE = { width: 390, height: 844 };
type Account = { login: string; password: string };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('what each role meets first, on a desktop and a phone', () => {
  let server: RunningServer;
  let browser: Browser;
  let dm: Account;
  let reporter: Account;
  let analyst: Account;
  let focal: Account;

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    await seedDemo(ctx, { count: 600, years: 1, endDate: new Date() });
    const mk = async (org: string, role: 'reporter' | 'analyst' | 'focal_point' | 'decision_maker' | 'confederation_analyst', login: string) => {
      const u = await newUser(ctx, { org, role, clearance: 2, login });
      return { login: u.login, password: u.password, principal: u };
    };
    const d = await mk('MLI', 'decision_maker', 'e2e.decideur.mli');
    const r = await mk('MLI', 'reporter', 'e2e.rapporteur.roles');
    const a = await mk('MLI', 'analyst', 'e2e.analyste.roles');
    const f = await mk('MLI', 'focal_point', 'e2e.point-focal.roles');
    const staff = await mk('CONF', 'confederation_analyst', 'e2e.etat-major');
    [dm, reporter, analyst, focal] = [d, r, a, f];
    // A report rejected with a reason, an alert for Mali, an overdue action of a joint decision.
    const { incident } = await createIncident(ctx, r.principal, newIncident({ state: 'MLI', narrative: 'Tirs entendus près du poste de Boni.' }));
    await rejectIncident(ctx, a.principal, incident.id, { reason: 'Doublon du signalement de la veille : merci de compléter celui-ci.' });
    await raiseFlashAlert(ctx, a.principal, { title: 'Convoi attaqué près de Boni', areas: ['ML05'], severity: 'critical' });
    const meeting = await createMeeting(ctx, staff.principal, { title: 'Conseil des ministres de la défense', date: daysAgo(40), place: 'Niamey', states: ['BFA', 'MLI', 'NER'] });
    const decision = await addDecision(ctx, staff.principal, meeting.id, { code: 'CMD-3', text: 'Mettre en place des escortes conjointes' });
    await addAction(ctx, staff.principal, decision.id, { title: 'Désigner les unités d’escorte', owner_state: 'MLI', due_date: daysAgo(6) });
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (account: Account, viewport = { width: 1280 }): Promise<Page> => signInPage(browser.context, server.url, account, { width: viewport.width });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  /** The page's width against the viewport, and the outermost elements sticking out (to say what to fix). */
  const overflow = (page: Page) => page.evaluate(() => {
    const vw = window.innerWidth;
    const out = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > vw + 0.5 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > vw + 0.5));
    return { scroll: document.documentElement.scrollWidth, viewport: vw, culprits: out.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`) };
  });

  it('lands the decision maker on a briefing: alert to acknowledge, overdue action, the week; no dead link (fr, en, phone)', async () => {
    const page = await signIn(dm);
    await page.getByRole('heading', { name: 'Synthèse du jour' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/briefing');
    const alerts = page.getByTestId('briefing-alerts');
    await alerts.getByRole('link', { name: 'Convoi attaqué près de Boni' }).waitFor();
    expect(await alerts.innerText()).toContain('à prendre en compte');
    expect(await page.getByTestId('briefing-actions').innerText()).toContain('Désigner les unités d’escorte');
    expect(await page.getByTestId('week-incidents').innerText()).toMatch(/semaine précédente/);
    // The change reads as on the period comparison (one formatter): « ▲ +2 (+20 %) », « ▼ −3 », « 0 ».
    expect(await page.getByTestId('week-incidents').locator('.trend').innerText()).toMatch(/^(?:[▲▼] [+−][\d\s\u202f]+(?: \([+−]\d+\u202f%\))?|0)$/u);
    // Every link of the page opens a page the decision maker may see.
    const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => h.startsWith('/incidents'))).toEqual([]);
    for (const href of [...new Set(hrefs)]) {
      await page.goto(`${server.url}${href}`);
      await page.locator('main h1').first().waitFor();
      expect(await page.locator('main [role="alert"]').count(), href).toBe(0);
    }
    await page.goto(`${server.url}/briefing`);
    await page.getByTestId('briefing-week').waitFor();
    await shot(page, 'briefing.png');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Today’s briefing' }).waitFor();
    expect(await page.getByTestId('briefing-alerts').innerText()).toContain('to acknowledge');
    await shot(page, 'briefing-en.png');
    await page.getByRole('button', { name: 'Français' }).click();
    // The dashboard stays one click away, without the dead "Ouvrir la liste filtrée".
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tableau de bord' }).click();
    await page.locator('[data-charts-ready="true"]').waitFor();
    expect(await page.getByText('Ouvrir la liste filtrée').count()).toBe(0);
    await page.close();

    const phone = await signIn(dm, PHONE);
    await phone.getByRole('heading', { name: 'Synthèse du jour' }).waitFor();
    await phone.getByTestId('briefing-week').waitFor();
    const header = await phone.locator('header.app-header').boundingBox();
    expect(header?.height ?? 999).toBeLessThanOrEqual(64);
    const o = await overflow(phone);
    expect(o.scroll).toBeLessThanOrEqual(o.viewport);
    await shot(phone, 'briefing-phone.png');
    fs.copyFileSync(path.join(SHOTS, 'briefing-phone.png'), path.join(DOCS, 'briefing-phone.png'));
    await phone.close();
  }, 180_000);

  it('tells the reporter of the rejection in the inbox, with the reason, and lists it under "Mes signalements"', async () => {
    const page = await signIn(reporter);
    const bell = page.getByTestId('notifications-bell');
    await page.getByTestId('notifications-unread').waitFor();
    expect(Number(await page.getByTestId('notifications-unread').innerText())).toBeGreaterThanOrEqual(1);
    await bell.click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const inbox = page.getByTestId('inbox');
    await inbox.getByText('Motif : Doublon du signalement de la veille : merci de compléter celui-ci.').waitFor();
    expect(await inbox.innerText()).toContain('Rejet de votre signalement');
    await shot(page, 'inbox.png');
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.getByTestId('notifications-unread').waitFor({ state: 'detached' });
    expect(await bell.getAttribute('aria-label')).toBe('Notifications (aucune non lue)');

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes signalements' }).click();
    const mine = page.getByTestId('my-reports');
    await mine.waitFor();
    const first = mine.getByTestId('my-report').first();
    expect(await first.innerText()).toContain('Rejeté');
    expect(await first.innerText()).toContain('Doublon du signalement de la veille');
    await shot(page, 'my-reports.png');
    await page.close();
  }, 120_000);

  it('names the state with each top region, and lists the map clusters by place (Mali analyst)', async () => {
    const page = await signIn(analyst);
    await page.locator('[data-charts-ready="true"]').waitFor();
    const regions = await page.getByTestId('top-areas').locator('.bar-label').allInnerTexts();
    expect(regions.length).toBeGreaterThan(0);
    for (const r of regions) expect(r).toMatch(/\((Mali|Burkina Faso|Niger)\)$/);
    await page.goto(`${server.url}/map?view=light`);
    const rows = page.getByTestId('map-table').locator('tbody th');
    await rows.first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="map-table"] tbody th')].some((th) => /\((Mali|Burkina Faso|Niger)\)/.test(th.textContent ?? '')));
    const names = await rows.allInnerTexts();
    expect(names.filter((n) => /\((Mali|Burkina Faso|Niger)\)/.test(n)).length).toBeGreaterThan(names.length / 2);
    expect(names.some((n) => /^près de /.test(n))).toBe(true);
    await shot(page, 'map-table.png');
    await page.close();
  }, 120_000);

  it('fits every main page in 390 px, with a one-line header and a menu button, for each role', async () => {
    const measured: string[] = [];
    const wide: string[] = [];
    for (const account of [dm, reporter, analyst, focal]) {
      const page = await signIn(account, PHONE);
      await page.getByRole('button', { name: 'Menu' }).waitFor();
      await page.getByRole('button', { name: 'Menu' }).click();
      const nav = page.getByRole('navigation', { name: 'Navigation principale' });
      const hrefs = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of [...hrefs, '/notifications', '/account']) {
        await page.goto(`${server.url}${href}`);
        await page.locator('main h1').first().waitFor();
        // Loaded: nothing left saying "Chargement…" (the live alert stream keeps the network busy, so not networkidle).
        await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Chargement'), undefined, { timeout: 8_000 }).catch(() => undefined);
        if (href === '/') await page.locator('[data-charts-ready="true"]').waitFor();
        const o = await overflow(page);
        measured.push(`${account.login} ${href} ${o.scroll}/${o.viewport}`);
        if (o.scroll > o.viewport) wide.push(`${account.login} ${href} ${o.scroll}px: ${o.culprits.join(', ')}`);
        const header = await page.locator('header.app-header').boundingBox();
        expect(header?.height ?? 999, `${account.login} ${href} header`).toBeLessThanOrEqual(64);
        if (account === focal) await shot(page, `phone-${href.replace(/\W+/g, '_') || 'home'}.png`);
      }
      await page.close();
    }
    console.log(measured.join('\n'));
    expect(wide).toEqual([]);
  }, 600_000);
});
