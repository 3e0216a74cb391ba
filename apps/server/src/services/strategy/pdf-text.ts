/**
 * Paragraph layout for the PDF report over pdfkit: line breaking at spaces (never inside a word, whatever fonts the
 * word needs), a simplified Unicode bidi (strong letters left-to-right or right-to-left, neutrals take the direction
 * around them, digits stay left-to-right; lines reordered by levels as in UBA rule L2), and one pdfkit call per font
 * run on a shared baseline. No explicit embeddings or isolates (U+202A…U+2069) and no justification: the report
 * needs neither.
 */
import { baseFont, isRtlParagraph, textRuns, useFont, type Weight } from './pdf-fonts.js';

type Doc = PDFKit.PDFDocument;
type Dir = 'L' | 'R' | 'N' | 'S';

export interface WriteOptions {
  /** Box width: lines wrap at it (and align in it). Without it, one line. */
  width?: number;
  align?: 'left' | 'right' | 'center';
  /** false: one line, cut with an ellipsis when `ellipsis` is set and it does not fit. */
  lineBreak?: boolean;
  ellipsis?: boolean;
}

interface Piece { text: string; dir: Dir; level: number; runs: { text: string; font: string; width: number; rtl: boolean }[]; width: number }

const RTL = '\\p{Script=Arabic}\\p{Script=Hebrew}\\p{Script=Syriac}\\p{Script=Thaana}\\p{Script=Nko}';
const JOINERS = '\\p{M}\\u200c\\u200d\\ufe0e\\ufe0f';
// Spaces | right-to-left word (with Arabic-Indic digits) | other letters and digits | one other sign with its marks.
const SEGMENT = new RegExp(`(\\s+)|([${RTL}][${RTL}\\u0660-\\u0669\\u06f0-\\u06f9${JOINERS}]*)|([\\p{L}\\p{N}][\\p{L}\\p{N}${JOINERS}]*)|([^][${JOINERS}]*)`, 'gu');
const RTL_LETTER = new RegExp(`[${RTL}]`, 'u');

function pieces(doc: Doc, text: string, weight: Weight, rtlParagraph: boolean): Piece[] {
  const out: Piece[] = [];
  for (const m of text.matchAll(SEGMENT)) {
    const dir: Dir = m[1] ? 'S' : m[2] ? 'R' : m[3] ? (RTL_LETTER.test(m[3]) ? 'R' : 'L') : 'N';
    // A run of spaces (or tabs) is as wide as one space: the report never relies on several.
    const runs = textRuns(m[1] ? ' ' : m[0], weight).map((r) => ({ ...r, width: useFont(doc, r.font).widthOfString(r.text) }));
    out.push({ text: m[0], dir, level: 0, runs, width: runs.reduce((w, r) => w + r.width, 0) });
  }
  // Neutrals and spaces take the direction of the strong letters on both sides when they agree, else the paragraph's.
  const para: Dir = rtlParagraph ? 'R' : 'L';
  const strong = (from: number, step: 1 | -1): Dir => {
    for (let i = from; i >= 0 && i < out.length; i += step) if (out[i]?.dir === 'L' || out[i]?.dir === 'R') return out[i]?.dir as Dir;
    return para;
  };
  const resolved = out.map((p, i) => (p.dir === 'L' || p.dir === 'R' ? p.dir : strong(i - 1, -1) === strong(i + 1, 1) ? strong(i - 1, -1) : para));
  out.forEach((p, i) => { p.level = rtlParagraph ? (resolved[i] === 'R' ? 1 : 2) : resolved[i] === 'R' ? 1 : 0; });
  return out;
}

/** Greedy line breaking at spaces, in logical order; spaces at the ends of lines are dropped. */
function breakLines(ps: Piece[], width: number | undefined): Piece[][] {
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let used = 0;
  let space: Piece | undefined;
  let word: Piece[] = [];
  let wordWidth = 0;
  const place = () => {
    if (!word.length) return;
    const gap = line.length && space ? space.width : 0;
    if (width !== undefined && line.length && used + gap + wordWidth > width) {
      lines.push(line);
      line = [...word];
      used = wordWidth;
    } else {
      if (gap && space) line.push(space);
      line.push(...word);
      used += gap + wordWidth;
    }
    word = [];
    wordWidth = 0;
    space = undefined;
  };
  for (const p of ps) {
    if (p.dir === 'S') {
      place();
      space = p;
    } else {
      word.push(p);
      wordWidth += p.width;
    }
  }
  place();
  lines.push(line);
  return lines;
}

/** UBA rule L2: from the highest level down to 1, reverse every run of pieces at that level or higher. */
function visualOrder(line: Piece[]): Piece[] {
  const out = [...line];
  const max = Math.max(0, ...out.map((p) => p.level));
  for (let lvl = max; lvl >= 1; lvl--) {
    for (let i = 0; i < out.length; ) {
      if ((out[i] as Piece).level < lvl) { i++; continue; }
      let j = i;
      while (j < out.length && (out[j] as Piece).level >= lvl) j++;
      out.splice(i, j - i, ...out.slice(i, j).reverse());
      i = j;
    }
  }
  return out;
}

/**
 * Writes text at (x, y) — the top of the first line — in the Unicode fonts, wrapped to `width`; leaves doc.y under
 * the last line and doc.x at x. Returns the number of lines.
 */
export function writeText(doc: Doc, text: string, x: number, y: number, opts: WriteOptions = {}, weight: Weight = 400): number {
  // Line breaks in the text are kept (a narrative's paragraphs); each paragraph has its own direction.
  const paragraphs = opts.lineBreak === false ? [text.replace(/\s+/g, ' ')] : text.split(/\r?\n/);
  let lines = 0;
  let top = y;
  for (const p of paragraphs) {
    lines += writeParagraph(doc, p, x, top, opts, weight);
    top = doc.y;
  }
  return lines;
}

function writeParagraph(doc: Doc, text: string, x: number, y: number, opts: WriteOptions, weight: Weight): number {
  const rtl = isRtlParagraph(text);
  const base = baseFont(weight);
  const size = (doc as unknown as { _fontSize: number })._fontSize;
  useFont(doc, base);
  const lineHeight = doc.currentLineHeight(true);
  const ascent = (doc as unknown as { _font: { ascender: number } })._font.ascender * size / 1000;
  let ps = pieces(doc, text, weight, rtl);
  let lines: Piece[][];
  if (opts.lineBreak === false || opts.width === undefined) {
    const width = opts.width;
    const fits = (candidate: Piece[]) => width === undefined || candidate.reduce((w, p) => w + p.width, 0) <= width;
    if (opts.lineBreak === false && opts.ellipsis && !fits(ps)) {
      // The longest prefix that fits with an ellipsis, found by bisection (a cell or legend is cut to one line).
      const chars = [...text];
      const cut = (n: number) => pieces(doc, `${chars.slice(0, n).join('').trimEnd()}…`, weight, rtl);
      let lo = 0;
      let hi = chars.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(cut(mid))) lo = mid;
        else hi = mid - 1;
      }
      ps = cut(lo);
    }
    lines = [ps];
  } else {
    lines = breakLines(ps, opts.width);
  }
  const align = opts.align ?? (rtl ? 'right' : 'left');
  let top = y;
  for (const line of lines) {
    if (opts.lineBreak !== false && top + lineHeight > doc.page.height - doc.page.margins.bottom && top > doc.page.margins.top) {
      doc.addPage();
      top = doc.page.margins.top;
    }
    const lineWidth = line.reduce((w, p) => w + p.width, 0);
    const free = (opts.width ?? lineWidth) - lineWidth;
    let cx = x + (align === 'right' ? free : align === 'center' ? free / 2 : 0);
    for (const p of visualOrder(line)) {
      // Inside a right-to-left piece of several fonts (a word and its sign), the runs go right to left too.
      const runs = p.level % 2 === 1 && p.runs.length > 1 ? [...p.runs].reverse() : p.runs;
      for (const r of runs) {
        if (r.text.trim()) useFont(doc, r.font).text(r.text, cx, top + ascent, { lineBreak: false, baseline: 'alphabetic' });
        cx += r.width;
      }
    }
    top += lineHeight;
  }
  useFont(doc, base);
  doc.x = x;
  doc.y = top;
  return lines.length;
}

/** How drawTable() sets a table: the page margin, the cells' font size and the width of a column not given one. */
export interface TableStyle { margin: number; fontSize: number; defaultWidth: number }

/**
 * A table of text cells, as the reports print them: a bold head row, then one row per line; the first column left,
 * the others right; a hairline under each row; a new page when a row would cross the bottom margin. Ends at font size
 * 10, a little below the table.
 */
export function drawTable(doc: Doc, head: string[], rows: string[][], widths: number[], style: TableStyle): void {
  const rowH = 13;
  const draw = (cells: string[], bold: boolean) => {
    if (doc.y + rowH + 2 > doc.page.height - style.margin) doc.addPage();
    const y = doc.y;
    let x = style.margin;
    doc.fontSize(style.fontSize).fillColor('#1a1a1a');
    cells.forEach((c, i) => {
      const w = widths[i] ?? style.defaultWidth;
      writeText(doc, c, x + 2, y + 3, { width: w - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true }, bold ? 700 : 400);
      x += w;
    });
    doc.moveTo(style.margin, y + rowH).lineTo(x, y + rowH).lineWidth(0.3).strokeColor('#cccccc').stroke();
    doc.x = style.margin;
    doc.y = y + rowH;
  };
  draw(head, true);
  for (const r of rows) draw(r, false);
  doc.fontSize(10).moveDown(0.4);
}
