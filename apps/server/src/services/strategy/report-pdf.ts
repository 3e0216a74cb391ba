import PDFDocument from 'pdfkit';
import type { StatusRating } from '@vigie/domain';
import type { ReportModel } from './report-model.js';
import type { IndicatorProgress } from './strategy.progress.service.js';
import { baseFont, textRuns, useFont, type Weight } from './pdf-fonts.js';
import { drawTable, writeText, type WriteOptions } from './pdf-text.js';
import {
  audienceLine, confValue, dateFr, directionLabel, fmt, isPartial, pct, periodFr, periodMark, RATING_COLORS, ratingCounts, ratingLabel, SERIES_COLORS, stateName, T, unitLabel,
} from './report-text.js';

type Doc = PDFKit.PDFDocument;
interface Series { label: string; values: (number | null)[]; color: string; dashed?: boolean }

const MARGIN = 50;
/** Writes text in the Unicode fonts (pdf-text.ts), so that Arabic, Tifinagh, Fulfulde, CJK and emoji print as the HTML shows them. */
function write(doc: Doc, text: string, x: number, y: number, opts: WriteOptions = {}, weight: Weight = 400): void {
  writeText(doc, text, x, y, opts, weight);
}

/** The width of text as write() draws it, at the current font size. */
function widthOf(doc: Doc, text: string, weight: Weight = 400): number {
  return textRuns(text, weight).reduce((w, r) => w + useFont(doc, r.font).widthOfString(r.text), 0);
}

function ensureSpace(doc: Doc, h: number): void {
  if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
}

function heading(doc: Doc, text: string, size: number, color = '#1f3a5f'): void {
  ensureSpace(doc, size * 3);
  doc.moveDown(0.6).fontSize(size).fillColor(color);
  write(doc, text, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN }, 700);
  doc.fontSize(10).fillColor('#1a1a1a');
}

function para(doc: Doc, text: string, o: { size?: number; color?: string; bold?: boolean } = {}): void {
  ensureSpace(doc, 30);
  doc.fontSize(o.size ?? 10).fillColor(o.color ?? '#1a1a1a');
  write(doc, text, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN }, o.bold ? 700 : 400);
  doc.fillColor('#1a1a1a');
}

function badge(doc: Doc, r: StatusRating | null, x: number, y: number): number {
  const label = ratingLabel(r);
  doc.fontSize(8);
  const w = widthOf(doc, label, 700) + 8;
  doc.roundedRect(x, y - 1, w, 12, 2).fill(r ? RATING_COLORS[r] : '#777777');
  doc.fillColor('#ffffff');
  write(doc, label, x + 4, y - 0.5, { lineBreak: false }, 700);
  doc.fontSize(10).fillColor('#1a1a1a');
  return w;
}

/** Frame, scale and legend shared by the two chart kinds; returns the plotting helpers. */
function frame(doc: Doc, labels: string[], series: Series[], title: string, h = 140) {
  ensureSpace(doc, h + 30);
  const x0 = MARGIN + 36, top = doc.y + 14, w = doc.page.width - 2 * MARGIN - 36 - 110, bottom = top + h;
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(1, ...all) * 1.1;
  doc.fontSize(9).fillColor('#333333');
  write(doc, title, MARGIN, doc.y, { lineBreak: false }, 700);
  doc.fontSize(7).fillColor('#555555');
  for (const f of [0, 0.5, 1]) {
    const yy = bottom - (h * f) / 1.1;
    doc.moveTo(x0, yy).lineTo(x0 + w, yy).lineWidth(0.3).strokeColor('#cccccc').stroke();
    write(doc.fillColor('#555555'), fmt(Math.round((max * f) / 1.1 * 10) / 10), MARGIN - 4, yy - 3, { width: 36, align: 'right', lineBreak: false });
  }
  const step = Math.max(1, Math.ceil(labels.length / 8));
  series.forEach((s, k) => {
    const ly = top + k * 11;
    if (s.dashed) doc.moveTo(x0 + w + 8, ly + 4).lineTo(x0 + w + 22, ly + 4).lineWidth(1.5).dash(3, { space: 2 }).strokeColor(s.color).stroke().undash();
    else doc.rect(x0 + w + 8, ly, 12, 8).fill(s.color);
    write(doc.fillColor('#333333').fontSize(7), s.label, x0 + w + 26, ly, { width: 84, lineBreak: false, ellipsis: true });
  });
  return { x0, top, w, bottom, h, max, step };
}

export function drawLineChart(doc: Doc, labels: string[], series: Series[], title: string): void {
  const f = frame(doc, labels, series, title);
  const x = (i: number) => f.x0 + (labels.length <= 1 ? f.w / 2 : (i * f.w) / (labels.length - 1));
  const y = (v: number) => f.bottom - (f.h * v) / f.max;
  labels.forEach((l, i) => {
    if (i % f.step === 0) write(doc.fillColor('#555555').fontSize(7), l, x(i) - 25, f.bottom + 3, { width: 50, align: 'center', lineBreak: false });
  });
  for (const s of series) {
    let open = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        open = false;
        return;
      }
      if (!open) doc.moveTo(x(i), y(v));
      else doc.lineTo(x(i), y(v));
      open = true;
    });
    doc.lineWidth(1.5).strokeColor(s.color);
    if (s.dashed) doc.dash(4, { space: 3 });
    doc.stroke().undash();
    s.values.forEach((v, i) => { if (v !== null) doc.circle(x(i), y(v), 1.6).fill(s.color); });
  }
  doc.x = MARGIN;
  doc.y = f.bottom + 16;
}

export function drawBarChart(doc: Doc, labels: string[], groups: Series[], title: string): void {
  const f = frame(doc, labels, groups, title);
  const slot = f.w / Math.max(1, labels.length);
  const bw = Math.max(1.5, (slot * 0.8) / Math.max(1, groups.length));
  groups.forEach((g, k) => g.values.forEach((v, i) => {
    if (v === null || v <= 0) return;
    const hh = (f.h * v) / f.max;
    doc.rect(f.x0 + i * slot + slot * 0.1 + k * bw, f.bottom - hh, bw, hh).fill(g.color);
  }));
  doc.moveTo(f.x0, f.bottom).lineTo(f.x0 + f.w, f.bottom).lineWidth(0.5).strokeColor('#999999').stroke();
  labels.forEach((l, i) => {
    if (i % f.step === 0) write(doc.fillColor('#555555').fontSize(7), l, f.x0 + i * slot + slot / 2 - 25, f.bottom + 3, { width: 50, align: 'center', lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = f.bottom + 16;
}

const table = (doc: Doc, head: string[], rows: string[][], widths: number[]): void => drawTable(doc, head, rows, widths, { margin: MARGIN, fontSize: 8, defaultWidth: 60 });

function indicator(doc: Doc, m: ReportModel, i: IndicatorProgress): void {
  ensureSpace(doc, 120);
  heading(doc, `${i.code} — ${i.name_fr}${i.civilian_harm ? ' (civils)' : ''}`, 10, '#1a1a1a');
  para(doc, `${unitLabel(i.unit)} · ${directionLabel(i.direction)} · ${i.source === 'computed' ? T.computed : T.manual} · ${periodFr(i.assessed_period)}${i.baseline_value !== null ? ` · ${T.baseline} ${fmt(i.baseline_value, i.unit)}` : ''}`, { size: 8, color: '#555555' });
  const y = doc.y + 2;
  write(doc.fontSize(9), `${T.status} :`, MARGIN, y, { lineBreak: false });
  badge(doc, i.status, MARGIN + 40, y);
  doc.x = MARGIN;
  doc.y = y + 14;
  table(doc, ['', T.value, T.target, T.achievement, T.status], i.cells.map((c) => [
    stateName(m, c.state), c.state === null ? confValue(c, i.unit) : fmt(c.value, i.unit), fmt(c.target, i.unit), pct(c.achievement),
    c.coverage && c.coverage.reported < c.coverage.expected ? T.incomplete : ratingLabel(c.status),
  ]), [110, 150, 60, 70, 105]);
  const trend = m.trends[i.id];
  if (trend && trend.periods.length) {
    drawLineChart(doc, trend.periods.map((p) => periodMark(p, m.asOf)), [
      ...trend.series.map((s, k) => ({ label: stateName(m, s.state), values: s.values, color: SERIES_COLORS[k % SERIES_COLORS.length] as string })),
      { label: `${T.target} (${T.confederation})`, values: trend.series[0]?.targets ?? [], color: '#555555', dashed: true },
    ], `${T.trend} — ${i.code}`);
  }
}

function civilianSection(doc: Doc, m: ReportModel): void {
  const h = m.civilianHarm;
  heading(doc, T.civilianHarm, 15);
  para(doc, T.civilianHarmIntro, { size: 9 });
  const labels = h.periods.map((p) => periodMark(p, m.asOf));
  drawBarChart(doc, labels, h.states.map((s, k) => ({ label: stateName(m, s), values: h.civilian_fatalities[s] ?? [], color: SERIES_COLORS[(k + 1) % SERIES_COLORS.length] as string })), T.civilianFatalities);
  // Every quarter the chart shows, in tables of at most 8 columns (the page's width).
  const conf = h.civilian_fatalities[''] ?? [];
  const total = h.fatalities[''] ?? [];
  const share = conf.map((c, i) => ((total[i] ?? 0) ? `${Math.round((c / (total[i] as number)) * 100)} %` : '—'));
  for (let from = 0; from < h.periods.length; from += 8) {
    const cols = h.periods.slice(from, from + 8);
    const cut = <T,>(xs: T[]) => xs.slice(from, from + 8);
    table(doc, ['', ...cols.map((p) => periodMark(p, m.asOf))], [
      ...h.states.map((s) => [`${T.civilianFatalities} — ${stateName(m, s)}`, ...cut(h.civilian_fatalities[s] ?? []).map((v) => fmt(v))]),
      [`${T.civilianFatalities} — ${T.confederation}`, ...cut(conf).map((v) => fmt(v))],
      [`${T.fatalities} — ${T.confederation}`, ...cut(total).map((v) => fmt(v))],
      [`${T.injured} — ${T.confederation}`, ...cut(h.injured[''] ?? []).map((v) => fmt(v))],
      [T.civilianShare, ...cut(share)],
    ], [155, ...cols.map(() => Math.floor(340 / Math.max(4, cols.length)))]);
  }
  if (h.periods.some((p) => isPartial(p, m.asOf))) para(doc, T.partialNote, { size: 8, color: '#555555' });
  const civ = m.evaluation.progress.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators)).filter((i) => i.civilian_harm);
  if (civ.length) {
    para(doc, T.civilianIndicators, { bold: true });
    for (const i of civ) para(doc, `• ${i.code} — ${i.name_fr} : ${confValue(i.cells[0], i.unit)} (${T.target} ${fmt(i.cells[0]?.target ?? null, i.unit)}) — ${ratingLabel(i.status)}`, { size: 9 });
  }
}

/** The ministers' report as a PDF (A4, French, vector charts drawn with pdfkit). */
export function renderReportPdf(m: ReportModel): Promise<Buffer> {
  const e = m.evaluation;
  const s = e.progress.strategy;
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${T.title} — ${periodFr(e.period)}`, Author: 'Vigie', Subject: s.title_fr, CreationDate: new Date(m.generatedAt) }, lang: 'fr-FR' });
  useFont(doc, baseFont());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  para(doc, `${m.allianceName} — ${T.forMinisters}`, { size: 9, color: '#555555' });
  heading(doc, T.title, 20);
  para(doc, s.title_fr, { bold: true, size: 12 });
  para(doc, `${T.period} : ${periodFr(e.period)} · ${T.validity} : ${dateFr(s.valid_from)} – ${dateFr(s.valid_to)}`);
  para(doc, audienceLine(m), { bold: true, size: 10 });
  if (e.status !== 'final') para(doc, T.draft, { bold: true, color: '#b42318' });

  heading(doc, T.synthesis, 15);
  const counts = ratingCounts(m);
  const y = doc.y + 4;
  let x = MARGIN;
  for (const r of ['on_track', 'at_risk', 'off_track'] as const) {
    x += badge(doc, r, x, y) + 4;
    write(doc.fontSize(10).fillColor('#1a1a1a'), String(counts[r]), x, y, { lineBreak: false });
    x += 24;
  }
  doc.x = MARGIN;
  doc.y = y + 18;
  para(doc, T.narrative, { bold: true });
  para(doc, e.narrative || '—');

  civilianSection(doc, m);

  const ratings = new Map(e.ratings.map((r) => [r.objective_id, r]));
  e.progress.axes.forEach((a, k) => {
    doc.addPage();
    heading(doc, `${T.axis} ${k + 1} — ${a.name_fr}`, 15);
    for (const o of a.objectives) {
      const r = ratings.get(o.id);
      heading(doc, `${T.objective} ${o.code} — ${o.name_fr}`, 12, '#1a1a1a');
      const by = doc.y + 2;
      write(doc.fontSize(9), `${T.status} :`, MARGIN, by, { lineBreak: false });
      badge(doc, r?.final ?? o.status, MARGIN + 40, by);
      doc.x = MARGIN;
      doc.y = by + 14;
      if (r?.rating && r.rating !== r.derived) para(doc, `${T.overridden} (${T.derived} : ${ratingLabel(r.derived)}). ${T.justification} : ${r.justification}`, { size: 9, color: '#8a5a00' });
      else para(doc, `${T.derived} : ${ratingLabel(o.status)} · ${T.achievement} ${pct(o.achievement)}`, { size: 9, color: '#555555' });
      if (r?.comment) para(doc, r.comment, { size: 9 });
      for (const i of o.indicators) indicator(doc, m, i);
    }
  });
  para(doc, `${T.generated} ${dateFr(m.generatedAt)} par Vigie.`, { size: 8, color: '#555555' });
  doc.end();
  return done;
}
