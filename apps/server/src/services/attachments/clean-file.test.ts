import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { translateMessage } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { heicPhoto, jpegWithExif, mp4Video, pdfWithAuthor, webpWithExif } from '../../test-support/openrosa.js';
import { cleanFile, MAX_FILE_BYTES } from './clean-file.js';
import { fileKind } from './file-kind.js';

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(Problem);
  return e as Problem;
};

describe('cleaning an attachment', () => {
  it('recognises files by their content, whatever their name', () => {
    expect([jpegWithExif(), webpWithExif(), pdfWithAuthor(), heicPhoto(), mp4Video()].map(fileKind)).toEqual(['jpeg', 'webp', 'pdf', 'heic', 'video']);
    expect(fileKind(Buffer.from('PK\x03\x04word/document.xml', 'latin1'))).toBe('office');
    expect(fileKind(Buffer.from('just some text'))).toBe('unknown');
  });

  it('removes a PDF’s author, title, creator and XMP, keeping its page and text', async () => {
    const out = await cleanFile('file', 'pv.pdf', pdfWithAuthor());
    expect(out.contentType).toBe('application/pdf');
    const text = out.data.toString('latin1');
    for (const leak of ['/Author', 'Traore', 'TECNO', '/Metadata', 'xmpmeta', 'GPSLatitude', '/Info']) expect(text).not.toContain(leak);
    const doc = await PDFDocument.load(out.data);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getAuthor()).toBeUndefined();
    expect(text).toContain('proc?s-verbal de test');
  });

  it('refuses HEIC, video, office documents, unknown and damaged files, naming the field, in French and English', async () => {
    const heic = await refusal(cleanFile('photo_1', 'IMG_0042.jpg', heicPhoto()));
    expect(heic.errors).toEqual([{ field: 'photo_1', message: 'validation.file_heic' }]);
    expect(translateMessage('validation.file_heic', 'fr')).toMatch(/^Photo HEIC\/HEIF refusée.*Formats acceptés : photos JPEG, PNG ou WebP, documents PDF\.$/);
    expect(translateMessage('validation.file_heic', 'en')).toMatch(/^HEIC\/HEIF photo refused/);
    expect((await refusal(cleanFile('file', 'v.mp4', mp4Video()))).errors?.[0]?.message).toBe('validation.file_video');
    expect((await refusal(cleanFile('file', 'r.docx', Buffer.from('PK\x03\x04...', 'latin1')))).errors?.[0]?.message).toBe('validation.file_office');
    expect((await refusal(cleanFile('file', 'x.bin', Buffer.from('hello')))).errors?.[0]?.message).toBe('validation.file_unknown');
    expect((await refusal(cleanFile('file', 'x.pdf', Buffer.from('%PDF-1.4 nothing else')))).errors?.[0]?.message).toBe('validation.file_unreadable');
    expect((await refusal(cleanFile('file', 'x.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 1, 2])))).errors?.[0]?.message).toBe('validation.file_unreadable');
    const big = await refusal(cleanFile('file', 'big.jpg', Buffer.alloc(MAX_FILE_BYTES + 1)));
    expect(big.status).toBe(413);
    expect(translateMessage(big.errors![0]!.message, 'fr')).toContain('10 Mo au plus');
  });
});
