// The pattern parser wouter's router uses (its own dependency), so that the test matches as the app does.
import { parse } from 'regexparam';
import { describe, expect, it } from 'vitest';
import { byRouteRank } from './route-rank';

/** The first route, in ranked order, whose pattern matches the path (what the app's `Routes` renders). */
const pick = (paths: string[], pathname: string) => byRouteRank(paths, (p) => p).find((p) => parse(p).pattern.test(pathname));

// The application's pages in the order the features register them (a fixed segment after a parameter, on purpose).
const PAGES = ['/', '/incidents', '/incidents/:id', '/incidents/:id/edit', '/incidents/new', '/strategy', '/strategy/evaluations/:id', '/strategy/indicators/:id', '/strategy/values', '*'];

describe('route ranking', () => {
  it('opens the new-incident form, not an incident called "new"', () => {
    expect(pick(PAGES, '/incidents/new')).toBe('/incidents/new');
    expect(pick(PAGES, '/incidents/3f6c2a')).toBe('/incidents/:id');
    expect(pick(PAGES, '/incidents/3f6c2a/edit')).toBe('/incidents/:id/edit');
  });

  it('shows the 404 page only where no page matches, wherever it is listed', () => {
    expect(pick(['*', ...PAGES], '/')).toBe('/');
    expect(pick(['*', ...PAGES], '/strategy/values')).toBe('/strategy/values');
    expect(pick(['*', ...PAGES], '/nowhere')).toBe('*');
    expect(pick(PAGES, '/incidents/1/edit/more')).toBe('*');
  });

  it('matches a trailing slash and any letter case as before', () => {
    expect(pick(PAGES, '/strategy/')).toBe('/strategy');
    expect(pick(PAGES, '/Incidents')).toBe('/incidents');
  });

  it('keeps the registration order between equally specific pages', () => {
    expect(byRouteRank(['/a/:x', '/b/:y', '/c/d'], (p) => p)).toEqual(['/c/d', '/a/:x', '/b/:y']);
  });
});
