/** Types of the API's JSON, derived from the shared domain schemas (never hand-copied). */
import type { Incident, IncidentVersion } from '@vigie/domain/incident.schema';
import type { Actor, AdminArea, MemberState } from '@vigie/domain/reference.schema';
import type { User } from '@vigie/domain/user.schema';
import type { z } from 'zod';
import type { sessionInfoSchema } from '@vigie/domain/user.schema';

export type { Incident, IncidentVersion, Actor, AdminArea, MemberState, User };
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Reference {
  alliance: { code: string; name_fr: string; name_en: string };
  states: MemberState[];
  admin_areas: AdminArea[];
  actors: Actor[];
}

/** Aggregates (see the aggregates API): derived from the shared schemas. */
export type { AggregateResult as Aggregates, AggregateItem as AggregateRow, AggregateTotals as Measures, GridResult as Grid } from '@vigie/domain/aggregate.schema';
export type GridCell = import('@vigie/domain/aggregate.schema').GridResult['items'][number];

/** One GeoJSON feature of /admin-areas.geojson. */
export interface AreaFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: { code: string; state: string; level: number; parent_code: string | null; name_fr: string; name_en: string; [extra: string]: unknown };
}
export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}
