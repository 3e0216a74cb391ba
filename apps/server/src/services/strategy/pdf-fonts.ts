/**
 * Unicode text for the PDF report: the Noto fonts of the @fontsource packages (Latin with Fulfulde and Vietnamese,
 * Arabic, Tifinagh, Chinese/Japanese kana, monochrome emoji), chosen run by run. Text is split into runs by which font
 * has each character's glyph; pdfkit embeds only the glyphs used (subsets), so a report stays small.
 *
 * Right-to-left: a run in Arabic script is shaped by fontkit as one piece (contextual forms, lam-alef ligatures) and
 * laid out right to left; a paragraph that starts with a right-to-left letter is aligned right. Not handled: the full
 * Unicode bidi algorithm — runs of other scripts or digits inside Arabic text keep their logical (left-to-right) order
 * on the line — nor vertical CJK, nor colour emoji (Noto Emoji is monochrome).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/** Font families in fallback order: a character goes to the first one that has its glyph. */
const FAMILIES = ['noto-sans', 'noto-sans-arabic', 'noto-sans-tifinagh', 'noto-sans-sc', 'noto-emoji'] as const;

export type Weight = 400 | 700;

interface Subset {
  ranges: [number, number][];
  /** The .woff file for each weight; weights the package lacks fall back to 400. */
  files: Record<Weight, string>;
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const lo = parseInt(a as string, 16);
    return [lo, b === undefined ? lo : parseInt(b, 16)];
  });
}

let subsets: Subset[] | undefined;
/** Every subset file of every family, from the `unicode.json` each package ships (read once). */
function allSubsets(): Subset[] {
  if (subsets) return subsets;
  subsets = [];
  for (const family of FAMILIES) {
    const dir = path.dirname(require.resolve(`@fontsource/${family}/unicode.json`));
    const map = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
    for (const [key, spec] of Object.entries(map)) {
      const name = key.replace(/^\[(\d+)\]$/, '$1');
      const file = (w: Weight) => path.join(dir, 'files', `${family}-${name}-${w}-normal.woff`);
      if (!fs.existsSync(file(400))) continue;
      subsets.push({ ranges: parseRanges(spec), files: { 400: file(400), 700: fs.existsSync(file(700)) ? file(700) : file(400) } });
    }
  }
  return subsets;
}

/**
 * WOFF 1.0 to a plain TrueType/OpenType file: each table inflated with Node's zlib. fontkit would inflate the WOFF
 * tables itself, in JavaScript, for every new PDF (about a second a report); done once here, the fonts are reused.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4), compLength = woff.readUInt32BE(at + 8), origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? zlib.inflateSync(raw) : raw };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(woff.readUInt32BE(4), 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const chunks: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    t.tag.copy(header, at);
    header.writeUInt32BE(t.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    chunks.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(chunks);
}

const opened = new Map<string, { data: Buffer; font: fontkit.Font }>();
function load(file: string): { data: Buffer; font: fontkit.Font } {
  let entry = opened.get(file);
  if (!entry) {
    const data = woffToSfnt(fs.readFileSync(file));
    entry = { data, font: fontkit.create(data) };
    opened.set(file, entry);
  }
  return entry;
}
const open = (file: string): fontkit.Font => load(file).font;

const registered = new WeakMap<PDFKit.PDFDocument, Set<string>>();
/** Makes `file` the document's current font, from the decompressed copy (registered once per document). */
export function useFont(doc: PDFKit.PDFDocument, file: string): PDFKit.PDFDocument {
  let names = registered.get(doc);
  if (!names) registered.set(doc, (names = new Set()));
  if (!names.has(file)) {
    doc.registerFont(file, load(file).data);
    names.add(file);
  }
  return doc.font(file);
}

const chosen = new Map<number, Subset | null>();
/** The first subset, in family order, whose range holds the code point and whose font has its glyph. */
function subsetFor(cp: number): Subset | null {
  let s = chosen.get(cp);
  if (s !== undefined) return s;
  s = allSubsets().find((x) => x.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) && open(x.files[400]).hasGlyphForCodePoint(cp)) ?? null;
  chosen.set(cp, s);
  return s;
}

/** The default font: Noto Sans Latin. */
export function baseFont(weight: Weight = 400): string {
  return (subsetFor(0x41) as Subset).files[weight];
}

/** A piece of text that one font draws; `rtl` when it is right-to-left script, to be shaped as one piece. */
export interface TextRun {
  text: string;
  font: string;
  rtl: boolean;
}

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
/** Characters that take the font of the text around them when it has their glyph (spaces, punctuation, joiners, marks). */
const FOLLOWER = /[\s\p{P}\p{M}\u200c\u200d\ufe0e\ufe0f]/u;

const runCache = new Map<string, TextRun[]>();

/** Splits text into runs by the font that has each character's glyph (labels repeat: kept for the next call). */
export function textRuns(text: string, weight: Weight = 400): TextRun[] {
  const key = `${weight}|${text}`;
  const cached = runCache.get(key);
  if (cached) return cached;
  if (runCache.size > 10_000) runCache.clear();
  const runs = splitRuns(text, weight);
  runCache.set(key, runs);
  return runs;
}

function splitRuns(text: string, weight: Weight): TextRun[] {
  const runs: TextRun[] = [];
  let current: { subset: Subset | null; chars: string[] } | undefined;
  const flush = () => {
    if (!current || !current.chars.length) return;
    const t = current.chars.join('');
    runs.push({ text: t, font: (current.subset ?? (subsetFor(0x41) as Subset)).files[weight], rtl: RTL_LETTER.test(t) });
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (current && FOLLOWER.test(ch) && (current.subset === null || (current.subset && open(current.subset.files[400]).hasGlyphForCodePoint(cp)) || /\p{M}|[\u200c\u200d\ufe0e\ufe0f]/u.test(ch))) {
      current.chars.push(ch);
      continue;
    }
    const subset = subsetFor(cp);
    if (current && subset === current.subset) current.chars.push(ch);
    else {
      flush();
      current = { subset, chars: [ch] };
    }
  }
  flush();
  return runs;
}

/** Whether a paragraph reads right to left: its first strong letter is right-to-left. */
export function isRtlParagraph(text: string): boolean {
  const first = text.match(/[\p{L}]/u)?.[0];
  return first !== undefined && RTL_LETTER.test(first);
}
