/** The API calls behind the dashboard, derived from its URL: shared by the page and the boot-time prefetch. */
import { lastMonths, monthRangeOf } from '../../map/loaders';

export const PERIODS = [12, 24, 36] as const;

export function dashboardQueries(search: URLSearchParams, now = new Date()) {
  const n = PERIODS.find((p) => String(p) === search.get('months')) ?? 12;
  const states = (search.get('states') ?? '').split(',').filter(Boolean);
  const months = lastMonths(n, now);
  const range = monthRangeOf(months[0], months[months.length - 1]);
  const filter = { ...range, states };
  return {
    n, states, months, range, filter,
    byMonth: { group_by: 'month,event_type', ...filter },
    byArea: { group_by: 'admin1', order: '-fatalities', limit: 10, ...filter },
    byState: { group_by: 'state', ...filter },
    grid: { cell: 1, ...filter },
  };
}
