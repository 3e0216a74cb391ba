/**
 * Boundary sets over time (docs/geography.md, "Boundary versions"): which set a state uses and since when, closing
 * the current set when a newer one is imported with a validity date, and the crosswalk from older sets to the current.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { calendarDayText, type ReferenceConfig } from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { Problem } from '../../lib/problem.js';
import { nowIso } from '../../lib/ids.js';
import {
  archiveCurrentAreas, closeBoundarySet, currentBoundarySet, findBoundarySet, insertBoundarySet, listBoundarySets, listCrosswalk, listSetAreas, replaceCrosswalk,
} from '../../repositories/boundary-set.repository.js';
import { listAreaPolygons } from '../../repositories/reference.repository.js';
import type { Principal } from '../principal.js';
import type { Ctx } from '../context.js';
import { computeCrosswalk, type CrosswalkLink } from './crosswalk.js';

type Shape = Polygon | MultiPolygon;
type StateRef = ReferenceConfig['states'][number];

/** Readable names of the sets shipped with Vigie (apps/server/geo). */
const SHIPPED_SET_NAMES: Record<string, { fr: string; en: string }> = {
  'mli-ocha-cod-2015': { fr: 'Mali — cercles OCHA 2015, régions 2021', en: 'Mali — OCHA 2015 cercles, 2021 regions' },
  'bfa-geoboundaries-wb-2017': { fr: 'Burkina Faso — 13 régions (2017)', en: 'Burkina Faso — 13 regions (2017)' },
  'ner-ocha-rowca-wca': { fr: 'Niger — 8 régions (OCHA)', en: 'Niger — 8 regions (OCHA)' },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return DATE.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
/** The calendar day before `d` (YYYY-MM-DD). */
export const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const frDate = (d: string) => calendarDayText(d, 'fr');
const enDate = (d: string) => calendarDayText(d, 'en');

export interface BoundarySetPlan {
  /** The set the imported areas belong to (null: a state without sets, imported without a date). */
  set: string | null;
  create?: { code: string; state: string; name_fr: string; name_en: string; valid_from: string | null; valid_to: null; source: string | null };
  close?: { code: string; validTo: string };
}

/** Decides what an import does to the state's sets; a bad or earlier date is refused naming `valid_from`. */
export async function planBoundarySet(db: Trx, state: StateRef, validFrom?: string, names?: { fr: string; en: string }): Promise<BoundarySetPlan> {
  const current = await currentBoundarySet(db, state.code);
  if (validFrom === undefined) return { set: current?.code ?? null };
  if (!isDate(validFrom)) throw new Problem('validation_failed', `valid_from: ${validFrom}`, [{ field: 'valid_from', message: 'date attendue au format AAAA-MM-JJ' }]);
  // The same date again: another level of the same new set.
  if (current?.valid_from === validFrom) return { set: current.code };
  if (current?.valid_from && validFrom <= current.valid_from) {
    throw new Problem('validation_failed', `valid_from ${validFrom} is not after ${current.valid_from}`, [
      { field: 'valid_from', message: `le découpage actuel (${current.name_fr}) est en vigueur depuis le ${frDate(current.valid_from)} : la nouvelle date doit être postérieure` },
    ]);
  }
  const code = `${state.code.toLowerCase()}-${validFrom}`;
  if (await findBoundarySet(db, code)) throw new Problem('validation_failed', `boundary set ${code} exists`, [{ field: 'valid_from', message: `un découpage ${code} existe déjà` }]);
  return {
    set: code,
    create: {
      code, state: state.code, valid_from: validFrom, valid_to: null, source: null,
      name_fr: names?.fr ?? `${state.name_fr} — découpage du ${frDate(validFrom)}`,
      name_en: names?.en ?? `${state.name_en} — boundaries of ${enDate(validFrom)}`,
    },
    close: { code: current?.code ?? `${state.code.toLowerCase()}-before-${validFrom}`, validTo: dayBefore(validFrom) },
  };
}

/** Archives the state's current areas under `code` and closes that set (created when the areas had none). */
export async function closeCurrentSet(trx: Trx, state: string, code: string, validTo: string): Promise<void> {
  if (!(await findBoundarySet(trx, code))) {
    await insertBoundarySet(trx, { code, state, name_fr: `${state} — découpage antérieur`, name_en: `${state} — earlier boundaries`, valid_from: null, valid_to: null, source: null, created_at: nowIso() });
  }
  await archiveCurrentAreas(trx, state, code);
  await closeBoundarySet(trx, code, validTo);
}

export interface PlannedCrosswalk {
  fromSet: string;
  toSet: string;
  links: CrosswalkLink[];
}

/**
 * Computes, before the import's transaction (intersecting polygons takes seconds and must not hold the write lock), the
 * crosswalk from each closed set of the state — and from the set the import is about to close — to the state's areas
 * once imported: the imported ones, plus (when no set is closed) the current ones the file does not replace.
 */
export async function planCrosswalks(db: Trx, state: string, plan: BoundarySetPlan, imported: readonly { code: string; level: number; geometry: string }[]): Promise<PlannedCrosswalk[]> {
  if (!plan.set) return [];
  const parse = (a: { code: string; level: number; geometry: string | null; parent_code?: string | null }) =>
    ({ code: a.code, level: a.level, parent: a.parent_code ?? null, geometry: JSON.parse(a.geometry!) as Shape });
  const current = (await listAreaPolygons(db)).filter((a) => a.state === state && a.geometry);
  const replaced = new Set(imported.map((a) => a.code));
  const to = [...imported.map(parse), ...(plan.close ? [] : current.filter((a) => !replaced.has(a.code)).map(parse))];
  const sources: { set: string; areas: ReturnType<typeof parse>[] }[] = [];
  for (const set of (await listBoundarySets(db, state)).filter((s) => s.valid_to !== null)) {
    sources.push({ set: set.code, areas: (await listSetAreas(db, set.code)).filter((a) => a.geometry).map(parse) });
  }
  if (plan.close) sources.push({ set: plan.close.code, areas: current.map(parse) });
  return sources.map((s) => ({ fromSet: s.set, toSet: plan.set!, links: computeCrosswalk(s.areas, to) }));
}

/** Stores planned crosswalks (inside the import's transaction); returns the number of links. */
export async function writeCrosswalks(trx: Trx, planned: readonly PlannedCrosswalk[]): Promise<number> {
  for (const p of planned) await replaceCrosswalk(trx, p.fromSet, p.toSet, p.links.map((l) => ({ ...l, from_set: p.fromSet, to_set: p.toSet })));
  return planned.reduce((n, p) => n + p.links.length, 0);
}

/** Registers the sets of the shipped boundaries for the states that have none yet (at start-up). */
export async function registerShippedSets(trx: Trx, states: readonly StateRef[], shipped: readonly { state: string; set: string }[]): Promise<void> {
  for (const s of states) {
    const set = shipped.find((x) => x.state === s.code)?.set;
    if (!set || (await listBoundarySets(trx, s.code)).length) continue;
    const names = SHIPPED_SET_NAMES[set] ?? { fr: `${s.name_fr} — ${set}`, en: `${s.name_en} — ${set}` };
    await insertBoundarySet(trx, { code: set, state: s.code, name_fr: names.fr, name_en: names.en, valid_from: null, valid_to: null, source: 'shipped', created_at: nowIso() });
  }
}

/** The boundary sets a figure uses: the current set of each state it covers (every configured state by default). */
export interface BoundaryFrame {
  sets: { code: string; state: string; name_fr: string; name_en: string; valid_from: string | null }[];
}

export async function boundaryFrame(ctx: Ctx, states?: readonly string[]): Promise<BoundaryFrame> {
  const wanted = states?.length ? states : ctx.reference.states.map((s) => s.code);
  const sets = (await listBoundarySets(ctx.engine.db)).filter((s) => s.valid_to === null && wanted.includes(s.state));
  const order = (st: string) => ctx.reference.states.findIndex((s) => s.code === st);
  return {
    sets: sets.sort((a, b) => order(a.state) - order(b.state)).map((s) => ({ code: s.code, state: s.state, name_fr: s.name_fr, name_en: s.name_en, valid_from: s.valid_from })),
  };
}

/**
 * The sets that were current at an instant (`asOf`, ISO): per state, among the sets imported by then, the latest to
 * take effect. For a frozen figure stored without its frame (reports generated before frames were kept with them).
 */
export async function boundaryFrameAt(ctx: Ctx, asOf: string, states?: readonly string[]): Promise<BoundaryFrame> {
  const wanted = states?.length ? states : ctx.reference.states.map((s) => s.code);
  const known = (await listBoundarySets(ctx.engine.db)).filter((s) => s.created_at <= asOf && wanted.includes(s.state));
  const sets = wanted.flatMap((st) => {
    const mine = known.filter((s) => s.state === st).sort((a, b) => (a.valid_from ?? '').localeCompare(b.valid_from ?? ''));
    const s = mine.at(-1);
    return s ? [{ code: s.code, state: s.state, name_fr: s.name_fr, name_en: s.name_en, valid_from: s.valid_from }] : [];
  });
  return { sets };
}

/**
 * Every boundary set, with its validity, and the crosswalk links from the closed ones to the current ones: reference
 * data, for any signed-in user (the administrators who import sets hold no incident verb).
 */
export async function listBoundarySetsWithCrosswalk(ctx: Ctx, _principal: Principal, state?: string) {
  const sets = await listBoundarySets(ctx.engine.db, state);
  const links = (await listCrosswalk(ctx.engine.db)).filter((l) => sets.some((s) => s.code === l.from_set));
  return { sets, crosswalk: links };
}

/** A figure's answer with the boundary sets it uses (`states`: those it covers; all configured states by default). */
export async function withBoundaryFrame<T extends object>(ctx: Ctx, result: T, states?: readonly string[]): Promise<T & { boundary_frame: BoundaryFrame }> {
  return { ...result, boundary_frame: await boundaryFrame(ctx, states) };
}
