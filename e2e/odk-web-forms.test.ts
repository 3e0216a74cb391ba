/**
 * Vigie's generated XForm in ODK Web Forms (@getodk/web-forms, the ODK engine Central uses in the browser), in Debian's
 * Chromium: the form, its manifest's CSV media and its labels load from /openrosa with a device token in the path; the
 * page is filled and sent, and the submission arrives as a submitted report. ODK Web Forms is a test-only tool kept
 * outside the workspaces (its engines range is narrower than Vigie's): `npm ci --prefix e2e/odk-web-forms`; the test
 * says so and is skipped when it is not installed, or when Chromium is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../apps/server/src/http/app.js';
import { createApiToken } from '../apps/server/src/services/accounts/auth.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newUser, testVigie, type TestVigie } from '../apps/server/src/test-support/factories.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { ROOT } from './support/web-build.js';

const MODULES = path.join(ROOT, 'e2e/odk-web-forms/node_modules');
const WEB_FORMS = path.join(MODULES, '@getodk/web-forms/dist');
const VUE = path.join(MODULES, 'vue/dist/vue.esm-browser.prod.js');
const ready = fs.existsSync(CHROMIUM) && fs.existsSync(WEB_FORMS) && fs.existsSync(VUE);
if (!ready) console.warn('ODK Web Forms or Chromium missing: the Web Forms test is skipped (npm ci --prefix e2e/odk-web-forms)');
const SHOTS = path.join(ROOT, 'docs/screenshots');

/** The host page: Vue and ODK Web Forms from the test's own files, the form and its media from Vigie's OpenRosa routes. */
const harness = (token: string) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>ODK Web Forms — Vigie</title>
<script type="importmap">{"imports":{"vue":"/odk-harness/vue.js"}}</script></head><body><div id="app"></div>
<script type="module">
import { createApp, h } from 'vue';
import { OdkWebForm, webFormsPlugin } from '/odk-harness/wf/index.js';
const base = '/openrosa/key/${token}';
const formXml = await (await fetch(base + '/forms/vigie_incident/form.xml', { headers: { 'X-OpenRosa-Version': '1.0' } })).text();
const fetchFormAttachment = (url) => fetch(base + '/forms/vigie_incident/media/' + String(url).split('/').pop(), { headers: { 'X-OpenRosa-Version': '1.0' } });
const onSubmit = async (payload, callback) => {
  const res = await fetch(base + '/submission', { method: 'POST', body: payload.data[0], headers: { 'X-OpenRosa-Version': '1.0' } });
  window.vigieSubmission = { status: res.status, body: await res.text() };
  callback?.({ status: res.status < 300 ? 'success' : 'failure' });
};
const app = createApp({ render: () => h(OdkWebForm, { formXml, fetchFormAttachment, missingResourceBehavior: 'ERROR', onSubmit }) });
app.use(webFormsPlugin);
app.mount('#app');
window.vigieMounted = true;
</script></body></html>`;

describe.skipIf(!ready)('Vigie’s XForm in ODK Web Forms (Chromium)', () => {
  let t: TestVigie;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  let token = '';

  beforeAll(async () => {
    t = await testVigie('sqlite');
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1, login: 'e2e.odk.web' });
    token = (await createApiToken(t.ctx, SYSTEM, reporter.login, 'navigateur-web-forms')).token;
    app = await buildApp(t.ctx);
    // Test-only pages: the host page and the library's files (the page's inline import map needs its own CSP).
    app.get('/odk-harness/', async (_req, reply) => reply.header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; connect-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:").type('text/html').send(harness(token)));
    app.get('/odk-harness/vue.js', async (_req, reply) => reply.type('text/javascript').send(fs.readFileSync(VUE)));
    app.get('/odk-harness/wf/:file', async (req, reply) => {
      const file = path.basename((req.params as { file: string }).file);
      const full = path.join(WEB_FORMS, file);
      if (!fs.existsSync(full)) return reply.status(404).send();
      return reply.type(file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript').send(fs.readFileSync(full));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    await browser.context.grantPermissions(['geolocation']);
    await browser.context.setGeolocation({ latitude: 14.49, longitude: -4.19, accuracy: 5 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.drop();
  });

  it('renders the form in French with the domain’s lists, fills it and sends it to Vigie', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${base}/odk-harness/`);
    await page.getByText('Type d’événement').first().waitFor({ timeout: 60_000 });
    // French by default, with the domain's lists.
    for (const label of ['Violences contre les civils', 'Affrontements', 'Diffusion restreinte', 'National (mon État seulement)']) await page.getByText(label, { exact: true }).first().waitFor();
    fs.mkdirSync(SHOTS, { recursive: true });

    const dateInput = page.locator('input').first();
    await dateInput.fill('2026-03-14T08:30');
    await page.getByText('Violences contre les civils', { exact: true }).click();
    await page.getByText('Attaque', { exact: true }).click();
    // The browser's position (granted, set by the test) through the geopoint widget's own dialog.
    await page.getByRole('button', { name: 'Get location' }).click();
    await page.getByRole('button', { name: 'Save location' }).click({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'odk-web-forms-fr.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => (window as unknown as { vigieSubmission?: unknown }).vigieSubmission !== undefined, undefined, { timeout: 30_000 }).catch(() => undefined);
    await page.screenshot({ path: '/tmp/odk-debug.png', fullPage: true });
    const sent = await page.evaluate(() => (window as unknown as { vigieSubmission?: { status: number; body: string } }).vigieSubmission);
    expect(sent?.status, sent?.body).toBe(201);
    expect(sent?.body).toContain('Signalement reçu');
    expect(errors).toEqual([]);
    // The report waits in Mali's review queue, as sent from the browser.
    const rows = await t.ctx.engine.db.selectFrom('incidents').select(['status', 'reporting_state', 'sub_event_type', 'latitude']).where('tags', 'like', '%odk%').execute();
    expect(rows).toEqual([{ status: 'submitted', reporting_state: 'MLI', sub_event_type: 'attack', latitude: 14.49 }]);
  }, 120_000);
});
