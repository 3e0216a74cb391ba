/**
 * The situation reports' schedule, run in-process by `serve` as the alert rules' schedule is: a JSON file per
 * deployment (apps/server/config/sitreps.json, or the file named by VIGIE_SITREP_FILE) says when (default Monday 06:00
 * in the deployment's time zone, the first member state's unless set) and for which audiences. Every minute the
 * schedule works out which reports are due — the last full ISO week once its weekday and time have passed, the last
 * month once its day has — and generates each one that does not exist yet, so a server that was down catches up.
 * Only runs that fell due after the schedule first ran for an audience are caught up (its start is recorded): a
 * brand-new server, or an audience just added to the file, starts with the next Monday's report rather than
 * publishing — and notifying every reader of — the week and month that were over before it existed. Earlier periods
 * are generated on demand (`vigie sitrep`, web, API).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLASSIFICATIONS, isoWeekOf, sitrepShift, type SitrepKind } from '@vigie/domain';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';
import { scheduleArmedAt } from '../../repositories/sitrep.repository.js';
import { ensureSitrep } from './sitrep.service.js';

export const sitrepConfigSchema = z.strictObject({
  schedule: z.strictObject({
    enabled: z.boolean().default(true),
    /** ISO weekday of the weekly report: 1 Monday … 7 Sunday. */
    weekday: z.number().int().min(1).max(7).default(1),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('06:00'),
    /** IANA time zone; default the first member state's. */
    time_zone: z.string().optional(),
    /** Day of the month of the monthly report (0: no monthly report). */
    monthly_day: z.number().int().min(0).max(28).default(1),
  }).prefault({}),
  audiences: z.array(z.strictObject({ audience: z.string().regex(/^[A-Z]{3,4}$/), ceiling: z.enum(CLASSIFICATIONS).default('restricted') }))
    .default([{ audience: 'CONF', ceiling: 'restricted' }]),
});
export type SitrepConfig = z.output<typeof sitrepConfigSchema>;

export const DEFAULT_SITREP_FILE = path.resolve(import.meta.dirname, '../../../config/sitreps.json');

/** Reads and validates the schedule file (VIGIE_SITREP_FILE, else the shipped default); a bad file names the field. */
export function loadSitrepConfig(file: string | undefined = process.env.VIGIE_SITREP_FILE || undefined): SitrepConfig {
  const target = file ?? DEFAULT_SITREP_FILE;
  if (!fs.existsSync(target)) {
    if (file) throw new Error(`situation report schedule file not found: ${file}`);
    return sitrepConfigSchema.parse({});
  }
  const parsed = sitrepConfigSchema.safeParse(JSON.parse(fs.readFileSync(target, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`situation report schedule file ${target}: ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The wall-clock date, ISO weekday and minute of the day of an instant in a time zone. */
function localTime(now: Date, timeZone: string): { day: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short',
  }).formatToParts(now).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday as string) + 1;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** The reports whose time has come at `now`: the last full week and (if monthly) the last full month. */
export function dueReports(now: Date, s: SitrepConfig['schedule'], timeZone: string): { kind: SitrepKind; period: string }[] {
  const local = localTime(now, timeZone);
  const [h, m] = s.time.split(':').map(Number) as [number, number];
  const at = h * 60 + m;
  let since = (local.weekday - s.weekday + 7) % 7;
  if (since === 0 && local.minutes < at) since = 7;
  const trigger = minusDays(local.day, since);
  const out: { kind: SitrepKind; period: string }[] = [{ kind: 'week', period: sitrepShift('week', isoWeekOf(trigger), 1) }];
  if (s.monthly_day > 0) {
    const dayOfMonth = Number(local.day.slice(8, 10));
    const passed = dayOfMonth > s.monthly_day || (dayOfMonth === s.monthly_day && local.minutes >= at);
    out.push({ kind: 'month', period: sitrepShift('month', local.day.slice(0, 7), passed ? 1 : 2) });
  }
  return out;
}

/**
 * One run of the schedule: generates every due report that does not exist yet and fell due after the schedule first
 * ran for its audience (recorded at that first run); returns how many it wrote.
 */
export async function runSitrepSchedule(ctx: Ctx, principal: Principal, config: SitrepConfig, now = new Date()): Promise<number> {
  const tz = config.schedule.time_zone ?? ctx.reference.states[0]?.time_zone ?? 'UTC';
  const due = dueReports(now, config.schedule, tz);
  let written = 0;
  for (const a of config.audiences) {
    const ceiling = CLASSIFICATIONS.indexOf(a.ceiling);
    // What was already due when the schedule started for this audience belongs to before it: not caught up.
    const before = dueReports(new Date(await scheduleArmedAt(ctx.engine.db, a.audience, ceiling, now.toISOString())), config.schedule, tz);
    for (const d of due) {
      const earlier = before.find((b) => b.kind === d.kind);
      if (earlier && d.period <= earlier.period) continue;
      if (await ensureSitrep(ctx, principal, d.kind, d.period, a.audience, ceiling, now)) written++;
    }
  }
  return written;
}

/** The in-process schedule started by `serve`: checks every minute (and at start); returns a stop function. */
export function startSitrepSchedule(ctx: Ctx, principal: Principal, config: SitrepConfig = loadSitrepConfig(), log: (msg: string) => void = () => undefined): () => void {
  if (!config.schedule.enabled) return () => undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await runSitrepSchedule(ctx, principal, config);
      if (n) log(`rapports de situation : ${n} ${n === 1 ? 'rapport généré' : 'rapports générés'}`);
    } catch (e) {
      log(`rapports de situation : échec (${(e as Error).message})`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 60_000);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
