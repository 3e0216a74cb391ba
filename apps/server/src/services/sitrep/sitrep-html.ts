import type { SitrepLang } from '@vigie/domain';
import { barChartSvg } from '../strategy/report-html.js';
import { mapSvg } from './sitrep-map.js';
import type { SitrepModel } from './sitrep.service.js';
import {
  ACTOR_KINDS, actionStatusLabel, audienceLabel, boundariesLine, change, dayLabel, highlights, instantLabel, L, mean, methodology, num, periodLabel, severityLabel, stateLabel,
  stateParagraphs,
} from './sitrep-text.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Short labels of the chart's periods: "S48" / "W48", "11/2026". */
export const periodTick = (p: string, lang: SitrepLang): string => (p.includes('-W') ? `${lang === 'fr' ? 'S' : 'W'}${Number(p.slice(6))}` : `${p.slice(5, 7)}/${p.slice(2, 4)}`);

/** A mean as printed (one decimal): the change is stated against the number the reader sees. */
const r1 = (x: number) => Math.round(x * 10) / 10;

/** The key figures table's rows: per state and in all, with the changes against the previous period and the means. */
export function keyFigureRows(m: SitrepModel, lang: SitrepLang): string[][] {
  const f = m.figures;
  return [...f.key_figures.filter((k) => k.state !== null), ...f.key_figures.filter((k) => k.state === null)].map((k) => [
    stateLabel(f, k.state, lang), num(k.current.incidents, lang), num(k.current.fatalities, lang), num(k.current.civilian_fatalities, lang),
    num(k.current.injured, lang), num(k.current.abducted, lang), change(k.current.incidents, k.previous.incidents, lang),
    `${change(k.current.incidents, r1(k.avg_short.incidents), lang)} (${mean(k.avg_short.incidents, lang)})`,
    `${change(k.current.incidents, r1(k.avg_long.incidents), lang)} (${mean(k.avg_long.incidents, lang)})`,
  ]);
}

export function keyFigureHead(m: SitrepModel, lang: SitrepLang): string[] {
  const t = L[lang];
  return [t.state, t.incidentsCol, t.fatalitiesCol, t.civiliansCol, t.injuredCol, t.abductedCol, t.vsPrevious(m.figures.kind), t.vsShort(m.figures.kind), t.vsLong(m.figures.kind)];
}

/** The cover line: whose figures, up to which level, as of when. */
export const coverLine = (m: SitrepModel, lang: SitrepLang): string =>
  `${L[lang].audience}${lang === 'fr' ? ' :' : ':'} ${audienceLabel(m.figures, m.audience, m.ceiling, lang)} · ${L[lang].asOf} ${instantLabel(m.asOf, lang)}`;

const table = (head: string[], rows: string[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;

/** The report as a self-contained printable HTML page: inline styles and SVG, no script, nothing fetched. */
export function renderSitrepHtml(m: SitrepModel, lang: SitrepLang): string {
  const f = m.figures;
  const t = L[lang];
  const title = `${t.title} ${f.kind === 'week' ? t.weekly : t.monthly} — ${periodLabel(f, lang)}`;
  const boundaries = boundariesLine(f, lang);
  const chart = barChartSvg(f.series.periods.map((p) => periodTick(p, lang)), [
    { label: t.incidentsCol, values: f.series.incidents, color: '#1f3a5f' },
    { label: t.fatalitiesCol, values: f.series.fatalities, color: '#c2410c' },
    { label: t.civiliansCol, values: f.series.civilian_fatalities, color: '#7c3aed' },
  ], t.chartTitle(f.kind));
  const paragraphs = stateParagraphs(f, lang).map((p) => `<h3>${esc(p.name)}</h3><p>${esc(p.text)}</p>${p.areas.length ? `<ul>${p.areas.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : ''}`).join('');
  const actors = f.actors.length
    ? table([t.actorCol, t.kindCol, t.incidentsCol, t.fatalitiesCol], f.actors.map((a) => [a.name, ACTOR_KINDS[lang][a.kind] ?? String(a.kind), num(a.incidents, lang), num(a.fatalities, lang)]))
    : `<p class="meta">${esc(t.noActors)}</p>`;
  const alerts = f.alerts.length
    ? table([t.alertCol, t.severityCol, t.ackCol], f.alerts.map((a) => [a[`title_${lang}`], severityLabel(a.severity, lang),
      a.states.map((s) => `${stateLabel(f, s.state, lang)} ${s.acknowledged_at ? `${t.acknowledged} (${dayLabel(s.acknowledged_at.slice(0, 10), lang, false)})` : t.pending}`).join(' · ')]))
    : `<p class="meta">${esc(t.noAlerts)}</p>`;
  const forecast = f.forecast?.length
    ? `<h3>${esc(t.forecast)}</h3><ul>${f.forecast.map((x) => `<li>${esc(`${x[`name_${lang}`]} (${stateLabel(f, x.state, lang)}) : ${mean(x.fatalities, lang)}`)}</li>`).join('')}</ul>`
    : `<p class="meta">${esc(t.noForecast)}</p>`;
  const actions = f.actions.length
    ? table([t.actionCol, t.ownerCol, t.dueCol, t.statusCol], f.actions.map((a) => [a.title, a.owner_state ? stateLabel(f, a.owner_state, lang) : a.owner_body ?? '—', dayLabel(a.due_date, lang),
      `${actionStatusLabel(a.status, lang)} · ${a.progress} % · ${a.overdue ? t.overdue : t.due}`]))
    : `<p class="meta">${esc(t.noActions)}</p>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:900px;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1f3a5f;padding-bottom:.2rem;margin-top:1.8rem;color:#1f3a5f;font-size:1.2rem}
h3{margin:1rem 0 .2rem;font-size:1rem}.meta{color:#555;font-size:.9rem}.audience{font-weight:bold}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem;display:block;overflow-x:auto}th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right}th[scope=row]{text-align:left}
.map,.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}ul{padding-left:1.2rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
</style></head>
<body>
<header>
<p class="meta">${esc(f.alliance[`name_${lang}`])}</p>
<h1>${esc(title)}</h1>
<p>${esc(t.coverage)}${lang === 'fr' ? ' :' : ':'} ${esc(f.states.map((s) => s[`name_${lang}`]).join(', '))} · ${esc(rangeText(m, lang))}</p>
<p class="audience" data-testid="sitrep-audience">${esc(coverLine(m, lang))}</p>
</header>
<section id="faits-saillants"><h2>${esc(t.highlights)}</h2><ul>${highlights(f, lang).map((h) => `<li>${esc(h)}</li>`).join('')}</ul></section>
<section id="chiffres-cles"><h2>${esc(t.keyFigures)}</h2>${table(keyFigureHead(m, lang), keyFigureRows(m, lang))}</section>
<section id="carte"><h2>${esc(t.map)}</h2>${mapSvg(f, lang, t.map)}<p class="meta">${esc(t.mapLegend)}</p>${boundaries ? `<p class="meta" data-testid="sitrep-boundaries">${esc(boundaries)}</p>` : ''}</section>
<section id="evolution"><h2>${esc(t.chart)}</h2>${chart}</section>
<section id="etats"><h2>${esc(t.byState)}</h2>${paragraphs}</section>
<section id="acteurs"><h2>${esc(t.actors)}</h2>${actors}</section>
<section id="alerte"><h2>${esc(t.earlyWarning)}</h2>${alerts}${forecast}</section>
<section id="suivi"><h2>${esc(t.followUp)}</h2>${actions}</section>
<section id="methodologie"><h2>${esc(t.methodology)}</h2>${methodology(f, lang).map((p) => `<p class="meta">${esc(p)}</p>`).join('')}</section>
<footer><p class="meta">${esc(t.generatedBy)} ${esc(coverLine(m, lang))}.</p></footer>
</body></html>`;
}

/** "du 23 au 29 novembre 2026" / "23 to 29 November 2026". */
export const rangeText = (m: SitrepModel, lang: SitrepLang): string => {
  const f = m.figures;
  return f.kind === 'week' ? periodLabel(f, lang).replace(/^[^(]*\(|\)$/g, '') : periodLabel(f, lang);
};
