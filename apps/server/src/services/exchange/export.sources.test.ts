import type { Source } from '@vigie/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { createIncident, patchIncident } from '../incidents/incident.service.js';
import { getIncident } from '../incidents/incident-reads.js';
import { mergeIncident, unmergeIncident } from '../incidents/merge.service.js';
import type { Principal } from '../principal.js';
import { exportIncidents } from './export.service.js';

const source = (name: string): Source => ({ name, kind: 'media', reliability: 'C', credibility: 3 });

/**
 * The exports' `sources` column (the sources' names) is stored with the sources by every change of a record's content:
 * what a file says is what the record says, after an edit, a merge and its undo.
 */
describe.each(ENGINES)('the sources an export names on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  let analyst: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
  });
  afterAll(async () => t.drop());

  /** The `sources` property of each record in the analyst's GeoJSON export (written by the database), by id. */
  async function exported(): Promise<Map<string, string>> {
    const collection = JSON.parse(await file(analyst, 'geojson')) as { features: { id: string; properties: { sources: string } }[] };
    return new Map(collection.features.map((f) => [f.id, f.properties.sources]));
  }
  /** A reader's export file, whole. */
  async function file(reader: Principal, format: 'csv' | 'hxl' | 'geojson'): Promise<string> {
    const out = await exportIncidents(t.ctx, reader, { format });
    let text = '';
    for await (const c of out.body) text += Buffer.from(c).toString('utf8');
    return text;
  }
  const names = async (id: string) => (await getIncident(t.ctx, analyst, id)).sources.map((s) => s.name).join(' | ');

  it('names the sources as the record holds them after an edit, a merge and its undo', async () => {
    const attack = (await createIncident(t.ctx, reporter, newIncident({ sources: [source('Maire de Ménaka'), source('Radio, « locale »')] }))).incident;
    const other = (await createIncident(t.ctx, reporter, newIncident({ sources: [source('Préfecture')] }))).incident;
    expect((await exported()).get(attack.id)).toBe('Maire de Ménaka | Radio, « locale »');

    const edited = await patchIncident(t.ctx, analyst, attack.id, { version: attack.version, sources: [source('Gendarmerie')], change_reason: 'Source vérifiée' });
    expect((await exported()).get(attack.id)).toBe('Gendarmerie');

    await mergeIncident(t.ctx, analyst, other.id, { into: attack.id, version: other.version, into_version: edited.version });
    const merged = await exported();
    expect(merged.get(attack.id)).toBe(await names(attack.id));
    expect(merged.get(attack.id)?.split(' | ').sort()).toEqual(['Gendarmerie', 'Préfecture']);

    await unmergeIncident(t.ctx, analyst, other.id, { reason: 'Deux événements distincts' });
    const undone = await exported();
    expect(undone.get(attack.id)).toBe('Gendarmerie');
    expect(undone.get(other.id)).toBe('Préfecture');
  });

  it('names no source of a record the reader may not see, in any file the database writes', async () => {
    const secret = (await createIncident(t.ctx, reporter, newIncident({ classification: 'secret', sources: [source('Informateur HIBOU')] }))).incident;
    const open = (await createIncident(t.ctx, reporter, newIncident({ classification: 'restricted', sources: [source('Radio publique')] }))).incident;
    const below = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    expect((await exported()).get(secret.id)).toBe('Informateur HIBOU');
    for (const format of ['csv', 'hxl', 'geojson'] as const) {
      const text = await file(below, format);
      // The record the reader may see is there, with its source; the other, not a trace.
      expect(text).toContain(open.id);
      expect(text).toContain('Radio publique');
      expect(text).not.toContain('HIBOU');
      expect(text).not.toContain(secret.id);
    }
  });
});
