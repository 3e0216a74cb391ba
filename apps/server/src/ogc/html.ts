/**
 * The HTML answers of OGC API – Features (the "HTML" conformance class): simple server-rendered pages, French or
 * English after Accept-Language, with every value escaped. No script; the page's own style only.
 */
import { EVENT_TYPES } from '@vigie/domain';
import type { CollectionDef, Link } from './documents.js';
import type { Feature } from './features.js';

type Lang = 'fr' | 'en';

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const T = {
  fr: {
    home: 'Accueil OGC', collections: 'Collections', conformance: 'Conformité', api: "Définition de l'API (OpenAPI)", items: 'Objets',
    queryables: 'Propriétés filtrables', json: 'JSON', next: 'Page suivante', prev: 'Page précédente', none: 'Aucun objet ne correspond.',
    shown: (n: number, m: number, o: number) => (m === 0 ? 'Aucun objet.' : `Objets ${o + 1} à ${o + n} sur ${m}.`),
    property: 'Propriété', value: 'Valeur', geometry: 'Géométrie', type: 'Type', name: 'Nom', id: 'Identifiant',
    filterHelp: 'Filtrer : ajoutez à l’adresse bbox=ouest,sud,est,nord, datetime=2026-01-01/.., limit=… ou filter=… (CQL2).',
  },
  en: {
    home: 'OGC home', collections: 'Collections', conformance: 'Conformance', api: 'API definition (OpenAPI)', items: 'Features',
    queryables: 'Queryables', json: 'JSON', next: 'Next page', prev: 'Previous page', none: 'No feature matches.',
    shown: (n: number, m: number, o: number) => (m === 0 ? 'No features.' : `Features ${o + 1} to ${o + n} of ${m}.`),
    property: 'Property', value: 'Value', geometry: 'Geometry', type: 'Type', name: 'Name', id: 'Identifier',
    filterHelp: 'Filter: add bbox=west,south,east,north, datetime=2026-01-01/.., limit=… or filter=… (CQL2) to the address.',
  },
};

function page(lang: Lang, base: string, title: string, body: string, json: string): string {
  const t = T[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Vigie</title>
<style>
body{font-family:system-ui,"Noto Sans",sans-serif;margin:0;color:#1b1f24;background:#f6f7f9;line-height:1.45}
header{background:#14324f;color:#fff;padding:.7rem 1rem}header a{color:#fff;margin-right:1rem;display:inline-block;white-space:nowrap}
main{max-width:72rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}th,td{border:1px solid #d5d9de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f4}.scroll{overflow-x:auto}ul{background:#fff;padding:.8rem 2rem;border:1px solid #d5d9de}
nav.pager a{margin-right:1rem}.muted{color:#59636e}code{word-break:break-all}
</style></head>
<body><header><a href="${esc(base)}?f=html">${t.home}</a><a href="${esc(base)}/collections?f=html">${t.collections}</a><a href="${esc(base)}/conformance?f=html">${t.conformance}</a><a href="${esc(json)}">${t.json}</a></header>
<main><h1>${esc(title)}</h1>
${body}
</main></body></html>`;
}

const linkList = (links: Link[]) => `<ul>${links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.title ?? l.rel)}</a> <span class="muted">(${esc(l.rel)}${l.type ? `, ${esc(l.type)}` : ''})</span></li>`).join('')}</ul>`;

export function landingHtml(lang: Lang, base: string, doc: { title: string; description: string; links: Link[] }): string {
  return page(lang, base, doc.title, `<p>${esc(doc.description)}</p>${linkList(doc.links.filter((l) => l.rel !== 'self' && l.rel !== 'alternate'))}`, `${base}?f=json`);
}

export function conformanceHtml(lang: Lang, base: string, classes: string[]): string {
  return page(lang, base, T[lang].conformance, `<ul>${classes.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`, `${base}/conformance?f=json`);
}

export function collectionsHtml(lang: Lang, base: string, list: CollectionDef[]): string {
  const rows = list.map((c) => `<tr><td><a href="${esc(base)}/collections/${esc(c.id)}?f=html">${esc(c.title[lang])}</a></td><td>${esc(c.description[lang])}</td><td><a href="${esc(base)}/collections/${esc(c.id)}/items?f=html">${T[lang].items}</a></td></tr>`);
  return page(lang, base, T[lang].collections, `<div class="scroll"><table><thead><tr><th>${T[lang].name}</th><th></th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`, `${base}/collections?f=json`);
}

export function collectionHtml(lang: Lang, base: string, c: CollectionDef, doc: { links: Link[] }): string {
  return page(lang, base, c.title[lang], `<p>${esc(c.description[lang])}</p>${linkList(doc.links.filter((l) => l.rel !== 'self' && l.rel !== 'alternate'))}<p class="muted">${esc(T[lang].filterHelp)}</p>`, `${base}/collections/${c.id}?f=json`);
}

export function queryablesHtml(lang: Lang, base: string, c: CollectionDef, props: Record<string, { title?: string; type?: string; format?: string }>): string {
  const rows = Object.entries(props).map(([k, p]) => `<tr><td><code>${esc(k)}</code></td><td>${esc(p.title)}</td><td>${esc(p.format ?? p.type)}</td></tr>`);
  return page(lang, base, `${T[lang].queryables} — ${c.title[lang]}`, `<table><thead><tr><th>${T[lang].property}</th><th>${T[lang].name}</th><th>${T[lang].type}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`, `${base}/collections/${c.id}/queryables?f=json`);
}

type L = { fr: string; en: string };
/** Column and property names as a reader says them; a property not named here shows its code. */
const PROPERTY_LABELS: Record<string, L> = {
  occurred_start: { fr: 'Date', en: 'Date' }, occurred_end: { fr: 'Fin', en: 'End' }, event_type: { fr: "Type d'événement", en: 'Event type' },
  sub_event_type: { fr: 'Sous-type', en: 'Sub-event type' }, reporting_state: { fr: 'État', en: 'State' }, admin1_name: { fr: 'Région', en: 'Region' },
  admin2_name: { fr: 'Cercle, département', en: 'District' }, place_name: { fr: 'Lieu', en: 'Place' }, fatalities_best: { fr: 'Morts', en: 'Fatalities' },
  civilian_fatalities: { fr: 'Morts civils', en: 'Civilian fatalities' }, injured: { fr: 'Blessés', en: 'Injured' }, abducted: { fr: 'Enlevés', en: 'Abducted' },
  status: { fr: 'Statut', en: 'Status' }, narrative: { fr: 'Récit', en: 'Narrative' }, classification: { fr: 'Classification', en: 'Classification' },
  sharing_scope: { fr: 'Partage', en: 'Sharing' }, location_coarsened: { fr: 'Lieu approché', en: 'Approximate location' },
  title: { fr: 'Titre', en: 'Title' }, severity: { fr: 'Gravité', en: 'Severity' }, areas: { fr: 'Zones', en: 'Areas' },
  window_start: { fr: 'Début de la fenêtre', en: 'Window start' }, window_end: { fr: 'Fin de la fenêtre', en: 'Window end' },
  name_fr: { fr: 'Nom (français)', en: 'Name (French)' }, name_en: { fr: 'Nom (anglais)', en: 'Name (English)' }, state: { fr: 'État', en: 'State' },
  parent_code: { fr: 'Zone parente', en: 'Parent area' }, boundary: { fr: 'Limite', en: 'Boundary' }, code: { fr: 'Code', en: 'Code' },
};
const VALUE_LABELS: Record<string, L> = {
  draft: { fr: 'Brouillon', en: 'Draft' }, submitted: { fr: 'Soumis', en: 'Submitted' }, validated: { fr: 'Validé', en: 'Validated' },
  rejected: { fr: 'Rejeté', en: 'Rejected' }, merged: { fr: 'Fusionné', en: 'Merged' }, public: { fr: 'Public', en: 'Public' },
  restricted: { fr: 'Diffusion restreinte', en: 'Restricted' }, confidential: { fr: 'Confidentiel', en: 'Confidential' }, secret: { fr: 'Secret', en: 'Secret' },
  national: { fr: 'National', en: 'National' }, confederation: { fr: 'Confédération', en: 'Confederation' },
  polygon: { fr: 'Polygone', en: 'Polygon' }, centroid: { fr: 'Centroïde', en: 'Centroid' },
  ...Object.fromEntries(EVENT_TYPES.flatMap((t) => [[t.slug, t.label], ...t.subTypes.map((x) => [x.slug, x.label] as const)])),
};
const label = (lang: Lang, key: string) => PROPERTY_LABELS[key]?.[lang] ?? key;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
function shown(lang: Lang, v: unknown): string {
  if (typeof v === 'boolean') return lang === 'fr' ? (v ? 'Oui' : 'Non') : v ? 'Yes' : 'No';
  if (typeof v === 'string' && ISO_INSTANT.test(v)) return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(v));
  if (typeof v === 'string' && VALUE_LABELS[v]) return VALUE_LABELS[v][lang];
  if (typeof v === 'number') return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB').format(v);
  return String(v ?? '—');
}

const COLUMNS: Record<CollectionDef['kind'], string[]> = {
  incidents: ['occurred_start', 'event_type', 'reporting_state', 'admin1_name', 'place_name', 'fatalities_best', 'status'],
  alerts: ['title', 'severity', 'status', 'areas', 'window_start', 'window_end'],
  admin: ['name_fr', 'name_en', 'state', 'parent_code', 'boundary'],
};

export function itemsHtml(lang: Lang, base: string, c: CollectionDef, features: Feature[], matched: number, offset: number, links: Link[]): string {
  const t = T[lang];
  const cols = COLUMNS[c.kind];
  const rows = features.map((f) => `<tr><td><a href="${esc(base)}/collections/${esc(c.id)}/items/${esc(f.id)}?f=html">${esc(f.id)}</a></td>${cols.map((k) => `<td>${esc(shown(lang, f.properties[k]))}</td>`).join('')}</tr>`);
  const pager = links.filter((l) => l.type === 'text/html' && (l.rel === 'next' || l.rel === 'prev')).map((l) => `<a href="${esc(l.href)}">${l.rel === 'next' ? t.next : t.prev}</a>`).join('');
  const table = features.length
    ? `<div class="scroll"><table><thead><tr><th>${t.id}</th>${cols.map((k) => `<th>${esc(label(lang, k))}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
    : `<p>${t.none}</p>`;
  const json = links.find((l) => l.rel === 'alternate' && l.type !== 'text/html')?.href ?? '';
  return page(lang, base, `${t.items} — ${c.title[lang]}`, `<p>${esc(t.shown(features.length, matched, offset))}</p>${table}<nav class="pager">${pager}</nav>`, json);
}

export function itemHtml(lang: Lang, base: string, c: CollectionDef, f: Feature): string {
  const t = T[lang];
  const rows = Object.entries(f.properties).map(([k, v]) => `<tr><th>${esc(label(lang, k))}</th><td>${esc(shown(lang, v))}</td></tr>`);
  const g = f.geometry ? (f.geometry.type === 'Point' ? `POINT (${(f.geometry.coordinates as number[]).join(' ')})` : f.geometry.type) : '—';
  return page(lang, base, `${c.title[lang]} — ${f.id}`, `<table><tbody><tr><th>${t.geometry}</th><td>${esc(g)}</td></tr>${rows.join('')}</tbody></table><p><a href="${esc(base)}/collections/${esc(c.id)}/items?f=html">${t.items}</a></p>`, `${base}/collections/${c.id}/items/${f.id}?f=json`);
}
