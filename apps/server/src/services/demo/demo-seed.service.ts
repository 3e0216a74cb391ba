import { countUsers, findUserByLogin } from '../../repositories/user.repository.js';
import type { Ctx } from '../context.js';
import { importIncidents, type ImportOutcome } from '../incidents/incident.service.js';
import { SYSTEM } from '../principal.js';
import { createUser, generatePassword } from '../accounts/user.service.js';
import { generateDemoIncidents } from './demo-data.js';
import { generateDemoUsers } from './demo-users.js';
import { demoGeography } from './demo-geography.js';
import { seedDemoStrategy } from './demo-strategy.js';

export interface DemoSeedResult {
  users: { login: string; role: string; organisation: string }[];
  /** The password shared by the demo accounts, when they were created by this run. */
  demoPassword?: string;
  incidents: ImportOutcome;
}

/** Loads the labelled synthetic demo data set: demo accounts for each role and state, and incidents over three years. */
export async function seedDemo(
  ctx: Ctx,
  options: {
    count?: number; seed?: number; years?: number; endDate?: Date; onProgress?: (done: number, total: number) => void;
    /** Only the incidents reported by these states (a federated node: its own state's; the confederation's: none). */
    states?: readonly string[];
  } = {},
): Promise<DemoSeedResult> {
  const users = generateDemoUsers(ctx.reference);
  const demoPassword = generatePassword();
  let createdUsers = false;
  const reporterIds = new Map<string, string>();
  for (const u of users) {
    const existing = await findUserByLogin(ctx.engine.db, u.login);
    if (!existing) {
      const { user } = await createUser(ctx, SYSTEM, { ...u, password: demoPassword });
      createdUsers = true;
      if (u.role === 'reporter') reporterIds.set(u.organisation, user.id);
    } else if (u.role === 'reporter') reporterIds.set(u.organisation, existing.id);
  }
  const demo = generateDemoIncidents(ctx.reference, {
    count: options.count ?? 5000, years: options.years ?? 3, endDate: options.endDate ?? new Date(), seed: options.seed ?? 20261129,
    geography: await demoGeography(ctx),
  }).filter((d) => !options.states || options.states.includes(d.reportingState));
  const total: ImportOutcome = { created: 0, unchanged: 0, rejected: [] };
  const batch = 500;
  for (let i = 0; i < demo.length; i += batch) {
    const slice = demo.slice(i, i + batch);
    const r = await importIncidents(ctx, SYSTEM, slice.map((d) => ({
      input: d.input,
      options: { reportingState: d.reportingState, status: d.status, reporterId: reporterIds.get(d.reportingState) ?? null },
    })));
    total.created += r.created;
    total.unchanged += r.unchanged;
    total.rejected.push(...r.rejected.map((x) => ({ ...x, index: x.index + i })));
    options.onProgress?.(Math.min(i + batch, demo.length), demo.length);
  }
  // Strategy follow-up demo (strategy, values, evaluation, meetings), drawn on the incidents above; once.
  await seedDemoStrategy(ctx, { endDate: options.endDate, seed: options.seed });
  return {
    users: users.map((u) => ({ login: u.login, role: u.role, organisation: u.organisation })),
    ...(createdUsers ? { demoPassword } : {}),
    incidents: total,
  };
}

/** True when the database has no user yet: a first start. */
export async function isEmpty(ctx: Ctx): Promise<boolean> {
  return (await countUsers(ctx.engine.db)) === 0;
}
