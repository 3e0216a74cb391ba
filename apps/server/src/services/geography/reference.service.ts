import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFEDERATION_ORG, foldText, referenceConfigSchema, type ReferenceConfig } from '@vigie/domain';
import type { Engine } from '../../db/engine.js';
import { listBoundarySets } from '../../repositories/boundary-set.repository.js';
import { registerShippedSets } from './boundary-sets.service.js';
import { listActors, listAdminAreas, listMemberStates, upsertActor, upsertAdminArea, upsertMemberState, upsertOrganisation } from '../../repositories/reference.repository.js';

const DEFAULT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/aes.json');
/** Boundaries shipped with Vigie (built by `npm run geo:build`, see apps/server/geo/README.md). */
export const SHIPPED_BOUNDARIES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../geo/admin-areas.geojson');

interface ShippedArea {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon' | 'Point'; coordinates: unknown };
  properties: { code: string; level: number; state: string; parent: string | null; name_fr: string; name_en: string; boundary_set: string; label: [number, number] };
}

let shippedCache: { file: string; features: ShippedArea[] } | null = null;
/** The shipped admin areas (polygons, or points for areas without an open boundary). */
export function readShippedAreas(file: string = SHIPPED_BOUNDARIES): ShippedArea[] {
  if (shippedCache?.file !== file) shippedCache = { file, features: (JSON.parse(fs.readFileSync(file, 'utf8')) as { features: ShippedArea[] }).features };
  return shippedCache.features;
}

function bboxOfCoordinates(c: unknown): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      const [x, y] = v as [number, number];
      b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(c);
  return b;
}

/** Reads and validates a deployment's reference configuration (the AES default when no file is given). */
export function loadReferenceConfig(file: string = process.env.VIGIE_REFERENCE_FILE || DEFAULT_FILE): ReferenceConfig {
  const parsed = referenceConfigSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`reference configuration ${file}: ${first?.path.join('.')}: ${first?.message}`);
  }
  return parsed.data;
}

/**
 * Writes the configured alliance, states, admin-1 areas and actors into the database (idempotent), then the shipped
 * boundaries of the configured states (`boundaries`: the shipped file by default, null for none). A boundary
 * imported with `vigie gazetteer import` is never replaced by the shipped one.
 */
export async function syncReferenceData(engine: Engine, config: ReferenceConfig, boundaries: string | null = SHIPPED_BOUNDARIES): Promise<void> {
  const shipped = boundaries ? readShippedAreas(boundaries).filter((f) => config.states.some((s) => s.code === f.properties.state)) : [];
  await engine.writeTransaction(async (trx) => {
    await upsertOrganisation(trx, { code: CONFEDERATION_ORG, kind: 'confederation', name_fr: config.alliance.name_fr, name_en: config.alliance.name_en });
    for (const [position, s] of config.states.entries()) {
      await upsertOrganisation(trx, { code: s.code, kind: 'state', name_fr: s.name_fr, name_en: s.name_en });
      await upsertMemberState(trx, { code: s.code, iso2: s.iso2, iso_numeric: s.iso_numeric ?? null, name_fr: s.name_fr, name_en: s.name_en, time_zone: s.time_zone, position });
    }
    for (const a of [...config.admin_areas].sort((x, y) => x.level - y.level)) {
      await upsertAdminArea(trx, { ...a, name_folded: foldText(a.name_fr), geometry: null, min_lon: null, min_lat: null, max_lon: null, max_lat: null, source: 'config' });
    }
    for (const actor of config.actors) await upsertActor(trx, actor);
    // A state's shipped set is the one most of its areas come from (Mali's Ménaka cercles are points from the P-code list).
    const votes = new Map<string, Map<string, number>>();
    for (const f of shipped) {
      const v = votes.get(f.properties.state) ?? new Map<string, number>();
      v.set(f.properties.boundary_set, (v.get(f.properties.boundary_set) ?? 0) + 1);
      votes.set(f.properties.state, v);
    }
    const stateSet = new Map([...votes].map(([st, v]) => [st, [...v].sort((a, b) => b[1] - a[1])[0]![0]]));
    await registerShippedSets(trx, config.states, [...stateSet].map(([state, set]) => ({ state, set })));
    // A state whose current set is no longer the shipped one (a newer set was imported) keeps it.
    const replaced = new Set((await listBoundarySets(trx)).filter((b) => b.valid_to === null && b.source !== 'shipped').map((b) => b.state));
    const existing = new Map((await listAdminAreas(trx, { withGeometry: shipped.length > 0 })).map((a) => [a.code, a]));
    for (const f of shipped) {
      const p = f.properties;
      if (replaced.has(p.state)) continue;
      const polygon = f.geometry.type !== 'Point';
      const now = existing.get(p.code);
      if (now?.source && now.source !== 'config' && !now.source.startsWith('shipped:')) continue;
      // Unchanged since the last start: nothing to write.
      if (now && now.source === `shipped:${p.boundary_set}` && now.boundary_set === (stateSet.get(p.state) ?? null) && now.name_fr === p.name_fr && now.parent_code === p.parent && (now as { geometry?: string | null }).geometry === (polygon ? JSON.stringify(f.geometry) : null)) continue;
      const [minLon, minLat, maxLon, maxLat] = bboxOfCoordinates(f.geometry.coordinates);
      await upsertAdminArea(trx, {
        code: p.code, state: p.state, level: p.level, parent_code: p.parent, name_fr: p.name_fr, name_en: p.name_en, name_folded: foldText(p.name_fr),
        centroid_lat: p.label[1], centroid_lon: p.label[0], geometry: polygon ? JSON.stringify(f.geometry) : null,
        min_lon: polygon ? minLon : null, min_lat: polygon ? minLat : null, max_lon: polygon ? maxLon : null, max_lat: polygon ? maxLat : null,
        source: `shipped:${p.boundary_set}`, boundary_set: stateSet.get(p.state) ?? null,
      });
    }
  });
}

/** The reference data every client needs (states, areas without geometry, actors). */
export async function referenceSnapshot(engine: Engine) {
  const [states, areas, actors] = await Promise.all([listMemberStates(engine.db), listAdminAreas(engine.db), listActors(engine.db)]);
  return {
    // A state without an ISO numeric code has none in the answer (the schema's field is optional, not null).
    states: states.map(({ position: _p, iso_numeric, ...s }) => (iso_numeric === null ? s : { ...s, iso_numeric })),
    admin_areas: areas.map(({ name_folded: _n, min_lon: _a, min_lat: _b, max_lon: _c, max_lat: _d, source: _s, boundary_set: _bs, ...a }) => ({ ...a, has_polygon: Number(a.has_polygon) === 1 })),
    actors,
  };
}
