import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, newId, newIdPrefix } from './ids.js';

/** The original definition: stored create digests and audit links were computed with it, so the output must not change. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });

describe('canonicalJson', () => {
  it('writes exactly what the sorted-keys replacer wrote, for any JSON-like value', () => {
    const keys = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '10', '9', '01', '-1', '4294967295', '4294967294', 'a', 'B', 'é', 'toJSON'));
    const leaf = fc.oneof(
      fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.date({ noInvalidDate: true }), fc.constantFrom(Number.NaN, Infinity, -0, 1e21, 5e-7),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(keys, tie('node'), { maxKeys: 6 }),
    })).node;
    fc.assert(fc.property(value, (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 });
  });

  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, { z: 0, y: undefined }], c: 'x' }, 10: 'ten', 9: 'nine' }))
      .toBe('{"9":"nine","10":"ten","a":{"c":"x","d":[1,null,{"z":0}]},"b":1}');
  });
});

describe('id prefixes for fan-outs', () => {
  it('differ when taken in the same millisecond, and complete into UUIDv7s', () => {
    // newId's own first 24 characters are the same within a millisecond: two fan-outs would collide on their ids.
    const prefixes = Array.from({ length: 2000 }, () => newIdPrefix());
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const id = `${newIdPrefix()}${newId().slice(24)}`;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
