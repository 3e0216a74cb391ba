import PDFDocument from 'pdfkit';
import type { SitrepLang } from '@vigie/domain';
import { baseFont, useFont, type Weight } from '../strategy/pdf-fonts.js';
import { drawTable, writeText } from '../strategy/pdf-text.js';
import { drawBarChart } from '../strategy/report-pdf.js';
import { coverLine, keyFigureHead, keyFigureRows, periodTick, rangeText } from './sitrep-html.js';
import { projector, radius } from './sitrep-map.js';
import type { SitrepModel } from './sitrep.service.js';
import {
  ACTOR_KINDS, actionStatusLabel, boundariesLine, dayLabel, highlights, L, mean, methodology, num, periodLabel, severityLabel, stateLabel, stateParagraphs,
} from './sitrep-text.js';

type Doc = PDFKit.PDFDocument;
const MARGIN = 45;
const STATE_FILLS = ['#e8eef5', '#eef5e8', '#f5efe8', '#f0e8f5', '#e8f5f3'];

const width = (doc: Doc) => doc.page.width - 2 * MARGIN;
function ensureSpace(doc: Doc, h: number): void {
  if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
}
function heading(doc: Doc, text: string, size = 13): void {
  ensureSpace(doc, size * 3);
  doc.moveDown(0.5).fontSize(size).fillColor('#1f3a5f');
  writeText(doc, text, MARGIN, doc.y, { width: width(doc) }, 700);
  doc.fontSize(10).fillColor('#1a1a1a');
}
function para(doc: Doc, text: string, o: { size?: number; color?: string; weight?: Weight; indent?: number } = {}): void {
  ensureSpace(doc, 24);
  doc.fontSize(o.size ?? 9.5).fillColor(o.color ?? '#1a1a1a');
  writeText(doc, text, MARGIN + (o.indent ?? 0), doc.y, { width: width(doc) - (o.indent ?? 0) }, o.weight ?? 400);
  doc.fillColor('#1a1a1a');
}

const table = (doc: Doc, head: string[], rows: string[][], widths: number[]): void => drawTable(doc, head, rows, widths, { margin: MARGIN, fontSize: 7.5, defaultWidth: 50 });

function drawMap(doc: Doc, m: SitrepModel, lang: SitrepLang): void {
  const f = m.figures;
  const k = width(doc) / f.map.width;
  ensureSpace(doc, f.map.height * k + 20);
  const top = doc.y + 4;
  const project = projector(f.map);
  const states = f.states.map((s) => s.code);
  doc.save().translate(MARGIN, top).scale(k);
  doc.rect(0, 0, f.map.width, f.map.height).fill('#f7fbff');
  for (const o of f.map.outlines) {
    doc.path(o.d).lineWidth(0.6).fillAndStroke(STATE_FILLS[Math.max(0, states.indexOf(o.state)) % STATE_FILLS.length] as string, '#8a97a8');
  }
  const max = Math.max(0, ...f.areas.map((a) => a.current.incidents));
  const active = f.areas.filter((a) => a.current.incidents > 0).sort((a, b) => b.current.incidents - a.current.incidents);
  for (const a of active) {
    const [x, y] = project(a.lon, a.lat);
    doc.circle(x, y, radius(a.current.incidents, max)).lineWidth(0.8).fillOpacity(0.55).fillAndStroke('#c2410c', '#7c2d12');
    doc.fillOpacity(1);
  }
  doc.fontSize(9).fillColor('#1a1a1a');
  for (const a of active.slice(0, 12)) {
    const [x, y] = project(a.lon, a.lat);
    writeText(doc, `${a[`name_${lang}`]} (${a.current.incidents})`, x - 60, y - radius(a.current.incidents, max) - 13, { width: 120, align: 'center', lineBreak: false });
  }
  doc.restore();
  doc.x = MARGIN;
  doc.y = top + f.map.height * k + 4;
  para(doc, L[lang].mapLegend, { size: 8, color: '#555555' });
  const boundaries = boundariesLine(f, lang);
  if (boundaries) para(doc, boundaries, { size: 8, color: '#555555' });
}

/** The report as an A4 PDF; its creation date is the report's "as of", so the same report gives the same bytes. */
export function renderSitrepPdf(m: SitrepModel, lang: SitrepLang): Promise<Buffer> {
  const f = m.figures;
  const t = L[lang];
  const title = `${t.title} ${f.kind === 'week' ? t.weekly : t.monthly} — ${periodLabel(f, lang)}`;
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title, Author: 'Vigie', CreationDate: new Date(m.asOf) }, lang: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  useFont(doc, baseFont());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  para(doc, f.alliance[`name_${lang}`], { size: 9, color: '#555555' });
  heading(doc, title, 17);
  para(doc, `${t.coverage}${lang === 'fr' ? ' :' : ':'} ${f.states.map((s) => s[`name_${lang}`]).join(', ')} · ${rangeText(m, lang)}`);
  para(doc, coverLine(m, lang), { weight: 700 });

  heading(doc, t.highlights);
  for (const h of highlights(f, lang)) para(doc, `• ${h}`, { indent: 4 });

  heading(doc, t.keyFigures);
  table(doc, keyFigureHead(m, lang), keyFigureRows(m, lang), [85, 45, 40, 50, 45, 45, 60, 70, 75]);

  heading(doc, t.map);
  drawMap(doc, m, lang);

  heading(doc, t.chart);
  drawBarChart(doc, f.series.periods.map((p) => periodTick(p, lang)), [
    { label: t.incidentsCol, values: f.series.incidents, color: '#1f3a5f' },
    { label: t.fatalitiesCol, values: f.series.fatalities, color: '#c2410c' },
    { label: t.civiliansCol, values: f.series.civilian_fatalities, color: '#7c3aed' },
  ], t.chartTitle(f.kind));

  heading(doc, t.byState);
  for (const p of stateParagraphs(f, lang)) {
    para(doc, p.name, { weight: 700 });
    para(doc, p.text);
    for (const a of p.areas) para(doc, `• ${a}`, { indent: 8, size: 9 });
  }

  heading(doc, t.actors);
  if (f.actors.length) table(doc, [t.actorCol, t.kindCol, t.incidentsCol, t.fatalitiesCol], f.actors.map((a) => [a.name, ACTOR_KINDS[lang][a.kind] ?? String(a.kind), num(a.incidents, lang), num(a.fatalities, lang)]), [220, 120, 80, 80]);
  else para(doc, t.noActors, { color: '#555555' });

  heading(doc, t.earlyWarning);
  if (f.alerts.length) {
    table(doc, [t.alertCol, t.severityCol, t.ackCol], f.alerts.map((a) => [a[`title_${lang}`], severityLabel(a.severity, lang),
      a.states.map((s) => `${s.state} ${s.acknowledged_at ? t.acknowledged : t.pending}`).join(' · ')]), [250, 70, 185]);
  } else para(doc, t.noAlerts, { color: '#555555' });
  if (f.forecast?.length) {
    para(doc, t.forecast, { weight: 700 });
    for (const x of f.forecast) para(doc, `• ${x[`name_${lang}`]} (${stateLabel(f, x.state, lang)}) : ${mean(x.fatalities, lang)}`, { indent: 4 });
  } else para(doc, t.noForecast, { color: '#555555' });

  heading(doc, t.followUp);
  if (f.actions.length) {
    table(doc, [t.actionCol, t.ownerCol, t.dueCol, t.statusCol], f.actions.map((a) => [a.title, a.owner_state ? stateLabel(f, a.owner_state, lang) : a.owner_body ?? '—', dayLabel(a.due_date, lang),
      `${actionStatusLabel(a.status, lang)} · ${a.progress} % · ${a.overdue ? t.overdue : t.due}`]), [210, 90, 95, 110]);
  } else para(doc, t.noActions, { color: '#555555' });

  heading(doc, t.methodology);
  for (const p of methodology(f, lang)) para(doc, p, { size: 8.5, color: '#333333' });
  para(doc, `${t.generatedBy} ${coverLine(m, lang)}.`, { size: 8, color: '#555555' });
  doc.end();
  return done;
}
