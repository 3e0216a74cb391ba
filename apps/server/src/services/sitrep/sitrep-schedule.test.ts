import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { testVigie, type TestVigie } from '../../test-support/factories.js';
import { SYSTEM } from '../principal.js';
import { dueReports, runSitrepSchedule, sitrepConfigSchema } from './sitrep-schedule.js';

const defaults = sitrepConfigSchema.parse({});

describe('when situation reports fall due', () => {
  it('the last full ISO week from Monday 06:00 in the deployment time zone, the last month from the 1st', () => {
    // Monday 7 December 2026, 05:59 in Niamey (UTC+1) is 04:59 UTC: not yet; 06:00 there is 05:00 UTC.
    expect(dueReports(new Date('2026-12-07T04:59:00Z'), defaults.schedule, 'Africa/Niamey')).toEqual([
      { kind: 'week', period: '2026-W48' }, { kind: 'month', period: '2026-11' },
    ]);
    expect(dueReports(new Date('2026-12-07T05:00:00Z'), defaults.schedule, 'Africa/Niamey')[0]).toEqual({ kind: 'week', period: '2026-W49' });
    expect(dueReports(new Date('2026-12-07T05:00:00Z'), defaults.schedule, 'Africa/Bamako')[0]).toEqual({ kind: 'week', period: '2026-W48' });
    // Across the year: Monday 4 January 2027 at 06:00 brings week 53 of 2026; the 1st of December at 06:00, November.
    expect(dueReports(new Date('2027-01-04T06:00:00Z'), defaults.schedule, 'UTC')[0]).toEqual({ kind: 'week', period: '2026-W53' });
    expect(dueReports(new Date('2026-12-01T05:59:00Z'), defaults.schedule, 'UTC')[1]).toEqual({ kind: 'month', period: '2026-10' });
    expect(dueReports(new Date('2026-12-01T06:00:00Z'), defaults.schedule, 'UTC')[1]).toEqual({ kind: 'month', period: '2026-11' });
    // Configurable: Friday 18:30, no monthly report.
    const friday = sitrepConfigSchema.parse({ schedule: { weekday: 5, time: '18:30', monthly_day: 0 } }).schedule;
    expect(dueReports(new Date('2026-12-04T18:30:00Z'), friday, 'UTC')).toEqual([{ kind: 'week', period: '2026-W48' }]);
    expect(dueReports(new Date('2026-12-04T18:29:00Z'), friday, 'UTC')).toEqual([{ kind: 'week', period: '2026-W47' }]);
  });
});

describe.each(ENGINES)('the schedule on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => { t = await testVigie(kind); });
  afterAll(async () => t.drop());

  it('generates each due report once per audience, and catches up after a pause', async () => {
    const config = sitrepConfigSchema.parse({ audiences: [{ audience: 'CONF' }, { audience: 'NER', ceiling: 'confidential' }] });
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-07T06:00:00Z'))).toBe(4);
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-07T07:00:00Z'))).toBe(0);
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-21T07:00:00Z'))).toBe(2);
    const rows = await t.ctx.engine.db.selectFrom('situation_reports').select(['kind', 'period', 'audience']).orderBy('period').orderBy('audience').execute();
    expect(rows.map((r) => `${r.period}/${r.audience}`)).toEqual(['2026-11/CONF', '2026-11/NER', '2026-W49/CONF', '2026-W49/NER', '2026-W51/CONF', '2026-W51/NER']);
  });
});
