import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIncident, testVigie, type TestVigie } from '../test-support/factories.js';
import { listAlerts } from './alert.service.js';
import { startAlertSchedule } from './alert-rules.service.js';
import { rulesConfigSchema } from './alerts/rules-config.js';
import { addWeeks, weekStart } from './alerts/rules.js';
import { importIncidents } from './incident.service.js';
import { SYSTEM } from './principal.js';

describe('the in-process schedule started by serve', () => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie('sqlite');
    const week = weekStart(new Date());
    const items = [];
    for (let w = 1; w <= 26; w++) items.push(newIncident({ state: 'NER', occurred_start: addWeeks(week, -w), sharing_scope: 'confederation' }));
    for (let k = 0; k < 10; k++) items.push(newIncident({ state: 'NER', occurred_start: new Date(Math.max(Date.parse(week), Date.now() - (k + 1) * 60_000)).toISOString(), sharing_scope: 'confederation' }));
    await importIncidents(t.ctx, SYSTEM, items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: 'NER' } })));
  });
  afterAll(async () => t.drop());

  it('is off with interval 0, and otherwise runs the rules at once, then on its interval', async () => {
    startAlertSchedule(t.ctx, SYSTEM, rulesConfigSchema.parse({ schedule: { interval_minutes: 0 } }))();
    expect((await listAlerts(t.ctx, SYSTEM, {})).total).toBe(0);
    const issued = once(t.ctx.events, 'alert.changed');
    const stop = startAlertSchedule(t.ctx, SYSTEM, rulesConfigSchema.parse({ schedule: { interval_minutes: 60 } }));
    await issued;
    stop();
    const alerts = (await listAlerts(t.ctx, SYSTEM, {})).items;
    expect(alerts.map((a) => `${a.rule}:${a.areas.join('|')}`)).toContain('count_spike:NE006');
  });
});
