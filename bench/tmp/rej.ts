import { generateDemoIncidents } from '../../apps/server/src/services/demo/demo-data.js';
import { importIncidents } from '../../apps/server/src/services/incidents/incident.service.js';
import { SYSTEM } from '../../apps/server/src/services/principal.js';
import { testVigie } from '../../apps/server/src/test-support/factories.js';
const vigie = await testVigie('sqlite');
const demo = generateDemoIncidents(vigie.ctx.reference, { count: 2000, years: 3, endDate: new Date(), seed: 20261129 });
const r = await importIncidents(vigie.ctx, SYSTEM, demo.map((d) => ({ input: d.input, options: { reportingState: d.reportingState, status: d.status } })));
console.log(r.rejected.length);
const reasons = new Map<string, number>();
for (const x of r.rejected as any[]) { const k = JSON.stringify(x.errors ?? x.error ?? x).slice(0, 200); reasons.set(k, (reasons.get(k) ?? 0) + 1); }
console.log([...reasons.entries()].slice(0, 8));
await vigie.drop();
