/**
 * Types of the API's JSON, from the generated client (api/generated.ts, written from the server's route schemas) and
 * the shared domain schemas; nothing here is written by hand.
 */
import type { Incident, IncidentVersion } from '@vigie/domain/incident.schema';
import type { Actor, AdminArea, MemberState } from '@vigie/domain/reference.schema';
import type { User } from '@vigie/domain/user.schema';
import type { GetAdminAreasGeojsonResult, GetAuthMeResult, GetReferenceResult } from './generated';

export type { Incident, IncidentVersion, Actor, AdminArea, MemberState, User };
export type SessionInfo = GetAuthMeResult;

/** A cursor page of the API (incidents, notifications, audit). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Reference = GetReferenceResult;

/** Aggregates (see the aggregates API): derived from the shared schemas. */
export type { AggregateResult as Aggregates, AggregateItem as AggregateRow, AggregateTotals as Measures, GridResult as Grid } from '@vigie/domain/aggregate.schema';
export type GridCell = import('@vigie/domain/aggregate.schema').GridResult['items'][number];

/** One feature of /admin-areas.geojson, as sent, with the figures the map adds to its properties. */
type WireFeature = GetAdminAreasGeojsonResult['features'][number];
export type AreaFeature = Omit<WireFeature, 'properties'> & { properties: WireFeature['properties'] & { [extra: string]: unknown } };
export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}
