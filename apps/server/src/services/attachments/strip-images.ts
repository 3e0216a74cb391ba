/**
 * Removes embedded metadata (EXIF with its GPS position, XMP, IPTC, comments) from JPEG, PNG and WebP files before they
 * are stored: a photo from the field must not carry the device, the owner or the exact point further than the record's own
 * location protection allows. Pure; the image data itself is copied untouched.
 */

/**
 * Application segments kept, by marker and signature: APP0 JFIF (the pixel aspect), APP2 ICC_PROFILE (the colours) and
 * APP14 Adobe (the colour transform). Every other APPn (EXIF and XMP in APP1, MPF in APP2, IPTC in APP13, vendors'
 * own) and COM comments go.
 */
const JPEG_KEPT_APP: Record<number, string> = { 0xe0: 'JFIF\0', 0xe2: 'ICC_PROFILE\0', 0xee: 'Adobe' };
const isApp = (m: number) => m >= 0xe0 && m <= 0xef;

/** Where the entropy-coded data starting at `from` ends: the next marker (0xFF then neither 0x00, RSTn nor fill). */
function scanEnd(input: Buffer, from: number): number {
  let j = from;
  while (j + 1 < input.length) {
    if (input[j] === 0xff) {
      const next = input[j + 1]!;
      if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return j;
    }
    j++;
  }
  throw new Error('JPEG without its end of image');
}

/**
 * The JPEG without its metadata segments and without anything after its end of image (phones append further pictures
 * there, a depth map or a preview with its own EXIF and GPS); throws on a file that is not a well-formed JPEG.
 */
export function stripJpeg(input: Buffer): Buffer {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8) throw new Error('not a JPEG');
  const out: Buffer[] = [input.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 1 >= input.length) throw new Error('JPEG without its end of image');
    if (input[i] !== 0xff) throw new Error(`JPEG marker expected at ${i}`);
    const marker = input[i + 1]!;
    // Fill bytes, and markers without a length (RST0–7, TEM).
    if (marker === 0xff) { i++; continue; }
    if (marker === 0xd9) { out.push(input.subarray(i, i + 2)); break; }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { out.push(input.subarray(i, i + 2)); i += 2; continue; }
    if (i + 4 > input.length) throw new Error('truncated JPEG segment');
    const length = input.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > input.length) throw new Error('truncated JPEG segment');
    const kept = isApp(marker) ? JPEG_KEPT_APP[marker] !== undefined && input.toString('latin1', i + 4, i + 4 + JPEG_KEPT_APP[marker]!.length) === JPEG_KEPT_APP[marker]
      : marker !== 0xfe;
    if (kept) out.push(input.subarray(i, end));
    i = end;
    // Start of scan: its entropy-coded data is image, copied as is, up to the next marker (another table or scan, or EOI).
    if (marker === 0xda) {
      const stop = scanEnd(input, i);
      out.push(input.subarray(i, stop));
      i = stop;
    }
  }
  return Buffer.concat(out);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG chunks that carry metadata: EXIF, text, time, and ImageMagick's/Adobe's profiles in text. */
const PNG_METADATA = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

/** The PNG without its metadata chunks; throws on a file that is not a well-formed PNG. */
export function stripPng(input: Buffer): Buffer {
  if (input.length < 8 || !input.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  while (i + 12 <= input.length) {
    const length = input.readUInt32BE(i);
    const type = input.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > input.length) throw new Error('truncated PNG chunk');
    if (!PNG_METADATA.has(type)) out.push(input.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}

const RIFF_METADATA = new Set(['EXIF', 'XMP ']);
/** VP8X flags that announce the EXIF (0x08) and XMP (0x04) chunks. */
const VP8X_METADATA_FLAGS = 0x08 | 0x04;

/** The WebP without its EXIF and XMP chunks (and their flags in VP8X); throws on a file that is not a well-formed WebP. */
export function stripWebp(input: Buffer): Buffer {
  if (input.length < 12 || input.toString('latin1', 0, 4) !== 'RIFF' || input.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not a WebP');
  const end = Math.min(input.length, 8 + input.readUInt32LE(4));
  const chunks: Buffer[] = [];
  let i = 12;
  while (i + 8 <= end) {
    const type = input.toString('latin1', i, i + 4);
    const size = input.readUInt32LE(i + 4);
    // Chunks are padded to an even length.
    const next = i + 8 + size + (size & 1);
    if (i + 8 + size > end) throw new Error('truncated WebP chunk');
    if (!RIFF_METADATA.has(type)) {
      const c = Buffer.from(input.subarray(i, Math.min(next, end)));
      if (type === 'VP8X' && size >= 1) c[8] = c[8]! & ~VP8X_METADATA_FLAGS;
      chunks.push(c);
    }
    i = next;
  }
  if (!chunks.length) throw new Error('empty WebP');
  const header = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
  const out = Buffer.concat([header, ...chunks]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}
