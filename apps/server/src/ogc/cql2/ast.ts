/**
 * The abstract syntax tree of an OGC CQL2 filter (OGC 21-065), as produced from either encoding: the text one
 * (parse-text.ts) and the JSON one (parse-json.ts). compile.ts turns it into a Kysely expression over a whitelist.
 */

/** A GeoJSON-like geometry literal (WKT and CQL2-JSON both land here), or a BBOX. */
export type GeometryLiteral =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | { type: 'BBox'; coordinates: number[] };

/** A value: a property, a literal, or a function of a value. */
export type Scalar =
  | { k: 'prop'; name: string; pos: number }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'date'; v: string }
  | { k: 'timestamp'; v: string }
  | { k: 'interval'; from: Scalar; to: Scalar }
  | { k: 'casei'; arg: Scalar }
  | { k: 'accenti'; arg: Scalar }
  | { k: 'geom'; g: GeometryLiteral }
  /** An open end of an interval: `'..'`. */
  | { k: 'open' };

export type CompareOp = '=' | '<>' | '<' | '>' | '<=' | '>=';
export const SPATIAL_OPS = ['s_intersects', 's_disjoint', 's_within', 's_contains', 's_equals', 's_touches', 's_overlaps', 's_crosses'] as const;
export type SpatialOp = (typeof SPATIAL_OPS)[number];
export const TEMPORAL_OPS = [
  't_intersects', 't_disjoint', 't_before', 't_after', 't_during', 't_equals', 't_contains', 't_meets', 't_metby',
  't_overlaps', 't_overlappedby', 't_starts', 't_startedby', 't_finishes', 't_finishedby',
] as const;
export type TemporalOp = (typeof TEMPORAL_OPS)[number];

/** A condition. `pos` is the 1-based character position in the text encoding (0 for JSON). */
export type Cql =
  | { k: 'and' | 'or'; args: Cql[] }
  | { k: 'not'; arg: Cql }
  | { k: 'cmp'; op: CompareOp; left: Scalar; right: Scalar; pos: number }
  | { k: 'like'; value: Scalar; pattern: Scalar; pos: number }
  | { k: 'between'; value: Scalar; low: Scalar; high: Scalar; pos: number }
  | { k: 'in'; value: Scalar; list: Scalar[]; pos: number }
  | { k: 'isnull'; value: Scalar; pos: number }
  | { k: 'spatial'; op: SpatialOp; a: Scalar; b: Scalar; pos: number }
  | { k: 'temporal'; op: TemporalOp; a: Scalar; b: Scalar; pos: number }
  | { k: 'literal'; v: boolean };

/** A filter that cannot be parsed or applied: the message names the position (text) or the path (JSON). */
export class CqlError extends Error {
  constructor(message: string, readonly position: number | null = null) {
    super(position === null ? message : `${message} (at position ${position})`);
    this.name = 'CqlError';
  }
}
