/**
 * Many ministries open Vigie by address on their LAN, over plain HTTP (http://<server-address>:8080/). There the
 * browser must not be told to upgrade the page's requests to https (upgrade-insecure-requests, HSTS): it would
 * fetch the scripts from an https port nobody serves and show a blank page.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const hasChromium = fs.existsSync(CHROMIUM);

// A LAN name that Chromium resolves to this machine's loopback address: to the browser it is an ordinary,
// non-local origin over plain HTTP (localhost and 127.0.0.1 are exempt from upgrade-insecure-requests), while no
// packet leaves the machine.
const LAN_HOST = 'vigie-serveur.lan';

describe.skipIf(!hasChromium)('the web app opened by a LAN address over plain HTTP', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser({ args: [`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the sign-in page, not a blank page', async () => {
    const port = new URL(server.url).port;
    const page = await browser.context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const response = await page.goto(`http://${LAN_HOST}:${port}/`);
    expect(response?.status()).toBe(200);
    await page.getByLabel('Identifiant').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Se connecter' }).isVisible()).toBe(true);
    expect(response?.headers()['strict-transport-security']).toBeUndefined();
    expect(failed.filter((u) => u.startsWith('https:'))).toEqual([]);
  });
});
