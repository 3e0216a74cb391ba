/**
 * End-to-end: the « Fédération » page of a confederation node with live peers, in Chromium. The test harness starts
 * the hub nats-server and three national leaves (mli, bfa, ner), three national Vigie nodes in this process, and the
 * confederation node behind the web server; records validated on two national nodes reach it. Screenshots in French
 * and English, desktop and phone width, go to docs/screenshots/federation-live-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countForeignObjects } from '../apps/server/src/repositories/federation.repository.js';
import type { FederationConfig } from '../apps/server/src/services/federation/federation-config.js';
import { startFederation, type FederationNode } from '../apps/server/src/services/federation/federation-link.js';
import { addPeerKey } from '../apps/server/src/services/federation/federation.service.js';
import { startTopology, type Topology } from '../apps/server/src/services/federation/nats-topology.js';
import { generateNodeKey } from '../apps/server/src/services/federation/signing.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../apps/server/src/test-support/factories.js';
import { tearDownFederation } from '../apps/server/src/test-support/federation-harness.js';
import { accessibilityProblems } from './support/axe.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInNewAdminPage } from './support/sign-in.js';
import { ROOT } from './support/web-build.js';

const SHOTS = path.join(ROOT, 'docs/screenshots');
const NATIONALS = ['mli', 'bfa', 'ner'];

describe.skipIf(!fs.existsSync(CHROMIUM))('the federation page with live peers in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let topo: Topology;
  const nodes: FederationNode[] = [];
  const nationals = new Map<string, TestVigie>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fed-e2e-'));
    topo = await startTopology(dir, NATIONALS);
    server = await startServer();
    const base = { domain: 'conf', hubDomain: 'conf', keyFile: '' };
    const confKey = generateNodeKey();
    const confFed: FederationConfig = { ...base, node: 'conf', role: 'confederation', natsUrl: topo.hub.url, natsUser: topo.hub.nodeUser.user, natsPassword: topo.hub.nodeUser.password, peers: NATIONALS, ceiling: 2 };
    for (const n of NATIONALS) {
      const v = await testVigie('sqlite');
      nationals.set(n, v);
      const key = generateNodeKey();
      await addPeerKey(server.vigie.ctx, SYSTEM, n, key.publicPem);
      await addPeerKey(v.ctx, SYSTEM, 'conf', confKey.publicPem);
      const leaf = topo.leaves.get(n)!;
      const fed: FederationConfig = { ...base, node: n, domain: n, role: 'national', natsUrl: leaf.url, natsUser: leaf.nodeUser.user, natsPassword: leaf.nodeUser.password, peers: [], ceiling: 1 };
      nodes.push(await startFederation(v.ctx, fed, key));
    }
    nodes.push(await startFederation(server.vigie.ctx, confFed, confKey));
    // Validated records shared with the confederation on two of the three national nodes.
    for (const [n, count] of [['mli', 12], ['bfa', 5]] as const) {
      const bodies = Array.from({ length: count }, () => newIncident({ sharing_scope: 'confederation', state: n.toUpperCase() }));
      await importIncidents(nationals.get(n)!.ctx, SYSTEM, bodies.map((input) => ({ input, options: { reportingState: n.toUpperCase(), status: 'validated' } })));
    }
    for (let i = 0; i < 600; i++) {
      const held = await countForeignObjects(server.vigie.ctx.engine.db);
      if (held.get('mli') === 12 && held.get('bfa') === 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await tearDownFederation({ nodes, topo, vigies: [...nationals.values()], dir });
    await server?.stop();
  }, 120_000);

  it("shows each national link of the confederation node: state, last seq, objects held, keys — in French and English, on a phone too", async () => {
    const admin = await newUser(server.vigie.ctx, { org: 'CONF', role: 'admin', clearance: 0, login: 'e2e.admin.federation.live' });
    const page = await signInNewAdminPage(browser.context, server.url, admin);

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Fédération' }).click();
    await page.getByRole('heading', { name: 'Liens de la fédération' }).waitFor();
    const rows = page.getByTestId('federation-peers').locator('tbody tr');
    await rows.first().waitFor();
    const text = async () => (await rows.allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    const byPeer = new Map((await text()).map((cells) => [`${cells[0]} ${cells[1]}`, cells]));
    // Receiving from each national node: the link is up and the records it shared are held (column « Objets »).
    expect(byPeer.get('mli Réception')?.[2]?.toLowerCase()).toBe('actif');
    expect(byPeer.get('mli Réception')?.[7]).toBe('12');
    expect(byPeer.get('bfa Réception')?.[7]).toBe('5');
    expect(byPeer.get('ner Réception')?.[7]).toBe('0');
    expect(await page.getByTestId('federation-keys').locator('tbody tr').count()).toBe(3);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'federation-live-fr.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'federation-live-fr-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Federation links' }).waitFor();
    await page.getByText('Receiving').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'federation-live-en-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'federation-live-en.png'), fullPage: true });
    await page.getByRole('button', { name: 'Français' }).click();
    await page.close();
  }, 240_000);
});
