import { reviewsOwnState, type Principal } from '@vigie/domain';
import { expressionBuilder, sql, type ExpressionBuilder, type Expression, type SqlBool, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';

type Eb = ExpressionBuilder<Database, 'incidents'>;

/**
 * The columns the rule reads: on `incidents`, and the same on each past version in `incident_versions`; a rollup's key
 * holds `shared` for the sharing scope and `reporter` for the reporter (RuleForm).
 */
type RuleColumn = 'classification_level' | 'status' | 'reporting_state' | 'reporter_id' | 'sharing_scope' | 'shared' | 'reporter';

/**
 * Where a table holds the rule's facts under other forms (a rollup's key): its reporter column (null: it has none, so a
 * draft or another's report is never counted from it), and whether it holds the sharing scope or a `shared` flag (1:
 * shared with the confederation or public).
 */
interface RuleForm { reporter: 'reporter_id' | 'reporter' | null; shared: 'scope' | 'flag' }
const RECORD: RuleForm = { reporter: 'reporter_id', shared: 'scope' };

/**
 * The who-sees-what rule as one SQL condition over the rule's columns of table (alias) `t`:
 * - clearance ≥ classification, always;
 * - drafts: their reporter only;
 * - submitted and rejected reports: the reporting state's analysts and focal points, and their reporter;
 * - validated and merged records: the reporting state, plus everyone when shared with the confederation or public.
 */
function whoSees<DB, TB extends keyof DB>(principal: Principal, t: string, form: RuleForm = RECORD): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const col = <T>(c: RuleColumn) => sql.ref<T>(`${t}.${c}`);
  return (eb) => {
    if (principal.kind === 'system') return eb.lit(true);
    const own = eb(col<string>('reporting_state'), '=', principal.organisation);
    const mine = principal.userId && form.reporter ? eb(col<string | null>(form.reporter), '=', principal.userId) : eb.lit(false);
    const reviewer = reviewsOwnState(principal);
    const shared = form.shared === 'scope' ? eb(col<string>('sharing_scope'), 'in', ['confederation', 'public']) : eb(col<number>('shared'), '=', 1);
    return eb.and([
      eb(col<number>('classification_level'), '<=', principal.clearance),
      eb.or([
        eb.and([eb(col<string>('status'), '=', 'draft'), mine]),
        eb.and([eb(col<string>('status'), 'in', ['submitted', 'rejected']), own, reviewer ? eb.lit(true) : mine]),
        eb.and([eb(col<string>('status'), 'in', ['validated', 'merged']), eb.or([own, shared])]),
      ]),
    ]);
  };
}

/**
 * The same rule on a rollup's key (alias `t`), whose rows sum records that share the rule's facts: its classification
 * level, status and reporting state, a `shared` flag for the sharing scope, and `reporter` for the reporter where the
 * rollup keeps one (null: it does not).
 */
type Untyped = Record<string, Record<string, unknown>>;
export function rollupVisibleTo(principal: Principal, t: string, reporter: 'reporter' | null): Expression<SqlBool> {
  return whoSees<Untyped, string>(principal, t, { reporter, shared: 'flag' })(expressionBuilder<Untyped, string>());
}

/** The who-sees-what rule as one SQL condition on `incidents`, used by every read path. */
export function visibleTo(principal: Principal): (eb: Eb) => Expression<SqlBool> {
  return whoSees<Database, 'incidents'>(principal, 'incidents');
}

/**
 * The same rule on a past version's own values (`incident_versions` aliased `v` in the caller's query): a version is seen
 * only if it was visible to the reader.
 */
export function versionVisibleTo<DB, TB extends keyof DB>(principal: Principal, eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> {
  return whoSees<DB, TB>(principal, 'v')(eb);
}

/** True (1) when the reader must see version `v`'s location coarsened: its exact point was protected above their clearance. */
export function versionCoarsenFor(principal: Principal): RawBuilder<number> {
  if (principal.kind === 'system') return sql<number>`0`;
  return sql<number>`(case when v.exact_location_level is not null and v.exact_location_level > ${principal.clearance} then 1 else 0 end)`;
}

/** True (1) when the reader must see the record's location coarsened. */
export function coarsenFor(principal: Principal): RawBuilder<number> {
  if (principal.kind === 'system') return sql<number>`0`;
  return sql<number>`(case when incidents.exact_location_level is not null and incidents.exact_location_level > ${principal.clearance} then 1 else 0 end)`;
}

/** The latitude/longitude a reader sees: exact, or the coarse point when the record says so. */
export function visibleCoordinate(principal: Principal, axis: 'latitude' | 'longitude'): RawBuilder<number> {
  if (principal.kind === 'system') return sql<number>`incidents.${sql.raw(axis)}`;
  return sql<number>`(case when incidents.exact_location_level is not null and incidents.exact_location_level > ${principal.clearance} then incidents.${sql.raw(`coarse_${axis}`)} else incidents.${sql.raw(axis)} end)`;
}

/** A box in degrees: west, south, east, north. */
export interface Box { w: number; s: number; e: number; n: number }

/**
 * The box on the point a reader sees (visibleCoordinate), as arms apart from one another that each read one of the
 * points' indexes (migration 20261209T0900-incidents-points): the records seen at their exact point (location level
 * none or within the reader's clearance) whose exact point is in the box, and those seen at their coarse point (level
 * above it) whose coarse point is. Which point a reader sees depends on the level alone, so no record is in two arms,
 * and together they are exactly the box on the visible point. The system principal sees every exact point: one arm.
 */
export function boxArms(principal: Principal, b: Box): { index: 'incidents_point' | 'incidents_coarse_point'; where: RawBuilder<SqlBool> }[] {
  const inBox = (lat: string, lon: string) => sql`incidents.${sql.raw(lat)} between ${b.s} and ${b.n} and incidents.${sql.raw(lon)} between ${b.w} and ${b.e}`;
  if (principal.kind === 'system') return [{ index: 'incidents_point', where: sql<SqlBool>`(${inBox('latitude', 'longitude')})` }];
  const c = principal.clearance;
  return [
    { index: 'incidents_point', where: sql<SqlBool>`(${inBox('latitude', 'longitude')} and (incidents.exact_location_level is null or incidents.exact_location_level <= ${c}))` },
    { index: 'incidents_coarse_point', where: sql<SqlBool>`(${inBox('coarse_latitude', 'coarse_longitude')} and incidents.exact_location_level is not null and incidents.exact_location_level > ${c})` },
  ];
}

/**
 * The rule for records that carry only a classification level (meetings, decisions, actions): the reader's clearance
 * at or above it, as one SQL condition on `column` (`m.classification_level`…). The system principal reads all.
 */
export function levelVisibleTo(principal: Principal, column: string): RawBuilder<SqlBool> {
  return principal.kind === 'system' ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.ref(column)} <= ${principal.clearance}`;
}
