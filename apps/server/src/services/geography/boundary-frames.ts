/**
 * The boundary sets of every state over time, as the Gazetteer uses them: which set is valid at a date, the polygons of
 * the closed sets, and the crosswalk from each closed set to the current one (docs/geography.md, "Boundary versions").
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Trx } from '../../db/engine.js';
import { listBoundarySets, listCrosswalk, listSetAreas, type BoundarySetRow } from '../../repositories/boundary-set.repository.js';
import { crosswalkTarget, type CrosswalkLink } from './crosswalk.js';
import { PLACEMENT_TOLERANCE_KM, PolygonIndex, prepareShape } from './polygon-index.js';

type Shape = Polygon | MultiPolygon;

/** The areas of a point in one closed set. */
export interface SetPlacement {
  admin1: string | null;
  admin2: string | null;
  method: 'polygon' | 'nearest_polygon' | 'none';
}

interface ClosedSet {
  level1: PolygonIndex;
  level2: PolygonIndex;
  links: CrosswalkLink[];
}

/** `date` (YYYY-MM-DD) lies in the set's validity. */
export const validAt = (s: Pick<BoundarySetRow, 'valid_from' | 'valid_to'>, date: string) =>
  (s.valid_from === null || s.valid_from <= date) && (s.valid_to === null || date <= s.valid_to);

export class BoundaryFrames {
  private closedIndexes = new Map<string, ClosedSet>();

  private constructor(private readonly sets: BoundarySetRow[]) {}

  static async load(trx: Trx): Promise<BoundaryFrames> {
    return new BoundaryFrames(await listBoundarySets(trx));
  }

  /** True when some state has a closed set: only then can a date change where a point is placed. */
  get hasHistory(): boolean {
    return this.sets.some((s) => s.valid_to !== null);
  }

  /** The state's current set (the open one), if it has any. */
  current(state: string): BoundarySetRow | undefined {
    return this.sets.find((s) => s.state === state && s.valid_to === null);
  }

  /** The closed set valid at `date` in `state`; undefined when the current set (or none) applies. */
  closedAt(state: string, date: string): BoundarySetRow | undefined {
    return this.sets.find((s) => s.state === state && s.valid_to !== null && validAt(s, date));
  }

  /** Builds (once) the indexes of a closed set and its crosswalk to the current set; through `trx` in a transaction. */
  async prepare(set: string, trx: Trx): Promise<void> {
    if (this.closedIndexes.has(set)) return;
    const areas = await listSetAreas(trx, set);
    const shapes = areas
      .filter((a) => a.geometry)
      .map((a) => prepareShape({ code: a.code, state: a.state, level: a.level, parent: a.parent_code }, JSON.parse(a.geometry!) as Shape));
    const links = (await listCrosswalk(trx, { fromSet: set })).filter((l) => this.sets.some((s) => s.code === l.to_set && s.valid_to === null));
    this.closedIndexes.set(set, {
      level1: new PolygonIndex(shapes.filter((s) => s.level === 1)),
      level2: new PolygonIndex(shapes.filter((s) => s.level === 2)),
      links,
    });
  }

  /** Where a point falls in a closed set (prepared first): its polygons, else the nearest within the tolerance. */
  placeIn(set: string, lon: number, lat: number): SetPlacement {
    const c = this.closedIndexes.get(set);
    if (!c) throw new Error(`boundary set ${set} not prepared`);
    const a2 = c.level2.containing(lon, lat);
    if (a2) return { admin1: a2.parent, admin2: a2.code, method: 'polygon' };
    const a1 = c.level1.containing(lon, lat);
    if (a1) return { admin1: a1.code, admin2: null, method: 'polygon' };
    const n2 = c.level2.nearest(lon, lat, PLACEMENT_TOLERANCE_KM);
    if (n2) return { admin1: n2.shape.parent, admin2: n2.shape.code, method: 'nearest_polygon' };
    const n1 = c.level1.nearest(lon, lat, PLACEMENT_TOLERANCE_KM);
    if (n1) return { admin1: n1.shape.code, admin2: null, method: 'nearest_polygon' };
    return { admin1: null, admin2: null, method: 'none' };
  }

  /**
   * The current-set area of an area of a closed set, by the crosswalk: the finest older area first; a current admin-2
   * where the current set has admin-2 polygons, else a current admin-1. `hint`: the current areas of the record's point.
   */
  mapToCurrent(set: string, placed: SetPlacement, currentHasLevel2: boolean, hint: { admin1: string | null; admin2: string | null }): { code: string; level: number } | undefined {
    const c = this.closedIndexes.get(set);
    if (!c) return undefined;
    for (const from of [placed.admin2, placed.admin1]) {
      if (!from) continue;
      for (const level of currentHasLevel2 ? [2, 1] : [1]) {
        const t = crosswalkTarget(c.links, from, level, level === 2 ? hint.admin2 : hint.admin1);
        if (t) return { code: t.to_code, level };
      }
    }
    return undefined;
  }
}
