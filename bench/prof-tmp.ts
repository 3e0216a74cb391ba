import { testVigie, newIncident, newUser } from '../apps/server/src/test-support/factories.js';
import { importIncidents } from '../apps/server/src/services/incidents/incident.service.js';
import { evaluateChanges, ruleAreas, runAlertRules } from '../apps/server/src/services/alerts/alert-rules.service.js';
import { SYSTEM } from '../apps/server/src/services/principal.js';
import { addWeeks, weekStart } from '../apps/server/src/services/alerts/rules.js';
const t = await testVigie('sqlite');
await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 3 });
const week = weekStart(new Date());
const items = [];
for (let w = 0; w <= 30; w++) for (let k = 0; k < 3; k++) items.push({ input: newIncident({ state: 'MLI', occurred_start: addWeeks(week, -w).replace('T00', `T0${k}`), admin1_code: 'ML05' }), options: { status: 'validated' as const, reportingState: 'MLI' } });
for (let k = 0; k < 10; k++) items.push({ input: newIncident({ state: 'MLI', occurred_start: new Date(Date.now() - k * 60000).toISOString(), admin1_code: 'ML05' }), options: { status: 'validated' as const, reportingState: 'MLI' } });
await importIncidents(t.ctx, SYSTEM, items);
await runAlertRules(t.ctx, SYSTEM);
for (const f of [() => ruleAreas(t.ctx, 1), () => evaluateChanges(t.ctx, SYSTEM, [{ at: new Date().toISOString(), admin1: 'ML05', admin2: null }]), () => runAlertRules(t.ctx, SYSTEM)]) {
  const ts = [];
  for (let k = 0; k < 5; k++) { const t0 = performance.now(); await f(); ts.push(performance.now() - t0); }
  console.log(ts.map((x) => x.toFixed(0)).join(' '));
}
await t.drop();
