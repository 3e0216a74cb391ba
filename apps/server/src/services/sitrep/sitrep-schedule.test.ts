import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { SYSTEM } from '../principal.js';
import { dueReports, runSitrepSchedule, sitrepConfigSchema } from './sitrep-schedule.js';
import { ensureSitrep } from './sitrep.service.js';

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
    // First run (the server's first start, Monday 30 November after 06:00): week 48 and October, over before then, are not published.
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-11-30T09:00:00Z'))).toBe(0);
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-07T06:00:00Z'))).toBe(4);
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-07T07:00:00Z'))).toBe(0);
    // Down from Sunday to the next Monday but one: the latest week missed is written on restart.
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-21T07:00:00Z'))).toBe(2);
    const rows = await t.ctx.engine.db.selectFrom('situation_reports').select(['kind', 'period', 'audience']).orderBy('period').orderBy('audience').execute();
    expect(rows.map((r) => `${r.period}/${r.audience}`)).toEqual(['2026-11/CONF', '2026-11/NER', '2026-W49/CONF', '2026-W49/NER', '2026-W51/CONF', '2026-W51/NER']);
  });
});

describe.each(ENGINES)('a fresh server on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => { t = await testVigie(kind); });
  afterAll(async () => t.drop());

  it('publishes nothing at start-up (no report of before it existed, nobody notified) and starts with the next Monday', async () => {
    const config = sitrepConfigSchema.parse({});
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 1 });
    const count = async (table: 'situation_reports' | 'notifications') => (await t.ctx.engine.db.selectFrom(table).select('id').execute()).length;
    // Started on Wednesday 9 December 2026: week 49 and November are over, but were before this server.
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-09T10:00:00Z'))).toBe(0);
    // Restarted the same day: still nothing (the start is remembered, not the process's).
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-09T18:00:00Z'))).toBe(0);
    expect(await count('situation_reports')).toBe(0);
    expect(await count('notifications')).toBe(0);
    // Monday 14 December, 06:00 in Bamako (the first member state's time zone): week 50, the first one this server saw through.
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-14T05:59:00Z'))).toBe(0);
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-14T06:00:00Z'))).toBe(1);
    const rows = await t.ctx.engine.db.selectFrom('situation_reports').select(['period', 'audience']).execute();
    expect(rows).toEqual([{ period: '2026-W50', audience: 'CONF' }]);
    const notes = await t.ctx.engine.db.selectFrom('notifications').select(['user_id', 'kind']).execute();
    expect(notes).toEqual([{ user_id: reader.userId, kind: 'sitrep_published' }]);
    // Down over Christmas, back on the 1st of January: the week missed (52) and December, the first month it saw through.
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2027-01-01T06:00:00Z'))).toBe(2);
    expect((await t.ctx.engine.db.selectFrom('situation_reports').select('period').where('kind', '=', 'month').execute()).map((r) => r.period)).toEqual(['2026-12']);
  });

  it('keeps catching up where reports existed before the schedule recorded its start (an upgraded deployment)', async () => {
    const config = sitrepConfigSchema.parse({ audiences: [{ audience: 'BFA' }] });
    await ensureSitrep(t.ctx, SYSTEM, 'week', '2026-W40', 'BFA', 1, new Date('2026-10-05T06:00:00Z'));
    await t.ctx.engine.db.updateTable('situation_reports').set({ created_at: '2026-10-05T05:00:00.000Z' }).where('audience', '=', 'BFA').execute();
    expect(await runSitrepSchedule(t.ctx, SYSTEM, config, new Date('2026-12-09T10:00:00Z'))).toBe(2);
    expect((await t.ctx.engine.db.selectFrom('situation_reports').select('period').where('audience', '=', 'BFA').orderBy('period').execute()).map((r) => r.period))
      .toEqual(['2026-11', '2026-W40', '2026-W49']);
  });
});
