import { CONFEDERATION_ORG } from '@vigie/domain/classification';
import { getReference } from './generated';
import type { AdminArea, Reference } from './types';

let cached: Promise<Reference> | null = null;
/** The reference data once it has arrived (a page whose own copy is still on its way names with it). */
let loaded: Reference | undefined;
/** The last fetch failed: names fall back to their codes rather than wait for ever. */
let failed = false;

/** The reference data (states, admin areas, actors), fetched once per page load. */
export function loadReference(): Promise<Reference> {
  cached ??= getReference().then(
    (ref) => {
      loaded = ref;
      failed = false;
      return ref;
    },
    (e: unknown) => {
      cached = null;
      failed = true;
      throw e;
    },
  );
  return cached;
}

/** Written for a name while the reference data is on its way: never the raw code, which would flash before the name. */
export const NAME_PENDING = '…';

/** The reference to name with: the page's own, else the one already loaded; `null` when none has arrived yet. */
function known<R>(ref: R | undefined): R | Reference | null {
  return ref ?? loaded ?? null;
}

/** Name of an actor from the reference data, or the code itself when unknown (or when the reference data failed to load). */
export function actorName(ref: Pick<Reference, 'actors'> | undefined, code: string): string {
  const r = known(ref);
  if (!r) return failed ? code : NAME_PENDING;
  return r.actors.find((a) => a.code === code)?.name || code;
}

/** Name of a state or admin area in the reader's language, or the code itself when unknown (or when the reference data failed to load). */
export function placeName(refGiven: Reference | undefined, code: string | null | undefined, lang: 'fr' | 'en'): string {
  if (!code) return '—';
  const ref = known(refGiven);
  if (!ref) return failed ? code : NAME_PENDING;
  const s = ref.states.find((x) => x.code === code);
  if (s) return lang === 'fr' ? s.name_fr : s.name_en;
  const a: AdminArea | undefined = ref.admin_areas.find((x) => x.code === code);
  if (a) return lang === 'fr' ? a.name_fr : a.name_en;
  return code;
}

/** An admin area with its state, "Nord (Burkina Faso)": area names repeat across member states. */
export function areaWithState(ref: Reference | undefined, code: string | null | undefined, lang: 'fr' | 'en'): string {
  const area = known(ref)?.admin_areas.find((x) => x.code === code);
  if (!area) return placeName(ref, code, lang);
  return `${placeName(ref, code, lang)} (${placeName(ref, area.state, lang)})`;
}

/**
 * An organisation's name: the alliance's for the confederation (its acronym when `short`, as the header writes it), a
 * state's name otherwise (as placeName while loading).
 */
export function orgName(refGiven: Reference | undefined, code: string, lang: 'fr' | 'en', short = false): string {
  if (code !== CONFEDERATION_ORG) return placeName(refGiven, code, lang);
  const ref = known(refGiven);
  if (!ref) return failed ? code : NAME_PENDING;
  if (short) return ref.alliance.code;
  return lang === 'fr' ? ref.alliance.name_fr : ref.alliance.name_en;
}
