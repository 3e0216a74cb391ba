import { describe, expect, it } from 'vitest';
import { filtersFromSearch, filtersToSearch, listHref, monthRange } from './filters';

describe('incident filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const f = filtersFromSearch('states=MLI,NER&from=2025-01-01&to=2025-03-31&event_types=battles&status=validated&q=marché&sort=-fatalities_best');
    expect(f.states).toEqual(['MLI', 'NER']);
    expect(f.event_types).toEqual(['battles']);
    expect(f.q).toBe('marché');
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
  });

  it('accepts repeated keys and drops duplicates and blanks', () => {
    const f = filtersFromSearch('states=MLI&states=NER,MLI,&admin1=');
    expect(f.states).toEqual(['MLI', 'NER']);
    expect(f.admin1).toEqual([]);
  });

  it('leaves empty filters out of links, in a stable order', () => {
    expect(listHref({})).toBe('/incidents');
    expect(listHref({ status: ['validated'], from: '2025-02-01', states: [] })).toBe('/incidents?from=2025-02-01&status=validated');
  });

  it('turns a month into its first and last day', () => {
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange('2025-12')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});
