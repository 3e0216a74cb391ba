import type { z } from 'zod';
/**
 * Alert lifecycle: issued → acknowledged by each concerned state → response recorded → closed. Flash alerts are
 * raised by hand; rule alerts come from alert-rules.service.ts. Every change is audited in its transaction and
 * announced on ctx.events ('alert.changed') after commit, which the live stream relays to the readers who may see it.
 */
import {
  acknowledgeAlertSchema, alertListQuerySchema, alertPatchSchema, closeAlertSchema, flashAlertSchema, respondAlertSchema,
  type Alert, type AlertStatistics, type AlertWithdrawn,
} from '@vigie/domain/alert.schema';
import { AUDITED_READ_LEVEL, CLASSIFICATIONS, parseInput } from '@vigie/domain';
import { alertTextsAll, type TextLang } from '@vigie/domain/alert-text';
import type { Db, Trx } from '../../db/engine.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  acknowledgeState, alertResponses, alertStates, audienceFigures, evidenceLevel, findVisibleAlert, insertAlert, insertResponse, listVisibleAlerts,
  updateAlert, visibleEvidence, visibleEvidenceCounts, visibleIncidentIds, type AlertRow,
} from '../../repositories/alert.repository.js';
import { heldWasVisibleTo } from '../../repositories/federation.repository.js';
import { listAdminAreas } from '../../repositories/reference.repository.js';
import { ensureAudienceFigures } from './alert-rules.service.js';
import { ALERT_EVENT, type AlertChange } from './alert-events.js';
import { audienceOf, type Audience } from './audience.js';
import { heldAlertFor, heldAlertsFor } from './held-alerts.js';
import { hubFor, streamsPerUser } from './stream-hub.js';
import { notifyAlertIssued } from '../accounts/notify.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';

export { ALERT_EVENT, type AlertChange };

const auditScope = (r: Pick<AlertRow, 'classification_level' | 'sharing_scope' | 'raised_org'>, states: string[]) => ({
  classificationLevel: r.classification_level,
  sharingScope: r.sharing_scope,
  ownerState: states.length === 1 ? states[0] : r.raised_org,
});

/**
 * Rows as this reader's alerts: a rule alert with their audience's figures (severity, title, summary, statistics,
 * classification, scope), each state's acknowledgement, the responses and how many evidence records the reader may open.
 */
async function toAlerts(trx: Trx, principal: Principal, audience: Audience, rows: AlertRow[], lang: TextLang = 'fr'): Promise<Alert[]> {
  const ids = rows.map((r) => r.id);
  const [states, responses, counts, figures, areas] = await Promise.all([
    alertStates(trx, ids), alertResponses(trx, ids), visibleEvidenceCounts(trx, principal, ids), audienceFigures(trx, audience, ids),
    rows.some((r) => r.rule !== 'flash') ? listAdminAreas(trx) : [],
  ]);
  const figuresOf = new Map(figures.map((f) => [f.alert_id, f]));
  const names = new Map(areas.map((a) => [a.code, a]));
  const areaName = (code: string, l: TextLang) => (l === 'fr' ? names.get(code)?.name_fr : names.get(code)?.name_en) ?? code;
  return rows.map((r) => {
    // A rule alert shows the reader's audience's figures; the operator without any sees the row (every record).
    const f = r.rule === 'flash' ? undefined : figuresOf.get(r.id);
    const shown = f ?? r;
    const facts = {
      rule: r.rule as Alert['rule'], areas: JSON.parse(r.areas) as string[], window_start: r.window_start, window_end: r.window_end,
      statistics: shown.statistics ? (JSON.parse(shown.statistics) as AlertStatistics) : null, title: shown.title, summary: shown.summary,
    };
    // Written from the facts in each language, so that an English reader does not get French sentences.
    const texts = alertTextsAll(facts, areaName);
    return {
      id: r.id,
      rule: facts.rule,
      severity: shown.severity as Alert['severity'],
      status: r.status as Alert['status'],
      title: texts[lang].title,
      summary: texts[lang].summary,
      texts,
      areas: facts.areas,
      states: states.filter((s) => s.alert_id === r.id).map((s) => ({ state: s.state, acknowledged_at: s.acknowledged_at, acknowledged_by: s.acknowledged_by, note: s.note })),
      window_start: r.window_start,
      window_end: r.window_end,
      statistics: facts.statistics,
      classification: CLASSIFICATIONS[shown.classification_level] ?? 'secret',
      sharing_scope: shown.sharing_scope as Alert['sharing_scope'],
      raised_by: r.raised_by,
      created_at: r.created_at,
      updated_at: r.updated_at,
      closed_at: r.closed_at,
      closure_note: r.closure_note,
      evidence_count: counts.get(r.id) ?? 0,
      responses: responses.filter((x) => x.alert_id === r.id).map((x) => ({
        id: x.id, state: x.state, responded_at: x.responded_at, responded_by: x.responded_by, text: x.text, link: x.link,
      })),
      figures_for: f ? { view: f.audience, ceiling: CLASSIFICATIONS[f.ceiling] ?? 'secret' } : null,
    };
  });
}

/** The reader's audience, its figures computed first if it has none yet (outside any transaction). */
export async function readerAudience(ctx: Ctx, principal: Principal): Promise<Audience> {
  const audience = audienceOf(ctx, principal);
  await ensureAudienceFigures(ctx, audience);
  return audience;
}

async function loadVisible(ctx: Ctx, trx: Trx, principal: Principal, id: string): Promise<AlertRow> {
  const row = await findVisibleAlert(trx, principal, audienceOf(ctx, principal), id);
  if (!row) throw new Problem('not_found', `no alert ${id}`);
  return row;
}

async function one(ctx: Ctx, trx: Trx, principal: Principal, id: string, lang: TextLang = 'fr'): Promise<Alert> {
  const [alert] = await toAlerts(trx, principal, audienceOf(ctx, principal), [await loadVisible(ctx, trx, principal, id)], lang);
  if (!alert) throw new Problem('not_found', `no alert ${id}`);
  return alert;
}

/** The alerts the reader may see; titles and summaries in `lang` (both languages in `texts`). */
export async function listAlerts(ctx: Ctx, principal: Principal, input: z.input<typeof alertListQuerySchema> | z.output<typeof alertListQuerySchema>, lang: TextLang = 'fr'): Promise<{ items: Alert[]; total: number }> {
  requirePermission(principal, 'alert.read');
  const q = parseInput(alertListQuerySchema, input ?? {});
  const audience = await readerAudience(ctx, principal);
  // Alerts held from the confederation (a national node) join the node's own, marked with their owner.
  const held = await heldAlertsFor(ctx.engine.db, principal, q, lang);
  const window = held.length ? { ...q, limit: q.offset + q.limit, offset: 0 } : q;
  const { rows, total } = await listVisibleAlerts(ctx.engine.db, principal, audience, window);
  const own = await toAlerts(ctx.engine.db, principal, audience, rows, lang);
  const items = held.length
    ? [...own, ...held].sort((x, y) => y.created_at.localeCompare(x.created_at) || y.id.localeCompare(x.id)).slice(q.offset, q.offset + q.limit)
    : own;
  await auditClassifiedRead(ctx, principal, items, 'alert.list');
  return { items, total: total + held.length };
}

/**
 * One alert as the reader sees it: one of this node's own, or one it holds from the confederation (read-only, with its
 * owner) under the list's rule. Either way a 404 to a reader who may not see it, as for an alert that does not exist.
 */
export async function getAlert(ctx: Ctx, principal: Principal, id: string, lang: TextLang = 'fr'): Promise<Alert> {
  requirePermission(principal, 'alert.read');
  const audience = await readerAudience(ctx, principal);
  const row = await findVisibleAlert(ctx.engine.db, principal, audience, id);
  const alert = row ? (await toAlerts(ctx.engine.db, principal, audience, [row], lang))[0] : await heldAlertFor(ctx.engine.db, principal, id, lang);
  if (!alert) throw new Problem('not_found', `no alert ${id}`);
  await auditClassifiedRead(ctx, principal, [alert], 'alert.read');
  return alert;
}

const levelOf = (c: string) => CLASSIFICATIONS.indexOf(c as (typeof CLASSIFICATIONS)[number]);

/**
 * Reads of confidential and secret content through alerts — an alert's figures, its evidence records, a page of
 * the list, a live message — go to the audit trail before the answer leaves, as reads of such incidents do: one
 * entry naming the classified alerts (and evidence records) read.
 */
async function auditClassifiedRead(
  ctx: Ctx, principal: Principal, alerts: Alert[], action: 'alert.list' | 'alert.read' | 'alert.evidence' | 'alert.stream',
  evidence: { id: string; classification_level: number; sharing_scope: string; reporting_state: string }[] = [],
): Promise<void> {
  if (principal.kind === 'system') return;
  const classified = alerts.filter((a) => levelOf(a.classification) >= AUDITED_READ_LEVEL);
  const records = evidence.filter((e) => e.classification_level >= AUDITED_READ_LEVEL);
  if (!classified.length && !records.length) return;
  const top = Math.max(...classified.map((a) => levelOf(a.classification)), ...records.map((e) => e.classification_level));
  const single = alerts.length === 1 ? alerts[0] : undefined;
  const national = classified.some((a) => a.sharing_scope === 'national') || records.some((e) => e.sharing_scope === 'national');
  await mutate(ctx, principal, {
    permission: records.length ? ['alert.read', 'incident.read'] : 'alert.read',
    run: async () => ({ result: undefined, audit: {
      action, objectType: 'alert', objectId: single?.id, classificationLevel: top, sharingScope: national ? 'national' : 'confederation',
      ownerState: single && single.states.length === 1 ? single.states[0]?.state : national ? principal.organisation : null,
      details: { alerts: classified.map((a) => a.id), ...(records.length ? { incidents: records.map((e) => e.id) } : {}) },
    } }),
  });
}

/** The alert as this reader sees it, or null when they may not: what the live stream sends. */
export async function alertForReader(ctx: Ctx, principal: Principal, id: string, db: Db = ctx.engine.db): Promise<Alert | null> {
  requirePermission(principal, 'alert.read');
  const audience = await readerAudience(ctx, principal);
  const row = await findVisibleAlert(db, principal, audience, id);
  // Not one of this node's own: perhaps one held from the confederation (the live stream of a national node).
  if (!row) return heldAlertFor(db, principal, id);
  return (await toAlerts(db, principal, audience, [row]))[0] ?? null;
}

/** The evidence incidents the reader may see (coordinates coarsened where the record says so). */
export async function alertEvidence(ctx: Ctx, principal: Principal, id: string) {
  requirePermission(principal, 'alert.read');
  requirePermission(principal, 'incident.read');
  await readerAudience(ctx, principal);
  const alert = await one(ctx, ctx.engine.db, principal, id);
  const rows = await visibleEvidence(ctx.engine.db, principal, id);
  await auditClassifiedRead(ctx, principal, [alert], 'alert.evidence', rows);
  return rows.map((r) => ({ ...r, classification: CLASSIFICATIONS[r.classification_level] ?? 'secret' }));
}

/** A flash alert raised by hand: areas, a window and the incidents behind it (which the raiser must be able to see). */
export async function raiseFlashAlert(ctx: Ctx, principal: Principal, input: z.input<typeof flashAlertSchema> | z.output<typeof flashAlertSchema>): Promise<Alert> {
  requirePermission(principal, 'alert.raise');
  const body = parseInput(flashAlertSchema, input);
  return mutate(ctx, principal, { permission: 'alert.raise', async run(trx) {
    const states: string[] = [];
    for (const [i, code] of body.areas.entries()) {
      const area = await ctx.gazetteer.area(code, trx);
      if (!area) throw new Problem('validation_failed', `zone inconnue : ${code}`, [{ field: `areas.${i}`, message: 'validation.unknown_area' }]);
      if (!states.includes(area.state)) states.push(area.state);
    }
    const evidence = await visibleIncidentIds(trx, principal, body.incident_ids);
    const seen = new Set(evidence.map((e) => e.id));
    body.incident_ids.forEach((id, i) => {
      if (!seen.has(id)) throw new Problem('validation_failed', `incident introuvable : ${id}`, [{ field: `incident_ids.${i}`, message: 'validation.incident_not_found' }]);
    });
    // The alert carries the classification and scope its author gives (within their clearance); each reader then
    // sees only the linked records they may read (visibleEvidence), so a record never reaches a reader through it.
    const level = CLASSIFICATIONS.indexOf(body.classification);
    if (principal.kind !== 'system' && level > principal.clearance) {
      throw new Problem('validation_failed', 'classification above your clearance', [{ field: 'classification', message: 'validation.above_clearance' }]);
    }
    const national = body.sharing_scope === 'national';
    const now = nowIso();
    const starts = evidence.map((e) => e.occurred_start).sort();
    const row: AlertRow = {
      id: newId(), rule: 'flash', dedup_key: null, severity: body.severity, status: 'issued', title: body.title, summary: body.summary,
      areas: JSON.stringify(body.areas),
      window_start: body.window_start ? new Date(body.window_start).toISOString() : starts[0] ?? new Date(Date.now() - 7 * 86_400_000).toISOString(),
      window_end: body.window_end ? new Date(body.window_end).toISOString() : now,
      statistics: null, classification_level: level, sharing_scope: national ? 'national' : 'confederation',
      raised_by: principal.userId, raised_org: principal.kind === 'system' ? null : principal.organisation,
      created_at: now, updated_at: now, closed_at: null, closed_by: null, closure_note: null,
    };
    await insertAlert(trx, row, states, [...seen]);
    await notifyAlertIssued(trx, row, states);
    return {
      result: await one(ctx, trx, principal, row.id),
      audit: { action: 'alert.raise', objectType: 'alert', objectId: row.id, after: { ...row, states, evidence: [...seen] }, ...auditScope(row, states) },
      changes: [{ type: 'alert', id: row.id, op: 'raise' }], events: [event(ALERT_EVENT, { id: row.id, action: 'issued' })],
    };
  } });
}

/** A concerned state's acknowledgement, by one of its analysts or focal points (the local operator names the state). */
export async function acknowledgeAlert(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof acknowledgeAlertSchema> | z.output<typeof acknowledgeAlertSchema>): Promise<Alert> {
  requirePermission(principal, 'alert.acknowledge');
  const body = parseInput(acknowledgeAlertSchema, input ?? {});
  await readerAudience(ctx, principal);
  return mutate(ctx, principal, { permission: 'alert.acknowledge', async run(trx) {
    const row = await loadVisible(ctx, trx, principal, id);
    if (row.status === 'closed') throw new Problem('invalid_transition', 'alert is closed', undefined, { current_status: row.status });
    const state = principal.kind === 'system' ? body.state : principal.organisation;
    const states = (await alertStates(trx, [id])).map((s) => s);
    const mine = states.find((s) => s.state === state);
    if (!state || !mine) throw new Problem('forbidden', "only a state concerned by the alert acknowledges it, for itself");
    if (mine.acknowledged_at) throw new Problem('conflict', `already acknowledged for ${state}`, undefined, { acknowledged_at: mine.acknowledged_at });
    const now = nowIso();
    if (!(await acknowledgeState(trx, id, state, principal.userId, now, body.note ?? null))) throw new Problem('conflict', `already acknowledged for ${state}`);
    const allDone = states.every((s) => s.state === state || s.acknowledged_at !== null);
    const status = row.status === 'issued' && allDone ? 'acknowledged' : row.status;
    await updateAlert(trx, id, { status, updated_at: now });
    return {
      result: await one(ctx, trx, principal, id),
      audit: {
        action: 'alert.acknowledge', objectType: 'alert', objectId: id, before: { status: row.status }, after: { status, state },
        ...auditScope(row, states.map((s) => s.state)), details: { state, note: body.note ?? null },
      },
      changes: [{ type: 'alert', id, op: 'acknowledge' }], events: [event(ALERT_EVENT, { id, action: 'acknowledged' })],
    };
  } });
}

/** Records a response (free text, optional link to a coordination action or report). */
export async function respondToAlert(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof respondAlertSchema> | z.output<typeof respondAlertSchema>): Promise<Alert> {
  requirePermission(principal, 'alert.respond');
  const body = parseInput(respondAlertSchema, input);
  await readerAudience(ctx, principal);
  return mutate(ctx, principal, { permission: 'alert.respond', async run(trx) {
    const row = await loadVisible(ctx, trx, principal, id);
    if (row.status === 'closed') throw new Problem('invalid_transition', 'alert is closed', undefined, { current_status: row.status });
    const isState = ctx.reference.states.some((s) => s.code === principal.organisation);
    const concerned = (await alertStates(trx, [id])).some((s) => s.state === principal.organisation);
    if (principal.kind !== 'system' && isState && !concerned) {
      throw new Problem('forbidden', 'only the states concerned by the alert and the confederation respond to it');
    }
    const now = nowIso();
    const response = { id: newId(), alert_id: id, state: isState ? principal.organisation : null, responded_at: now, responded_by: principal.userId, text: body.text, link: body.link ?? null };
    await insertResponse(trx, response);
    await updateAlert(trx, id, { status: 'responded', updated_at: now });
    const states = (await alertStates(trx, [id])).map((s) => s.state);
    return {
      result: await one(ctx, trx, principal, id),
      audit: { action: 'alert.respond', objectType: 'alert', objectId: id, before: { status: row.status }, after: response, ...auditScope(row, states) },
      changes: [{ type: 'alert', id, op: 'respond' }], events: [event(ALERT_EVENT, { id, action: 'responded' })],
    };
  } });
}

/** Closes an alert; a state's focal point closes only alerts that concern its state. */
export async function closeAlert(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof closeAlertSchema> | z.output<typeof closeAlertSchema>): Promise<Alert> {
  requirePermission(principal, 'alert.close');
  const body = parseInput(closeAlertSchema, input ?? {});
  await readerAudience(ctx, principal);
  return mutate(ctx, principal, { permission: 'alert.close', async run(trx) {
    const row = await loadVisible(ctx, trx, principal, id);
    if (row.status === 'closed') throw new Problem('invalid_transition', 'alert is already closed', undefined, { current_status: row.status });
    const states = (await alertStates(trx, [id])).map((s) => s.state);
    if (principal.kind !== 'system' && principal.role === 'focal_point' && !states.includes(principal.organisation)) {
      throw new Problem('forbidden', 'a focal point closes only the alerts of its state');
    }
    const now = nowIso();
    await updateAlert(trx, id, { status: 'closed', closed_at: now, closed_by: principal.userId, closure_note: body.note ?? null, updated_at: now });
    return {
      result: await one(ctx, trx, principal, id),
      audit: {
        action: 'alert.close', objectType: 'alert', objectId: id, before: { status: row.status }, after: { status: 'closed', note: body.note ?? null },
        ...auditScope(row, states),
      },
      changes: [{ type: 'alert', id, op: 'close' }], events: [event(ALERT_EVENT, { id, action: 'closed' })],
    };
  } });
}

/**
 * Re-classifies an alert: at most the editor's own clearance, never below its evidence's highest classification;
 * audited with before and after, one change-log entry (a federation link that may no longer see it withdraws it).
 */
export async function reclassifyAlert(ctx: Ctx, principal: Principal, id: string, input: z.input<typeof alertPatchSchema> | z.output<typeof alertPatchSchema>): Promise<Alert> {
  requirePermission(principal, 'alert.raise');
  const body = parseInput(alertPatchSchema, input);
  const level = levelOf(body.classification);
  const field = (message: string) => new Problem('validation_failed', `classification: ${message}`, [{ field: 'classification', message }]);
  await readerAudience(ctx, principal);
  return mutate(ctx, principal, { permission: 'alert.raise', async run(trx) {
    // An alert the editor may not see is not found (404) before anything is said about the level asked for.
    const row = await loadVisible(ctx, trx, principal, id);
    if (principal.kind !== 'system' && level > principal.clearance) throw field('au-delà de votre habilitation / above your clearance');
    if (level < (await evidenceLevel(trx, id))) throw field('en dessous de la classification de ses preuves / below its evidence');
    const states = (await alertStates(trx, [id])).map((s) => s.state);
    const before = CLASSIFICATIONS[row.classification_level] ?? 'secret';
    if (row.classification_level !== level) await updateAlert(trx, id, { classification_level: level, updated_at: nowIso() });
    const after = { ...row, classification_level: Math.max(row.classification_level, level) };
    return {
      result: await one(ctx, trx, principal, id),
      audit: { action: 'alert.reclassify', objectType: 'alert', objectId: id, before: { classification: before }, after: { classification: body.classification }, details: { from: before, to: body.classification }, ...auditScope(after, states) },
      changes: row.classification_level === level ? [] : [{ type: 'alert', id, op: 'update' }],
      events: row.classification_level === level ? [] : [event(ALERT_EVENT, { id, action: 'updated', previousLevel: row.classification_level })],
    };
  } });
}

/**
 * Live alerts for one reader: calls `send` with each alert change they may see (checked in SQL at the time of
 * the change, with their audience's figures; classified ones audited before they leave). `current` re-resolves who
 * the reader is at each change (a signed-out, disabled or downgraded user gets nothing more; null ends the stream
 * through `end`). `withdrawn` hears of a held alert the reader could see that is gone from what they may see. A user
 * holds at most `maxStreams` streams (VIGIE_ALERT_STREAMS_PER_USER, default 5): one more is refused with 429
 * rate_limited. Returns the function that stops listening and frees the slot.
 */
export function subscribeAlerts(
  ctx: Ctx,
  principal: Principal,
  send: (change: AlertChange, alert: Alert) => void,
  options: { current?: () => Promise<Principal | null>; end?: () => void; maxStreams?: number; withdrawn?: (gone: AlertWithdrawn) => void } = {},
): () => void {
  requirePermission(principal, 'alert.read');
  const max = options.maxStreams ?? streamsPerUser();
  let open = true;
  // Delivering a change is background work after commit: it reads through the background connection and takes the
  // request connection (the session check, the audit of a classified read) before the waiting requests, or fifty
  // writers would hold every live alert back by a round of their requests at each statement.
  const background = ctx.engine.background();
  const listener = (change: AlertChange) => {
    background.ahead(async () => {
      const reader = options.current ? await options.current() : principal;
      if (!open) return;
      if (!reader) {
        stop();
        options.end?.();
        return;
      }
      requirePermission(reader, 'alert.read');
      const alert = change.action === 'withdrawn' ? null : await alertForReader(ctx, reader, change.id, background.db);
      if (!open) return;
      // A held copy the reader could see and no longer may (withdrawn, re-classified above them): they are told it is
      // gone, by id only; a reader who could not see it hears nothing of it.
      if (!alert) {
        const before = change.before;
        if (before && heldWasVisibleTo(reader.kind === 'system' ? null : reader.clearance, before)) options.withdrawn?.({ id: change.id, origin_node: before.origin });
        // One of this node's own, re-classified above the reader: only its level changed, so they could see it before
        // exactly when its level was within their clearance and it is visible to them at any level.
        else if (change.previousLevel !== undefined && reader.kind !== 'system' && change.previousLevel <= reader.clearance
          && await findVisibleAlert(background.db, { ...reader, clearance: CLASSIFICATIONS.length - 1 }, await readerAudience(ctx, reader), change.id)) {
          if (open) options.withdrawn?.({ id: change.id, origin_node: null });
        }
        return;
      }
      await auditClassifiedRead(ctx, reader, [alert], 'alert.stream');
      if (open) send(change, alert);
    }).catch(() => undefined); // a closed database during shutdown, a revoked permission: nothing to send
  };
  const release = hubFor<AlertChange>(ctx.events, ALERT_EVENT).take(principal.userId ?? principal.login, max, listener);
  if (!release) {
    throw new Problem('rate_limited', `trop de flux d'alertes ouverts pour cet utilisateur (${max} au plus) : fermez un autre onglet ou une autre fenêtre de Vigie`, undefined, { max_streams: max });
  }
  const stop = () => {
    open = false;
    release();
  };
  return stop;
}
