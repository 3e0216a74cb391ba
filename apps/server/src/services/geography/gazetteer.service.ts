import fs from 'node:fs';
import { foldText } from '@vigie/domain';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Trx } from '../../db/engine.js';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { listAdminAreas, upsertAdminArea } from '../../repositories/reference.repository.js';
import type { Ctx } from '../context.js';
import { insertBoundarySet, retireAreasOutside, tagAreasWithSet } from '../../repositories/boundary-set.repository.js';
import { mutate } from '../mutation.js';
import { closeCurrentSet, planBoundarySet, planCrosswalks, writeCrosswalks } from './boundary-sets.service.js';
import { runReplacementJob, startReplacementJob } from './replacement-job.service.js';
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
  /** A new boundary set valid from this date (YYYY-MM-DD): the state's current set is kept, closed the day before. */
  validFrom?: string;
  /** Names of the new set (default: « <État> — découpage du <date> »). */
  setName?: { fr: string; en: string };
}

export interface GazetteerImportResult {
  imported: number;
  matchedByCode: number;
  matchedByName: number;
  added: number;
  /** Features left out by the filter (other countries of a regional file). */
  filtered: number;
  rejected: { index: number; reason: string }[];
  /** The set the imported areas belong to, and the set it closed (with --valid-from). */
  boundarySet: string | null;
  closedSet: string | null;
  /** Areas of the state that the new set no longer has (kept for older records, without a polygon). */
  retired: number;
  /** Links of the area-overlap crosswalk from the state's older sets to the current one. */
  crosswalkLinks: number;
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
  const state = ctx.reference.states.find((s) => s.code === o.state);
  if (!state) {
    throw new Problem('validation_failed', undefined, [{ field: 'state', message: `État membre inconnu : ${o.state}` }]);
  }
  const plan = await planBoundarySet(ctx.engine.db, state, o.validFrom, o.setName);
  const existing = await listAdminAreas(ctx.engine.db, { state: o.state });
  const byCode = new Map(existing.map((a) => [a.code, a]));
  const byName = new Map(existing.filter((a) => a.level === o.level).map((a) => [a.name_folded, a]));
  const parents = existing.filter((a) => a.level === o.level - 1);
  const result: GazetteerImportResult = {
    imported: 0, matchedByCode: 0, matchedByName: 0, added: 0, filtered: 0, rejected: [], boundarySet: plan.set, closedSet: plan.close?.code ?? null, retired: 0, crosswalkLinks: 0,
  };
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

  const crosswalks = await planCrosswalks(ctx.engine.db, o.state, plan, rows.map((r) => ({ code: r.code, level: r.level, geometry: r.geometry! })));
  const imported = await mutate(ctx, principal, {
    permission: 'reference.manage',
    async run(trx: Trx) {
      // A new set: the current one is archived and closed first, then the imported areas replace it.
      if (plan.close) await closeCurrentSet(trx, o.state, plan.close.code, plan.close.validTo);
      if (plan.create) await insertBoundarySet(trx, { ...plan.create, created_at: nowIso() });
      for (const row of rows) await upsertAdminArea(trx, { ...row, boundary_set: plan.set });
      const codes = rows.map((r) => r.code);
      if (plan.close && o.validFrom) result.retired = await retireAreasOutside(trx, o.state, plan.set!, codes, o.validFrom);
      else if (plan.set) await tagAreasWithSet(trx, codes, plan.set);
      result.crosswalkLinks = await writeCrosswalks(trx, crosswalks);
      return {
        result: rows.length,
        audit: {
          action: 'gazetteer.import', objectType: 'admin_areas', objectId: `${o.state}/${o.level}`,
          details: { source: o.source, imported: rows.length, rejected: result.rejected.length, boundary_set: plan.set, valid_from: o.validFrom ?? null, closed_set: plan.close?.code ?? null, retired: result.retired },
        },
      };
    },
  });
  result.imported = imported;
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

/** Re-places every incident (after a boundary import) as one job run to its end; returns how many moved. */
export async function reassignIncidentAreas(ctx: Ctx, principal: Principal, onProgress?: (done: number, total: number) => void): Promise<number> {
  const job = await startReplacementJob(ctx, principal, 'reassign');
  const done = await runReplacementJob(ctx, principal, job.id, { onProgress });
  if (done.status === 'failed') throw new Error(`re-placement ${job.id} failed: ${done.error} (retry: vigie gazetteer resume ${job.id})`);
  return done.moved;
}
