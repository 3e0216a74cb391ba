/**
 * Backtest of the alert rules on a UCDP GED file: every week is evaluated with only the weeks before it as
 * baseline (as a live run would have), then the alerts are summed per month and area next to what happened
 * that month and the next. Pure: the file and the reference configuration in, a report out (docs/backtest.md).
 */
import { foldText, type ReferenceConfig } from '@vigie/domain';
import { countryTable, readUcdpCsv } from '../forecast/ucdp-csv.js';
import type { RulesConfig } from './rules-config.js';
import { evaluateRules, weeklySeries, weekStart, type AreaInfo, type Finding } from './rules.js';

export interface BacktestRow {
  month: string;
  area: string;
  name: string;
  state: string;
  rules: Record<string, number>;
  severity: string;
  fatalities: number;
  civilians: number;
  nextFatalities: number;
}

export interface BacktestResult {
  events: number;
  rejected: number;
  from: string;
  to: string;
  rows: BacktestRow[];
  /** Over every month and area of the window: do alerted area-months precede more violence than the rest? */
  summary: {
    areaMonths: number;
    alerted: number;
    meanNextAlerted: number;
    meanNextOther: number;
    /** Among area-months whose next month had ≥ `bigThreshold` fatalities, how many were alerted in the month. */
    bigNext: number;
    bigNextAlerted: number;
    bigThreshold: number;
    byRule: Record<string, number>;
  };
}

const SEVERITY = ['low', 'medium', 'high', 'critical'];

/** Runs the rules week by week over a UCDP GED file and tabulates alerts per month and area for [from, to]. */
export async function backtestUcdp(file: string, reference: ReferenceConfig, config: RulesConfig, window: { from: string; to: string }): Promise<BacktestResult> {
  const countries = countryTable(reference.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
  const level1 = reference.admin_areas.filter((a) => a.level === 1);
  const areas: AreaInfo[] = level1.map((a) => ({ code: a.code, state: a.state, name: a.name_fr, lat: a.centroid_lat, lon: a.centroid_lon }));
  const byName = new Map<string, string>();
  for (const a of level1) for (const n of [a.name_fr, a.name_en]) byName.set(`${a.state}:${foldText(n)}`, a.code);
  const nearest = (state: string, lat: number, lon: number) => {
    let best = '';
    let d = Infinity;
    for (const a of areas) {
      if (a.state !== state) continue;
      const dd = (a.lat - lat) ** 2 + ((a.lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2;
      if (dd < d) {
        d = dd;
        best = a.code;
      }
    }
    return best;
  };
  const rows: { area: string; at: string; count: number; fatalities: number; civilians: number }[] = [];
  let rejected = 0;
  for await (const row of readUcdpCsv(file, countries)) {
    if (!row.ok) {
      rejected++;
      continue;
    }
    const e = row.event;
    const area = (e.adm1 !== null ? byName.get(`${e.state}:${foldText(e.adm1)}`) : undefined) ?? nearest(e.state, e.latitude, e.longitude);
    rows.push({ area, at: e.dateStart, count: 1, fatalities: e.best, civilians: e.deathsCivilians });
  }
  const first = weekStart(rows.reduce((m, r) => (r.at < m ? r.at : m), rows[0]?.at ?? `${window.from}-01`));
  const last = weekStart(`${window.to}-28T00:00:00.000Z`);
  const weeks = Math.round((Date.parse(last) - Date.parse(first)) / (7 * 86_400_000)) + 6;
  const series = weeklySeries(rows, first, weeks);
  const evaluate: number[] = [];
  series.weeks.forEach((w, i) => {
    const m = w.slice(0, 7);
    if (m >= window.from && m <= window.to) evaluate.push(i);
  });
  const findings = evaluateRules({ series, areas, evaluate, config });

  // What happened: fatalities per area and month.
  const monthly = new Map<string, { fatalities: number; civilians: number }>();
  for (const r of rows) {
    const k = `${r.area}:${r.at.slice(0, 7)}`;
    const v = monthly.get(k) ?? { fatalities: 0, civilians: 0 };
    v.fatalities += r.fatalities;
    v.civilians += r.civilians;
    monthly.set(k, v);
  }
  const next = (m: string) => {
    const d = new Date(`${m}-01T00:00:00.000Z`);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  };
  const alerted = new Map<string, { rules: Record<string, number>; severity: number }>();
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    for (const area of f.areas) {
      const k = `${area}:${f.windowEnd > f.windowStart ? monthOfWeek(f) : f.windowStart.slice(0, 7)}`;
      const v = alerted.get(k) ?? { rules: {}, severity: 0 };
      v.rules[f.rule] = (v.rules[f.rule] ?? 0) + 1;
      v.severity = Math.max(v.severity, SEVERITY.indexOf(f.severity));
      alerted.set(k, v);
    }
  }
  const months: string[] = [];
  for (let m = window.from; m <= window.to; m = next(m)) months.push(m);
  const out: BacktestRow[] = [];
  let nextAlerted = 0;
  let nextOther = 0;
  let nOther = 0;
  let bigNext = 0;
  let bigNextAlerted = 0;
  const bigThreshold = 25;
  const info = new Map(areas.map((a) => [a.code, a]));
  const activeAreas = [...new Set(rows.map((r) => r.area))].sort();
  for (const m of months) {
    for (const area of activeAreas) {
      const now = monthly.get(`${area}:${m}`) ?? { fatalities: 0, civilians: 0 };
      const after = monthly.get(`${area}:${next(m)}`)?.fatalities ?? 0;
      const a = alerted.get(`${area}:${m}`);
      if (after >= bigThreshold) {
        bigNext++;
        if (a) bigNextAlerted++;
      }
      if (!a) {
        nextOther += after;
        nOther++;
        continue;
      }
      nextAlerted += after;
      const i = info.get(area);
      out.push({
        month: m, area, name: i?.name ?? area, state: i?.state ?? '', rules: a.rules, severity: SEVERITY[a.severity] ?? 'medium',
        fatalities: now.fatalities, civilians: now.civilians, nextFatalities: after,
      });
    }
  }
  return {
    events: rows.length, rejected, from: window.from, to: window.to, rows: out,
    summary: {
      areaMonths: months.length * activeAreas.length, alerted: out.length,
      meanNextAlerted: out.length ? nextAlerted / out.length : 0, meanNextOther: nOther ? nextOther / nOther : 0,
      bigNext, bigNextAlerted, bigThreshold, byRule,
    },
  };
}

/** The month an alert week counts in: the month of its Thursday (ISO convention), so a week is in one month only. */
function monthOfWeek(f: Finding): string {
  return new Date(Date.parse(f.windowEnd) - 4 * 86_400_000).toISOString().slice(0, 7);
}

const RULE_SHORT: Record<string, string> = {
  count_spike: 'pic incidents', fatality_spike: 'pic victimes', civilian_harm: 'pic civils', new_hotspot: 'nouveau foyer', cross_border: 'transfrontalier',
};

/** The backtest as Markdown (the table of docs/backtest.md). */
export function backtestMarkdown(r: BacktestResult, tableFrom: string): string {
  const s = r.summary;
  const lines = [
    `Window ${r.from} … ${r.to}: ${s.areaMonths} area-months (${r.events} events read, ${r.rejected} rejected rows).`,
    '',
    `- Area-months with at least one alert: **${s.alerted}** (${((100 * s.alerted) / Math.max(1, s.areaMonths)).toFixed(1)} %). Alert-weeks by rule: ${Object.entries(s.byRule).map(([k, v]) => `${RULE_SHORT[k] ?? k} ${v}`).join(', ') || 'none'}.`,
    `- Mean fatalities **the next month**: ${s.meanNextAlerted.toFixed(1)} after an alerted area-month, ${s.meanNextOther.toFixed(1)} after the others.`,
    `- Area-months followed by a month of ≥ ${s.bigThreshold} fatalities: ${s.bigNext}, of which ${s.bigNextAlerted} (${((100 * s.bigNextAlerted) / Math.max(1, s.bigNext)).toFixed(0)} %) had an alert in the month before.`,
    '',
    `| month | area | state | rules fired (alert-weeks) | max severity | fatalities that month (civilians) | fatalities next month |`,
    '|---|---|---|---|---|---|---|',
    ...r.rows.filter((x) => x.month >= tableFrom).map((x) =>
      `| ${x.month} | ${x.name} (${x.area}) | ${x.state} | ${Object.entries(x.rules).map(([k, v]) => `${RULE_SHORT[k] ?? k} ×${v}`).join(', ')} | ${x.severity} | ${x.fatalities} (${x.civilians}) | ${x.nextFatalities} |`),
  ];
  return lines.join('\n');
}
