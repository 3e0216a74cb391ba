import { exportQuerySchema } from '@vigie/domain';
import { describe, expect, it } from 'vitest';
import { exportHref } from './export-href';

const queryOf = (href: string) => Object.fromEntries(new URL(href, 'http://vigie.local').searchParams);

describe('export links', () => {
  it('carry the list filters without its page and order, in a query the server accepts', () => {
    const href = exportHref({ states: ['MLI', 'BFA'], from: '2026-01-01', status: ['validated'], sort: '-fatalities_best', cursor: 'abc', bbox: '-6,10,4,16' }, 'geojson', 'en');
    expect(href.startsWith('/api/v1/exports/incidents?')).toBe(true);
    const q = queryOf(href);
    expect(q).toEqual({ from: '2026-01-01', bbox: '-6,10,4,16', states: 'MLI,BFA', status: 'validated', format: 'geojson', headers: 'en' });
    expect(exportQuerySchema.safeParse(q).success).toBe(true);
  });

  it('give French Excel semicolons and a byte-order mark, English Excel commas', () => {
    expect(queryOf(exportHref({}, 'csv_excel', 'fr'))).toEqual({ format: 'csv', headers: 'fr', delimiter: 'semicolon', bom: 'true' });
    expect(queryOf(exportHref({}, 'csv_excel', 'en'))).toEqual({ format: 'csv', headers: 'en', delimiter: 'comma', bom: 'true' });
    expect(queryOf(exportHref({}, 'xlsx', 'fr'))).toEqual({ format: 'xlsx', headers: 'fr' });
  });
});
