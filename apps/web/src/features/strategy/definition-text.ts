/** A computed indicator's definition in words ("Nombre de civils tués, Mali, par trimestre"), never as JSON. */
import { EVENT_TYPES } from '@vigie/domain/taxonomy';
import type { Definition, MeasureFilter } from '@vigie/domain/strategy.schema';
import type { Lang } from '../../i18n/format';
import './messages';

type T = (key: string, o?: Record<string, unknown>) => string;
/** Names of places and actors; the code itself when unknown. */
export interface Names { place(code: string): string; actor(code: string): string }

const typeLabel = (slug: string, lang: Lang): string => {
  for (const e of EVENT_TYPES) {
    if (e.slug === slug) return e.label[lang];
    const s = e.subTypes.find((x) => x.slug === slug);
    if (s) return s.label[lang];
  }
  return slug;
};

const list = (xs: string[], lang: Lang) => new Intl.ListFormat(lang, { type: 'disjunction' }).format(xs);

/** The filter's restrictions, each in words: event types, areas, states, actors. */
function filterParts(f: MeasureFilter | undefined, lang: Lang, t: T, names: Names): string[] {
  if (!f) return [];
  const out: string[] = [];
  const types = [...(f.event_types ?? []), ...(f.sub_event_types ?? [])];
  if (types.length) out.push(t('strategy.def.types', { list: list(types.map((x) => typeLabel(x, lang)), lang) }));
  const areas = [...(f.admin1 ?? []), ...(f.admin2 ?? [])];
  if (areas.length) out.push(t('strategy.def.areas', { list: list(areas.map(names.place), lang) }));
  if (f.states?.length) out.push(list(f.states.map(names.place), lang));
  if (f.actors?.length) out.push(t('strategy.def.actors', { list: list(f.actors.map(names.actor), lang) }));
  return out;
}

const measurePart = (m: { measure: string; filter?: MeasureFilter }, lang: Lang, t: T, names: Names) =>
  [t(`strategy.def.measure.${m.measure}`), ...filterParts(m.filter, lang, t, names)].join(', ');

export function definitionText(def: Definition, frequency: string, lang: Lang, t: T, names: Names): string {
  const per = t(`strategy.def.per.${frequency}`);
  const common = filterParts(def.filter, lang, t, names);
  const scope = def.filter?.states?.length ? [] : [t('strategy.def.all_states')];
  if (def.measure !== 'ratio' || !def.numerator || !def.denominator) {
    return [measurePart({ measure: def.measure, filter: def.filter }, lang, t, names), ...scope, per].join(', ');
  }
  const ratio = t(def.scale === 100 ? 'strategy.def.ratio_percent' : 'strategy.def.ratio', {
    num: measurePart(def.numerator, lang, t, names), den: measurePart(def.denominator, lang, t, names).toLowerCase(),
  });
  return [ratio, ...common, ...scope, per].join(', ');
}

/** Whether a definition counts incidents by admin area (its figures then depend on the boundary sets). */
export const definitionHasAreas = (d: Definition | null | undefined): boolean =>
  !!d && [d.filter, d.numerator?.filter, d.denominator?.filter].some((f) => !!(f?.admin1?.length || f?.admin2?.length));
