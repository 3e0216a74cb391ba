/**
 * Runs the escalation rules over validated incidents (as the system: the rules see every validated record) and
 * stores what fires as alerts with their evidence. Each alert records the highest classification of the
 * incidents behind it and is national when any of them is, so that readers see it only when they could see
 * what it is about (repositories/alert.repository.ts, alertVisibleTo). The same rule, area and week never raise
 * twice (unique dedup key).
 */
import { CLASSIFICATIONS } from '@vigie/domain';
import type { Trx } from '../db/engine.js';
import { newId, nowIso } from '../lib/ids.js';
import { areasOfLevel, dailyAreaCounts, existingDedupKeys, findingEvidence, insertAlert, type AlertRow } from '../repositories/alert.repository.js';
import { ALERT_EVENT, type AlertChange } from './alert.service.js';
import { recordAudit } from './audit.service.js';
import type { Ctx } from './context.js';
import { requirePermission, type Principal } from './principal.js';
import { sharedBorderPairs, type AreaShape } from './alerts/borders.js';
import { loadRulesConfig, type RulesConfig } from './alerts/rules-config.js';
import { addWeeks, evaluateRules, weeklySeries, weekStart, type AreaInfo, type Finding } from './alerts/rules.js';

/** Most evidence incidents stored per alert (the most lethal first); the statistics cover all of them. */
const EVIDENCE_CAP = 500;

export interface RulesRunResult {
  asOf: string;
  weeks: string[];
  findings: number;
  issued: number;
  duplicates: number;
  alerts: { id: string; rule: string; areas: string[]; severity: string; title: string }[];
}

/** The areas the rules count by, with their centroid, and the pairs whose imported boundaries meet. */
export async function ruleAreas(ctx: Ctx, level: 1 | 2): Promise<{ areas: AreaInfo[]; borders: Set<string> }> {
  const rows = await areasOfLevel(ctx.engine.db, level);
  const areas = rows.map((r) => ({ code: r.code, state: r.state, name: r.name_fr, lat: r.centroid_lat, lon: r.centroid_lon }));
  const shapes = rows.flatMap((r) => (r.geometry ? [{ code: r.code, state: r.state, geometry: JSON.parse(r.geometry) as AreaShape['geometry'] }] : []));
  return { areas, borders: shapes.length > 1 ? sharedBorderPairs(shapes) : new Set() };
}

/** Evaluates the rules as of `asOf` (default now) over the last `evaluate_weeks` weeks; stores new alerts. */
export async function runAlertRules(
  ctx: Ctx,
  principal: Principal,
  options: { asOf?: string; config?: RulesConfig } = {},
): Promise<RulesRunResult> {
  requirePermission(principal, 'alert.run');
  const config = options.config ?? loadRulesConfig();
  const asOf = options.asOf ?? nowIso();
  const current = weekStart(asOf);
  const quietWeeks = Math.round((config.rules.new_hotspot.quiet_months * 365.25) / 12 / 7);
  const lookback = Math.max(config.baseline_weeks, quietWeeks) + config.evaluate_weeks - 1;
  const from = addWeeks(current, -lookback);
  const total = lookback + 1;
  const to = addWeeks(current, 1) < asOf ? addWeeks(current, 1) : asOf; // never count what has not happened yet
  const rows = await dailyAreaCounts(ctx.engine.db, config.area_level, from, to);
  const series = weeklySeries(rows, from, total);
  const { areas, borders } = await ruleAreas(ctx, config.area_level);
  const evaluate = Array.from({ length: config.evaluate_weeks }, (_, k) => total - config.evaluate_weeks + k);
  const findings = evaluateRules({ series, areas, evaluate, config, borders });
  const result: RulesRunResult = { asOf, weeks: evaluate.map((i) => series.weeks[i] ?? ''), findings: findings.length, issued: 0, duplicates: 0, alerts: [] };
  const known = await existingDedupKeys(ctx.engine.db, findings.map((f) => f.dedupKey));
  const fresh = findings.filter((f) => !known.has(f.dedupKey));
  result.duplicates = findings.length - fresh.length;
  const issued: string[] = [];
  if (fresh.length) {
    await ctx.engine.writeTransaction(async (trx) => {
      // Checked again inside the transaction: two runs at once must not raise the same alert twice.
      const raced = await existingDedupKeys(trx, fresh.map((f) => f.dedupKey));
      for (const f of fresh) {
        if (raced.has(f.dedupKey)) {
          result.duplicates++;
          continue;
        }
        const row = await store(ctx, trx, principal, f, config);
        issued.push(row.id);
        result.alerts.push({ id: row.id, rule: f.rule, areas: [...f.areas], severity: f.severity, title: f.title });
      }
    });
  }
  result.issued = issued.length;
  for (const id of issued) ctx.events.emit(ALERT_EVENT, { id, action: 'issued' } satisfies AlertChange);
  return result;
}

async function store(ctx: Ctx, trx: Trx, principal: Principal, f: Finding, config: RulesConfig): Promise<AlertRow> {
  const evidence = await findingEvidence(trx, config.area_level, [...f.areas], f.windowStart, f.windowEnd, EVIDENCE_CAP);
  const now = nowIso();
  const row: AlertRow = {
    id: newId(), rule: f.rule, dedup_key: f.dedupKey, severity: f.severity, status: 'issued', title: f.title, summary: f.summary,
    areas: JSON.stringify(f.areas), window_start: f.windowStart, window_end: f.windowEnd, statistics: JSON.stringify(f.statistics),
    classification_level: Math.min(evidence.level, CLASSIFICATIONS.length - 1), sharing_scope: evidence.national ? 'national' : 'confederation',
    raised_by: null, raised_org: null, created_at: now, updated_at: now, closed_at: null, closed_by: null, closure_note: null,
  };
  await insertAlert(trx, row, [...f.states], evidence.ids);
  await recordAudit(ctx.engine, trx, principal, {
    action: 'alert.issue', objectType: 'alert', objectId: row.id, after: { ...row, evidence: evidence.ids },
    classificationLevel: row.classification_level, sharingScope: row.sharing_scope, ownerState: f.states.length === 1 ? f.states[0] : null,
    details: { rule: f.rule, dedup_key: f.dedupKey },
  });
  return row;
}

/** The in-process schedule started by `serve`: runs the rules every `interval_minutes` (0: off). Returns a stop function. */
export function startAlertSchedule(ctx: Ctx, principal: Principal, config: RulesConfig = loadRulesConfig(), log: (msg: string) => void = () => undefined): () => void {
  const minutes = config.schedule.interval_minutes;
  if (minutes <= 0) return () => undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const res = await runAlertRules(ctx, principal, { config });
      if (res.issued) log(`règles d'alerte : ${res.issued} alerte(s) émise(s)`);
    } catch (e) {
      log(`règles d'alerte : échec (${(e as Error).message})`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), minutes * 60_000);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
