import type { EngineKind } from '../../apps/server/src/db/engine.js';

/**
 * The list page the benchmarks request: a state, an event type and a period (dates, the `to` day included); or, for
 * the `state` shape, a state alone (a state's analysts' usual view: their own state's records, newest first); for
 * `period`, a 90-day period alone; for `all`, no filter (the list as it first opens: everything the reader may see);
 * for `fatalities`, no filter, highest toll first (the list's "Tués (décroissant)").
 */
export interface ListQuery { states?: string; event_types?: string; from?: string; to?: string; sort?: '-fatalities_best'; status?: 'submitted'; with_total?: 'true' }
/**
 * Which filters a bench's list pages carry: a state, a type and a period (listQuery), a state alone (stateQuery), a
 * period alone or none (shapeQuery); `review`, the review queue as its page asks for it (reports awaiting review,
 * highest toll first, with their total).
 */
export type ListShape = 'state-type-period' | 'state' | 'period' | 'all' | 'fatalities' | 'review';

/** The i-th request's filters: a state, an event type and a 90-day period, cycling so that no two in a row are alike. */
export function listQuery(i: number, states: readonly string[], date: (daysBeforeEnd: number) => string): Required<Omit<ListQuery, 'sort' | 'status' | 'with_total'>> {
  const types = ['battles', 'violence_against_civilians', 'explosions_remote_violence', 'protests', 'strategic_developments', 'riots'];
  const start = 90 + ((i * 37) % 900);
  return { states: states[i % states.length] as string, event_types: types[i % types.length] as string, from: date(start), to: date(start - 90) };
}

/** The i-th request of the `state` shape: a state alone, cycling over the states. */
export function stateQuery(i: number, states: readonly string[]): ListQuery {
  return { states: states[i % states.length] as string };
}

/** The i-th request of a shape. */
export function shapeQuery(shape: ListShape, i: number, states: readonly string[], date: (daysBeforeEnd: number) => string): ListQuery {
  if (shape === 'state') return stateQuery(i, states);
  if (shape === 'all') return {};
  if (shape === 'fatalities') return { sort: '-fatalities_best' };
  if (shape === 'review') return { status: 'submitted', sort: '-fatalities_best', with_total: 'true' };
  const q = listQuery(i, states, date);
  return shape === 'period' ? { from: q.from, to: q.to } : q;
}

/** The same list page as the service's, written by hand for one reader: filters, the visibility rule, coarsened points. */
const BARE_LIST_SQL = `select id, reporting_state, reporter_id, status, version, created_at, updated_at, occurred_start, occurred_end, time_precision,
      case when exact_location_level is not null and exact_location_level > :clearance then coarse_latitude else latitude end as latitude,
      case when exact_location_level is not null and exact_location_level > :clearance then coarse_longitude else longitude end as longitude,
      geo_precision, case when exact_location_level is not null and exact_location_level > :clearance then null else place_name end as place_name,
      admin1_code, admin2_code, event_type, sub_event_type, interaction, tags, narrative, actor1, actor2, associated_actors,
      fatalities_best, fatalities_low, fatalities_high, civilian_fatalities, injured, abducted, sources, classification_level,
      sharing_scope, exact_location_level, rejection_reason, merged_into, assigned_to
    from incidents :index
    where :narrower
      and classification_level <= :clearance
      and ((status = 'draft' and reporter_id = :me)
        or (status in ('submitted', 'rejected') and reporting_state = :org)
        or (status in ('validated', 'merged') and (reporting_state = :org or sharing_scope in ('confederation', 'public'))))
    order by :order
    limit 51`;

/** Who reads: the analyst's clearance, organisation and user id (their own drafts). */
export interface Reader { clearance: number; organisation: string; userId: string | null }

/**
 * The bare list statement for an engine, and its positional parameters for a query and a reader; for a page that asks
 * for its total (`review`), the count statement too, with the same filters and visibility rule (`count`).
 */
export function bareList(kind: EngineKind, shape: ListShape = 'state-type-period'): {
  text: string;
  params(q: ListQuery, reader: Reader): (string | number)[];
  count?: { text: string; params(q: ListQuery, reader: Reader): (string | number)[] };
} {
  const period = 'and occurred_start >= :from and occurred_start < :to';
  const narrower = {
    'state-type-period': `reporting_state = :state and event_type = :type ${period}`, state: 'reporting_state = :state', period: `1 = 1 ${period}`,
    all: '1 = 1', fatalities: '1 = 1', review: `status = 'submitted'`,
  }[shape];
  // Written as a developer who knows SQLite would write it: with no statistics, its planner takes the visibility rule's
  // OR of statuses as narrow and sorts every visible row (seconds at 1,000,000); a page with no state to seek on is read
  // in the time index's order, one sorted by toll in the toll's. (PostgreSQL's planner weighs it from its statistics.)
  // The review queue names its status: the planner's choice.
  const index = kind !== 'sqlite' ? '' : shape === 'all' || shape === 'period' ? 'indexed by incidents_occurred' : shape === 'fatalities' ? 'indexed by incidents_fatalities' : '';
  const order = shape === 'fatalities' || shape === 'review' ? 'fatalities_best desc, id desc' : 'occurred_start desc, id desc';
  const bind = (template: string) => {
    const names: string[] = [];
    const text = template.replace(':index', index).replace(':order', order).replace(':narrower', narrower).replace(/:([a-z]+)/g, (_m, name: string) => {
      names.push(name);
      return kind === 'postgres' ? `$${names.length}` : '?';
    });
    const params = (q: ListQuery, reader: Reader) => {
      const named: Record<string, string | number> = {
        state: q.states ?? '', type: q.event_types ?? '', from: `${q.from}T00:00:00.000Z`,
        to: q.to ? new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000).toISOString() : '', // a date includes its whole day
        clearance: reader.clearance, org: reader.organisation, me: reader.userId ?? '',
      };
      return names.map((n) => named[n] as string | number);
    };
    return { text, params };
  };
  const page = bind(BARE_LIST_SQL);
  if (shape !== 'review') return page;
  // The count: the page's filters and rule, every row.
  const where = BARE_LIST_SQL.slice(BARE_LIST_SQL.indexOf('from incidents'), BARE_LIST_SQL.indexOf('order by'));
  return { ...page, count: bind(`select count(*) as n ${where}`) };
}
