import { describe, expect, it } from 'vitest';
import { fieldErrors, incidentCreateSchema, incidentListQuerySchema, incidentPatchSchema, parseInput, safeParseInput, wellFormed } from './index.js';

const body = {
  id: '0193a1b2-0000-7000-8000-000000000001', occurred_start: '2026-03-14T08:00:00Z', latitude: 14.49, longitude: -4.19,
  event_type: 'battles', sub_event_type: 'armed_clash',
};

/** field → message, for one bad body, in one language. */
function messages(input: unknown, lang: 'fr' | 'en', schema: typeof incidentCreateSchema | typeof incidentPatchSchema = incidentCreateSchema) {
  const r = safeParseInput(schema, input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const e of fieldErrors(r.error, lang)) out[e.field] = out[e.field] ? `${out[e.field]} ; ${e.message}` : e.message;
  return out;
}

describe('validation messages', () => {
  it('say what was expected and what was received, in French and in English', () => {
    const bad = { ...body, latitude: '14', narrative: 5, tags: 'a', injured: 2.5 };
    expect(messages(bad, 'fr')).toEqual({
      latitude: 'nombre attendu, texte reçu', narrative: 'texte attendu, nombre reçu', tags: 'liste attendue, texte reçu',
      injured: 'nombre entier attendu, nombre décimal reçu',
    });
    expect(messages(bad, 'en')).toMatchObject({ latitude: 'number expected, text received', narrative: 'text expected, number received', tags: 'list expected, text received' });
  });

  it('say "required" for a missing field and never "undefined" for a present one', () => {
    const { latitude: _l, ...missing } = body;
    expect(messages(missing, 'fr')).toEqual({ latitude: 'champ requis' });
    expect(messages(missing, 'en')).toEqual({ latitude: 'required' });
    const all = Object.values(messages({ ...body, latitude: null, longitude: [], fatalities_best: '3', sources: [{ name: 1 }] }, 'fr')).join(' | ');
    expect(all).not.toMatch(/ind[ée]fini|undefined/);
  });

  it('state bounds in plain words, not the library’s notation', () => {
    const fr = messages({ ...body, latitude: 95, longitude: -200, injured: -1, place_name: 'x'.repeat(201) }, 'fr');
    expect(fr).toEqual({ latitude: 'doit être au plus 90', longitude: 'doit être au moins -180', injured: 'doit être au moins 0', place_name: 'au plus 200 caractères' });
    expect(messages({ ...body, latitude: 95 }, 'en')).toEqual({ latitude: 'must be at most 90' });
    const values = messages({ ...body, time_precision: 7, classification: 'top' }, 'fr');
    expect(values).toEqual({ time_precision: 'valeur attendue parmi : 1, 2, 3', classification: 'valeur attendue parmi : public, restricted, confidential, secret' });
    for (const m of Object.values(fr)) expect(m).not.toMatch(/<=|>=|Trop|Too/);
  });

  it('bound when an incident occurred: from 1 January 1989 to at most a day ahead, naming the field', () => {
    expect(messages({ ...body, occurred_start: '0000-01-01T00:00:00Z' }, 'fr')).toEqual({ occurred_start: 'La date de début doit être le 1er janvier 1989 ou après' });
    expect(messages({ ...body, occurred_start: '1800-06-01T00:00:00Z' }, 'en')).toEqual({ occurred_start: 'The start date must be on or after 1 January 1989' });
    expect(messages({ ...body, occurred_end: '1988-12-31T23:59:59Z' }, 'fr')).toEqual({ occurred_end: 'La date de fin doit être le 1er janvier 1989 ou après ; La fin précède le début' });
    const ahead = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect(messages({ ...body, occurred_end: ahead }, 'fr')).toEqual({ occurred_end: 'La date de fin est dans le futur (plus d’un jour)' });
    expect(messages({ version: 1, occurred_start: ahead }, 'fr', incidentPatchSchema)).toEqual({ occurred_start: 'La date de début est dans le futur (plus d’un jour)' });
    expect(messages({ ...body, occurred_start: '1989-01-01T00:00:00Z' }, 'fr')).toEqual({});
    expect(messages({ ...body, occurred_start: 'hier' }, 'fr')).toEqual({ occurred_start: 'date et heure ISO 8601 attendues (ex. 2026-03-14T08:00:00Z)' });
  });
});

describe('parseInput, once per request', () => {
  it('hands back what it already parsed with the same schema, and parses anything else', () => {
    const query = parseInput(incidentListQuerySchema, { with_total: 'true', limit: '10' });
    expect(query).toMatchObject({ with_total: true, limit: 10 });
    // The HTTP layer parsed it; the service's parseInput returns it as it is (parsing `true` again would be refused).
    expect(parseInput(incidentListQuerySchema, query)).toBe(query);
    expect(() => incidentListQuerySchema.parse(query)).toThrow();
    // A copy, or the same object under another schema, is parsed.
    expect(() => parseInput(incidentListQuerySchema, { ...query })).toThrow();
    const created = parseInput(incidentCreateSchema, body);
    expect(() => parseInput(incidentPatchSchema, created)).toThrow();
  });
});

describe('wellFormed', () => {
  it('turns each lone surrogate into U+FFFD, in nested objects and lists, without touching the input', () => {
    const input = { narrative: 'a\ud800b', tags: ['ok', 'x\udfff'], sources: [{ name: 'ok' }], n: 3, keep: { t: 'é😀' } };
    const out = wellFormed(input) as typeof input;
    expect(out).toEqual({ narrative: 'a\ufffdb', tags: ['ok', 'x\ufffd'], sources: [{ name: 'ok' }], n: 3, keep: { t: 'é😀' } });
    expect(input.narrative).toBe('a\ud800b');
    expect(input.tags[1]).toBe('x\udfff');
    // What holds no such text is the same object (no copy).
    expect(out.sources).toBe(input.sources);
    expect(out.keep).toBe(input.keep);
    const clean = { a: 'texte', b: ['x'] };
    expect(wellFormed(clean)).toBe(clean);
  });
});
