import { getReference } from './generated';
import type { AdminArea, Reference } from './types';

let cached: Promise<Reference> | null = null;

/** The reference data (states, admin areas, actors), fetched once per page load. */
export function loadReference(): Promise<Reference> {
  cached ??= getReference().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** Name of an actor from the reference data, or the code itself when unknown. */
export function actorName(ref: Pick<Reference, 'actors'> | undefined, code: string): string {
  return ref?.actors.find((a) => a.code === code)?.name || code;
}

/** Name of a state or admin area in the reader's language, or the code itself. */
export function placeName(ref: Reference | undefined, code: string | null | undefined, lang: 'fr' | 'en'): string {
  if (!code) return '—';
  if (!ref) return code;
  const s = ref.states.find((x) => x.code === code);
  if (s) return lang === 'fr' ? s.name_fr : s.name_en;
  const a: AdminArea | undefined = ref.admin_areas.find((x) => x.code === code);
  if (a) return lang === 'fr' ? a.name_fr : a.name_en;
  return code;
}

/** An admin area with its state, "Nord (Burkina Faso)": area names repeat across member states. */
export function areaWithState(ref: Reference | undefined, code: string | null | undefined, lang: 'fr' | 'en'): string {
  const area = ref?.admin_areas.find((x) => x.code === code);
  if (!area) return placeName(ref, code, lang);
  return `${placeName(ref, code, lang)} (${placeName(ref, area.state, lang)})`;
}
