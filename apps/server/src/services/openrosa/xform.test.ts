/**
 * The generated XForm, parsed as an XML document: well formed, every bind on a node of the instance, every label in
 * both languages, and its choice lists exactly the domain's (so the form cannot drift from the API). A filled instance
 * of it is read into a body the incident API's own schema accepts.
 */
import { DOMParser } from '@xmldom/xmldom';
import {
  CLASSIFICATIONS, CREDIBILITY_GRADES, EVENT_TYPE_SLUGS, GEO_PRECISIONS, RELIABILITY_GRADES, SHARING_SCOPES, SOURCE_KINDS, SUB_EVENT_TYPE_SLUGS,
  TIME_PRECISIONS, eventTypeOf, incidentCreateSchema,
} from '@vigie/domain';
import { describe, expect, it } from 'vitest';
import { submissionXml } from '../../test-support/openrosa.js';
import { incidentIdOf, incidentInput, parseSubmission } from './submission-xml.js';
import { buildXForm, FORM_ID } from './xform.js';

type Node = { nodeType: number; localName: string; textContent: string | null; childNodes: ArrayLike<Node>; getAttribute(n: string): string | null; getElementsByTagNameNS(ns: string, n: string): ArrayLike<Node> };
const XF = 'http://www.w3.org/2002/xforms';
const elements = (n: Node) => Array.from(n.childNodes).filter((c) => c.nodeType === 1);
const all = (doc: Node, name: string) => Array.from(doc.getElementsByTagNameNS(XF, name));

function parse(xml: string): Node {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: (level: string, msg: unknown) => { if (level !== 'warning') errors.push(String(msg)); } }).parseFromString(xml, 'text/xml');
  expect(errors).toEqual([]);
  return doc as unknown as Node;
}

describe('the generated incident XForm', () => {
  const { xml, version } = buildXForm();
  const doc = parse(xml);
  const instances = all(doc, 'instance');
  const primary = elements(instances[0]!)[0]!;
  const list = (id: string) => {
    const inst = instances.find((i) => i.getAttribute('id') === id);
    expect(inst, `instance ${id}`).toBeDefined();
    return elements(elements(inst!)[0]!).map((item) => Object.fromEntries(elements(item).map((c) => [c.localName, c.textContent ?? ''])));
  };

  it('is deterministic and versioned by its content', () => {
    expect(buildXForm().xml).toBe(xml);
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(primary.localName).toBe('data');
    expect(primary.getAttribute('id')).toBe(FORM_ID);
    expect(primary.getAttribute('version')).toBe(version);
  });

  it('offers exactly the domain’s lists: taxonomy, precision codes, sources with Admiralty grades, classification and scope', () => {
    const names = (id: string) => list(id).map((i) => i.name);
    expect(names('event_type')).toEqual([...EVENT_TYPE_SLUGS]);
    expect(names('sub_event_type')).toEqual([...SUB_EVENT_TYPE_SLUGS]);
    for (const s of list('sub_event_type')) expect(s.parent).toBe(eventTypeOf(s.name!));
    expect(names('time_precision')).toEqual(TIME_PRECISIONS.map(String));
    expect(names('geo_precision')).toEqual(GEO_PRECISIONS.map(String));
    expect(names('source_kind')).toEqual([...SOURCE_KINDS]);
    expect(names('reliability')).toEqual([...RELIABILITY_GRADES]);
    expect(names('credibility')).toEqual(CREDIBILITY_GRADES.map(String));
    expect(names('classification')).toEqual([...CLASSIFICATIONS]);
    expect(names('sharing_scope')).toEqual([...SHARING_SCOPES]);
    // The reference lists that are data come as CSV media files.
    const files = instances.filter((i) => i.getAttribute('src')).map((i) => i.getAttribute('src'));
    expect(files).toEqual(['jr://file-csv/actors.csv', 'jr://file-csv/areas.csv', 'jr://file-csv/places.csv']);
  });

  it('labels everything in French (default) and English, and binds only nodes of the instance', () => {
    const translations = all(doc, 'translation');
    expect(translations.map((t) => t.getAttribute('lang'))).toEqual(['French (fr)', 'English (en)']);
    expect(translations[0]!.getAttribute('default')).toBe('true()');
    const ids = translations.map((t) => new Map(elements(t).map((x) => [x.getAttribute('id'), x.textContent ?? ''])));
    expect([...ids[0]!.keys()]).toEqual([...ids[1]!.keys()]);
    const refs = [...xml.matchAll(/jr:itext\('([^']+)'\)/g)].map((m) => m[1]);
    for (const r of refs) expect(ids[0]!.has(r!) && ids[1]!.has(r!), r).toBe(true);
    expect(ids[0]!.get('/data/event_type:label')).toBe('Type d’événement');
    expect(ids[1]!.get('/data/event_type:label')).toBe('Event type');
    expect(ids[0]!.get('event_type-0')).toBe('Affrontements');
    expect(ids[1]!.get('event_type-0')).toBe('Battles');

    const paths = new Set<string>();
    const walk = (n: Node, at: string) => { for (const c of elements(n)) { paths.add(`${at}/${c.localName}`); walk(c, `${at}/${c.localName}`); } };
    walk(primary, '/data');
    for (const b of all(doc, 'bind')) expect(paths.has(b.getAttribute('nodeset')!), b.getAttribute('nodeset')!).toBe(true);
    const bound = new Set(all(doc, 'bind').map((b) => b.getAttribute('nodeset')));
    for (const tag of ['input', 'select1', 'upload']) for (const c of all(doc, tag)) expect(bound.has(c.getAttribute('ref')), c.getAttribute('ref')!).toBe(true);
    expect(bound.has('/data/meta/instanceID')).toBe(true);
  });

  it('tells the collector’s user, before sending, which files are accepted and that their metadata is removed', () => {
    expect(xml).toContain('JPEG, PNG ou WebP, 10 Mo au plus (pas de HEIC ni de vidéo)');
    expect(xml).toContain('PDF uniquement, 10 Mo au plus');
    expect(xml).toContain('PDF only, 10 MB at most');
  });

  it('reads a filled instance into a body the incident API accepts', () => {
    const s = parseSubmission(submissionXml({ instanceId: 'uuid:5b1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c11', photos: ['a.jpg'], document: 'b.pdf' }));
    expect(s.files).toEqual(['a.jpg', 'b.pdf']);
    const body = incidentCreateSchema.parse(incidentInput(s, incidentIdOf(s.instanceId), { latitude: 14.49, longitude: -4.19, place_name: null }));
    expect(body).toMatchObject({ id: '5b1f0c8e-4d2a-4c53-9a51-3f2a7d9e0c11', status: 'submitted', occurred_start: '2026-03-14T08:30:00.000Z', sources: [{ reliability: 'B', credibility: 2 }] });
    // Any other instanceID still gives a stable UUID.
    expect(incidentIdOf('collect:abc')).toBe(incidentIdOf('collect:abc'));
    expect(incidentCreateSchema.shape.id.safeParse(incidentIdOf('collect:abc')).success).toBe(true);
    expect(() => parseSubmission('<data id="autre"><meta><instanceID>x</instanceID></meta></data>')).toThrow();
    expect(() => parseSubmission('pas du xml <')).toThrow();
  });
});
