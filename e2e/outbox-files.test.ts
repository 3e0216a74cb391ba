/**
 * Photos and PDFs written offline with a report, in Chromium: picked on the new-report form with no network, they wait
 * on the device (IndexedDB) with the report through a reload, and are sent after the report when the network comes
 * back — the photo stored once, cleaned of its metadata, under the id the device gave it; a HEIC photo named .jpg is
 * refused by the server and kept on the device with its French reason until the reporter drops it; a 500 on an upload
 * is retried. Screenshots of the form and of « Sur cet appareil » at desktop and phone width, French and English, go
 * to /tmp/attach-shots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { heicPhoto } from '../apps/server/src/test-support/openrosa.js';
import type { Principal } from '../apps/server/src/services/principal.js';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const SHOTS = process.env.VIGIE_SHOTS_DIR ?? '/tmp/attach-shots';
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A small RGB PNG with a tEXt chunk naming its author and a GPS position (what the server must remove). */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(64, 0);
  ihdr.writeUInt32BE(48, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((64 * 3 + 1) * 48, 120);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0sergent Traore, GPS 14.49 -4.19')), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('photos written offline with a report, in Chromium', () => {
  let server: RunningServer;
  let reporter: Principal & { password: string };
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let recordId = '';
  const files = (incidentId: string) => server.vigie.ctx.engine.db.selectFrom('incident_attachments').innerJoin('attachment_contents', 'attachment_contents.attachment_id', 'incident_attachments.id')
    .select(['id', 'file_name', 'content_type', 'content']).where('incident_id', '=', incidentId).execute();
  const report = (mark: string) => server.vigie.ctx.engine.db.selectFrom('incidents').select(['id']).where('reporter_id', '=', reporter.userId).where('narrative', 'like', `${mark}%`).execute();

  async function writeReport(page: Page, narrative: string, attach: { name: string; mimeType: string; buffer: Buffer }[], shot?: string) {
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Début (heure UTC)').fill(`${yesterday}T09:30`);
    await page.getByLabel('Latitude').fill('14.4900');
    await page.getByLabel('Longitude').fill('-4.1900');
    await page.getByLabel('Type d’événement').selectOption({ label: 'Violences contre les civils' });
    await page.getByLabel('Sous-type', { exact: true }).selectOption({ label: 'Attaque' });
    await page.getByLabel('Récit').fill(narrative);
    await page.getByLabel('Nom de la source').fill('Poste de gendarmerie');
    await page.getByLabel('Joindre des photos ou des documents').setInputFiles(attach);
    if (shot) {
      await page.getByTestId('outbox-files').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, shot) });
    }
    await page.getByRole('button', { name: 'Enregistrer' }).click();
  }

  beforeAll(async () => {
    server = await startServer();
    reporter = await newUser(server.vigie.ctx, { org: 'MLI', role: 'reporter', clearance: 2, login: 'e2e.rapporteur.photos' });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-outbox-files-'));
    fs.mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  }, 600_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await server?.stop();
  });

  it('keeps the photos of a report written offline with it, sends them after it, once, and keeps a refused one with its reason', async () => {
    page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(reporter.login);
    await page.getByLabel('Mot de passe').fill(reporter.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('who').waitFor();
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Type d’événement').waitFor();

    await context.setOffline(true);
    await writeReport(page, 'Photos hors ligne : marché incendié.', [
      { name: 'marche.png', mimeType: 'image/png', buffer: png() },
      { name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: heicPhoto() },
    ], 'form-files-fr-desktop.png');
    await page.getByTestId('saved-offline').waitFor();
    await page.reload();
    await page.getByTestId('outbox-count').waitFor();
    expect(await page.getByTestId('outbox-count').innerText()).toBe('1 signalement en attente d’envoi');
    expect(await page.getByTestId('outbox-files-count').innerText()).toBe('2 fichiers en attente d’envoi');
    expect(await page.locator('[data-testid=outbox-file][data-state=queued]').count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'outbox-files-offline-fr-desktop.png'), fullPage: true });
    expect(await report('Photos hors ligne')).toEqual([]);

    // Back online, the first upload meets a 500: retried, nothing lost.
    let uploads = 0;
    await page.route('**/api/v1/incidents/*/attachments', async (route) => {
      uploads += 1;
      if (uploads === 1) return route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Erreur interne', status: 500, code: 'internal' }) });
      return route.continue();
    });
    await context.setOffline(false);
    await page.locator('[data-testid=outbox-file][data-state=sent]').waitFor({ timeout: 30_000 });
    if (!(await page.locator('[data-testid=outbox-item][data-state=rejected]').count())) await page.getByTestId('outbox-send').click();
    await page.locator('[data-testid=outbox-item][data-state=rejected]').waitFor({ timeout: 30_000 });
    const [rec] = await report('Photos hors ligne');
    expect(rec).toBeDefined();
    recordId = rec!.id;
    const stored = await files(rec!.id);
    expect(stored.map((f) => [f.file_name, f.content_type])).toEqual([['marche.png', 'image/png']]);
    expect(Buffer.from(stored[0]!.content).includes(Buffer.from('Traore'))).toBe(false);
    expect(uploads).toBeGreaterThanOrEqual(3); // 500, the photo, the HEIC refused
    expect(await page.getByTestId('outbox-report-received').innerText()).toBe('Signalement reçu par le serveur ; ses fichiers ne le sont pas encore.');
    expect(await page.getByTestId('outbox-file-reason').innerText()).toContain('Photo HEIC/HEIF refusée');
    expect(await page.getByTestId('outbox-files-refused').innerText()).toBe('1 fichier refusé par le serveur : retirez-le de l’appareil');
    expect(await page.getByTestId('outbox-badge').getAttribute('aria-label')).toBe('1 fichier refusé par le serveur : retirez-le de l’appareil');
    await page.unroute('**/api/v1/incidents/*/attachments');

    for (const [lang, button] of [['fr', 'Français'], ['en', 'English']] as const) {
      await page.getByRole('button', { name: button }).first().click();
      await page.getByTestId('outbox-count').waitFor();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(SHOTS, `outbox-files-refused-${lang}-desktop.png`), fullPage: true });
      // The server answered in French; the reason follows the reader's language.
      expect(await page.getByTestId('outbox-file-reason').innerText()).toContain(lang === 'fr' ? 'Photo HEIC/HEIF refusée' : 'HEIC/HEIF photo refused');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(SHOTS, `outbox-files-refused-${lang}-phone.png`), fullPage: true });
    }
    await page.getByRole('button', { name: /Français|FR/ }).first().click();
    await page.setViewportSize({ width: 1280, height: 900 });

    // The reporter drops the refused file: the item leaves the device; the server keeps the report and its photo.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Retirer ce fichier de l’appareil' }).click();
    // "No report waiting" already showed before (the report itself had been received): wait for the item to go.
    await page.getByTestId('outbox-item').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.getByTestId('outbox-files-refused').count()).toBe(0);
    expect(await page.getByTestId('outbox-count').innerText()).toBe('Aucun signalement en attente d’envoi.');
    expect(await files(rec!.id)).toHaveLength(1);

    // The record's page lists the photo.
    await page.goto(`${server.url}/incidents/${rec!.id}`);
    await page.getByTestId('attachment').first().waitFor();
    expect(await page.getByTestId('attachment').count()).toBe(1);
    // Its reporter may still add a file online while it awaits review.
    expect(await page.getByTestId('attach-form').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'detail-files-fr-desktop.png'), fullPage: true });
  }, 300_000);

  it('shows the form and the waiting files in English on a phone', async () => {
    await page.getByRole('button', { name: 'English' }).first().click();
    await page.setViewportSize({ width: 390, height: 844 });
    await context.setOffline(true);
    await page.goto(`${server.url}/incidents/new`);
    await page.getByLabel('Attach photos or documents').setInputFiles([{ name: 'pont.png', mimeType: 'image/png', buffer: png() }, { name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(10) }]);
    expect(await page.getByTestId('outbox-files').getByRole('alert').innerText()).toContain('“video.mp4”: format refused');
    await page.getByTestId('outbox-files').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'form-files-en-phone.png') });
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Français' }).first().click();
  }, 120_000);

  it('lists a file held by the cleaner (and one still being cleaned) on the record’s page without a download link', async () => {
    const db = server.vigie.ctx.engine.db;
    for (const [id, name, state, data] of [['0193a1b2-0000-7000-8000-0000000000e1', 'ancienne.heic', 'held', heicPhoto()], ['0193a1b2-0000-7000-8000-0000000000e2', 'ancienne.jpg', 'pending', png()]] as const) {
      await db.insertInto('incident_attachments').values({ id, incident_id: recordId, instance_id: 'uuid:avant', file_name: name, content_type: 'image/jpeg', size_bytes: data.length, sha256: 'x', metadata_stripped: 0, created_by: null, created_at: '2026-11-20T10:00:00.000Z', clean_state: state, cleaned_with: null, cleaned_at: null, clean_note: state === 'held' ? 'validation.file_heic' : null }).execute();
      await db.insertInto('attachment_contents').values({ attachment_id: id, content: data }).execute();
    }
    await page.goto(`${server.url}/incidents/${recordId}`);
    const held = page.locator('[data-testid=attachment][data-state=held]');
    await held.waitFor();
    expect(await held.getByRole('link').count()).toBe(0);
    expect(await held.getByTestId('attachment-state').innerText()).toContain('conservé comme preuve, non téléchargeable tant qu’un administrateur n’a pas décidé');
    expect(await page.locator('[data-testid=attachment][data-state=pending]').getByTestId('attachment-state').innerText()).toContain('En cours de nettoyage');
    expect((await page.request.get(`${server.url}/api/v1/incidents/${recordId}/attachments/0193a1b2-0000-7000-8000-0000000000e1`)).status()).toBe(403);
    for (const [lang, button] of [['fr', 'Français'], ['en', 'English']] as const) {
      await page.getByRole('button', { name: button }).first().click();
      await page.getByTestId('attachments').waitFor();
      for (const [width, label] of [[1280, 'desktop'], [390, 'phone']] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.getByTestId('attachments').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `detail-held-${lang}-${label}.png`) });
      }
    }
    expect(await held.getByTestId('attachment-state').innerText()).toContain('kept as evidence, not downloadable until an administrator decides');
    await page.getByRole('button', { name: /Français|FR/ }).first().click();
  }, 120_000);
});
