import type { Principal } from '@vigie/domain';
import type { AlertListQuery } from '@vigie/domain/alert.schema';
import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool } from 'kysely';
import type { AlertFiguresTable, AlertResponsesTable, AlertsTable, AlertStatesTable } from '../db/alert-schema.js';
import { toNumber, type Trx } from '../db/engine.js';
import type { Database } from '../db/schema.js';
import { visibleCoordinate, visibleTo } from './visibility.js';

export type AlertRow = AlertsTable;
export type AlertFiguresRow = AlertFiguresTable;

/**
 * A view of the data at a clearance ceiling, for which the rules compute an alert's figures: `view` is a member
 * state's code (its national records and everything shared), '*' (the confederation's view: shared records only) or
 * 'all' (every validated record: the local operator). Every reader belongs to exactly one audience.
 */
export interface Audience {
  readonly view: string;
  readonly ceiling: number;
}

/**
 * The audience as a reader for `visibleTo`: a user of that organisation at that clearance, with no user id and no
 * reviewing role, so that exactly the validated branch of the who-sees-what rule applies to what the rules count.
 */
function audienceReader(a: Audience): Principal {
  return a.view === 'all'
    ? { kind: 'system', userId: null, login: 'audience:all', organisation: '', role: 'decision_maker', clearance: 3 }
    : { kind: 'user', userId: null, login: `audience:${a.view}`, organisation: a.view, role: 'decision_maker', clearance: a.ceiling };
}

/**
 * The audience's view on the daily rollup aliased `incidents`: the rollup carries the very columns `visibleTo` reads
 * for an audience reader (reporting state, classification, scope, status; no reporter since the reader has no user id).
 */
function rollupVisibleTo(a: Audience) {
  return visibleTo(audienceReader(a));
}

/**
 * Who sees an alert, as one SQL condition on `alerts`:
 * - a rule alert: a reader whose audience has figures for it (the rules crossed its threshold on the records that
 *   audience may read); the reader then sees those figures only;
 * - a flash alert, as its author classified and scoped it: clearance ≥ its classification, and when national only
 *   the states it concerns and the raiser's organisation.
 * Its evidence is then listed through the incidents' own rule (`visibleTo`), record by record.
 */
export function alertVisibleTo(principal: Principal, audience: Audience): (eb: ExpressionBuilder<Database, 'alerts'>) => Expression<SqlBool> {
  return (eb) => {
    if (principal.kind === 'system') return eb.lit(true);
    const flash = eb.and([
      eb('alerts.rule', '=', 'flash'),
      eb('alerts.classification_level', '<=', principal.clearance),
      eb.or([
        eb('alerts.sharing_scope', 'in', ['confederation', 'public']),
        eb('alerts.raised_org', '=', principal.organisation),
        eb.exists(
          eb.selectFrom('alert_states').select('alert_states.alert_id')
            .whereRef('alert_states.alert_id', '=', 'alerts.id').where('alert_states.state', '=', principal.organisation),
        ),
      ]),
    ]);
    // A rule alert: only through the figures of the reader's audience, which count only what that audience may read.
    const figures = eb.exists(
      eb.selectFrom('alert_figures').select('alert_figures.alert_id')
        .whereRef('alert_figures.alert_id', '=', 'alerts.id')
        .where('alert_figures.audience', '=', audience.view).where('alert_figures.ceiling', '=', audience.ceiling),
    );
    return eb.or([flash, eb.and([eb('alerts.rule', '!=', 'flash'), figures])]);
  };
}

export async function insertAlert(trx: Trx, row: AlertRow, states: string[], evidence: string[]): Promise<void> {
  await trx.insertInto('alerts').values(row).execute();
  if (states.length) {
    await trx.insertInto('alert_states')
      .values(states.map((state) => ({ alert_id: row.id, state, acknowledged_at: null, acknowledged_by: null, note: null })))
      .execute();
  }
  for (let i = 0; i < evidence.length; i += 500) {
    await trx.insertInto('alert_evidence').values(evidence.slice(i, i + 500).map((incident_id) => ({ alert_id: row.id, incident_id }))).execute();
  }
}

/** Which of these dedup keys already have an alert. */
export async function existingDedupKeys(trx: Trx, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await trx.selectFrom('alerts').select('dedup_key').where('dedup_key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of rows) if (r.dedup_key) found.add(r.dedup_key);
  }
  return found;
}

/** The alert row if the reader may see it. */
export function findVisibleAlert(trx: Trx, principal: Principal, audience: Audience, id: string) {
  return trx.selectFrom('alerts').selectAll().where('alerts.id', '=', id).where(alertVisibleTo(principal, audience)).executeTakeFirst();
}

/** A page of alerts the reader may see, newest first, with the total. */
export async function listVisibleAlerts(trx: Trx, principal: Principal, audience: Audience, q: AlertListQuery): Promise<{ rows: AlertRow[]; total: number }> {
  let base = trx.selectFrom('alerts').where(alertVisibleTo(principal, audience));
  if (q.status?.length) base = base.where('alerts.status', 'in', q.status);
  if (q.open === 'true') base = base.where('alerts.status', '!=', 'closed');
  if (q.open === 'false') base = base.where('alerts.status', '=', 'closed');
  if (q.rule?.length) base = base.where('alerts.rule', 'in', q.rule);
  const severity = q.severity;
  if (severity?.length) {
    // The severity the reader sees: their audience's for a rule alert, the author's for a flash alert.
    base = base.where((eb) => eb.or([
      eb.and([eb('alerts.rule', '=', 'flash'), eb('alerts.severity', 'in', severity)]),
      eb.exists(eb.selectFrom('alert_figures').select('alert_figures.alert_id').whereRef('alert_figures.alert_id', '=', 'alerts.id')
        .where('alert_figures.audience', '=', audience.view).where('alert_figures.ceiling', '=', audience.ceiling)
        .where('alert_figures.severity', 'in', severity)),
    ]));
  }
  if (q.from) base = base.where('alerts.window_end', '>=', `${q.from}T00:00:00.000Z`);
  if (q.to) base = base.where('alerts.window_start', '<=', `${q.to}T23:59:59.999Z`);
  if (q.area) base = base.where('alerts.areas', 'like', `%"${q.area.replace(/[%_"]/g, '')}"%`);
  const states = q.states;
  if (states?.length) {
    base = base.where((eb) => eb.exists(eb.selectFrom('alert_states').select('alert_states.alert_id').whereRef('alert_states.alert_id', '=', 'alerts.id').where('alert_states.state', 'in', states)));
  }
  const total = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('alerts').orderBy('alerts.created_at', 'desc').orderBy('alerts.id', 'desc').limit(q.limit).offset(q.offset).execute();
  return { rows, total: toNumber(total.n) };
}

export function alertStates(trx: Trx, ids: string[]) {
  if (!ids.length) return Promise.resolve([] as AlertStatesTable[]);
  return trx.selectFrom('alert_states').selectAll().where('alert_id', 'in', ids).orderBy('state').execute();
}

export function alertResponses(trx: Trx, ids: string[]) {
  if (!ids.length) return Promise.resolve([] as AlertResponsesTable[]);
  return trx.selectFrom('alert_responses').selectAll().where('alert_id', 'in', ids).orderBy('responded_at').orderBy('id').execute();
}

/** How many of each alert's evidence incidents the reader may see (the incidents' own rule, in SQL). */
export async function visibleEvidenceCounts(trx: Trx, principal: Principal, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('alert_evidence')
    .innerJoin('incidents', 'incidents.id', 'alert_evidence.incident_id')
    .select(['alert_evidence.alert_id', (eb) => eb.fn.countAll().as('n')])
    .where('alert_evidence.alert_id', 'in', ids)
    .where(visibleTo(principal))
    .groupBy('alert_evidence.alert_id')
    .execute();
  return new Map(rows.map((r) => [r.alert_id, toNumber(r.n)]));
}

/** The evidence incidents of an alert that the reader may see, with the coordinates they may see. */
export function visibleEvidence(trx: Trx, principal: Principal, alertId: string) {
  return trx
    .selectFrom('alert_evidence')
    .innerJoin('incidents', 'incidents.id', 'alert_evidence.incident_id')
    .select([
      'incidents.id', 'incidents.reporting_state', 'incidents.occurred_start', 'incidents.admin1_code', 'incidents.admin2_code',
      'incidents.event_type', 'incidents.sub_event_type', 'incidents.fatalities_best', 'incidents.civilian_fatalities',
      'incidents.injured', 'incidents.abducted', 'incidents.classification_level', 'incidents.sharing_scope',
    ])
    .select([visibleCoordinate(principal, 'latitude').as('latitude'), visibleCoordinate(principal, 'longitude').as('longitude')])
    .where('alert_evidence.alert_id', '=', alertId)
    .where(visibleTo(principal))
    .orderBy('incidents.occurred_start')
    .orderBy('incidents.id')
    .execute();
}

export async function updateAlert(trx: Trx, id: string, patch: Partial<AlertRow>): Promise<void> {
  await trx.updateTable('alerts').set(patch).where('id', '=', id).execute();
}

export async function acknowledgeState(trx: Trx, id: string, state: string, by: string | null, at: string, note: string | null): Promise<boolean> {
  const res = await trx.updateTable('alert_states').set({ acknowledged_at: at, acknowledged_by: by, note })
    .where('alert_id', '=', id).where('state', '=', state).where('acknowledged_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** An alert's status, by id. */
export const alertStatus = (trx: Trx, id: string) => trx.selectFrom('alerts').select(['id', 'status']).where('id', '=', id).executeTakeFirst();

export async function responseExists(trx: Trx, id: string): Promise<boolean> {
  return !!(await trx.selectFrom('alert_responses').select('id').where('id', '=', id).executeTakeFirst());
}

export async function insertResponse(trx: Trx, row: Insertable<AlertResponsesTable>): Promise<void> {
  await trx.insertInto('alert_responses').values(row).execute();
}

/** Incident ids among `ids` that the principal may see. */
export async function visibleIncidentIds(trx: Trx, principal: Principal, ids: string[]): Promise<{ id: string; classification_level: number; sharing_scope: string; occurred_start: string }[]> {
  if (!ids.length) return [];
  return trx.selectFrom('incidents').select(['incidents.id', 'incidents.classification_level', 'incidents.sharing_scope', 'incidents.occurred_start'])
    .where('incidents.id', 'in', ids).where(visibleTo(principal)).execute();
}

/**
 * Validated incidents per area and day in [from, to), for several audiences in one scan: what the rules count. Read
 * from the daily rollup that triggers keep in step with every write (aggregates migration), so a run reads a few
 * rows per area and day instead of every incident of half a year. Each audience's sums are conditional on the
 * who-sees-what rule for that audience (visibleTo, composed into the SQL of each sum), so that no audience's figures
 * ever include a row it may not read. `only`: these areas only (an incremental run). Returns, per audience (in order),
 * its non-empty area × day values.
 */
export async function dailyAreaCountsByAudience(trx: Trx, level: 1 | 2, from: string, to: string, audiences: readonly Audience[], only: readonly string[] | null = null) {
  const area = level === 1 ? 'incidents.admin1_code' : 'incidents.admin2_code';
  const rows = await trx
    .selectFrom('incident_rollup as incidents')
    .select((eb) => {
      const as = eb as unknown as ExpressionBuilder<Database, 'incidents'>;
      const sums = audiences.flatMap((a, k) => {
        const visible = rollupVisibleTo(a)(as);
        const sum = (col: 'incidents' | 'fatalities' | 'civilian_fatalities') =>
          sql<number>`sum(case when ${visible} then ${sql.ref(`incidents.${col}`)} else 0 end)`;
        return [sum('incidents').as(`n${k}`), sum('fatalities').as(`f${k}`), sum('civilian_fatalities').as(`c${k}`)];
      });
      return [sql<string>`${sql.ref(area)}`.as('area'), eb.ref('incidents.day').as('day'), ...sums];
    })
    .where('incidents.day', '>=', from.slice(0, 10))
    .where('incidents.day', '<', to.slice(10) === 'T00:00:00.000Z' ? to.slice(0, 10) : nextDay(to))
    .where('incidents.status', '=', 'validated')
    .where(sql.ref(area), '!=', '')
    .$if(only !== null, (q) => q.where(sql.ref(area), 'in', only?.length ? [...only] : ['']))
    .groupBy([sql.ref(area), 'incidents.day'])
    .execute();
  return audiences.map((_, k) => {
    const out = [];
    for (const r of rows as unknown as Record<string, unknown>[]) {
      const count = toNumber(r[`n${k}`] as number);
      if (count > 0) out.push({ area: String(r.area), at: String(r.day), count, fatalities: toNumber(r[`f${k}`] as number), civilians: toNumber(r[`c${k}`] as number) });
    }
    return out;
  });
}

/**
 * The highest classification, and whether any record is national, among the validated records of these areas and
 * days [from, to) that the audience may read — read from the daily rollup (windows are whole days).
 */
export async function audienceScope(trx: Trx, level: 1 | 2, areas: string[], from: string, to: string, audience: Audience) {
  const area = level === 1 ? 'incidents.admin1_code' : 'incidents.admin2_code';
  const row = await trx
    .selectFrom('incident_rollup as incidents')
    .select([
      (eb) => eb.fn.max('incidents.classification_level').as('level'),
      sql<number>`sum(case when incidents.sharing_scope = 'national' then 1 else 0 end)`.as('national'),
    ])
    .where('incidents.day', '>=', from.slice(0, 10))
    .where('incidents.day', '<', to.slice(10) === 'T00:00:00.000Z' ? to.slice(0, 10) : nextDay(to))
    .where('incidents.status', '=', 'validated')
    .where((eb) => rollupVisibleTo(audience)(eb as unknown as ExpressionBuilder<Database, 'incidents'>))
    .where(sql.ref(area), 'in', areas)
    .executeTakeFirst();
  return { level: toNumber(row?.level ?? 0), national: toNumber(row?.national ?? 0) > 0 };
}

/** The day after an instant's day, `YYYY-MM-DD`: a bound that keeps the partial day of `to`. */
const nextDay = (instant: string) => new Date(Date.parse(`${instant.slice(0, 10)}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The evidence of a finding for an audience: validated incidents of its areas and window that the audience may
 * read — the most lethal first, capped — plus the highest classification and whether any is national, over all of them.
 */
export async function findingEvidence(trx: Trx, level: 1 | 2, areas: string[], from: string, to: string, cap: number, audience: Audience = { view: 'all', ceiling: 3 }) {
  const area = level === 1 ? 'incidents.admin1_code' : 'incidents.admin2_code';
  const base = trx.selectFrom('incidents')
    .where('incidents.status', '=', 'validated')
    .where(visibleTo(audienceReader(audience)))
    .where(sql.ref(area), 'in', areas)
    .where('incidents.occurred_start', '>=', from)
    .where('incidents.occurred_start', '<', to);
  const summary = await base.select([
    (eb) => eb.fn.max('incidents.classification_level').as('level'),
    sql<number>`sum(case when incidents.sharing_scope = 'national' then 1 else 0 end)`.as('national'),
  ]).executeTakeFirst();
  const ids = cap > 0 ? await base.select('incidents.id').orderBy('incidents.fatalities_best', 'desc').orderBy('incidents.id').limit(cap).execute() : [];
  return { ids: ids.map((r) => r.id), level: toNumber(summary?.level ?? 0), national: toNumber(summary?.national ?? 0) > 0 };
}

/** Admin areas of a level with their centroid and imported polygon (GeoJSON text or null), for the rules' neighbourhoods. */
export function areasOfLevel(trx: Trx, level: number) {
  return trx.selectFrom('admin_areas')
    .select(['code', 'state', 'name_fr', 'centroid_lat', 'centroid_lon', 'geometry'])
    .where('level', '=', level).orderBy('code').execute();
}

/** A fingerprint of the areas of a level (how many, their centroids and the size of their polygons): changes when a boundary set is imported. */
export async function areasFingerprint(trx: Trx, level: number): Promise<string> {
  const row = await trx.selectFrom('admin_areas')
    .select([
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`coalesce(sum(length(geometry)), 0)`.as('size'),
      sql<number>`coalesce(sum(centroid_lat * 1000 + centroid_lon), 0)`.as('centroids'),
    ])
    .where('level', '=', level).executeTakeFirst();
  return `${row?.n ?? 0}:${row?.size ?? 0}:${Number(row?.centroids ?? 0).toFixed(3)}`;
}

/** The organisations, roles and clearances of the active users: the audiences that have readers. */
export function activeReaderKinds(trx: Trx) {
  return trx.selectFrom('users').select(['organisation', 'role', 'clearance']).distinct().where('disabled', '=', 0).execute();
}

/** Rule alerts by dedup key (rule:areas:week). */
export async function ruleAlertsByKey(trx: Trx, keys: string[]): Promise<Map<string, AlertRow>> {
  const out = new Map<string, AlertRow>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await trx.selectFrom('alerts').selectAll().where('dedup_key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of rows) if (r.dedup_key) out.set(r.dedup_key, r);
  }
  return out;
}

/** The weeks (window end minus one week) for which rule alerts exist: what a refresh re-evaluates. */
export async function ruleAlertWindowEnds(trx: Trx): Promise<string[]> {
  const rows = await trx.selectFrom('alerts').select('window_end').distinct().where('rule', '!=', 'flash').execute();
  return rows.map((r) => r.window_end);
}

/** The figures of these alerts, of every audience or of `only` these. */
export function alertFigures(trx: Trx, ids: string[], only: readonly Audience[] | null = null) {
  if (!ids.length) return Promise.resolve([] as AlertFiguresRow[]);
  let q = trx.selectFrom('alert_figures').selectAll().where('alert_id', 'in', ids);
  if (only) q = q.where(inAudiences(only));
  return q.execute();
}

/** Whether this audience's figures are computed for every alert. */
export async function audienceComputed(trx: Trx, a: Audience): Promise<boolean> {
  return !!(await trx.selectFrom('alert_audiences').select('audience').where('audience', '=', a.view).where('ceiling', '=', a.ceiling).executeTakeFirst());
}

/** Records audiences as computed for every alert; `all`: these are now the only ones (a full refresh). */
export async function recordComputedAudiences(trx: Trx, audiences: readonly Audience[], at: string, all: boolean): Promise<void> {
  if (all) await trx.deleteFrom('alert_audiences').execute();
  else if (audiences.length) await trx.deleteFrom('alert_audiences').where((eb) => eb.or(audiences.map((a) => eb.and([eb('audience', '=', a.view), eb('ceiling', '=', a.ceiling)])))).execute();
  if (audiences.length) {
    await trx.insertInto('alert_audiences').values(audiences.map((a) => ({ audience: a.view, ceiling: a.ceiling, computed_at: at })))
      .onConflict((oc) => oc.columns(['audience', 'ceiling']).doUpdateSet({ computed_at: at })).execute();
  }
}


/** One audience's figures of these alerts. */
export function audienceFigures(trx: Trx, audience: Audience, ids: string[]) {
  if (!ids.length) return Promise.resolve([] as AlertFiguresRow[]);
  return trx.selectFrom('alert_figures').selectAll().where('alert_id', 'in', ids)
    .where('audience', '=', audience.view).where('ceiling', '=', audience.ceiling).execute();
}

const inAudiences = (audiences: readonly Audience[]) => (eb: ExpressionBuilder<Database, 'alert_figures'>) =>
  eb.or(audiences.map((a) => eb.and([eb('alert_figures.audience', '=', a.view), eb('alert_figures.ceiling', '=', a.ceiling)])));

/** Replaces an alert's figures — of every audience, or of `only` these — and, when given, its stored evidence. */
export async function replaceAlertFigures(trx: Trx, alertId: string, figures: AlertFiguresRow[], evidence: string[] | null, only: readonly Audience[] | null = null): Promise<void> {
  let del = trx.deleteFrom('alert_figures').where('alert_id', '=', alertId);
  if (only) del = del.where(inAudiences(only));
  await del.execute();
  // An upsert: a run in another process (the CLI beside `serve`) may have written the same rows meanwhile.
  if (figures.length) {
    await trx.insertInto('alert_figures').values(figures).onConflict((oc) => oc.columns(['alert_id', 'audience', 'ceiling']).doUpdateSet((eb) => ({
      severity: eb.ref('excluded.severity'), title: eb.ref('excluded.title'), summary: eb.ref('excluded.summary'), statistics: eb.ref('excluded.statistics'),
      classification_level: eb.ref('excluded.classification_level'), sharing_scope: eb.ref('excluded.sharing_scope'), computed_at: eb.ref('excluded.computed_at'),
    }))).execute();
  }
  if (evidence) {
    await trx.deleteFrom('alert_evidence').where('alert_id', '=', alertId).execute();
    for (let i = 0; i < evidence.length; i += 500) {
      await trx.insertInto('alert_evidence').values(evidence.slice(i, i + 500).map((incident_id) => ({ alert_id: alertId, incident_id }))).execute();
    }
  }
}

/** The ids of this alert's stored evidence. */
export async function evidenceIds(trx: Trx, alertId: string): Promise<string[]> {
  const rows = await trx.selectFrom('alert_evidence').select('incident_id').where('alert_id', '=', alertId).orderBy('incident_id').execute();
  return rows.map((r) => r.incident_id);
}

/** The highest classification level among an alert's evidence records (0 with none): the lowest it may be classified. */
export async function evidenceLevel(trx: Trx, alertId: string): Promise<number> {
  const row = await trx.selectFrom('alert_evidence').innerJoin('incidents', 'incidents.id', 'alert_evidence.incident_id')
    .select((eb) => eb.fn.max('incidents.classification_level').as('level')).where('alert_evidence.alert_id', '=', alertId).executeTakeFirst();
  return Number(row?.level ?? 0);
}

/** Rule alerts whose window ends at one of these instants (the week after the evaluated one). */
export async function ruleAlertsEndingAt(trx: Trx, ends: string[]): Promise<AlertRow[]> {
  const out: AlertRow[] = [];
  for (let i = 0; i < ends.length; i += 500) {
    out.push(...(await trx.selectFrom('alerts').selectAll().where('rule', '!=', 'flash').where('window_end', 'in', ends.slice(i, i + 500)).execute()));
  }
  return out;
}
