/** The API calls behind the map page's choropleth, derived from its URL: shared by the page and the boot-time prefetch. */
import { lastMonths, monthRangeOf } from '../../map/loaders';

export const MAP_MONTHS = 36;

export function mapQueries(search: URLSearchParams, now = new Date()) {
  const months = lastMonths(MAP_MONTHS, now);
  const layer: 'choropleth' | 'grid' = search.get('layer') === 'choropleth' ? 'choropleth' : 'grid';
  const level: 1 | 2 = search.get('level') === '2' ? 2 : 1;
  const adminKey = level === 1 ? 'admin1' : 'admin2';
  const fromIdx = Math.max(0, months.indexOf(search.get('from') ?? months[months.length - 12]));
  const toIdx = Math.max(fromIdx, months.indexOf(search.get('to') ?? months[months.length - 1]));
  const range = monthRangeOf(months[fromIdx], months[toIdx]);
  return { months, layer, level, adminKey, fromIdx, toIdx, range, byArea: { group_by: adminKey, ...range } } as const;
}
