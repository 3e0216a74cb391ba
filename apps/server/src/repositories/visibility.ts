import { sql, type ExpressionBuilder, type Expression, type SqlBool, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Principal } from '../services/principal.js';

type Eb = ExpressionBuilder<Database, 'incidents'>;

/**
 * The who-sees-what rule as one SQL condition on `incidents`, used by every read path.
 * - clearance ≥ classification, always;
 * - drafts: their reporter only;
 * - submitted and rejected reports: the reporting state's analysts and focal points, and their reporter;
 * - validated and merged records: the reporting state, plus everyone when shared with the confederation or public.
 */
export function visibleTo(principal: Principal): (eb: Eb) => Expression<SqlBool> {
  return (eb) => {
    if (principal.kind === 'system') return eb.lit(true);
    const own = eb('incidents.reporting_state', '=', principal.organisation);
    const mine = principal.userId ? eb('incidents.reporter_id', '=', principal.userId) : eb.lit(false);
    const reviewer = principal.role === 'analyst' || principal.role === 'focal_point';
    return eb.and([
      eb('incidents.classification_level', '<=', principal.clearance),
      eb.or([
        eb.and([eb('incidents.status', '=', 'draft'), mine]),
        eb.and([eb('incidents.status', 'in', ['submitted', 'rejected']), own, reviewer ? eb.lit(true) : mine]),
        eb.and([
          eb('incidents.status', 'in', ['validated', 'merged']),
          eb.or([own, eb('incidents.sharing_scope', 'in', ['confederation', 'public'])]),
        ]),
      ]),
    ]);
  };
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
