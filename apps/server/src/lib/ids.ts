import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered UUID (v7). */
export const newId = (): string => uuidv7();

/**
 * The first 24 characters of a fresh UUIDv7 (`tttttttt-tttt-7rrr-vrrr-`), for ids completed by another 12: the
 * millisecond, then 26 random bits. Not newId's own first 24: within one millisecond those differ only in its
 * sequence's low bits, which lie beyond them — two fan-outs in one millisecond would start alike.
 */
export function newIdPrefix(): string {
  const r = crypto.randomBytes(4);
  const hex = (n: number) => n.toString(16).padStart(3, '0');
  return `${newId().slice(0, 14)}7${hex(((r[0]! << 4) | (r[1]! >> 4)) & 0xfff)}-${(8 | (r[1]! & 3)).toString(16)}${hex((r[2]! << 4) | (r[3]! >> 4))}-`;
}

/** A URL-safe random secret of `bytes` bytes. */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');

/** SHA-256 hex digest of a string (the one-shot form: no Hash object per call, half the time on a record's digest). */
export const sha256 = (text: string): string => crypto.hash('sha256', text, 'hex');

/**
 * JSON with object keys sorted, so equal content always gives the same digest. Written out by hand because it runs for
 * every audit link and every create (twice per imported record); the output is exactly that of
 * `JSON.stringify(value, sortKeysReplacer)`, which stored digests rely on (ids.test.ts checks it): integer-like keys
 * first in numeric order, as JavaScript objects order them, then the others in code-unit order.
 */
export function canonicalJson(value: unknown): string {
  return writeJson(value, '') as string;
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const isIndexKey = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295;
const byKey = (a: string, b: string) => {
  const [ia, ib] = [isIndexKey(a), isIndexKey(b)];
  if (ia || ib) return ia && ib ? Number(a) - Number(b) : ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

/** Keys as JSON strings, kept once each: the same few dozen keys recur in every record and audit link. */
const quotedKeys = new Map<string, string>();
const quoted = (k: string): string => {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 4096) quotedKeys.set(k, q);
  }
  return q;
};

function writeJson(input: unknown, key: string): string | undefined {
  let v = input;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(k: string): unknown }).toJSON(key);
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (writeJson(v[i], String(i)) ?? 'null');
        return out + ']';
      }
      const obj = v as Record<string, unknown>;
      let out = '{';
      const keys = Object.keys(obj);
      // Index-like keys ("0", "12") sort first, numerically; without any (the usual record), plain code-unit order,
      // which the default sort gives without a comparison function per pair.
      if (keys.some((k) => k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57 && isIndexKey(k))) keys.sort(byKey);
      else keys.sort();
      for (const k of keys) {
        const item = writeJson(obj[k], k);
        if (item !== undefined) out += (out.length > 1 ? ',' : '') + quoted(k) + ':' + item;
      }
      return out + '}';
    }
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    default:
      return undefined;
  }
}

/** ISO 8601 UTC instant for now (or the given date). */
export const nowIso = (d: Date = new Date()): string => d.toISOString();

/** Normalises any ISO 8601 instant (with offset) to UTC with milliseconds. */
export const toUtcIso = (s: string): string => new Date(s).toISOString();
