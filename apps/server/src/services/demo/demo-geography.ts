import fs from 'node:fs';
import path from 'node:path';
import { listAreaPolygons } from '../../repositories/reference.repository.js';
import type { Ctx } from '../context.js';
import { SHIPPED_BOUNDARIES } from '../geography/reference.service.js';
import type { DemoGeography, DemoPlace } from './demo-users.js';

/** The populated places shipped with Vigie (apps/server/geo/places.json, GeoNames). */
const PLACES_FILE = path.join(path.dirname(SHIPPED_BOUNDARIES), 'places.json');

/**
 * The geography demo incidents are placed with: the boundaries in force (the gazetteer's polygon placement, the same
 * the incident service checks against) and the shipped places, each tied to its admin areas by those polygons.
 */
export async function demoGeography(ctx: Ctx): Promise<DemoGeography> {
  const g = ctx.gazetteer;
  await g.ready();
  const boxes = new Map<string, readonly [number, number, number, number]>();
  for (const p of await listAreaPolygons(ctx.engine.db)) {
    if (p.level === 1 && p.min_lon != null && p.min_lat != null && p.max_lon != null && p.max_lat != null) boxes.set(p.code, [p.min_lon, p.min_lat, p.max_lon, p.max_lat]);
  }
  const placeOf = (lat: number, lon: number) => {
    const at = g.placeLoaded(lat, lon);
    return at.method === 'polygon' && at.admin1 ? { admin1: at.admin1, admin2: at.admin2 } : null;
  };
  const members = new Set(ctx.reference.states.map((s) => s.code));
  const file = JSON.parse(fs.readFileSync(PLACES_FILE, 'utf8')) as { fields: string[]; rows: unknown[][] };
  const col = (name: string) => file.fields.indexOf(name);
  const [iName, iLat, iLon, iState, iPop] = [col('name'), col('latitude'), col('longitude'), col('state'), col('population')];
  const places: DemoPlace[] = [];
  for (const row of file.rows) {
    const [name, lat, lon, state] = [row[iName] as string, row[iLat] as number, row[iLon] as number, row[iState] as string];
    if (!members.has(state)) continue;
    const at = placeOf(lat, lon);
    if (at) places.push({ name, lat, lon, admin1: at.admin1, admin2: at.admin2, population: Number(row[iPop] ?? 0) });
  }
  return { places, placeOf, bbox: (code) => boxes.get(code) };
}
