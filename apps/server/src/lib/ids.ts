import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered UUID (v7). */
export const newId = (): string => uuidv7();

/** A URL-safe random secret of `bytes` bytes. */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');

/** SHA-256 hex digest of a string. */
export const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted, so equal content always gives the same digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** ISO 8601 UTC instant for now (or the given date). */
export const nowIso = (d: Date = new Date()): string => d.toISOString();

/** Normalises any ISO 8601 instant (with offset) to UTC with milliseconds. */
export const toUtcIso = (s: string): string => new Date(s).toISOString();
