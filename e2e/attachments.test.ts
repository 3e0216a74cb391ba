/**
 * A record's files on the incident page, in Chromium: a submission from a collector arrives with two photos and a
 * PDF; an analyst of the state opens the record and sees each file's name, kind and size with a download link, a
 * thumbnail for the small photo and, for the large one, a button that loads its preview on request. French and
 * English, desktop and phone; screenshots go to /tmp/attachments-shots.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../apps/server/src/services/accounts/auth.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { newUser } from '../apps/server/src/test-support/factories.js';
import { heicPhoto, jpegWithExif, multipart, pdfWithAuthor, submissionXml, xmlPart } from '../apps/server/src/test-support/openrosa.js';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { signInPage } from './support/sign-in.js';

const SHOTS = process.env.VIGIE_SHOTS_DIR ?? '/tmp/attachments-shots';

/** An RGB PNG drawn by `pixel`, with a tEXt chunk (metadata the server strips). */
function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0sergent Traoré, GPS 14.49 -4.19')), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('a record’s files on the incident page', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: { login: string; password: string };
  const id = '6c2e0c8e-4d2a-4c53-9a51-3f2a7d9e0c31';
  const small = png(160, 120, (x, y) => [40 + x, 90 + (y >> 1), 160 - (x >> 1)]);
  // Noise does not compress: about 360 KB, over the size a page loads by itself.
  const bytes = randomBytes(400 * 300 * 3);
  const large = png(400, 300, (x, y) => [bytes[(y * 400 + x) * 3]!, bytes[(y * 400 + x) * 3 + 1]!, bytes[(y * 400 + x) * 3 + 2]!]);
  const pdf = pdfWithAuthor('proces-verbal de la gendarmerie');

  beforeAll(async () => {
    server = await startServer();
    const ctx = server.vigie.ctx;
    const reporter = await newUser(ctx, { org: 'MLI', role: 'reporter', clearance: 1 });
    analyst = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
    const token = (await createApiToken(ctx, SYSTEM, reporter.login, 'tablette-mopti-02')).token;
    const xml = submissionXml({ instanceId: `uuid:${id}`, photos: ['marche-mopti.png', 'vue-large.png'], document: 'pv-gendarmerie.pdf' });
    const body = multipart([
      xmlPart(xml),
      { name: 'marche-mopti.png', filename: 'marche-mopti.png', contentType: 'image/png', data: small },
      { name: 'vue-large.png', filename: 'vue-large.png', contentType: 'image/png', data: large },
      { name: 'pv-gendarmerie.pdf', filename: 'pv-gendarmerie.pdf', contentType: 'application/pdf', data: pdf },
    ]);
    const res = await fetch(`${server.url}/openrosa/key/${token}/submission`, { method: 'POST', headers: { ...body.headers, 'x-openrosa-version': '1.0' }, body: new Uint8Array(body.payload) });
    if (res.status !== 201) throw new Error(`submission: HTTP ${res.status} ${await res.text()}`);
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows each file with its kind, size and download link, a thumbnail for a small photo and a preview on request for a large one', async () => {
    const page = await signInPage(browser.context, server.url, analyst);
    await page.goto(`${server.url}/incidents/${id}`);
    const list = page.getByTestId('attachments');
    // The count shows once the files are read (never « 0 fichier » while they load).
    await page.getByRole('heading', { name: /Pièces jointes \(/ }).waitFor();
    expect(await page.getByRole('heading', { name: /Pièces jointes/ }).innerText()).toContain('3 fichiers');
    const items = page.getByTestId('attachment');
    expect(await items.count()).toBe(3);
    const text = await list.innerText();
    expect(text).toContain('marche-mopti.png');
    expect(text).toContain('Document PDF');
    expect(text).toContain('métadonnées (GPS, appareil) retirées à la réception');
    expect(text).toMatch(/\d+ o\b/); // the PDF's size in bytes, French unit

    // The download link serves the stripped file.
    const link = page.getByRole('link', { name: 'Télécharger « pv-gendarmerie.pdf »' });
    const href = await link.getAttribute('href');
    expect(await link.getAttribute('download')).toBe('pv-gendarmerie.pdf');
    const got = await page.request.get(`${server.url}${href}`);
    expect(got.status()).toBe(200);
    expect((await got.body()).toString('latin1')).toContain('proces-verbal');
    expect((await got.body()).toString('latin1')).not.toContain('Traore');
    const photo = await page.request.get(`${server.url}${await page.getByRole('link', { name: 'Télécharger « marche-mopti.png »' }).getAttribute('href')}`);
    expect((await photo.body()).includes(Buffer.from('sergent'))).toBe(false);

    // The small photo is drawn; the large one waits for the reader's click.
    const thumb = page.getByRole('img', { name: 'Photo « marche-mopti.png »' });
    await thumb.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.attachment-thumb')].every((i) => i.complete && i.naturalWidth > 0));
    expect(await page.getByRole('img', { name: 'Photo « vue-large.png »' }).count()).toBe(0);
    const preview = page.getByRole('button', { name: /Afficher l’aperçu/ });
    expect(await preview.innerText()).toMatch(/Ko\)$/);
    await page.screenshot({ path: path.join(SHOTS, 'attachments-fr-desktop.png'), fullPage: true });
    await preview.click();
    await page.getByRole('img', { name: 'Photo « vue-large.png »' }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.attachment-thumb')].every((i) => i.complete && i.naturalWidth > 0));

    await page.setViewportSize({ width: 390, height: 844 });
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'attachments-fr-phone.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).first().click();
    await page.getByRole('heading', { name: /Attachments/ }).waitFor();
    const en = await list.innerText();
    expect(en).toContain('3 files');
    expect(en).toContain('PDF document');
    expect(en).toContain('metadata (GPS, device) removed on receipt');
    expect(en).not.toContain('Pièces');
    await page.screenshot({ path: path.join(SHOTS, 'attachments-en-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'attachments-en-desktop.png'), fullPage: true });
  }, 240_000);

  it('attaches a file on the page: a HEIC photo is refused with the reason in French, a JPEG arrives without its metadata', async () => {
    const page = await signInPage(browser.context, server.url, analyst);
    await page.goto(`${server.url}/incidents/${id}`);
    const form = page.getByTestId('attach-form');
    await form.waitFor();
    expect(await form.innerText()).toContain('Photos JPEG, PNG ou WebP, documents PDF ; 10 Mo au plus');
    const input = page.getByLabel('Photo ou document');
    await input.setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: heicPhoto() });
    await page.getByRole('button', { name: 'Joindre' }).click();
    const refused = page.getByTestId('attach-refused');
    await refused.waitFor();
    const why = await refused.innerText();
    expect(why).toContain('Fichier « IMG_0042.jpg » refusé');
    expect(why).toContain('Photo HEIC/HEIF refusée');
    expect(why).toContain('Formats acceptés : photos JPEG, PNG ou WebP, documents PDF.');
    expect(await page.getByTestId('attachment').count()).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, 'attachments-refused-fr.png'), fullPage: true });

    await input.setInputFiles({ name: 'poste-nord.jpg', mimeType: 'image/jpeg', buffer: jpegWithExif() });
    await page.getByRole('button', { name: 'Joindre' }).click();
    await page.getByText('Fichier « poste-nord.jpg » joint, métadonnées retirées.').waitFor();
    await page.getByRole('link', { name: 'Télécharger « poste-nord.jpg »' }).waitFor();
    const href = await page.getByRole('link', { name: 'Télécharger « poste-nord.jpg »' }).getAttribute('href');
    const got = await page.request.get(`${server.url}${href}`);
    expect(got.headers()['content-type']).toBe('image/jpeg');
    expect((await got.body()).includes(Buffer.from('GPSLatitude'))).toBe(false);
  }, 240_000);
});
