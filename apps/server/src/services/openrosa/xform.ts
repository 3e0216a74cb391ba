/**
 * Vigie's incident XForm (ODK XForms 1.0), generated from the domain's lists — taxonomy, precision codes, source kinds,
 * Admiralty grades, classification and scope — with French labels and an English translation (itext). Nothing here
 * is a copy of a list: a new sub-type or grade in packages/domain appears in the form, and the form's id/version change.
 * The reference lists that are data, not code (actors, areas, places), are CSV media files the form reads
 * (`select_one_from_file`), served with the form's manifest.
 */
import { createHash } from 'node:crypto';
import {
  CLASSIFICATIONS, CLASSIFICATION_LABELS, CREDIBILITY_GRADES, CREDIBILITY_LABELS, EVENT_TYPES, GEO_PRECISIONS, GEO_PRECISION_LABELS,
  RELIABILITY_GRADES, RELIABILITY_LABELS, SHARING_SCOPES, SHARING_SCOPE_LABELS, SOURCE_KINDS, SOURCE_KIND_LABELS, TIME_PRECISIONS,
  TIME_PRECISION_LABELS, type Bilingual,
} from '@vigie/domain';

export const FORM_ID = 'vigie_incident';
/** The CSV media files the form reads, by file name. */
export const MEDIA_FILES = ['actors.csv', 'areas.csv', 'places.csv'] as const;
export type MediaFile = (typeof MEDIA_FILES)[number];

export const LANGUAGES = [{ code: 'fr', name: 'French (fr)' }, { code: 'en', name: 'English (en)' }] as const;

/** One choice of a list: its stored value, labels and, for sub-types, the parent it is filtered on. */
export interface Choice { value: string; label: Bilingual; parent?: string }

/** Every coded list of the form, by list name, built from the domain. */
export function formChoiceLists(): Record<string, Choice[]> {
  const of = <K extends string | number>(values: readonly K[], labels: Record<K, Bilingual>): Choice[] => values.map((v) => ({ value: String(v), label: labels[v] }));
  return {
    event_type: EVENT_TYPES.map((t) => ({ value: t.slug, label: t.label })),
    sub_event_type: EVENT_TYPES.flatMap((t) => t.subTypes.map((s) => ({ value: s.slug, label: s.label, parent: t.slug }))),
    time_precision: of(TIME_PRECISIONS, TIME_PRECISION_LABELS),
    geo_precision: of(GEO_PRECISIONS, GEO_PRECISION_LABELS),
    source_kind: of(SOURCE_KINDS, SOURCE_KIND_LABELS),
    reliability: of(RELIABILITY_GRADES, Object.fromEntries(RELIABILITY_GRADES.map((g) => [g, { fr: `${g} — ${RELIABILITY_LABELS[g].fr}`, en: `${g} — ${RELIABILITY_LABELS[g].en}` }])) as Record<string, Bilingual>),
    credibility: of(CREDIBILITY_GRADES, Object.fromEntries(CREDIBILITY_GRADES.map((g) => [g, { fr: `${g} — ${CREDIBILITY_LABELS[g].fr}`, en: `${g} — ${CREDIBILITY_LABELS[g].en}` }])) as Record<number, Bilingual>),
    classification: of(CLASSIFICATIONS, CLASSIFICATION_LABELS),
    sharing_scope: of(SHARING_SCOPES, SHARING_SCOPE_LABELS),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A question of the form: where it sits, its labels, its type and its widget. */
interface Question {
  name: string;
  label: Bilingual;
  hint?: Bilingual;
  type: 'string' | 'int' | 'dateTime' | 'geopoint' | 'select1' | 'binary';
  list?: string;
  /** A CSV media file the choices come from (select_one_from_file). */
  file?: MediaFile;
  filter?: string;
  required?: string;
  constraint?: string;
  constraintMsg?: Bilingual;
  appearance?: string;
  mediatype?: string;
  initial?: string;
}

const Q = (q: Question) => q;
const T = (fr: string, en: string): Bilingual => ({ fr, en });

/** The questions, in order; `source` and `photo` are repeat groups. */
const MAIN: Question[] = [
  Q({ name: 'occurred_start', label: T('Date et heure de l’incident', 'Date and time of the incident'), type: 'dateTime', required: 'true()', constraint: `decimal-date-time(string(.)) <= decimal-date-time(string(now())) + 1`, constraintMsg: T('La date ne peut pas être dans le futur', 'The date cannot be in the future') }),
  Q({ name: 'time_precision', label: T('Précision de la date', 'Date precision'), type: 'select1', list: 'time_precision', required: 'true()', initial: '1' }),
  Q({ name: 'event_type', label: T('Type d’événement', 'Event type'), type: 'select1', list: 'event_type', required: 'true()' }),
  Q({ name: 'sub_event_type', label: T('Sous-type', 'Sub-type'), type: 'select1', list: 'sub_event_type', filter: 'parent = /data/event_type', required: 'true()' }),
  Q({ name: 'location', label: T('Position (GPS)', 'Location (GPS)'), hint: T('Laisser vide si le lieu est choisi dans la liste', 'Leave empty when the place is chosen from the list'), type: 'geopoint', required: "/data/place = '' and /data/area = ''" }),
  Q({ name: 'place', label: T('Localité', 'Place'), type: 'select1', file: 'places.csv', appearance: 'autocomplete' }),
  Q({ name: 'area', label: T('Zone administrative (sans GPS ni localité)', 'Administrative area (without GPS or place)'), type: 'select1', file: 'areas.csv', appearance: 'autocomplete' }),
  Q({ name: 'place_name', label: T('Nom du lieu', 'Place name'), type: 'string' }),
  Q({ name: 'geo_precision', label: T('Précision du lieu', 'Location precision'), type: 'select1', list: 'geo_precision', required: 'true()', initial: '1' }),
  Q({ name: 'actor1', label: T('Acteur 1', 'Actor 1'), type: 'select1', file: 'actors.csv', appearance: 'autocomplete' }),
  Q({ name: 'actor2', label: T('Acteur 2', 'Actor 2'), type: 'select1', file: 'actors.csv', appearance: 'autocomplete' }),
  Q({ name: 'fatalities_best', label: T('Nombre de morts (meilleure estimation)', 'Fatalities (best estimate)'), type: 'int', required: 'true()', initial: '0', constraint: '. >= 0 and . <= 100000', constraintMsg: T('Entre 0 et 100 000', 'Between 0 and 100,000') }),
  Q({ name: 'civilian_fatalities', label: T('dont civils', 'of whom civilians'), type: 'int', required: 'true()', initial: '0', constraint: '. >= 0 and . <= /data/fatalities_best', constraintMsg: T('Pas plus que le nombre total de morts', 'Not more than the total fatalities') }),
  Q({ name: 'injured', label: T('Blessés', 'Injured'), type: 'int', initial: '0', constraint: '. >= 0 and . <= 100000' }),
  Q({ name: 'abducted', label: T('Enlevés', 'Abducted'), type: 'int', initial: '0', constraint: '. >= 0 and . <= 100000' }),
  Q({ name: 'narrative', label: T('Récit', 'Narrative'), hint: T('Pas de nom de personne : les victimes sont comptées, pas nommées', 'No names of persons: victims are counted, not named'), type: 'string', appearance: 'multiline' }),
];
const SOURCE: Question[] = [
  Q({ name: 'source_name', label: T('Source', 'Source'), type: 'string', required: 'true()' }),
  Q({ name: 'source_kind', label: T('Nature de la source', 'Kind of source'), type: 'select1', list: 'source_kind', required: 'true()' }),
  Q({ name: 'reliability', label: T('Fiabilité de la source', 'Source reliability'), type: 'select1', list: 'reliability', required: 'true()' }),
  Q({ name: 'credibility', label: T('Crédibilité de l’information', 'Information credibility'), type: 'select1', list: 'credibility', required: 'true()' }),
];
const AFTER: Question[] = [
  Q({ name: 'classification', label: T('Classification', 'Classification'), type: 'select1', list: 'classification', required: 'true()', initial: 'restricted' }),
  Q({ name: 'sharing_scope', label: T('Diffusion', 'Sharing'), type: 'select1', list: 'sharing_scope', required: 'true()', initial: 'national' }),
  Q({ name: 'document', label: T('Document joint', 'Attached document'), hint: T('PDF uniquement, 10 Mo au plus ; l’auteur et les métadonnées sont retirés à la réception', 'PDF only, 10 MB at most; the author and metadata are removed on receipt'), type: 'binary', mediatype: 'application/*' }),
];
const PHOTO: Question[] = [Q({ name: 'file', label: T('Photo', 'Photo'), hint: T('JPEG, PNG ou WebP, 10 Mo au plus (pas de HEIC ni de vidéo) ; la position GPS et l’appareil sont retirés à la réception', 'JPEG, PNG or WebP, 10 MB at most (no HEIC, no video); the GPS position and device are removed on receipt'), type: 'binary', mediatype: 'image/*' })];

const REPEATS = [
  { name: 'source', label: T('Sources', 'Sources'), questions: SOURCE, after: MAIN },
  { name: 'photo', label: T('Photos', 'Photos'), questions: PHOTO, after: AFTER },
];

const XFORM_TYPES: Record<Question['type'], string> = { string: 'string', int: 'int', dateTime: 'dateTime', geopoint: 'geopoint', select1: 'string', binary: 'binary' };

/** The form's XML, deterministic: the same domain gives the same bytes (and so the same md5 hash). */
export function buildXForm(title: Bilingual = T('Vigie — signalement d’incident', 'Vigie — incident report')): { xml: string; version: string } {
  const lists = formChoiceLists();
  const body = renderForm(title, lists, '');
  // The version is the content's own hash: a change in the domain's lists is a new version for every collector.
  const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { xml: renderForm(title, lists, version), version };
}

function renderForm(title: Bilingual, lists: Record<string, Choice[]>, version: string): string {
  const texts: { id: string; label: Bilingual }[] = [];
  const text = (id: string, label: Bilingual) => { texts.push({ id, label }); return `jr:itext('${id}')`; };
  const path = (q: Question, group?: string) => (group ? `/data/${group}/${q.name}` : `/data/${q.name}`);

  // The primary instance.
  const leaf = (q: Question) => (q.initial !== undefined ? `<${q.name}>${esc(q.initial)}</${q.name}>` : `<${q.name}/>`);
  const repeatInstance = (r: (typeof REPEATS)[number]) => `<${r.name} jr:template="">${r.questions.map(leaf).join('')}</${r.name}>`;
  const instance = [
    ...MAIN.map(leaf), repeatInstance(REPEATS[0]!), ...AFTER.map(leaf), repeatInstance(REPEATS[1]!),
    '<meta><instanceID/><deprecatedID/><deviceID/><instanceName/></meta>',
  ].join('');

  // Secondary instances: every coded list (with its itext ids) and the CSV media files.
  const listInstances = Object.entries(lists).map(([name, choices]) =>
    `<instance id="${name}"><root>${choices.map((c, i) => `<item><itextId>${name}-${i}</itextId><name>${esc(c.value)}</name>${c.parent ? `<parent>${esc(c.parent)}</parent>` : ''}</item>`).join('')}</root></instance>`);
  choicesText(lists, texts);
  const fileInstances = MEDIA_FILES.map((f) => `<instance id="${f.replace('.csv', '')}" src="jr://file-csv/${f}"/>`);

  // Binds and controls.
  const binds: string[] = [];
  const control = (q: Question, group?: string): string => {
    const ref = path(q, group);
    const attrs = [`nodeset="${ref}"`, `type="${XFORM_TYPES[q.type]}"`];
    if (q.required) attrs.push(`required="${esc(q.required)}"`);
    if (q.constraint) attrs.push(`constraint="${esc(q.constraint)}"`);
    if (q.constraintMsg) attrs.push(`jr:constraintMsg="${text(`${ref}:constraintMsg`, q.constraintMsg)}"`);
    binds.push(`<bind ${attrs.join(' ')}/>`);
    const label = `<label ref="${text(`${ref}:label`, q.label)}"/>`;
    const hint = q.hint ? `<hint ref="${text(`${ref}:hint`, q.hint)}"/>` : '';
    const appearance = q.appearance ? ` appearance="${q.appearance}"` : '';
    if (q.type === 'select1') {
      const itemset = q.file
        ? `<itemset nodeset="instance('${q.file.replace('.csv', '')}')/root/item"><value ref="name"/><label ref="label"/></itemset>`
        : `<itemset nodeset="instance('${q.list}')/root/item${q.filter ? `[${esc(q.filter)}]` : ''}"><value ref="name"/><label ref="jr:itext(itextId)"/></itemset>`;
      return `<select1 ref="${ref}"${appearance}>${label}${hint}${itemset}</select1>`;
    }
    if (q.type === 'binary') return `<upload ref="${ref}" mediatype="${q.mediatype}">${label}${hint}</upload>`;
    return `<input ref="${ref}"${appearance}>${label}${hint}</input>`;
  };
  const repeat = (r: (typeof REPEATS)[number]) =>
    `<group ref="/data/${r.name}"><label ref="${text(`/data/${r.name}:label`, r.label)}"/><repeat nodeset="/data/${r.name}">${r.questions.map((q) => control(q, r.name)).join('')}</repeat></group>`;
  const controls = [...MAIN.map((q) => control(q)), repeat(REPEATS[0]!), ...AFTER.map((q) => control(q)), repeat(REPEATS[1]!)].join('\n');
  binds.push(
    '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>',
    '<bind nodeset="/data/meta/deprecatedID" type="string"/>',
    '<bind nodeset="/data/meta/deviceID" type="string" readonly="true()" jr:preload="property" jr:preloadParams="deviceid"/>',
    `<bind nodeset="/data/meta/instanceName" type="string" calculate="concat(/data/event_type, ' ', substring(/data/occurred_start, 1, 10))"/>`,
  );

  const itext = LANGUAGES.map((l, i) =>
    `<translation lang="${l.name}"${i === 0 ? ' default="true()"' : ''}>${texts.map((t) => `<text id="${esc(t.id)}"><value>${esc(t.label[l.code])}</value></text>`).join('')}</translation>`).join('');

  return `<?xml version="1.0" encoding="UTF-8"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<h:head>
<h:title>${esc(title.fr)}</h:title>
<model odk:xforms-version="1.0.0">
<itext>${itext}</itext>
<instance><data id="${FORM_ID}" version="${version}" orx:version="${version}">${instance}</data></instance>
${listInstances.join('\n')}
${fileInstances.join('\n')}
${binds.join('\n')}
</model>
</h:head>
<h:body>
${controls}
</h:body>
</h:html>
`;
}

function choicesText(lists: Record<string, Choice[]>, texts: { id: string; label: Bilingual }[]): void {
  for (const [name, choices] of Object.entries(lists)) choices.forEach((c, i) => texts.push({ id: `${name}-${i}`, label: c.label }));
}

/** md5 of a body, as OpenRosa writes it in formList and manifests. */
export const md5Of = (body: string | Buffer) => `md5:${createHash('md5').update(body).digest('hex')}`;

/** A CSV file with a header row (RFC 4180 quoting); `name` and `label` are the columns select_one_from_file reads. */
export function csvOf(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
