import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newIncident, testVigie, type TestVigie } from '../../test-support/factories.js';
import { listAlerts } from './alert.service.js';
import { evaluateChanges } from './alert-rules.service.js';
import { startAlertSchedule } from './alert-schedule.js';
import { createContext } from '../context.js';
import { ALERT_EVENT, type AlertChange } from './alert-events.js';
import { rulesConfigSchema } from './rules-config.js';
import { addWeeks, weekStart } from './rules.js';
import { importIncidents } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';

const every = (minutes: number) => rulesConfigSchema.parse({ schedule: { interval_minutes: minutes } });

/** Half a year of one incident a week in a state's area, then `spike` incidents in the current week. */
function incidents(state: string, history: boolean, spike: number) {
  const week = weekStart(new Date());
  const items = [];
  if (history) for (let w = 1; w <= 26; w++) items.push(newIncident({ state, occurred_start: addWeeks(week, -w), sharing_scope: 'confederation' }));
  for (let k = 0; k < spike; k++) items.push(newIncident({ state, occurred_start: new Date(Math.max(Date.parse(week), Date.now() - (k + 1) * 60_000)).toISOString(), sharing_scope: 'confederation' }));
  return items.map((input) => ({ input, options: { status: 'validated' as const, reportingState: state } }));
}

const spikes = async (t: TestVigie) => (await listAlerts(t.ctx, SYSTEM, {})).items.filter((a) => a.rule === 'count_spike').map((a) => a.areas.join('|')).sort();

/** Waits for the runs under way: an incremental run of no change takes its turn after them and does nothing. */
const settled = (t: TestVigie) => evaluateChanges(t.ctx, SYSTEM, []);

/** Resolves at the next alert issued on this context's events. */
function nextIssued(t: TestVigie): Promise<void> {
  return new Promise<void>((resolve) => {
    const onChange = (change: AlertChange) => {
      if (change.action !== 'issued') return;
      t.ctx.events.off(ALERT_EVENT, onChange);
      resolve();
    };
    t.ctx.events.on(ALERT_EVENT, onChange);
  });
}

describe('the in-process schedule started by serve', () => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie('sqlite');
    // A spike in Niger nobody has evaluated yet: imported before any schedule or watcher listens.
    await importIncidents(t.ctx, SYSTEM, [...incidents('NER', true, 10), ...incidents('BFA', true, 0)]);
  });
  afterAll(async () => t.drop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is off with interval 0: no timer is set and the rules do not run, not even once at start', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const stop = startAlertSchedule(t.ctx, SYSTEM, every(0));
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    await settled(t);
    expect(await spikes(t)).toEqual([]); // the Niger spike waits for a run that never comes
    stop();
  });

  it('otherwise runs the rules at once and on its interval, and evaluates each change as it comes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const first = nextIssued(t);
    const stop = startAlertSchedule(t.ctx, SYSTEM, every(60));
    expect(vi.getTimerCount()).toBe(1);
    await first;
    expect(await spikes(t)).toEqual(['NE006']);

    // A spike written by another process (its own events: this watcher never hears of it) waits for the interval…
    const other = createContext(t.engine, t.ctx.reference, t.ctx.keys);
    await importIncidents(other, SYSTEM, incidents('BFA', false, 10));
    await settled(t);
    expect(await spikes(t)).toEqual(['NE006']);
    // …and the next run of the interval, an hour later, issues it.
    const second = nextIssued(t);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    await second;
    expect((await spikes(t)).length).toBe(2);

    // A spike reported in this process does not wait for the next run: the change is evaluated at once.
    const third = nextIssued(t);
    await importIncidents(t.ctx, SYSTEM, incidents('MLI', true, 10));
    await third;
    expect((await spikes(t)).length).toBe(3);
    expect(vi.getTimerCount()).toBe(1); // the interval still runs, as a safety net
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
