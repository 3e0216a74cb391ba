import { interactionLabel, taxonomyLabel } from '@vigie/domain/taxonomy';
import { actorName, placeName } from '../../api/reference';
import type { Reference } from '../../api/types';
import type { Lang } from '../../i18n';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { showValue } from './diff';
import '../review/messages';

/** What a field's value is shown with: the reader's translator, language and the reference lists. */
export interface ShowContext {
  t: (key: string, options?: Record<string, unknown>) => string;
  lang: Lang;
  ref: Reference | undefined;
}

const COUNTS = new Set(['fatalities_best', 'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured', 'abducted']);
const dash = '—';

/**
 * A field's value in the reader's language: statuses, classifications, scopes, types, places and actors by their
 * names, dates and numbers in the locale's format — never a code or an English word on a French page.
 */
export function showField(c: ShowContext, field: string, value: unknown): string {
  const { t, lang, ref } = c;
  if (value === null || value === undefined || value === '') return field === 'exact_location_classification' ? t('review.everyone') : dash;
  const s = String(value);
  switch (field) {
    case 'status': return t(`status.${s}`);
    case 'classification': case 'exact_location_classification': return t(`classification.${s}`);
    case 'sharing_scope': return t(`scope.${s}`);
    case 'event_type': case 'sub_event_type': return taxonomyLabel(s, lang);
    case 'admin1_code': case 'admin2_code': case 'reporting_state': return placeName(ref, s, lang);
    case 'actor1': case 'actor2': return actorName(ref, s);
    case 'associated_actors': return Array.isArray(value) && value.length ? value.map((a) => actorName(ref, String(a))).join(', ') : dash;
    case 'occurred_start': case 'occurred_end': return formatDateTime(s, lang);
    case 'interaction': return typeof value === 'number' ? interactionLabel(value, lang) : s;
    // The record merged into, by the short id its history line links to.
    case 'merged_into': return s.slice(0, 8);
    case 'time_precision': return t(`time_precision.${s}`);
    case 'geo_precision': return t(`geo_precision.${s}`);
    case 'latitude': case 'longitude': return formatNumber(Number(value), lang, 4);
    case 'sources': return Array.isArray(value) && value.length ? value.map((x) => {
      const src = x as { name: string; kind: string; reliability: string; credibility: number };
      return `${src.name} (${t(`source_kind.${src.kind}`)}, ${src.reliability}${src.credibility})`;
    }).join(' ; ') : dash;
    default:
      if (COUNTS.has(field) && typeof value === 'number') return formatNumber(value, lang);
      return showValue(value);
  }
}

/** Fields whose form label says something else than the field (the form's status is "save as"). */
const NOT_THE_FORM_LABEL = new Set(['status']);

/** The label of a field in history, conflict and merge tables: the form's label, else the review catalogue's. */
export function fieldName(t: ShowContext['t'], field: string): string {
  const form = t(`form.${field}`);
  if (form !== `form.${field}` && !NOT_THE_FORM_LABEL.has(field)) return form;
  const own = t(`review.fields.${field}`);
  return own === `review.fields.${field}` ? field : own;
}

/** A merge field (a group of columns) as one line: e.g. the place with its region, a toll with its range. */
export function showMergeValue(c: ShowContext, field: string, value: unknown): string {
  if (field === 'narrative' || typeof value !== 'object' || value === null || Array.isArray(value)) return showField(c, field, value);
  const v = value as Record<string, unknown>;
  switch (field) {
    case 'occurred': return showField(c, 'occurred_start', v.occurred_start);
    case 'location': return [v.place_name, showField(c, 'admin2_code', v.admin2_code), showField(c, 'admin1_code', v.admin1_code)].filter((x) => x && x !== dash).join(', ') || dash;
    case 'event': return showField(c, 'sub_event_type', v.sub_event_type);
    case 'actors': return [v.actor1, v.actor2, ...((v.associated_actors as string[]) ?? [])].filter(Boolean).map((a) => actorName(c.ref, String(a))).join(', ') || dash;
    case 'fatalities_best': {
      const range = v.fatalities_low != null || v.fatalities_high != null ? ` (${v.fatalities_low ?? '?'}–${v.fatalities_high ?? '?'})` : '';
      return `${showField(c, 'fatalities_best', v.fatalities_best)}${range}`;
    }
    default: return showField(c, field, v[field]);
  }
}
