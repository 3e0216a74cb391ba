import type { Incident } from '@vigie/domain';

/** An incident as exported: the reader's view of it, with the names of its areas and actors in the export's language. */
export interface ExportRecord extends Incident {
  admin1_name: string | null;
  admin2_name: string | null;
  actor1_name: string | null;
  actor2_name: string | null;
}

export type Cell = string | number | boolean | null;
export type ColumnKind = 'text' | 'int' | 'number' | 'bool' | 'instant';

/** One exported column: its field name, its headers in French and English, its HXL hashtag (when one fits) and its value. */
export interface Column {
  key: string;
  fr: string;
  en: string;
  kind: ColumnKind;
  /** HXL 1.1 hashtag with attributes; empty when no core hashtag fits (HXL leaves such columns untagged). */
  hxl: string;
  value(r: ExportRecord): Cell;
}

const field = <K extends keyof ExportRecord>(key: K, fr: string, en: string, kind: ColumnKind, hxl = ''): Column => ({
  key, fr, en, kind, hxl, value: (r) => r[key] as Cell,
});
const list = (values: readonly string[]) => values.join(' | ');

/**
 * The columns of every tabular export (CSV, HXL, XLSX, GeoPackage attributes, GeoJSON properties), in order. Codes stay
 * codes (they are data a partner joins on); names are given beside them in the export's language.
 */
export const COLUMNS: readonly Column[] = [
  field('id', 'Identifiant', 'id', 'text', '#event+code'),
  field('occurred_start', 'Début', 'occurred_start', 'instant', '#date+occurred'),
  field('occurred_end', 'Fin', 'occurred_end', 'instant', '#date+occurred+end'),
  field('time_precision', 'Précision de la date', 'time_precision', 'int'),
  field('reporting_state', 'État déclarant', 'reporting_state', 'text', '#country+code'),
  field('admin1_code', 'Code région', 'admin1_code', 'text', '#adm1+code'),
  field('admin1_name', 'Région', 'admin1_name', 'text', '#adm1+name'),
  field('admin2_code', 'Code cercle', 'admin2_code', 'text', '#adm2+code'),
  field('admin2_name', 'Cercle', 'admin2_name', 'text', '#adm2+name'),
  field('place_name', 'Lieu', 'place_name', 'text', '#loc+name'),
  field('latitude', 'Latitude', 'latitude', 'number', '#geo+lat'),
  field('longitude', 'Longitude', 'longitude', 'number', '#geo+lon'),
  field('location_coarsened', 'Position généralisée', 'location_coarsened', 'bool'),
  field('geo_precision', 'Précision du lieu', 'geo_precision', 'int'),
  field('event_type', "Type d'événement", 'event_type', 'text', '#event+type'),
  field('sub_event_type', 'Sous-type', 'sub_event_type', 'text', '#event+type+sub'),
  field('interaction', 'Interaction', 'interaction', 'int'),
  field('actor1', 'Acteur 1 (code)', 'actor1', 'text'),
  field('actor1_name', 'Acteur 1', 'actor1_name', 'text', '#group+name+first'),
  field('actor2', 'Acteur 2 (code)', 'actor2', 'text'),
  field('actor2_name', 'Acteur 2', 'actor2_name', 'text', '#group+name+second'),
  { key: 'associated_actors', fr: 'Acteurs associés', en: 'associated_actors', kind: 'text', hxl: '', value: (r) => list(r.associated_actors) },
  field('fatalities_best', 'Morts (meilleure estimation)', 'fatalities_best', 'int', '#affected+killed'),
  field('fatalities_low', 'Morts (estimation basse)', 'fatalities_low', 'int'),
  field('fatalities_high', 'Morts (estimation haute)', 'fatalities_high', 'int'),
  field('civilian_fatalities', 'Civils tués', 'civilian_fatalities', 'int', '#affected+killed+civilians'),
  field('injured', 'Blessés', 'injured', 'int', '#affected+injured'),
  field('abducted', 'Enlevés', 'abducted', 'int', '#affected+abducted'),
  { key: 'tags', fr: 'Étiquettes', en: 'tags', kind: 'text', hxl: '', value: (r) => list(r.tags) },
  field('narrative', 'Récit', 'narrative', 'text', '#description'),
  { key: 'sources', fr: 'Sources', en: 'sources', kind: 'text', hxl: '#meta+source', value: (r) => list(r.sources.map((s) => s.name)) },
  field('classification', 'Classification', 'classification', 'text'),
  field('sharing_scope', 'Partage', 'sharing_scope', 'text'),
  field('status', 'Statut', 'status', 'text', '#status'),
  field('created_at', 'Créé le', 'created_at', 'instant', '#date+reported'),
  field('updated_at', 'Modifié le', 'updated_at', 'instant'),
];

export const headersOf = (lang: 'fr' | 'en') => COLUMNS.map((c) => c[lang]);
