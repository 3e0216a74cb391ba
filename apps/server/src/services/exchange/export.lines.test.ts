import type { ExportFormat } from '@vigie/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_WRITERS } from '../../exchange/formats/index.js';
import { sourceNames } from '../../repositories/incident-codec.js';
import { NEVER_NULL } from '../../repositories/incident-export.repository.js';
import { createIncident } from '../incidents/incident.service.js';
import { validateIncident } from '../incidents/incident-workflow.js';
import type { Principal } from '../principal.js';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { exportIncidents } from './export.service.js';

/** The writers without their database-written lines: each file written from records, the reference. */
const BY_RECORDS = Object.fromEntries(Object.entries(EXPORT_WRITERS).map(([k, { lines: _, ...w }]) => [k, w])) as typeof EXPORT_WRITERS;

/** Awkward stored values, as any writer (a form, an import, a federated node, an older version) may have left them. */
const NARRATIVES = [
  '=HYPERLINK("http://x") ; marché, "le matin"', '+33 6 12', '+12.5', '-3', '-', '-.5', '-5.', '@admin', '\tindent', '\rcr', 'ligne 1\nligne 2\r\nfin',
  'barre \\ oblique', 'contrôle \u0001\u001f fin', 'emoji 🛰️ et « guillemets »', '', 'point-virgule ; seul', 'simple',
];
const TAGS = ['[]', '["a","b"]', '["a", "b"]', '["a\\"b","c,d"]', '["\\u00e9t\\u00e9"]', '[""]', '["x","","y"]', '["=1","+2"]', '["ligne\\nbris\u00e9e"]'];
const SOURCES = [
  '[]', '[{"name":"Radio, locale","kind":"media"}]', '[{"name":"A"},{"name":"B \\"q\\""}]', '[{"kind":"media"}]', '[{"name":"@x"},{"name":"y"}]',
];
/** Numbers whose shortest form JavaScript writes and the engines do not (1/3, 1e-7, 1.5e-5, -0, a whole number). */
const POINTS = [[12.345678, -1.5], [11, -0], [1 / 3, 0.1 + 0.2], [1e-7, -1.2345678912345678], [0.000015, -0.00005], [-2.5e-7, 1e-6]] as const;
const PLACES = [null, 'Ségou, "centre"; marché', '=cmd', '+1', 'Lieu\tTab', 'Djénné'];

describe.each(ENGINES)('exports written by the database on %s', (kind) => {
  let t: TestVigie;
  let readers: Principal[] = [];

  beforeAll(async () => {
    t = await testVigie(kind);
    const owner = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 3 });
    readers = [
      owner,
      await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 }),
      await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2 }),
    ];
    for (let k = 0; k < NARRATIVES.length * 2; k++) {
      const rec = (await createIncident(t.ctx, owner, newIncident({
        state: 'BFA', occurred_start: `2026-03-${String(1 + (k % 20)).padStart(2, '0')}T08:00:00Z`,
        classification: (['public', 'restricted', 'confidential', 'secret'] as const)[k % 4],
        ...(k % 3 === 0 ? { exact_location_classification: 'secret' as const } : {}),
        associated_actors: k % 2 ? ['GAN', 'CIVILS'] : [],
      }))).incident;
      await validateIncident(t.ctx, owner, rec.id);
      // Stored as they come, past the schema's trims and the writer's own JSON; the sources' names with them, as every
      // writer of a record's content stores them (incident-codec.ts).
      await sql`update incidents set narrative = ${NARRATIVES[k % NARRATIVES.length]}, tags = ${TAGS[k % TAGS.length]},
        sources = ${SOURCES[k % SOURCES.length]}, source_names = ${sourceNames(JSON.parse(SOURCES[k % SOURCES.length] as string))}, place_name = ${PLACES[k % PLACES.length]}, latitude = ${POINTS[k % POINTS.length]?.[0]},
        longitude = ${POINTS[k % POINTS.length]?.[1]}, coarse_latitude = ${POINTS[(k + 1) % POINTS.length]?.[0]}, coarse_longitude = ${POINTS[(k + 2) % POINTS.length]?.[1]} where id = ${rec.id}`.execute(t.ctx.engine.db);
    }
  });
  afterAll(async () => {
    await t.drop();
  });

  async function body(reader: Principal, format: ExportFormat, options: object, writers?: typeof EXPORT_WRITERS) {
    const out = await exportIncidents(t.ctx, reader, { format, ...options }, { writers });
    const chunks: Buffer[] = [];
    for await (const c of out.body) chunks.push(Buffer.from(c));
    // The banner holds the instant of the export: the rest must be the same bytes.
    const text = Buffer.concat(chunks).toString('utf8');
    return { text: text.replace(/"exported_at":"[^"]*"|(?:of|du) \d{4}-\d\d-\d\dT[\d:.]+Z/g, ''), count: out.written() };
  }

  it.each([
    ['csv', {}], ['csv', { delimiter: 'semicolon', headers: 'fr', bom: true }], ['hxl', {}], ['geojson', {}], ['geojson', { headers: 'fr' }],
  ] as const)('writes %s %j byte for byte as the record writer does, for every reader', async (format, options) => {
    for (const reader of readers) {
      const fast = await body(reader, format, options);
      const reference = await body(reader, format, options, BY_RECORDS);
      expect(fast.count).toBe(reference.count);
      expect(fast.count).toBeGreaterThan(0);
      expect(fast.text).toBe(reference.text);
    }
  });

  it('takes as never null only values the schema keeps from being null', async () => {
    const columns = (await t.ctx.engine.db.introspection.getTables()).find((x) => x.name === 'incidents')!.columns;
    // The values computed from a column: the level's name, the lists joined, the sources' names.
    const column = (key: string) => ({ classification: 'classification_level', sources: 'source_names' })[key] ?? key;
    const nullable = [...NEVER_NULL].filter((key) => columns.find((c) => c.name === column(key))?.isNullable !== false);
    expect(nullable).toEqual([]);
  });
});
