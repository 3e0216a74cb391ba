/**
 * The briefing: the first page of a decision maker (and of anyone who asks), one answer computed for the reader's view.
 * Each part comes from the service that owns it, so it carries that service's access check and who-sees-what rule:
 * a part the reader has no verb for is null, never an error.
 */
import { roleCan, type Briefing } from '@vigie/domain';
import { listAlerts } from '../alerts/alert.service.js';
import { aggregateIncidents } from '../aggregate.service.js';
import type { Ctx } from '../context.js';
import { overdueActions } from '../coordination/coordination.service.js';
import type { Principal } from '../principal.js';
import { listStrategyEvaluations } from '../strategy/strategy.evaluation.service.js';
import { listStrategies } from '../strategy/strategy.service.js';
import { latestSitrep } from '../sitrep/sitrep.service.js';

const DAY = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const MAX_ITEMS = 10;

async function alertsPart(ctx: Ctx, principal: Principal): Promise<Briefing['alerts']> {
  if (!roleCan(principal.role, 'alert.read')) return null;
  const { items } = await listAlerts(ctx, principal, { open: 'true', limit: 200 });
  const member = ctx.reference.states.some((s) => s.code === principal.organisation);
  // A member state's reader: the open alerts concerning their state. The confederation: those nobody has acknowledged yet.
  return items
    .map((a) => ({ a, awaiting: member ? a.states.some((s) => s.state === principal.organisation && s.acknowledged_at === null) : a.status === 'issued' }))
    .filter(({ a, awaiting }) => (member ? a.states.some((s) => s.state === principal.organisation) : awaiting))
    .sort((x, y) => Number(y.awaiting) - Number(x.awaiting) || y.a.created_at.localeCompare(x.a.created_at))
    .slice(0, MAX_ITEMS)
    .map(({ a, awaiting }) => ({
      id: a.id, title: a.title, severity: a.severity, status: a.status, created_at: a.created_at, states: a.states.map((s) => s.state), awaiting_acknowledgement: awaiting,
    }));
}

async function actionsPart(ctx: Ctx, principal: Principal): Promise<Briefing['overdue_actions']> {
  if (!roleCan(principal.role, 'coordination.read')) return null;
  const { items } = await overdueActions(ctx, principal);
  return items.slice(0, MAX_ITEMS).map((a) => ({
    id: a.id, title: a.title, due_date: a.due_date, owner_state: a.owner_state, owner_body: a.owner_body,
    meeting_id: a.meeting_id ?? null, decision_code: a.decision_code ?? null, progress: a.progress,
  }));
}

async function evaluationPart(ctx: Ctx, principal: Principal): Promise<Briefing['latest_evaluation']> {
  if (!roleCan(principal.role, 'strategy.read')) return null;
  let best: Briefing['latest_evaluation'] = null;
  for (const s of await listStrategies(ctx, principal)) {
    for (const e of await listStrategyEvaluations(ctx, principal, s.id)) {
      if (e.status !== 'final' || (best && best.updated_at >= e.updated_at)) continue;
      best = {
        id: e.id, strategy_id: s.id, strategy_code: s.code, strategy_title_fr: s.title_fr, strategy_title_en: s.title_en,
        period: e.period, status: e.status, updated_at: e.updated_at,
      };
    }
  }
  return best;
}

async function weekPart(ctx: Ctx, principal: Principal, now: Date): Promise<Briefing['week']> {
  if (!roleCan(principal.role, 'aggregate.read')) return null;
  const to = dayOf(now);
  const from = dayOf(new Date(now.getTime() - 6 * DAY));
  const previousTo = dayOf(new Date(now.getTime() - 7 * DAY));
  const previousFrom = dayOf(new Date(now.getTime() - 13 * DAY));
  const pick = (t: { incidents: number; fatalities: number; civilian_fatalities: number }) => ({ incidents: t.incidents, fatalities: t.fatalities, civilian_fatalities: t.civilian_fatalities });
  const [current, previous] = await Promise.all([
    aggregateIncidents(ctx, principal, { from, to, group_by: [] }),
    aggregateIncidents(ctx, principal, { from: previousFrom, to: previousTo, group_by: [] }),
  ]);
  return { from, to, previous_from: previousFrom, previous_to: previousTo, current: pick(current.totals), previous: pick(previous.totals) };
}

async function sitrepPart(ctx: Ctx, principal: Principal): Promise<Briefing['latest_sitrep']> {
  if (!roleCan(principal.role, 'sitrep.read')) return null;
  const r = await latestSitrep(ctx, principal);
  return r && {
    id: r.id, kind: r.kind, period: r.period, from: r.from, to: r.to, audience: r.audience, ceiling: r.ceiling, as_of: r.as_of,
    headline_fr: r.headline_fr, headline_en: r.headline_en,
  };
}

/** What needs the reader now: alerts for their state, overdue actions, the latest evaluation, the week against the last. */
export async function getBriefing(ctx: Ctx, principal: Principal, now = new Date()): Promise<Briefing> {
  const [alerts, overdue, evaluation, week, sitrep] = await Promise.all([
    alertsPart(ctx, principal), actionsPart(ctx, principal), evaluationPart(ctx, principal), weekPart(ctx, principal, now), sitrepPart(ctx, principal),
  ]);
  return { generated_at: now.toISOString(), alerts, overdue_actions: overdue, latest_evaluation: evaluation, week, latest_sitrep: sitrep };
}
