/**
 * The features of each collection, as RFC 7946 GeoJSON, for one reader: incidents (through the incident list's
 * visibility and coarsening), admin areas by level, and alerts (through the alert list's visibility).
 */
import type { Alert } from '@vigie/domain/alert.schema';
import { auditClassifiedReads } from '../services/audit/audit.service.js';
import { listAlerts, getAlert } from '../services/alerts/alert.service.js';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';
import { adminAreaPage, areaShapes, incidentQueryables, ogcIncident, ogcIncidentPage, ADMIN_AREA_QUERYABLES, type FeatureQuery } from '../repositories/ogc-feature.repository.js';
import { compileCql2 } from './cql2/compile.js';
import type { Cql } from './cql2/ast.js';
import { z } from 'zod';
import { cursorId, cursorInstant, decodeCursor, encodeCursor } from '../lib/cursor.js';
import { fieldProblem, Problem } from '../lib/problem.js';

export interface Feature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

const readRecord = (i: { id: string; classification: string; sharing_scope: string; reporting_state: string }) =>
  ({ id: i.id, classification_level: i.classification, sharing_scope: i.sharing_scope, reporting_state: i.reporting_state });

type IncidentHit = NonNullable<Awaited<ReturnType<typeof ogcIncident>>>;

/** An incident as a GeoJSON feature: flat properties a GIS table can hold, the point the reader may see. */
export function incidentFeature(h: IncidentHit): Feature {
  const i = h.incident;
  return {
    type: 'Feature', id: i.id,
    geometry: { type: 'Point', coordinates: [i.longitude, i.latitude] },
    properties: {
      reporting_state: i.reporting_state, status: i.status, occurred_start: i.occurred_start, occurred_end: i.occurred_end,
      time_precision: i.time_precision, event_type: i.event_type, sub_event_type: i.sub_event_type, interaction: i.interaction,
      admin1_code: i.admin1_code, admin1_name: h.admin1_name, admin2_code: i.admin2_code, admin2_name: h.admin2_name,
      place_name: i.place_name, geo_precision: i.geo_precision, location_coarsened: i.location_coarsened,
      actor1: i.actor1, actor2: i.actor2, fatalities_best: i.fatalities_best, fatalities_low: i.fatalities_low,
      fatalities_high: i.fatalities_high, civilian_fatalities: i.civilian_fatalities, injured: i.injured, abducted: i.abducted,
      tags: i.tags.join(', '), narrative: i.narrative, classification: i.classification, sharing_scope: i.sharing_scope,
      created_at: i.created_at, updated_at: i.updated_at,
    },
  };
}

/** `next`: incidents, when the page is full, the cursor its next link carries (where the next page starts). */
export interface Page { features: Feature[]; matched: number; next?: string }
export interface ItemsQuery extends Omit<FeatureQuery, 'where' | 'after'> { filter?: Cql; equals?: Record<string, string>; cursor?: string }

/** A next link's cursor: the last feature's (occurred_start, id), as the incident list's own cursor holds it. */
const INCIDENT_CURSOR = z.tuple([cursorInstant, cursorId]);

/** The collections other than incidents page by offset alone: a cursor there is a mistake the client should hear of. */
function offsetOnly(q: ItemsQuery): void {
  if (q.cursor !== undefined) throw fieldProblem('cursor', 'this collection pages by offset: cursor is for incidents');
}

/** Property=value parameters (Part 1 §7.15.5, Part 3 queryables-query-parameters) as one more CQL2 condition. */
function withEquals(filter: Cql | undefined, equals: Record<string, string> | undefined, numeric: (name: string) => boolean): Cql | undefined {
  const extra: Cql[] = Object.entries(equals ?? {}).map(([name, v]) => {
    if (numeric(name) && !/^-?\d+(\.\d+)?$/.test(v)) throw fieldProblem(name, `${name} is a number`);
    return { k: 'cmp', op: '=', left: { k: 'prop', name, pos: 0 }, right: numeric(name) ? { k: 'num', v: Number(v) } : { k: 'str', v }, pos: 0 };
  });
  const all = [...(filter ? [filter] : []), ...extra];
  return all.length === 0 ? undefined : all.length === 1 ? all[0] : { k: 'and', args: all };
}

/** Incident queryables the type rollup's key holds as they are (db/rollups-place.ts TYPE_ROLLUP). */
const ROLLUP_KEYS = new Set(['reporting_state', 'event_type', 'status']);

export async function incidentItems(ctx: Ctx, principal: Principal, q: ItemsQuery): Promise<Page> {
  const queryables = incidentQueryables(principal);
  const filter = withEquals(q.filter, q.equals, (n) => queryables[n]?.type === 'number');
  const where = filter ? compile(filter, queryables) : undefined;
  // Property=value parameters alone on the state, the event type and the status: the count may come from a rollup.
  const equals = q.equals ?? {};
  const only = !q.filter && Object.keys(equals).every((k) => ROLLUP_KEYS.has(k)) ? equals : undefined;
  // A next link's cursor: the page seeks past the previous one's last record, whatever its depth (an offset reads and
  // drops every record before it: ogr2ogr copying a million features would read half a billion), and a record added
  // meanwhile moves nothing.
  const { cursor, ...rest } = q;
  const after = cursor === undefined ? undefined : decodeCursor(cursor, INCIDENT_CURSOR);
  const page = await ogcIncidentPage(ctx.engine, principal, { ...rest, where, names: filter ? propertyNames(filter) : [], ...(only ? { only } : {}), ...(after ? { after } : {}) });
  await auditClassifiedReads(ctx.engine, principal, page.items.map((h) => readRecord(h.incident)), 'incident.list');
  const last = page.items.length === q.limit ? page.items.at(-1)?.incident : undefined;
  return { matched: page.matched, features: page.items.map(incidentFeature), ...(last ? { next: encodeCursor([last.occurred_start, last.id]) } : {}) };
}

export async function incidentItem(ctx: Ctx, principal: Principal, id: string): Promise<Feature> {
  const hit = /^[0-9a-f-]{36}$/i.test(id) ? await ogcIncident(ctx.engine.db, principal, id) : undefined;
  if (!hit) throw new Problem('not_found', `no feature ${id} in incidents`);
  await auditClassifiedReads(ctx.engine, principal, [readRecord(hit.incident)], 'incident.read');
  return incidentFeature(hit);
}

/** The properties a filter names, anywhere in it. */
function propertyNames(filter: Cql): string[] {
  const names = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const node = x as { k?: unknown; name?: unknown };
      if (node.k === 'prop' && typeof node.name === 'string') names.add(node.name);
      Object.values(x).forEach(walk);
    }
  };
  walk(filter);
  return [...names];
}

function compile(filter: Cql, queryables: Parameters<typeof compileCql2>[1]) {
  try {
    return compileCql2(filter, queryables);
  } catch (e) {
    if (e instanceof Error && e.name === 'CqlError') throw fieldProblem('filter', e.message);
    throw e;
  }
}

// ---- admin areas

type AreaRow = Awaited<ReturnType<typeof adminAreaPage>>['rows'][number];
function areaFeature(r: AreaRow): Feature {
  const g = r.geometry ? (JSON.parse(r.geometry) as Feature['geometry']) : { type: 'Point', coordinates: [r.centroid_lon, r.centroid_lat] };
  return {
    type: 'Feature', id: r.code, geometry: g,
    properties: { code: r.code, state: r.state, level: r.level, parent_code: r.parent_code, name_fr: r.name_fr, name_en: r.name_en, boundary: r.geometry ? 'polygon' : 'centroid', source: r.source },
  };
}

export async function adminAreaItems(ctx: Ctx, level: number, q: ItemsQuery): Promise<Page> {
  offsetOnly(q);
  const filter = withEquals(q.filter, q.equals, () => false);
  const where = filter ? compile(filter, ADMIN_AREA_QUERYABLES) : undefined;
  const page = await adminAreaPage(ctx.engine.db, level, { ...q, where });
  return { matched: page.matched, features: page.rows.map(areaFeature) };
}

export async function adminAreaItem(ctx: Ctx, level: number, code: string): Promise<Feature> {
  const page = await adminAreaPage(ctx.engine.db, level, { code, limit: 1, offset: 0 });
  const row = page.rows[0];
  if (!row) throw new Problem('not_found', `no feature ${code} in admin areas of level ${level}`);
  return areaFeature(row);
}

// ---- alerts: few, read through the alert list (its visibility and audit), filtered here

async function alertGeometry(ctx: Ctx, areas: string[]): Promise<{ geometry: Feature['geometry']; box: [number, number, number, number] | null }> {
  const shapes = await areaShapes(ctx.engine.db, areas);
  if (!shapes.length) return { geometry: null, box: null };
  const polys: unknown[] = [];
  for (const s of shapes) {
    if (!s.geometry) continue;
    const g = JSON.parse(s.geometry) as { type: string; coordinates: unknown[] };
    if (g.type === 'Polygon') polys.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polys.push(...g.coordinates);
  }
  const box: [number, number, number, number] = [
    Math.min(...shapes.map((s) => s.min_lon ?? s.centroid_lon)), Math.min(...shapes.map((s) => s.min_lat ?? s.centroid_lat)),
    Math.max(...shapes.map((s) => s.max_lon ?? s.centroid_lon)), Math.max(...shapes.map((s) => s.max_lat ?? s.centroid_lat)),
  ];
  const geometry = polys.length === shapes.length
    ? { type: 'MultiPolygon', coordinates: polys }
    : { type: 'MultiPoint', coordinates: shapes.map((s) => [s.centroid_lon, s.centroid_lat]) };
  return { geometry, box };
}

async function alertFeature(ctx: Ctx, a: Alert): Promise<{ feature: Feature; box: [number, number, number, number] | null }> {
  const { geometry, box } = await alertGeometry(ctx, a.areas);
  return {
    box,
    feature: {
      type: 'Feature', id: a.id, geometry,
      properties: {
        title: a.title, summary: a.summary, rule: a.rule, severity: a.severity, status: a.status, areas: a.areas.join(', '),
        states: a.states.map((s: { state: string }) => s.state).join(', '), window_start: a.window_start, window_end: a.window_end,
        classification: a.classification, sharing_scope: a.sharing_scope, evidence_count: a.evidence_count,
        created_at: a.created_at, updated_at: a.updated_at, closed_at: a.closed_at,
      },
    },
  };
}

const ALERT_SCAN_CAP = 10_000;

export async function alertItems(ctx: Ctx, principal: Principal, q: ItemsQuery): Promise<Page> {
  offsetOnly(q);
  if (q.filter || Object.keys(q.equals ?? {}).length) throw fieldProblem('filter', 'the alerts collection has no queryables: filter by bbox and datetime');
  const all: Alert[] = [];
  for (let offset = 0; offset < ALERT_SCAN_CAP; offset += 200) {
    const page = await listAlerts(ctx, principal, { limit: '200', offset: String(offset) });
    all.push(...page.items);
    if (page.items.length < 200) break;
  }
  const kept: Feature[] = [];
  for (const a of all) {
    if (q.time) {
      const { from, to, toInclusive } = q.time;
      if (from && a.window_end < from) continue;
      if (to && (toInclusive ? a.window_start > to : a.window_start >= to)) continue;
    }
    const { feature, box } = await alertFeature(ctx, a);
    if (q.bbox) {
      const [w, s, e, n] = q.bbox;
      if (!box || box[2] < w || box[0] > e || box[3] < s || box[1] > n) continue;
    }
    kept.push(feature);
  }
  return { matched: kept.length, features: kept.slice(q.offset, q.offset + q.limit) };
}

export async function alertItem(ctx: Ctx, principal: Principal, id: string): Promise<Feature> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Problem('not_found', `no feature ${id} in alerts`);
  return (await alertFeature(ctx, await getAlert(ctx, principal, id))).feature;
}
