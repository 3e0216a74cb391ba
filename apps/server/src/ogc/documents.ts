/**
 * The JSON documents of OGC API – Features: landing page, conformance, collections, collection, items, queryables.
 * Links are absolute, built from the address the client used (`base`, ending in /ogc).
 */
import { roleCan } from '@vigie/domain';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';
import { Problem } from '../lib/problem.js';
import { adminLevels, gazetteerExtent, incidentQueryables, ADMIN_AREA_QUERYABLES } from '../repositories/ogc-feature.repository.js';
import type { Queryables } from './cql2/compile.js';
import { CRS84 } from './params.js';

export interface Link { href: string; rel: string; type?: string; title?: string }
export const GEOJSON = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

const SPEC = 'http://www.opengis.net/spec';
export const CONFORMANCE = [
  `${SPEC}/ogcapi-features-1/1.0/conf/core`,
  `${SPEC}/ogcapi-features-1/1.0/conf/geojson`,
  `${SPEC}/ogcapi-features-1/1.0/conf/html`,
  `${SPEC}/ogcapi-features-1/1.0/conf/oas30`,
  `${SPEC}/ogcapi-features-3/1.0/conf/filter`,
  `${SPEC}/ogcapi-features-3/1.0/conf/features-filter`,
  `${SPEC}/ogcapi-features-3/1.0/conf/queryables`,
  `${SPEC}/ogcapi-features-3/1.0/conf/queryables-query-parameters`,
  `${SPEC}/cql2/1.0/conf/cql2-text`,
  `${SPEC}/cql2/1.0/conf/cql2-json`,
  `${SPEC}/cql2/1.0/conf/basic-cql2`,
  `${SPEC}/cql2/1.0/conf/advanced-comparison-operators`,
  `${SPEC}/cql2/1.0/conf/case-insensitive-comparison`,
  `${SPEC}/cql2/1.0/conf/accent-insensitive-comparison`,
  `${SPEC}/cql2/1.0/conf/basic-spatial-functions`,
];

/** One collection as the reader may reach it. */
export interface CollectionDef {
  id: string;
  kind: 'incidents' | 'alerts' | 'admin';
  level?: number;
  title: { fr: string; en: string };
  description: { fr: string; en: string };
  temporal: boolean;
}

const INCIDENTS: CollectionDef = {
  id: 'incidents', kind: 'incidents', temporal: true,
  title: { fr: 'Incidents de sécurité', en: 'Security incidents' },
  description: {
    fr: "Les incidents que vous pouvez voir, à l'emplacement que vous pouvez voir (point approché quand le lieu exact est protégé).",
    en: 'The incidents you may see, at the location you may see (an approximate point where the exact place is protected).',
  },
};
const ALERTS: CollectionDef = {
  id: 'alerts', kind: 'alerts', temporal: true,
  title: { fr: 'Alertes précoces', en: 'Early-warning alerts' },
  description: { fr: 'Les alertes que vous pouvez voir, sur les zones concernées.', en: 'The alerts you may see, over the areas they concern.' },
};
const LEVEL_NAMES: Record<number, { fr: string; en: string }> = {
  1: { fr: 'Régions', en: 'Regions' },
  2: { fr: 'Cercles, départements, provinces', en: 'Districts (cercles, départements, provinces)' },
  3: { fr: 'Communes', en: 'Communes' },
};
const admin = (level: number): CollectionDef => ({
  id: `admin${level}`, kind: 'admin', level, temporal: false,
  title: { fr: `${LEVEL_NAMES[level]?.fr ?? 'Zones'} (niveau administratif ${level})`, en: `${LEVEL_NAMES[level]?.en ?? 'Areas'} (admin level ${level})` },
  description: { fr: `Les zones administratives de niveau ${level} du répertoire géographique.`, en: `The gazetteer's level-${level} administrative areas.` },
});

/** The admin levels the gazetteer holds, read again only when the boundaries change (an import, a restore). */
const LEVELS = new WeakMap<Ctx['gazetteer'], { version: number; levels: number[] }>();
async function levelsOf(ctx: Ctx): Promise<number[]> {
  const g = ctx.gazetteer;
  const version = g.version;
  const kept = LEVELS.get(g);
  if (kept?.version === version) return kept.levels;
  const levels = await adminLevels(ctx.engine.db);
  LEVELS.set(g, { version, levels });
  return levels;
}

/** The collections this reader may read, in a stable order. */
export async function collectionsFor(ctx: Ctx, principal: Principal): Promise<CollectionDef[]> {
  const out: CollectionDef[] = [];
  if (principal.kind === 'system' || roleCan(principal.role, 'incident.read')) out.push(INCIDENTS);
  if (principal.kind === 'system' || roleCan(principal.role, 'alert.read')) out.push(ALERTS);
  for (const level of await levelsOf(ctx)) out.push(admin(level));
  return out;
}

/** The collection, or 404 (also when the reader may not read it: its existence is no secret, but it is not theirs). */
export async function findCollection(ctx: Ctx, principal: Principal, id: string): Promise<CollectionDef> {
  const c = (await collectionsFor(ctx, principal)).find((x) => x.id === id);
  if (c) return c;
  if ((id === 'incidents' || id === 'alerts') && principal.kind !== 'system') {
    throw new Problem('forbidden', `permission ${id === 'incidents' ? 'incident.read' : 'alert.read'} is not granted to role ${principal.role}`);
  }
  throw new Problem('not_found', `no collection ${id}`);
}

export function landing(base: string, lang: 'fr' | 'en') {
  const fr = lang === 'fr';
  return {
    title: lang === 'fr' ? 'Vigie — OGC API Features' : 'Vigie — OGC API Features',
    description: lang === 'fr'
      ? 'Incidents, alertes et zones administratives de Vigie pour les SIG (QGIS, GDAL/OGR, ArcGIS), selon OGC API – Features.'
      : "Vigie's incidents, alerts and administrative areas for GIS clients (QGIS, GDAL/OGR, ArcGIS), per OGC API – Features.",
    links: [
      { href: `${base}?f=json`, rel: 'self', type: 'application/json', title: fr ? 'Ce document' : 'This document' },
      { href: `${base}?f=html`, rel: 'alternate', type: 'text/html', title: fr ? 'Ce document en HTML' : 'This document as HTML' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: fr ? "Définition de l'API (OpenAPI 3.0)" : 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/api?f=html`, rel: 'service-doc', type: 'text/html', title: fr ? "Documentation de l'API" : 'The API documentation' },
      { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: fr ? 'Classes de conformité' : 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
    ] satisfies Link[],
  };
}

export function conformance(base: string) {
  return { conformsTo: CONFORMANCE, links: [{ href: `${base}/conformance?f=json`, rel: 'self', type: 'application/json' }, { href: `${base}/conformance?f=html`, rel: 'alternate', type: 'text/html' }] };
}

export async function collectionDoc(ctx: Ctx, c: CollectionDef, base: string, lang: 'fr' | 'en') {
  const extent = await gazetteerExtent(ctx.engine.db);
  const url = `${base}/collections/${c.id}`;
  const fr = lang === 'fr';
  return {
    id: c.id,
    title: c.title[lang],
    description: c.description[lang],
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    extent: {
      spatial: { bbox: [extent ?? [-180, -90, 180, 90]], crs: CRS84 },
      ...(c.temporal ? { temporal: { interval: [[null, null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
    },
    links: [
      { href: `${url}?f=json`, rel: 'self', type: 'application/json', title: c.title[lang] },
      { href: `${url}?f=html`, rel: 'alternate', type: 'text/html', title: c.title[lang] },
      { href: `${url}/items?f=json`, rel: 'items', type: GEOJSON, title: fr ? 'Objets (GeoJSON)' : 'Features (GeoJSON)' },
      { href: `${url}/items?f=html`, rel: 'items', type: 'text/html', title: fr ? 'Objets (HTML)' : 'Features (HTML)' },
      { href: `${url}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: fr ? 'Propriétés filtrables' : 'Queryables' },
    ] satisfies Link[],
  };
}

export function queryablesOf(principal: Principal, c: CollectionDef): Queryables {
  if (c.kind === 'incidents') return incidentQueryables(principal);
  if (c.kind === 'admin') return ADMIN_AREA_QUERYABLES;
  return {};
}

/** The queryables as a JSON Schema (Part 3 §6.2), `application/schema+json`. */
export function queryablesDoc(principal: Principal, c: CollectionDef, base: string, lang: 'fr' | 'en') {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [name, q] of Object.entries(queryablesOf(principal, c))) {
    properties[name] = q.type === 'geometry'
      ? { title: q.title, format: 'geometry-point', $ref: 'https://geojson.org/schema/Point.json', ...('box' in q ? { format: 'geometry-any', $ref: 'https://geojson.org/schema/Geometry.json' } : {}) }
      : q.type === 'datetime' ? { title: q.title, type: 'string', format: 'date-time' }
        : { title: q.title, type: q.type === 'number' ? 'number' : 'string' };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/collections/${c.id}/queryables`,
    type: 'object',
    title: c.title[lang],
    properties,
    additionalProperties: false,
  };
}
