import fs from 'node:fs';
import { CLASSIFICATIONS, foldText } from '@vigie/domain';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Trx } from '../../db/engine.js';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { listAdminAreas, upsertAdminArea } from '../../repositories/reference.repository.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { prioGridCentre } from './geo.service.js';
import { writeVersion } from '../incidents/incident.service.js';
import { mutate, type MutationAudit } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';

export interface GazetteerImportOptions {
  state: string;
  level: 1 | 2 | 3;
  codeField: string;
  nameField: string;
  parentField?: string;
  /** Keep only features whose property equals a value (a file covering several countries). */
  filter?: { field: string; value: string };
  source?: string;
}

export interface GazetteerImportResult {
  imported: number;
  matchedByCode: number;
  matchedByName: number;
  added: number;
  /** Features left out by the filter (other countries of a regional file). */
  filtered: number;
  rejected: { index: number; reason: string }[];
}

type Shape = Polygon | MultiPolygon;

/** Area-weighted centroid of a polygon's outer rings (shoelace formula). */
export function polygonCentroid(g: Shape): { lat: number; lon: number } {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of polys) {
    const ring = poly[0] ?? [];
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i] as [number, number];
      const [x1, y1] = ring[i + 1] as [number, number];
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  }
  if (area === 0) {
    const first = (polys[0]?.[0]?.[0] ?? [0, 0]) as [number, number];
    return { lon: first[0], lat: first[1] };
  }
  return { lon: cx / (3 * area), lat: cy / (3 * area) };
}

function bboxOf(g: Shape): [number, number, number, number] {
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) for (const [x, y] of ring as [number, number][]) {
    a = Math.min(a, x); b = Math.min(b, y); c = Math.max(c, x); d = Math.max(d, y);
  }
  return [a, b, c, d];
}

/** Reads a GeoJSON FeatureCollection of boundary polygons, with a clear error when it is not one. */
export function readBoundaryFile(file: string): FeatureCollection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Problem('validation_failed', `${file}: not readable JSON (${(e as Error).message})`, [{ field: 'file', message: 'fichier GeoJSON illisible' }]);
  }
  const fc = parsed as FeatureCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Problem('validation_failed', `${file}: not a GeoJSON FeatureCollection`, [{ field: 'file', message: 'une FeatureCollection GeoJSON est attendue' }]);
  }
  return fc;
}

/**
 * Imports official boundaries for one state and level. An area is matched to an existing one by code, then by
 * folded name, so codes already used by incidents stay stable; level-2+ areas find their parent by the parent
 * field, else by where their centroid falls. Bad features are reported, never silently dropped.
 */
export async function importBoundaries(ctx: Ctx, principal: Principal, fc: FeatureCollection, o: GazetteerImportOptions): Promise<GazetteerImportResult> {
  requirePermission(principal, 'reference.manage');
  if (!ctx.reference.states.some((s) => s.code === o.state)) {
    throw new Problem('validation_failed', undefined, [{ field: 'state', message: `État membre inconnu : ${o.state}` }]);
  }
  const existing = await listAdminAreas(ctx.engine.db, { state: o.state });
  const byCode = new Map(existing.map((a) => [a.code, a]));
  const byName = new Map(existing.filter((a) => a.level === o.level).map((a) => [a.name_folded, a]));
  const parents = existing.filter((a) => a.level === o.level - 1);
  const result: GazetteerImportResult = { imported: 0, matchedByCode: 0, matchedByName: 0, added: 0, filtered: 0, rejected: [] };
  const rows: Parameters<typeof upsertAdminArea>[1][] = [];

  fc.features.forEach((f: Feature, index) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    if (o.filter && String(props[o.filter.field] ?? '') !== o.filter.value) {
      result.filtered++;
      return;
    }
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      result.rejected.push({ index, reason: `geometry ${g?.type ?? 'missing'}: Polygon or MultiPolygon expected` });
      return;
    }
    const rawCode = props[o.codeField];
    const rawName = props[o.nameField];
    if (rawCode === undefined || rawCode === null || String(rawCode).trim() === '') {
      result.rejected.push({ index, reason: `property ${o.codeField} is missing` });
      return;
    }
    if (typeof rawName !== 'string' || !rawName.trim()) {
      result.rejected.push({ index, reason: `property ${o.nameField} is missing` });
      return;
    }
    const name = rawName.trim();
    const folded = foldText(name);
    const match = byCode.get(String(rawCode)) ?? byName.get(folded);
    if (match?.code === String(rawCode)) result.matchedByCode++;
    else if (match) result.matchedByName++;
    else result.added++;
    const centroid = polygonCentroid(g);
    let parent: string | null = null;
    if (o.level > 1) {
      const given = o.parentField ? String(props[o.parentField] ?? '') : '';
      parent = parents.find((p) => p.code === given)?.code ?? match?.parent_code ?? nearestParent(parents, centroid) ?? null;
    }
    const [minLon, minLat, maxLon, maxLat] = bboxOf(g);
    rows.push({
      code: match?.code ?? String(rawCode), state: o.state, level: o.level, parent_code: parent,
      name_fr: match?.name_fr ?? name, name_en: match?.name_en ?? name, name_folded: match?.name_folded ?? folded,
      centroid_lat: centroid.lat, centroid_lon: centroid.lon, geometry: JSON.stringify(g),
      min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, source: o.source ?? 'import',
    });
  });

  await ctx.engine.writeTransaction(async (trx: Trx) => {
    for (const row of rows) await upsertAdminArea(trx, row);
    await recordAudit(ctx.engine, trx, principal, {
      action: 'gazetteer.import', objectType: 'admin_areas', objectId: `${o.state}/${o.level}`,
      details: { source: o.source, imported: rows.length, rejected: result.rejected.length },
    });
  });
  result.imported = rows.length;
  ctx.gazetteer.invalidate();
  return result;
}

function nearestParent(parents: { code: string; centroid_lat: number; centroid_lon: number; min_lon: number | null; min_lat: number | null; max_lon: number | null; max_lat: number | null }[], c: { lat: number; lon: number }): string | undefined {
  // Prefer a parent whose bounding box holds the centroid, then the closest centroid.
  const inside = parents.filter((p) => p.min_lon !== null && c.lon >= p.min_lon && c.lon <= (p.max_lon ?? 0) && c.lat >= (p.min_lat ?? 0) && c.lat <= (p.max_lat ?? 0));
  const pool = inside.length ? inside : parents;
  let best: string | undefined;
  let bestD = Infinity;
  for (const p of pool) {
    const d = (p.centroid_lat - c.lat) ** 2 + (p.centroid_lon - c.lon) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p.code;
    }
  }
  return best;
}

/** Re-places every incident in the admin areas now known (after a boundary import); returns how many moved. */
export async function reassignIncidentAreas(ctx: Ctx, principal: Principal, onProgress?: (done: number, total: number) => void): Promise<number> {
  requirePermission(principal, 'reference.manage');
  const rows = await ctx.engine.db.selectFrom('incidents').select(['id', 'latitude', 'longitude', 'geo_precision', 'admin1_code', 'admin2_code', 'placement_method']).execute();
  let moved = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const slice = rows.slice(i, i + 1000);
    await mutate(ctx, principal, { permission: 'reference.manage', async run(trx) {
      const placed: MutationAudit[] = [];
      for (const r of slice) {
        const p = await ctx.gazetteer.place(r.latitude, r.longitude, trx, r.geo_precision);
        if (!p.state) continue;
        const areasChanged = p.admin1 !== r.admin1_code || p.admin2 !== r.admin2_code;
        if (!areasChanged && p.method === r.placement_method) continue;
        const coarse = (p.admin2 && (await ctx.gazetteer.centroid(p.admin2, trx))) || prioGridCentre(r.latitude, r.longitude);
        await trx
          .updateTable('incidents')
          .set(areasChanged ? { admin1_code: p.admin1, admin2_code: p.admin2, coarse_latitude: coarse.lat, coarse_longitude: coarse.lon, placement_method: p.method } : { placement_method: p.method })
          .where('id', '=', r.id)
          .execute();
        if (areasChanged) {
          moved++;
          // A re-placement is a change of the record like any other: a new version in its history, an audit entry.
          await trx.updateTable('incidents').set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() })).where('id', '=', r.id).execute();
          const rec = await writeVersion(trx, principal, r.id, 'place', 'gazetteer', ['admin1_code', 'admin2_code']);
          placed.push({
            action: 'incident.place', objectType: 'incident', objectId: r.id, before: { admin1_code: r.admin1_code, admin2_code: r.admin2_code },
            after: { admin1_code: p.admin1, admin2_code: p.admin2 }, classificationLevel: CLASSIFICATIONS.indexOf(rec.classification),
            sharingScope: rec.sharing_scope, ownerState: rec.reporting_state,
          });
        }
      }
      return {
        result: undefined, audit: placed, changes: placed.map((a) => ({ type: 'incident', id: a.objectId ?? '', op: 'place' })),
        events: placed.length ? [event('incident.changed', { action: 'place', count: placed.length })] : [],
      };
    } });
    onProgress?.(Math.min(i + 1000, rows.length), rows.length);
  }
  await mutate(ctx, principal, {
    permission: 'reference.manage',
    run: async () => ({ result: undefined, audit: { action: 'gazetteer.reassign', objectType: 'incidents', details: { moved } } }),
  });
  return moved;
}
