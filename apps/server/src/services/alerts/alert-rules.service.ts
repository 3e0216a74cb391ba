/**
 * Runs the escalation rules over validated incidents once per audience (a view of the data at a clearance ceiling:
 * services/alerts/audience.ts) and stores what fires. One alert (rule, areas, week) is the object that states
 * acknowledge and answer; its figures — severity, summary, statistics, classification — are stored per audience,
 * each computed from the records that audience may read only, and a reader sees the alert only when their
 * audience's figures cross the threshold (repositories/alert.repository.ts, alertVisibleTo). The same rule, area and
 * week never raise twice (unique dedup key). A change to incidents (reclassified, re-scoped, validated, rejected…)
 * is evaluated incrementally after commit (evaluateChanges, debounced by watchIncidentChanges): only the areas and weeks
 * it touched, new alerts issued at once and the figures of the existing ones re-computed; the scheduled full run
 * (runAlertRules) stays as a safety net and finds the same alerts.
 */
import { CLASSIFICATIONS } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import {
  alertFigures, areasFingerprint, areasOfLevel, audienceComputed, audienceScope, dailyAreaCountsByAudience, evidenceIds, findingEvidence, insertAlert, recordComputedAudiences, replaceAlertFigures,
  ruleAlertsByKey, ruleAlertsEndingAt, ruleAlertWindowEnds, type AlertFiguresRow, type AlertRow,
} from '../../repositories/alert.repository.js';
import { ALERT_EVENT, type AlertChange } from './alert-events.js';
import { mutate, type MutationAudit } from '../mutation.js';
import { notifyAlertIssued } from '../accounts/notify.js';
import type { Ctx } from '../context.js';
import { requirePermission, SYSTEM, type Principal } from '../principal.js';
import { ALL, audienceKey, readerAudiences, type Audience } from './audience.js';
import { sharedBorderPairs, type AreaShape } from './borders.js';
import { loadRulesConfig, type RulesConfig } from './rules-config.js';
import { addWeeks, crossBorderNeighbours, evaluateRules, weeklySeries, weekStart, type AreaInfo, type Finding } from './rules.js';
import type { IncidentCell } from '../events.js';

/** Most evidence incidents stored per alert (the most lethal first); the statistics cover all of them. */
const EVIDENCE_CAP = 500;

export interface RulesRunResult {
  asOf: string;
  weeks: string[];
  /** Distinct findings (rule, areas, week) over every audience. */
  findings: number;
  issued: number;
  duplicates: number;
  /** Audiences the rules ran for (views × clearance ceilings that have readers, plus the operator's). */
  audiences: number;
  /** Existing alerts whose figures changed. */
  updated: number;
  alerts: { id: string; rule: string; areas: string[]; severity: string; title: string }[];
}

/** The areas of each level as last read, with the fingerprint they were read at (ruleAreas). */
const areaCache = new WeakMap<Ctx, Map<number, { fingerprint: string; value: Promise<{ areas: AreaInfo[]; borders: Set<string> }> }>>();

/**
 * The areas the rules count by, with their centroid, and the pairs whose imported boundaries meet. Kept per process
 * until the areas change (a boundary import): an incremental run must not parse every polygon again.
 */
export async function ruleAreas(ctx: Ctx, level: 1 | 2): Promise<{ areas: AreaInfo[]; borders: Set<string> }> {
  const fingerprint = await areasFingerprint(rulesDb(ctx), level);
  let byLevel = areaCache.get(ctx);
  if (!byLevel) areaCache.set(ctx, (byLevel = new Map()));
  const hit = byLevel.get(level);
  if (hit && hit.fingerprint === fingerprint) return hit.value;
  const value = readRuleAreas(ctx, level);
  byLevel.set(level, { fingerprint, value });
  value.catch(() => byLevel.delete(level));
  return value;
}

async function readRuleAreas(ctx: Ctx, level: 1 | 2): Promise<{ areas: AreaInfo[]; borders: Set<string> }> {
  const rows = await areasOfLevel(rulesDb(ctx), level);
  const areas = rows.map((r) => ({ code: r.code, state: r.state, name: r.name_fr, lat: r.centroid_lat, lon: r.centroid_lon }));
  const shapes = rows.flatMap((r) => (r.geometry ? [{ code: r.code, state: r.state, geometry: JSON.parse(r.geometry) as AreaShape['geometry'] }] : []));
  return { areas, borders: shapes.length > 1 ? sharedBorderPairs(shapes) : new Set() };
}

/**
 * Where the rules read and write: the engine's background connection, so that a run after commit does not queue
 * behind the requests for theirs (fifty writers validating at once would hold it back at every statement).
 */
const rulesDb = (ctx: Ctx) => ctx.engine.background().db;

/**
 * Runs and refreshes of one process take turns (the schedule, a change to incidents, POST /alerts/run): two at once
 * would replace the same alert's figures concurrently.
 */
const turns = new WeakMap<Ctx, Promise<unknown>>();
function inTurn<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const prev = turns.get(ctx) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(fn);
  turns.set(ctx, next);
  return next;
}

/** What each audience's run found, by dedup key. */
type FindingsByKey = Map<string, Map<string, { audience: Audience; finding: Finding }>>;

/**
 * Weeks of history a finding of week `e` reads: its baselines (of each of the cross-border rule's weeks) and the new
 * hotspot's quiet months. A change in week `w` can alter the findings of weeks `w` to `w + lookbackWeeks` only.
 */
export function lookbackWeeks(config: RulesConfig): number {
  const quietWeeks = Math.round((config.rules.new_hotspot.quiet_months * 365.25) / 12 / 7);
  return Math.max(config.baseline_weeks, quietWeeks) + Math.max(1, Math.ceil(config.rules.cross_border.within_days / 7));
}

/**
 * Runs the rules on the weeks starting at `weeks` once per audience, each on the records that audience may read;
 * `only`: on these areas only (an incremental run), null: all. Every evaluated week gets its whole history (lookbackWeeks),
 * whichever weeks are evaluated with it, so that a week's findings never depend on which run found them.
 */
async function evaluatePerAudience(
  ctx: Ctx, config: RulesConfig, weeks: string[], asOf: string, audiences: Audience[], only: ReadonlySet<string> | null = null,
  known?: { areas: AreaInfo[]; borders: Set<string> },
): Promise<FindingsByKey> {
  const out: FindingsByKey = new Map();
  if (!weeks.length) return out;
  const sorted = [...new Set(weeks)].sort();
  const first = sorted[0] as string;
  const last = sorted[sorted.length - 1] as string;
  const from = addWeeks(first, -lookbackWeeks(config));
  const total = Math.round((Date.parse(last) - Date.parse(from)) / (7 * 86_400_000)) + 1;
  const end = addWeeks(last, 1);
  const to = end < asOf ? end : asOf; // never count what has not happened yet
  const all = known ?? (await ruleAreas(ctx, config.area_level));
  const areas = only ? all.areas.filter((a) => only.has(a.code)) : all.areas;
  const perAudience = await dailyAreaCountsByAudience(rulesDb(ctx), config.area_level, from, to, audiences, only ? [...only] : null);
  for (const [k, audience] of audiences.entries()) {
    const rows = perAudience[k] ?? [];
    const series = weeklySeries(rows, from, total);
    const evaluate = sorted.map((w) => series.weeks.indexOf(w)).filter((i) => i >= 0);
    for (const finding of evaluateRules({ series, areas, evaluate, config, borders: all.borders })) {
      let byAudience = out.get(finding.dedupKey);
      if (!byAudience) out.set(finding.dedupKey, (byAudience = new Map()));
      byAudience.set(audienceKey(audience), { audience, finding });
    }
  }
  return out;
}

/** The figures of one alert for each audience whose run found it, with the classification of what each counts. */
async function figuresFor(trx: Trx, config: RulesConfig, found: Map<string, { audience: Audience; finding: Finding }> | undefined, alertId: string, now: string): Promise<AlertFiguresRow[]> {
  const rows: AlertFiguresRow[] = [];
  for (const { audience, finding: f } of found?.values() ?? []) {
    const scope = await audienceScope(trx, config.area_level, [...f.areas], f.windowStart, f.windowEnd, audience);
    rows.push({
      alert_id: alertId, audience: audience.view, ceiling: audience.ceiling, severity: f.severity, title: f.title, summary: f.summary,
      statistics: JSON.stringify(f.statistics), classification_level: Math.min(scope.level, audience.ceiling),
      sharing_scope: scope.national ? 'national' : 'confederation', computed_at: now,
    });
  }
  return rows.sort((a, b) => `${a.audience}:${a.ceiling}`.localeCompare(`${b.audience}:${b.ceiling}`));
}

const sameFigures = (a: AlertFiguresRow[], b: AlertFiguresRow[]) => {
  const strip = (rows: AlertFiguresRow[]) => JSON.stringify(rows.map(({ computed_at: _, ...r }) => r).sort((x, y) => `${x.audience}:${x.ceiling}`.localeCompare(`${y.audience}:${y.ceiling}`)));
  return strip(a) === strip(b);
};

/**
 * Stores the per-audience figures of the existing alerts of these weeks (and raises the new findings of the weeks in
 * `issue` as alerts). `scope`: the audiences computed, when only some are (the others' figures and the evidence are
 * left alone); null: all of them. `only`: the areas evaluated (an incremental run): alerts on other areas are left
 * alone. Returns the ids issued and the ids whose figures or evidence changed.
 */
async function apply(
  ctx: Ctx, principal: Principal, config: RulesConfig, weeks: string[], found: FindingsByKey, issue: ReadonlySet<string>, result: RulesRunResult,
  scope: Audience[] | null, only: ReadonlySet<string> | null = null,
): Promise<{ issued: string[]; updated: string[] }> {
  const issued: string[] = [];
  const updated: string[] = [];
  const audits: MutationAudit[] = [];
  await mutate(ctx, principal, { permission: 'alert.run', connection: 'background', async run(trx) {
    const now = nowIso();
    // Checked inside the transaction: two runs at once must not raise the same alert twice.
    const known = await ruleAlertsByKey(trx, [...found.keys()]);
    const existing = new Map((await ruleAlertsEndingAt(trx, weeks.map((w) => addWeeks(w, 1)))).map((r) => [r.id, r]));
    for (const r of known.values()) existing.set(r.id, r);
    if (only) for (const [id, r] of existing) if (!(JSON.parse(r.areas) as string[]).every((a) => only.has(a))) existing.delete(id);
    result.duplicates += known.size;
    for (const row of existing.values()) {
      const figures = await figuresFor(trx, config, row.dedup_key ? found.get(row.dedup_key) : undefined, row.id, now);
      const before = await alertFigures(trx, [row.id], scope);
      let evidence: string[] | null = null;
      if (!scope) {
        const now = (await findingEvidence(trx, config.area_level, JSON.parse(row.areas) as string[], row.window_start, row.window_end, EVIDENCE_CAP, ALL)).ids;
        if (JSON.stringify([...now].sort()) !== JSON.stringify(await evidenceIds(trx, row.id))) evidence = now;
      }
      if (sameFigures(before, figures) && !evidence) continue;
      await replaceAlertFigures(trx, row.id, figures, evidence, scope);
      updated.push(row.id);
    }
    for (const [key, byAudience] of found) {
      if (known.has(key)) continue;
      const f = (byAudience.get(audienceKey(ALL)) ?? byAudience.values().next().value)?.finding;
      if (!f || !issue.has(addWeeks(f.windowEnd, -1))) continue;
      const { row, audit } = await store(trx, f, config, now);
      audits.push(audit);
      await replaceAlertFigures(trx, row.id, await figuresFor(trx, config, byAudience, row.id, now), null);
      issued.push(row.id);
      result.alerts.push({ id: row.id, rule: f.rule, areas: [...f.areas], severity: f.severity, title: f.title });
    }
    const changes = [...updated.map((id) => ({ type: 'alert' as const, id, op: 'update' })), ...issued.map((id) => ({ type: 'alert' as const, id, op: 'issue' }))];
    return { result: undefined, audit: audits, changes };
  } });
  return { issued, updated };
}

/** Evaluates the rules as of `asOf` (default now) over the last `evaluate_weeks` weeks, once per audience; stores new alerts and the figures of all. */
export async function runAlertRules(
  ctx: Ctx,
  principal: Principal,
  options: { asOf?: string; config?: RulesConfig } = {},
): Promise<RulesRunResult> {
  requirePermission(principal, 'alert.run');
  return inTurn(ctx, () => run(ctx, principal, options));
}

async function run(ctx: Ctx, principal: Principal, options: { asOf?: string; config?: RulesConfig }): Promise<RulesRunResult> {
  const config = options.config ?? loadRulesConfig();
  const asOf = options.asOf ?? nowIso();
  const current = weekStart(asOf);
  const weeks = Array.from({ length: config.evaluate_weeks }, (_, k) => addWeeks(current, k - config.evaluate_weeks + 1));
  const audiences = await readerAudiences(ctx, rulesDb(ctx));
  const found = await evaluatePerAudience(ctx, config, weeks, asOf, audiences);
  const result: RulesRunResult = { asOf, weeks, findings: found.size, issued: 0, duplicates: 0, audiences: audiences.length, updated: 0, alerts: [] };
  const { issued, updated } = await apply(ctx, principal, config, weeks, found, new Set(weeks), result, null);
  // Audiences that gained readers since the last full refresh get their figures for the older alerts too.
  const fresh = [];
  for (const a of audiences) if (!(await audienceComputed(rulesDb(ctx), a))) fresh.push(a);
  const more = fresh.length ? (await refresh(ctx, principal, { config, audiences: fresh, asOf }, false)).updated : [];
  result.issued = issued.length;
  result.updated = new Set([...updated, ...more]).size;
  for (const id of issued) ctx.events.emit(ALERT_EVENT, { id, action: 'issued' } satisfies AlertChange);
  for (const id of new Set(updated.concat(more))) if (!issued.includes(id)) ctx.events.emit(ALERT_EVENT, { id, action: 'updated' } satisfies AlertChange);
  return result;
}

/**
 * Re-computes every audience's figures (and the stored evidence) of every existing rule alert, from the records as
 * they are now: after a record is reclassified, re-scoped, validated or rejected, the alerts built on it say so.
 * With `audiences`, only theirs (an audience that just gained readers). Announces each alert whose figures changed
 * ('updated'). Issues nothing new.
 */
export async function refreshAlertFigures(ctx: Ctx, principal: Principal, options: { config?: RulesConfig; audiences?: Audience[]; asOf?: string } = {}): Promise<{ updated: string[]; audiences: number }> {
  requirePermission(principal, 'alert.run');
  return inTurn(ctx, () => refresh(ctx, principal, options, true));
}

/** Audiences this process knows to be computed (cleared by each full refresh, which may drop audiences left without readers). */
const computed = new WeakMap<Ctx, Set<string>>();

async function refresh(ctx: Ctx, principal: Principal, options: { config?: RulesConfig; audiences?: Audience[]; asOf?: string }, announce: boolean): Promise<{ updated: string[]; audiences: number }> {
  const config = options.config ?? loadRulesConfig();
  const asOf = options.asOf ?? nowIso();
  const scope = options.audiences ?? null;
  const audiences = scope ?? (await readerAudiences(ctx, rulesDb(ctx)));
  const weeks = [...new Set((await ruleAlertWindowEnds(rulesDb(ctx))).map((end) => addWeeks(end, -1)))];
  const found = await evaluatePerAudience(ctx, config, weeks, asOf, audiences);
  const result: RulesRunResult = { asOf, weeks, findings: found.size, issued: 0, duplicates: 0, audiences: audiences.length, updated: 0, alerts: [] };
  const { updated } = weeks.length ? await apply(ctx, principal, config, weeks, found, new Set(), result, scope) : { updated: [] };
  await ctx.engine.background().writeTransaction((trx) => recordComputedAudiences(trx, audiences, nowIso(), !scope));
  if (!scope) computed.delete(ctx);
  if (announce) for (const id of updated) ctx.events.emit(ALERT_EVENT, { id, action: 'updated' } satisfies AlertChange);
  return { updated, audiences: audiences.length };
}

/**
 * Before a reader's first read: when their audience (a new organisation or clearance) has no computed figures yet,
 * computes them for every existing alert, so that they see at once the alerts their records cross the threshold on.
 */
export async function ensureAudienceFigures(ctx: Ctx, audience: Audience): Promise<void> {
  if (audience.view === ALL.view) return;
  let known = computed.get(ctx);
  if (!known) computed.set(ctx, (known = new Set()));
  const key = audienceKey(audience);
  if (known.has(key)) return;
  if (!(await audienceComputed(ctx.engine.db, audience))) {
    await inTurn(ctx, async () => {
      if (!(await audienceComputed(ctx.engine.db, audience))) await refresh(ctx, SYSTEM, { audiences: [audience] }, true);
    });
  }
  known.add(key);
}

/** Stores a new rule alert; returns it with its audit entry (written by the run's mutation, in order). */
async function store(trx: Trx, f: Finding, config: RulesConfig, now: string): Promise<{ row: AlertRow; audit: MutationAudit }> {
  const evidence = await findingEvidence(trx, config.area_level, [...f.areas], f.windowStart, f.windowEnd, EVIDENCE_CAP, ALL);
  // The row keeps the operator's view (every record), for the audit trail; readers see their audience's figures.
  const row: AlertRow = {
    id: newId(), rule: f.rule, dedup_key: f.dedupKey, severity: f.severity, status: 'issued', title: f.title, summary: f.summary,
    areas: JSON.stringify(f.areas), window_start: f.windowStart, window_end: f.windowEnd, statistics: JSON.stringify(f.statistics),
    classification_level: Math.min(evidence.level, CLASSIFICATIONS.length - 1), sharing_scope: evidence.national ? 'national' : 'confederation',
    raised_by: null, raised_org: null, created_at: now, updated_at: now, closed_at: null, closed_by: null, closure_note: null,
  };
  await insertAlert(trx, row, [...f.states], evidence.ids);
  // A rule alert is read through each audience's own figures (checked when the notification is read): no level here.
  await notifyAlertIssued(trx, { id: row.id, classification_level: 0 }, [...f.states]);
  const audit: MutationAudit = {
    action: 'alert.issue', objectType: 'alert', objectId: row.id, after: { ...row, evidence: evidence.ids },
    classificationLevel: row.classification_level, sharingScope: row.sharing_scope, ownerState: f.states.length === 1 ? f.states[0] : null,
    details: { rule: f.rule, dedup_key: f.dedupKey },
  };
  return { row, audit };
}

export interface IncrementResult {
  /** The areas re-evaluated (null: all of them). */
  areas: string[] | null;
  /** The weeks re-evaluated. */
  weeks: string[];
  issued: string[];
  updated: string[];
}

/**
 * The incremental run: re-evaluates the rules only where changes touched — the areas of `cells` and their cross-border
 * neighbours, and the weeks whose findings read those cells (lookbackWeeks) among the weeks a full run evaluates
 * (the last `evaluate_weeks`, where new alerts are issued) and the weeks of existing alerts (whose figures are
 * re-computed). `cells` null: anywhere (a bulk change), the full run's work. Stores and announces what it finds
 * exactly as the full run (runAlertRules followed by refreshAlertFigures) would: the property test says so.
 */
export async function evaluateChanges(
  ctx: Ctx, principal: Principal, cells: readonly IncidentCell[] | null, options: { config?: RulesConfig; asOf?: string } = {},
): Promise<IncrementResult> {
  requirePermission(principal, 'alert.run');
  return inTurn(ctx, () => increment(ctx, principal, cells, options));
}

async function increment(ctx: Ctx, principal: Principal, cells: readonly IncidentCell[] | null, options: { config?: RulesConfig; asOf?: string }): Promise<IncrementResult> {
  const config = options.config ?? loadRulesConfig();
  const asOf = options.asOf ?? nowIso();
  const current = weekStart(asOf);
  const window = Array.from({ length: config.evaluate_weeks }, (_, k) => addWeeks(current, k - config.evaluate_weeks + 1));
  const known = await ruleAreas(ctx, config.area_level);
  let only: Set<string> | null = null;
  let touched: string[] = [];
  if (cells) {
    only = new Set();
    const weeks = new Set<string>();
    const neighbours = neighbourMap(known.areas, config, known.borders);
    for (const c of cells) {
      const code = config.area_level === 1 ? c.admin1 : c.admin2;
      if (!code) continue; // a record with no area at the rules' level is counted by no rule
      only.add(code);
      for (const n of neighbours.get(code) ?? []) only.add(n);
      weeks.add(weekStart(c.at));
    }
    touched = [...weeks];
    if (!only.size) return { areas: [], weeks: [], issued: [], updated: [] };
  }
  const span = lookbackWeeks(config);
  const alertWeeks = (await ruleAlertWindowEnds(rulesDb(ctx))).map((end) => addWeeks(end, -1));
  const reads = (e: string) => !cells || touched.some((w) => w <= e && e <= addWeeks(w, span));
  const weeks = [...new Set([...window, ...alertWeeks])].filter(reads).sort();
  if (!weeks.length) return { areas: only ? [...only].sort() : null, weeks, issued: [], updated: [] };
  const audiences = await readerAudiences(ctx, rulesDb(ctx));
  const found = await evaluatePerAudience(ctx, config, weeks, asOf, audiences, only, known);
  const result: RulesRunResult = { asOf, weeks, findings: found.size, issued: 0, duplicates: 0, audiences: audiences.length, updated: 0, alerts: [] };
  const { issued, updated } = await apply(ctx, principal, config, weeks, found, new Set(window.filter(reads)), result, null, only);
  for (const id of issued) ctx.events.emit(ALERT_EVENT, { id, action: 'issued' } satisfies AlertChange);
  for (const id of updated) if (!issued.includes(id)) ctx.events.emit(ALERT_EVENT, { id, action: 'updated' } satisfies AlertChange);
  return { areas: only ? [...only].sort() : null, weeks, issued, updated };
}

/** Each area's cross-border neighbours (both ways), as the cross-border rule pairs them. */
function neighbourMap(areas: readonly AreaInfo[], config: RulesConfig, borders: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!config.rules.cross_border.enabled) return out;
  for (const [a, b] of crossBorderNeighbours(areas, config.rules.cross_border.neighbour_km, borders)) {
    out.set(a.code, [...(out.get(a.code) ?? []), b.code]);
    out.set(b.code, [...(out.get(b.code) ?? []), a.code]);
  }
  return out;
}
