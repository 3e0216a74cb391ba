import type { ReportModel } from './report-model.js';
import type { IndicatorProgress } from './strategy.progress.service.js';
import {
  audienceLine, confValue, dateFr, directionLabel, fmt, isPartial, pct, periodFr, periodMark, RATING_COLORS, ratingCounts, ratingLabel, SERIES_COLORS, stateName, T, unitLabel,
} from './report-text.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

interface Series { label: string; values: (number | null)[]; color: string; dashed?: boolean }

/** A small line chart as inline SVG: prints crisply and needs no script. */
export function lineChartSvg(labels: string[], series: Series[], title: string): string {
  const W = 560, H = 180, L = 44, R = 110, TOP = 12, B = 28;
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(1, ...all) * 1.1;
  const x = (i: number) => L + (labels.length <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (labels.length - 1));
  const y = (v: number) => TOP + (H - TOP - B) * (1 - v / max);
  const grid = [0, 0.5, 1].map((f) => `<line x1="${L}" x2="${W - R}" y1="${y(max * f / 1.1)}" y2="${y(max * f / 1.1)}" stroke="#ddd"/><text x="${L - 4}" y="${y(max * f / 1.1) + 4}" font-size="10" text-anchor="end">${esc(fmt(Math.round(max * f / 1.1 * 10) / 10))}</text>`).join('');
  const step = Math.max(1, Math.ceil(labels.length / 8));
  const xs = labels.map((l, i) => (i % step === 0 ? `<text x="${x(i)}" y="${H - 8}" font-size="10" text-anchor="middle">${esc(l)}</text>` : '')).join('');
  const lines = series.map((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const segs: string[][] = [[]];
    for (const p of pts) {
      if (p === null) segs.push([]);
      else (segs.at(-1) as string[]).push(p);
    }
    const paths = segs.filter((sg) => sg.length).map((sg) => (sg.length === 1
      ? `<circle cx="${sg[0]?.split(',')[0]}" cy="${sg[0]?.split(',')[1]}" r="2.5" fill="${s.color}"/>`
      : `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="5 4"' : ''} points="${sg.join(' ')}"/>`)).join('');
    const legend = `<line x1="${W - R + 8}" x2="${W - R + 24}" y1="${TOP + 8 + k * 14}" y2="${TOP + 8 + k * 14}" stroke="${s.color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="4 3"' : ''}/><text x="${W - R + 28}" y="${TOP + 12 + k * 14}" font-size="10">${esc(s.label)}</text>`;
    return paths + legend;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${grid}${xs}${lines}</svg>`;
}

/** Grouped bars as inline SVG. */
export function barChartSvg(labels: string[], groups: Series[], title: string): string {
  const W = 560, H = 180, L = 44, R = 110, TOP = 12, B = 28;
  const all = groups.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(1, ...all) * 1.1;
  const slot = (W - L - R) / Math.max(1, labels.length);
  const bw = Math.max(2, (slot * 0.8) / Math.max(1, groups.length));
  const y = (v: number) => TOP + (H - TOP - B) * (1 - v / max);
  const bars = groups.map((g, k) => g.values.map((v, i) => (v === null ? '' : `<rect x="${(L + i * slot + slot * 0.1 + k * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - B - y(v)).toFixed(1)}" fill="${g.color}"><title>${esc(`${g.label} ${labels[i]} : ${fmt(v)}`)}</title></rect>`)).join('')
    + `<rect x="${W - R + 8}" y="${TOP + 2 + k * 14}" width="12" height="10" fill="${g.color}"/><text x="${W - R + 24}" y="${TOP + 11 + k * 14}" font-size="10">${esc(g.label)}</text>`).join('');
  const step = Math.max(1, Math.ceil(labels.length / 8));
  const xs = labels.map((l, i) => (i % step === 0 ? `<text x="${L + i * slot + slot / 2}" y="${H - 8}" font-size="10" text-anchor="middle">${esc(l)}</text>` : '')).join('');
  const axis = `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#999"/><text x="${L - 4}" y="${y(max / 1.1) + 4}" font-size="10" text-anchor="end">${esc(fmt(Math.round(max / 1.1)))}</text>`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${axis}${bars}${xs}</svg>`;
}

const badge = (r: Parameters<typeof ratingLabel>[0]) => `<span class="badge" style="background:${r ? RATING_COLORS[r] : '#666'}">${esc(ratingLabel(r))}</span>`;

function indicatorBlock(m: ReportModel, i: IndicatorProgress): string {
  const conf = i.cells[0];
  const trend = m.trends[i.id];
  const incomplete = (c: (typeof i.cells)[number]) => !!c.coverage && c.coverage.reported < c.coverage.expected;
  const rows = i.cells.map((c) => `<tr><th scope="row">${esc(stateName(m, c.state))}</th><td>${esc(c.state === null ? confValue(c, i.unit) : fmt(c.value, i.unit))}</td><td>${esc(fmt(c.target, i.unit))}</td><td>${esc(pct(c.achievement))}</td><td>${incomplete(c) ? esc(T.incomplete) : badge(c.status)}</td></tr>`).join('');
  const chart = trend && trend.periods.length
    ? lineChartSvg(trend.periods.map((p) => periodMark(p, m.asOf)), [
      ...trend.series.map((s, k) => ({ label: stateName(m, s.state), values: s.values, color: SERIES_COLORS[k % SERIES_COLORS.length] as string })),
      { label: `${T.target} (${T.confederation})`, values: trend.series[0]?.targets ?? [], color: '#555', dashed: true },
    ], `${T.trend} — ${i.code}`)
    : '';
  return `<article class="indicator" id="ind-${esc(i.code)}">
<h4>${esc(i.code)} — ${esc(i.name_fr)} ${i.civilian_harm ? '<span class="tag">civils</span>' : ''}</h4>
<p class="meta">${esc(unitLabel(i.unit))} · ${esc(directionLabel(i.direction))} · ${esc(i.source === 'computed' ? T.computed : T.manual)} · ${esc(periodFr(i.assessed_period))}${i.baseline_value !== null ? ` · ${T.baseline} ${esc(fmt(i.baseline_value, i.unit))}${i.baseline_period ? ` (${esc(periodFr(i.baseline_period))})` : ''}` : ''}</p>
<p>${T.confederation} : <strong>${esc(confValue(conf, i.unit))}</strong> pour une cible de ${esc(fmt(conf?.target ?? null, i.unit))} — ${badge(i.status)}</p>
<table><thead><tr><th></th><th>${T.value}</th><th>${T.target}</th><th>${T.achievement}</th><th>${T.status}</th></tr></thead><tbody>${rows}</tbody></table>
${chart}
</article>`;
}

function civilianSection(m: ReportModel): string {
  const h = m.civilianHarm;
  const labels = h.periods.map((p) => periodMark(p, m.asOf));
  const chart = barChartSvg(labels, h.states.map((s, k) => ({ label: stateName(m, s), values: h.civilian_fatalities[s] ?? [], color: SERIES_COLORS[(k + 1) % SERIES_COLORS.length] as string })), T.civilianFatalities);
  const head = `<tr><th></th>${labels.map((l) => `<th>${esc(l)}</th>`).join('')}</tr>`;
  const row = (label: string, vals: number[]) => `<tr><th scope="row">${esc(label)}</th>${vals.map((v) => `<td>${esc(fmt(v))}</td>`).join('')}</tr>`;
  const conf = h.civilian_fatalities[''] ?? [];
  const total = h.fatalities[''] ?? [];
  const share = conf.map((c, i) => ((total[i] ?? 0) ? `${Math.round((c / (total[i] as number)) * 100)} %` : '—'));
  const indicators = m.evaluation.progress.axes.flatMap((a) => a.objectives.flatMap((o) => o.indicators)).filter((i) => i.civilian_harm);
  return `<section class="axis civilian" id="atteintes-aux-civils">
<h2>${T.civilianHarm}</h2>
<p>${T.civilianHarmIntro}</p>
${chart}
<table><thead>${head}</thead><tbody>
${h.states.map((s) => row(`${T.civilianFatalities} — ${stateName(m, s)}`, h.civilian_fatalities[s] ?? [])).join('')}
${row(`${T.civilianFatalities} — ${T.confederation}`, conf)}
${row(`${T.fatalities} — ${T.confederation}`, total)}
${row(`${T.injured} — ${T.confederation}`, h.injured[''] ?? [])}
<tr><th scope="row">${T.civilianShare}</th>${share.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>
</tbody></table>
${h.periods.some((p) => isPartial(p, m.asOf)) ? `<p class="meta">${esc(T.partialNote)}</p>` : ''}
${indicators.length ? `<h3>${T.civilianIndicators}</h3><ul>${indicators.map((i) => `<li>${esc(i.code)} — ${esc(i.name_fr)} : ${esc(confValue(i.cells[0], i.unit))} (${T.target} ${esc(fmt(i.cells[0]?.target ?? null, i.unit))}) ${badge(i.status)}</li>`).join('')}</ul>` : ''}
</section>`;
}

/** The ministers' report as a self-contained printable HTML page (French, inline styles and SVG charts, no script). */
export function renderReportHtml(m: ReportModel): string {
  const e = m.evaluation;
  const s = e.progress.strategy;
  const ratings = new Map(e.ratings.map((r) => [r.objective_id, r]));
  const counts = ratingCounts(m);
  const axes = e.progress.axes.map((a, k) => `<section class="axis" id="axe-${esc(a.code)}">
<h2>${T.axis} ${k + 1} — ${esc(a.name_fr)}</h2>
${a.objectives.map((o) => {
    const r = ratings.get(o.id);
    return `<section class="objective"><h3>${T.objective} ${esc(o.code)} — ${esc(o.name_fr)} ${badge(r?.final ?? o.status)}</h3>
${r?.rating && r.rating !== r.derived ? `<p class="override">${T.overridden} : ${esc(ratingLabel(r.rating))} (${T.derived} : ${esc(ratingLabel(r.derived))}). ${T.justification} : ${esc(r.justification)}</p>` : `<p class="meta">${T.derived} : ${esc(ratingLabel(o.status))} · ${T.achievement} ${esc(pct(o.achievement))}</p>`}
${r?.comment ? `<p>${esc(r.comment)}</p>` : ''}
${o.indicators.map((i) => indicatorBlock(m, i)).join('\n')}
</section>`;
  }).join('\n')}
</section>`).join('\n');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(T.title)} — ${esc(periodFr(e.period))}</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:900px;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1f3a5f;padding-bottom:.2rem;margin-top:2rem;color:#1f3a5f}
h3{margin-top:1.4rem}h4{margin:.8rem 0 .2rem}.meta{color:#555;font-size:.9rem}.override{background:#fff4e5;padding:.4rem;border-left:4px solid #b7791f}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}th[scope=row]{text-align:left}
.badge{color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem;white-space:nowrap}.tag{background:#eee;border-radius:4px;padding:0 .3rem;font-size:.75rem}
.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}.draft{color:#b42318;font-weight:bold}
.indicator{break-inside:avoid;page-break-inside:avoid}.axis{break-before:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
</style></head>
<body>
<header>
<p class="meta">${esc(m.allianceName)} — ${T.forMinisters}</p>
<h1>${esc(T.title)}</h1>
<p><strong>${esc(s.title_fr)}</strong></p>
<p>${T.period} : <strong>${esc(periodFr(e.period))}</strong> · ${T.validity} : ${esc(dateFr(s.valid_from))} – ${esc(dateFr(s.valid_to))}</p>
<p class="audience" data-testid="report-audience"><strong>${esc(audienceLine(m))}</strong></p>
${e.status !== 'final' ? `<p class="draft">${T.draft}</p>` : ''}
</header>
<section id="synthese"><h2>${T.synthesis}</h2>
<p>${badge('on_track')} ${counts.on_track} · ${badge('at_risk')} ${counts.at_risk} · ${badge('off_track')} ${counts.off_track}${counts.none ? ` · non évalués ${counts.none}` : ''} (objectifs)</p>
<h3>${T.narrative}</h3>
${e.narrative ? e.narrative.split(/\n{2,}/).map((p) => `<p>${esc(p)}</p>`).join('') : '<p class="meta">—</p>'}
</section>
${civilianSection(m)}
${axes}
<footer><p class="meta">${T.generated} ${esc(dateFr(m.generatedAt))} par Vigie. ${esc(audienceLine(m))}.</p></footer>
</body></html>`;
}
