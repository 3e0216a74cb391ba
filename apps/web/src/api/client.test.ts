import { describe, expect, it } from 'vitest';
import { apiUrl } from './client';
import { v7 as uuidv7 } from 'uuid';

describe('API client helpers', () => {
  it('builds URLs without empty filters, lists joined by commas', () => {
    expect(apiUrl('incidents', { states: ['MLI', 'NER'], q: '', from: undefined, limit: 50, admin1: [] })).toBe('/api/v1/incidents?states=MLI%2CNER&limit=50');
    expect(apiUrl('/auth/me')).toBe('/api/v1/auth/me');
  });

  it('chooses time-ordered UUIDv7 ids on the client (the uuid package the server uses)', () => {
    const a = uuidv7({ msecs: 1_700_000_000_000 });
    const b = uuidv7({ msecs: 1_700_000_000_001 });
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(uuidv7()).not.toBe(uuidv7());
  });
});
