import { getAdminAreasGeojson } from '../api/generated';
import type { AreaCollection } from '../api/types';

const cache = new Map<string, Promise<AreaCollection>>();

/** Admin areas of one level as GeoJSON from our API, fetched once per page load. */
export function loadAreas(level: 1 | 2): Promise<AreaCollection> {
  const key = String(level);
  let p = cache.get(key);
  if (!p) {
    p = getAdminAreasGeojson({ query: { level } }).catch((e: unknown) => { cache.delete(key); throw e; });
    cache.set(key, p);
  }
  return p;
}
