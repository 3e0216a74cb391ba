import { sql, type Kysely } from 'kysely';

/**
 * Two indexes on where records lie, for bounding boxes (the map, a GIS client panning, the list of a map cell):
 *
 * - `incidents_point` (latitude, longitude, period, then the columns a count reads): the exact points;
 * - `incidents_coarse_point` (coarse latitude and longitude, the same), for the records whose exact place is classified
 *   (a reader below it sees the coarse point, and a box must find the record there): a few rows, a small index.
 *
 * Before, a box was tested on every row a reader may see: at 1,000,000 incidents a box's list page took 350–1,100 ms on
 * either engine, however few records it held. A box holding few points is now read from them
 * (repositories/incident.repository.ts, bboxPlan), one holding many in time order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // After the point and the period, the location level (which point a reader sees), the who-sees-what rule's columns
  // (visibility.ts) and the event type: a box's numberMatched is counted from the index alone.
  const rest = ['occurred_start', 'exact_location_level', 'status', 'classification_level', 'sharing_scope', 'reporting_state', 'reporter_id', 'event_type'];
  await db.schema.createIndex('incidents_point').on('incidents').columns(['latitude', 'longitude', ...rest]).execute();
  await db.schema.createIndex('incidents_coarse_point').on('incidents').columns(['coarse_latitude', 'coarse_longitude', ...rest])
    .where(sql.ref('exact_location_level'), 'is not', null).execute();
}
