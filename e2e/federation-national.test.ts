/**
 * End-to-end: the « Confédération » page of a national node (mli), in Chromium, with the real link. The test starts the
 * hub nats-server and the mli leaf; the confederation node runs in this process, the national node behind the web
 * server. What the confederation owns (two alerts, its strategy, a meeting, a decision, two actions) reaches the
 * national node read-only; the national focal point sees the owner and why editing is disabled, acknowledges and
 * answers the alert concerning Mali and reports on the action assigned to Mali; the confederation applies them and the
 * new state comes back to the page. French and English, desktop and phone width; screenshots in /tmp/fed-shots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEDERATION_ERROR_TEXT, type FederationErrorCode } from '@vigie/domain/federation-errors';
import { listForeignObjects } from '../apps/server/src/repositories/federation.repository.js';
import { getAlert, listAlerts, raiseFlashAlert, reclassifyAlert } from '../apps/server/src/services/alerts/alert.service.js';
import { addAction, addDecision, createMeeting, getAction } from '../apps/server/src/services/coordination/coordination.service.js';
import { reclassifyCoordination } from '../apps/server/src/services/coordination/coordination-classification.js';
import type { FederationConfig } from '../apps/server/src/services/federation/federation-config.js';
import { startFederation, type FederationNode } from '../apps/server/src/services/federation/federation-link.js';
import { addPeerKey, signedOutbound } from '../apps/server/src/services/federation/federation.service.js';
import { startTopology, type Topology } from '../apps/server/src/services/federation/nats-topology.js';
import { generateNodeKey, type NodeKey } from '../apps/server/src/services/federation/signing.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { addAxis, addIndicator, addObjective, createStrategy } from '../apps/server/src/services/strategy/strategy.service.js';
import { newUser, testVigie, type TestVigie } from '../apps/server/src/test-support/factories.js';
import { tearDownFederation } from '../apps/server/src/test-support/federation-harness.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInNewAdminPage, signInPage } from './support/sign-in.js';

const SHOTS = '/tmp/fed-shots';

/** Polls `check` until it holds (bounded). */
async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting: ${what}`);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('the national page of objects held from the confederation, in Chromium', () => {
  let server: RunningServer;
  let conf: TestVigie;
  let browser: Browser;
  let dir: string;
  let topo: Topology;
  const nodes: FederationNode[] = [];
  const ids = { mliAlert: '', bfaAlert: '', mliAction: '', bfaAction: '' };
  let confKey: NodeKey;
  let confFed: FederationConfig;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-national-'));
    topo = await startTopology(dir, ['mli']);
    server = await startServer();
    conf = await testVigie('sqlite');
    const base = { hubDomain: 'conf', keyFile: '' };
    confKey = generateNodeKey();
    const mliKey = generateNodeKey();
    await addPeerKey(conf.ctx, SYSTEM, 'mli', mliKey.publicPem);
    await addPeerKey(server.vigie.ctx, SYSTEM, 'conf', confKey.publicPem);
    const leaf = topo.leaves.get('mli')!;
    confFed = { ...base, node: 'conf', domain: 'conf', role: 'confederation', natsUrl: topo.hub.url, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password, peers: ['mli'], ceiling: 2 };
    const mliFed: FederationConfig = { ...base, node: 'mli', domain: 'mli', role: 'national', natsUrl: leaf.url, natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password, peers: [], ceiling: 1 };
    nodes.push(await startFederation(conf.ctx, confFed, confKey), await startFederation(server.vigie.ctx, mliFed, mliKey));

    // What the confederation owns and shares.
    const analyst = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const bfArea = (await conf.ctx.engine.db.selectFrom('admin_areas').select('code').where('state', '=', 'BFA').where('level', '=', 1).orderBy('code').executeTakeFirstOrThrow()).code;
    ids.mliAlert = (await raiseFlashAlert(conf.ctx, analyst, { title: 'Convoi attaqué près de Boni', summary: 'Trois attaques en 48 heures sur la RN16.', severity: 'critical', areas: ['ML05'] })).id;
    ids.bfaAlert = (await raiseFlashAlert(conf.ctx, analyst, { title: 'Déplacements massifs vers Djibo', summary: 'Afflux signalé par les autorités locales.', severity: 'medium', areas: [bfArea] })).id;
    const s = await createStrategy(conf.ctx, analyst, { code: 'SC-2026', title_fr: 'Stratégie commune 2026', title_en: 'Common strategy 2026', valid_from: '2026-01-01', valid_to: '2026-12-31' });
    const axis = await addAxis(conf.ctx, analyst, s.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
    const obj = await addObjective(conf.ctx, analyst, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities' });
    await addIndicator(conf.ctx, analyst, obj.id, { code: 'I1', name_fr: 'Communes avec comité de protection (%)', name_en: 'Communes with protection committee (%)', unit: 'percent', direction: 'increase', frequency: 'quarter', source: 'manual' });
    const m = await createMeeting(conf.ctx, analyst, { title: 'Concertation des ministres de la Défense', date: '2026-01-20', place: 'Bamako', states: ['MLI', 'BFA'], bodies: [] });
    const d = await addDecision(conf.ctx, analyst, m.id, { text: 'Opérationnaliser la Force unifiée' });
    ids.mliAction = (await addAction(conf.ctx, analyst, d.id, { title: 'Désigner les officiers de liaison', owner_state: 'MLI', due_date: '2026-02-01' })).id;
    ids.bfaAction = (await addAction(conf.ctx, analyst, d.id, { title: 'Ouvrir le poste de commandement de Djibo', owner_state: 'BFA', due_date: '2026-03-01' })).id;
    await until('the national node holds what the confederation shares', async () => {
      const held = await listForeignObjects(server.vigie.ctx.engine.db, { origin: 'conf' });
      return ['alert', 'alert', 'strategy', 'meeting', 'decision', 'action', 'action'].every((t, _i, all) => held.filter((r) => r.entity_type === t).length === all.filter((x) => x === t).length);
    });
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await tearDownFederation({ nodes, topo, vigies: [conf], dir });
    await server?.stop();
  }, 120_000);

  const nav = (page: Page) => page.getByRole('navigation', { name: /Navigation principale|Main navigation/ });
  const alertCard = (page: Page, title: string) => page.getByTestId('held-alert').filter({ has: page.getByRole('heading', { name: new RegExp(title) }) });
  const actionCard = (page: Page, title: string) => page.getByTestId('held-action').filter({ has: page.getByRole('heading', { name: new RegExp(title) }) });

  it("shows a Malian focal point what the confederation holds for Mali, owner and read-only reason, and takes Mali's acknowledgement, response and report", async () => {
    const focal = await newUser(server.vigie.ctx, { org: 'MLI', role: 'focal_point', clearance: 2, login: 'e2e.pf.mli.federation' });
    const page = await signInPage(browser.context, server.url, focal, { lang: 'fr' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await nav(page).getByRole('link', { name: 'Confédération' }).click();
    await page.getByRole('heading', { name: 'Reçu de la Confédération', level: 1 }).waitFor();
    for (const h of ['Alertes', 'Stratégie', 'Réunions', 'Décisions', 'Actions']) await page.getByRole('heading', { name: h, level: 2 }).waitFor();

    const boni = alertCard(page, 'Convoi attaqué près de Boni');
    expect(await boni.getByText('Propriétaire : nœud conf').count()).toBe(1);
    const edit = boni.getByRole('button', { name: 'Modifier' });
    expect(await edit.isDisabled()).toBe(true);
    expect(await boni.getByText('Lecture seule : cet objet appartient au nœud conf, modifiez-le là-bas.').count()).toBe(1);
    // The alert concerning Burkina Faso is read, not answered, from Mali.
    const djibo = alertCard(page, 'Déplacements massifs vers Djibo');
    await djibo.getByText('Cette alerte ne concerne pas votre État : vous pouvez la lire, pas y répondre.').waitFor();
    expect(await djibo.getByRole('button', { name: /Accuser réception/ }).count()).toBe(0);
    expect(await page.getByTestId('held-strategy').getByRole('heading').innerText()).toBe('SC-2026 — Stratégie commune 2026');
    // States by their names, never their codes.
    await page.getByTestId('held-meeting').getByText(/Bamako — Mali, Burkina Faso$/).waitFor();
    // Mali's action comes first, marked; Burkina Faso's action has no report form here.
    expect(await page.getByTestId('held-action').first().getByRole('heading').innerText()).toContain('Désigner les officiers de liaison');
    expect(await actionCard(page, 'Ouvrir le poste de commandement').getByRole('button', { name: 'Envoyer le compte rendu' }).count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'held-fr-1280-before.png'), fullPage: true });

    await boni.getByLabel('Note (facultative)').fill('Reçu, patrouilles renforcées');
    await boni.getByRole('button', { name: 'Accuser réception pour Mali' }).click();
    await boni.getByText(/Accusé de réception envoyé le .* au nœud conf/).waitFor();
    expect(await boni.getByRole('button', { name: /Accuser réception/ }).count()).toBe(0);
    await boni.getByLabel('Réponse (Mali)').fill('Escorte des convois sur la RN16 dès demain.');
    await boni.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await boni.getByText(/Réponse envoyée le .* au nœud conf : Escorte des convois sur la RN16 dès demain\./).waitFor();
    const liaison = actionCard(page, 'Désigner les officiers de liaison');
    await liaison.getByLabel('Compte rendu (Mali)').fill('Deux officiers désignés, un troisième en cours.');
    await liaison.getByLabel('Avancement (%)').fill('60');
    await liaison.getByLabel('Nouvel état').selectOption('in_progress');
    await liaison.getByRole('button', { name: 'Envoyer le compte rendu' }).click();
    await liaison.getByText(/Compte rendu envoyé le .* au nœud conf : Deux officiers désignés/).waitFor();

    // The owner applied them: the alert and the action as the confederation holds them…
    const confAnalyst = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    await until('the confederation applies the replies', async () => {
      const a = await getAlert(conf.ctx, confAnalyst, ids.mliAlert);
      const act = await getAction(conf.ctx, confAnalyst, ids.mliAction);
      return !!a.states.find((s) => s.state === 'MLI')?.acknowledged_at && a.responses.length === 1 && act.progress === 60;
    });
    expect((await getAction(conf.ctx, confAnalyst, ids.mliAction)).status).toBe('in_progress');
    // …and their new state came back to the national node's page.
    await until('the new state comes back', async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Alertes', level: 2 }).waitFor();
      return (await alertCard(page, 'Convoi attaqué près de Boni').getByText(/Mali \(Accusé le/).count()) === 1
        && (await actionCard(page, 'Désigner les officiers de liaison').getByText('60 % fait', { exact: false }).count()) === 1;
    });
    await alertCard(page, 'Convoi attaqué près de Boni').getByText('Escorte des convois sur la RN16 dès demain.', { exact: false }).first().waitFor();
    expect(errors).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'held-fr-1280.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'held-fr-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Received from the Confederation', level: 1 }).waitFor();
    expect(await alertCard(page, 'Convoi attaqué près de Boni').getByText('Owner: node conf').count()).toBe(1);
    expect(await alertCard(page, 'Convoi attaqué près de Boni').getByText('Read-only: this object is owned by node conf; edit it there.').count()).toBe(1);
    expect(await page.getByTestId('held-strategy').getByRole('heading').innerText()).toBe('SC-2026 — Common strategy 2026');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'held-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'held-en-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 300_000);

  it('shows a Malian decision maker the same objects, read-only, with no form to answer them', async () => {
    const reader = await newUser(server.vigie.ctx, { org: 'MLI', role: 'decision_maker', clearance: 2, login: 'e2e.dm.mli.federation' });
    const page = await signInPage(browser.context, server.url, reader, { lang: 'en', width: 390 });
    await page.goto(`${server.url}/confederation`);
    await page.getByRole('heading', { name: 'Received from the Confederation', level: 1 }).waitFor();
    await page.getByTestId('held-alert').first().waitFor();
    expect(await page.getByTestId('held-alert').count()).toBe(2);
    expect(await page.getByRole('button', { name: /Acknowledge|Send the/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit' }).first().isDisabled()).toBe(true);
    await page.close();
  }, 120_000);

  it("lists the confederation's alerts in a Malian analyst's own alert list, opens one on the alert page read-only, and shows its actions on the coordination page", async () => {
    const analyst = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'e2e.an.mli.federation' });
    const page = await signInPage(browser.context, server.url, analyst, { lang: 'fr' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await nav(page).getByRole('link', { name: 'Alertes' }).click();
    await page.getByRole('heading', { name: 'Alertes', level: 1 }).waitFor();
    // Both held alerts are in the node's own list, each marked with its owner node.
    const held = page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]');
    await held.first().waitFor();
    expect(await held.count()).toBe(2);
    const boniRow = held.filter({ hasText: 'Convoi attaqué près de Boni' });
    expect(await boniRow.getByTestId('held-mark').innerText()).toContain('Nœud conf');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-held-fr-1280.png'), fullPage: true });
    // The severity filter applies to them as to the node's own.
    await page.getByLabel('Gravité').selectOption('medium');
    await page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]').filter({ hasText: 'Djibo' }).waitFor();
    // The list is the server's (filtered there): the other held alert leaves once its answer is in.
    await expect.poll(() => page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]').count()).toBe(1);
    await page.getByLabel('Gravité').selectOption('');
    await boniRow.getByRole('link', { name: 'Convoi attaqué près de Boni' }).click();

    // The alert page of a held alert: owner, greyed edit with the reason, Mali's acknowledgement (sent earlier) shown, an answer possible.
    await page.getByRole('heading', { name: /Convoi attaqué près de Boni/, level: 1 }).waitFor();
    const card = page.getByTestId('held-alert');
    // Whose alert it is, and where this state's answers go.
    expect(await page.getByTestId('held-alert-note').innerText()).toBe('Alerte de la Confédération, détenue ici en lecture seule : seul le nœud conf la modifie. L’accusé de réception et la réponse de votre État sont envoyés au nœud conf, propriétaire de l’alerte.');
    expect(await card.getByText('Propriétaire : nœud conf').count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Modifier' }).isDisabled()).toBe(true);
    expect(await card.getByText('Lecture seule : cet objet appartient au nœud conf, modifiez-le là-bas.').count()).toBe(1);
    expect(await card.getByRole('button', { name: /Accuser réception/ }).count()).toBe(0);
    // Re-classifying is the owner's: the button is greyed with the reason.
    const reclassify = card.getByTestId('alert-reclassify');
    expect(await reclassify.getByRole('button', { name: 'Reclassifier…' }).isDisabled()).toBe(true);
    expect(await reclassify.getByText('Lecture seule : cet objet appartient au nœud conf, reclassifiez-le là-bas.').count()).toBe(1);
    expect(await card.getByTestId('alert-classification').innerText()).toBe('Classification actuelle : Diffusion restreinte');
    await card.getByLabel('Réponse (Mali)').fill('Analyse : les attaques suivent le calendrier des marchés.');
    await card.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await card.getByText(/Réponse envoyée le .* au nœud conf : Analyse : les attaques suivent/).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'alert-held-fr-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'alert-held-fr-390.png'), fullPage: true });

    // Coordination: the confederation's actions, Mali's first, read-only with the owner; the meeting listed with its owner.
    await page.goto(`${server.url}/coordination`);
    const section = page.getByTestId('held-actions');
    await section.getByRole('heading', { name: 'De la Confédération (lecture seule)' }).waitFor();
    await section.getByTestId('held-action').first().waitFor();
    expect(await section.getByTestId('held-action').first().getByRole('heading').innerText()).toContain('Désigner les officiers de liaison');
    expect(await section.getByTestId('held-action').count()).toBe(2);
    expect(await section.getByRole('button', { name: 'Modifier' }).first().isDisabled()).toBe(true);
    expect(await section.getByTestId('held-meetings').innerText()).toContain('Concertation des ministres de la Défense');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'coordination-held-fr-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'coordination-held-fr-1280.png'), fullPage: true });

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await section.getByRole('heading', { name: 'From the confederation (read-only)' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'coordination-held-en-1280.png'), fullPage: true });
    await nav(page).getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]').first().waitFor();
    expect(await page.getByTestId('alerts-table').getByTestId('held-mark').first().innerText()).toContain('Node conf');
    await page.screenshot({ path: path.join(SHOTS, 'alerts-held-en-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-held-en-390.png'), fullPage: true });
    await page.goto(`${server.url}/alerts/${ids.bfaAlert}`);
    await page.getByRole('heading', { name: /Déplacements massifs vers Djibo/, level: 1 }).waitFor();
    await page.getByText('This alert does not concern your state: you may read it, not answer it.').waitFor();
    expect(await page.getByTestId('held-alert-note').innerText()).toBe('The confederation’s alert, held here read-only: only node conf edits it. Your state’s acknowledgement and response are sent to node conf, which owns the alert.');
    await page.screenshot({ path: path.join(SHOTS, 'alert-held-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Français' }).click();
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('delivers a new confederation alert live to the open alert list and the badge, and withdraws a meeting re-classified above the link', async () => {
    const analyst = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', clearance: 1, login: 'e2e.an2.mli.federation' });
    const lowReader = await newUser(server.vigie.ctx, { org: 'MLI', role: 'analyst', clearance: 0, login: 'e2e.an0.mli.federation' });
    const page = await signInPage(browser.context, server.url, analyst, { lang: 'fr' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await nav(page).getByRole('link', { name: 'Alertes' }).click();
    await page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]').first().waitFor();
    // The badge counts the open alerts awaiting Mali's acknowledgement, held ones included: as the server lists them.
    const awaiting = async () => (await listAlerts(server.vigie.ctx, analyst, { open: 'true', limit: 200 })).items.filter((a) => a.states.some((st) => st.state === 'MLI' && !st.acknowledged_at)).length;
    const badge = async () => ((await page.getByTestId('alerts-badge').count()) ? Number(await page.getByTestId('alerts-badge').innerText()) : 0);
    const before = await awaiting();
    await expect.poll(badge, { timeout: 30_000 }).toBe(before);
    // Raised at the confederation while the page is open: it arrives over NATS and shows without a reload, with the badge.
    const staff = await newUser(conf.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const live = await raiseFlashAlert(conf.ctx, staff, { title: 'Tirs nourris signalés à Tessit', severity: 'high', areas: ['ML05'] });
    const row = page.getByTestId('alerts-table').locator('tbody tr[data-owner="conf"]').filter({ hasText: 'Tirs nourris signalés à Tessit' });
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(badge, { timeout: 60_000 }).toBe(before + 1);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-live-fr-1280.png'), fullPage: true });
    // Its page open in another tab; then withdrawn at the confederation (re-classified Secret, above the link's
    // ceiling): it leaves the open list, the badge and its page without a reload.
    const alertPage = await signInPage(browser.context, server.url, analyst, { lang: 'fr' });
    alertPage.on('pageerror', (e) => errors.push(e.message));
    await alertPage.goto(`${server.url}/alerts/${live.id}`);
    await alertPage.getByRole('heading', { name: /Tirs nourris signalés à Tessit/, level: 1 }).waitFor();
    await reclassifyAlert(conf.ctx, staff, live.id, { classification: 'secret' });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(badge, { timeout: 60_000 }).toBe(before);
    await alertPage.getByTestId('held-alert-gone').getByText('Cette alerte de la Confédération n’est plus disponible ici : le nœud conf l’a retirée, ou vous n’y avez plus accès.').waitFor({ timeout: 60_000 });
    expect(await alertPage.getByRole('heading', { name: /Tirs nourris/ }).count()).toBe(0);
    await alertPage.close();
    // A public-clearance analyst of the same node lists none of the restricted held alerts (SQL on the copy's level).
    const low = await signInPage(browser.context, server.url, lowReader, { lang: 'en', width: 390 });
    await low.goto(`${server.url}/alerts`);
    await low.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await low.getByText('No alerts.').waitFor();
    expect(await low.getByTestId('alerts-badge').count()).toBe(0);
    await low.screenshot({ path: path.join(SHOTS, 'alerts-public-reader-en-390.png'), fullPage: true });
    await low.close();

    // A meeting held here, re-classified Secret at the confederation (above the link's ceiling): withdrawn from this node.
    const m = await createMeeting(conf.ctx, staff, { title: 'Point de situation sur le renseignement', date: '2026-02-10', place: 'Niamey', states: ['MLI', 'NER'] });
    await until('the meeting is held', async () => (await listForeignObjects(server.vigie.ctx.engine.db, { type: 'meeting' })).some((r) => r.entity_id === m.id));
    const page2 = await signInPage(browser.context, server.url, analyst, { lang: 'fr' });
    await page2.goto(`${server.url}/coordination`);
    await page2.getByTestId('held-meetings').getByText('Point de situation sur le renseignement').waitFor();
    expect(await page2.getByTestId('held-meetings').getByTestId('level-badge').first().innerText()).toBe('Diffusion restreinte');
    await reclassifyCoordination(conf.ctx, staff, 'meeting', m.id, { classification: 'secret' });
    await until('the meeting is withdrawn', async () => !(await listForeignObjects(server.vigie.ctx.engine.db, { type: 'meeting' })).some((r) => r.entity_id === m.id));
    await page2.reload();
    await page2.getByTestId('held-meetings').getByText('Concertation des ministres de la Défense').waitFor();
    expect(await page2.getByTestId('held-meetings').getByText('Point de situation sur le renseignement').count()).toBe(0);
    await page2.screenshot({ path: path.join(SHOTS, 'coordination-withdrawn-fr-1280.png'), fullPage: true });
    expect(live.id).toBeTruthy();
    expect(errors).toEqual([]);
    await page2.close();
    await page.close();
  }, 300_000);

  it("shows the national node's administrator a message from the confederation that could not be applied, parked, and discards it", async () => {
    // A strategy whose rows cannot be written (none of its fields): signed by the confederation, so not refused.
    const broken = signedOutbound(confFed, confKey, { seq: Math.floor(Date.now() / 1000), type: 'strategy', id: 'strategie-cassee', version: 1, deleted: false, record: { classification: 'restricted', sharing_scope: 'confederation', strategy: { id: 'strategie-cassee' }, strategy_axes: [], strategy_objectives: [], strategy_indicators: [], indicator_targets: [] } });
    await nodes[0]!.nc.jetstream().publish(broken.subject, broken.data);
    await until('the message is parked', async () => (await server.vigie.ctx.engine.db.selectFrom('federation_dead_letters').select('id').execute()).length === 1);

    const admin = await newUser(server.vigie.ctx, { org: 'MLI', role: 'admin', clearance: 0, login: 'e2e.admin.mli.federation' });
    const page = await signInNewAdminPage(browser.context, server.url, admin);
    await nav(page).getByRole('link', { name: 'Fédération' }).click();
    await page.getByRole('heading', { name: 'Messages en souffrance' }).waitFor();
    const rows = page.getByTestId('federation-dead-letters').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const cells = (await rows.first().locator('th, td').allInnerTexts()).map((c) => c.trim());
    expect([cells[0], cells[3], cells[4]]).toEqual(['vigie.conf.strategy.strategie-cassee', 'conf', '3']);
    // Why, in French from the catalogue by its code (classified where it failed); the raw database error only as detail.
    const code = await rows.first().locator('td[data-code]').getAttribute('data-code') as FederationErrorCode;
    expect(code).not.toBe('unclassified');
    expect(cells[2]).toContain(FEDERATION_ERROR_TEXT.fr[code]);
    expect(cells[2]).toContain('Détail technique');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'dead-letters-fr-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    expect(await rows.first().locator('td[data-code]').innerText()).toContain(FEDERATION_ERROR_TEXT.en[code]);
    await page.screenshot({ path: path.join(SHOTS, 'dead-letters-en-390.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Retry vigie.conf.strategy.strategie-cassee' }).click();
    await page.getByText('vigie.conf.strategy.strategie-cassee: failed again, the message stays parked.').waitFor();
    await page.getByRole('button', { name: 'Discard vigie.conf.strategy.strategie-cassee' }).click();
    await page.getByText('vigie.conf.strategy.strategie-cassee: discarded.').waitFor();
    await page.getByTestId('federation-dead-none').waitFor();
    expect(await page.getByTestId('federation-dead-none').innerText()).toBe('No dead letter.');
    const audited = await server.vigie.ctx.engine.db.selectFrom('audit_events').select('action').where('action', 'in', ['federation.park', 'federation.dead_letter_retry', 'federation.dead_letter_discard']).orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['federation.park', 'federation.dead_letter_retry', 'federation.dead_letter_discard']);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 180_000);
});
