/**
 * What a file is, by its content (magic bytes), never by its name or the type its sender declares: the kinds Vigie
 * accepts as attachments because it can clean them of embedded metadata, and the common kinds it refuses because it
 * cannot (named, so the refusal tells the field user what to do).
 */

/** Kinds accepted: their metadata (EXIF, GPS, XMP, author) is removed before they are stored. */
export const ACCEPTED_KINDS = ['jpeg', 'png', 'webp', 'pdf'] as const;
export type AcceptedKind = (typeof ACCEPTED_KINDS)[number];
/** Kinds refused: Vigie cannot remove what they carry (HEIC/HEIF photos, video, audio, office documents, the rest). */
export type RefusedKind = 'heic' | 'video' | 'audio' | 'office' | 'unknown';

/** The content type a stored file is served with, from its detected kind. */
export const CONTENT_TYPES: Record<AcceptedKind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'avif', 'avis']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ']);

const ascii = (b: Buffer, from: number, to: number) => b.toString('latin1', from, to);
const startsWith = (b: Buffer, bytes: number[]) => bytes.every((x, i) => b[i] === x);

/** The kind of a file's bytes. */
export function fileKind(b: Buffer): AcceptedKind | RefusedKind {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(b, 0, 4) === 'RIFF') {
    const form = ascii(b, 8, 12);
    if (form === 'WEBP') return 'webp';
    if (form === 'AVI ') return 'video';
    if (form === 'WAVE') return 'audio';
    return 'unknown';
  }
  if (ascii(b, 0, 5) === '%PDF-') return 'pdf';
  // ISO base media (MP4, MOV, 3GP, HEIF, M4A): a box `ftyp` with its major brand.
  if (ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (HEIF_BRANDS.has(brand)) return 'heic';
    return AUDIO_BRANDS.has(brand) ? 'audio' : 'video';
  }
  if (ascii(b, 4, 8) === 'moov' || ascii(b, 4, 8) === 'mdat' || startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return 'video';
  if (ascii(b, 0, 3) === 'ID3' || ascii(b, 0, 4) === 'OggS' || ascii(b, 0, 6) === '#!AMR\n' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)) return 'audio';
  // OLE compound files (.doc, .xls, .ppt) and ZIP packages (.docx, .xlsx, .odt).
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) || startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'office';
  return 'unknown';
}
