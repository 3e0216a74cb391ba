import type { z } from 'zod';
/**
 * Confederation alerts across the federation (docs/federation.md). The confederation node owns its alerts; a national
 * node holds them read-only. A national state acknowledges or answers one on its own node: the acknowledgement and the
 * response are the national node's own objects (`alert_ack`, `alert_response`, kept in `federation_objects` with this
 * node as origin and a change-log seq), sent to the confederation, which applies them to its alert — whose new state
 * then comes back to every national node.
 */
import { acknowledgeAlertSchema, respondAlertSchema, type Alert } from '@vigie/domain/alert.schema';
import { parseInput } from '@vigie/domain/validation';
import type { Transaction } from 'kysely';
import type { Trx } from '../../db/engine.js';
import type { Database } from '../../db/schema.js';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { acknowledgeState, alertStates, alertStatus, insertResponse, responseExists, updateAlert } from '../../repositories/alert.repository.js';
import { getForeignObject, insertForeignObjects, type ForeignObjectRow } from '../../repositories/federation.repository.js';
import { notifyHeldAlertArrived } from '../accounts/notify.js';
import type { AlertChange } from '../alerts/alert-events.js';
import type { Ctx } from '../context.js';
import { appendChanges, mutate, type Change } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';

/** What a national node sends about a confederation alert. */
export interface AlertReply {
  alert_id: string;
  state: string;
  at: string;
  note?: string | null;
  text?: string;
  link?: string | null;
}

/** The state a national node speaks for: its node id in capitals (mli → MLI). */
export const stateOfNode = (node: string) => node.toUpperCase();

async function heldAlert(trx: Trx, id: string): Promise<Alert> {
  const held = await getForeignObject(trx, 'alert', id);
  if (!held || held.deleted || !held.record) throw new Problem('not_found', `alerte inconnue / unknown alert ${id}`);
  return JSON.parse(held.record) as Alert;
}

/** Writes one of this node's replies with the next change-log seq, so that the publisher sends it in order. */
export async function ownReply(ctx: Ctx, trx: Transaction<Database>, fed: FederationConfig, type: string, id: string, reply: { at: string }, change: Change): Promise<void> {
  const seq = await appendChanges(ctx, trx, [change]);
  const row: ForeignObjectRow = { entity_type: type, entity_id: id, origin_node: fed.node, version: 1, origin_seq: seq, deleted: 0, reason: null, record: JSON.stringify(reply), received_at: reply.at, classification_level: 0, sharing_scope: null };
  await insertForeignObjects(trx, [row]);
}

/** A national state acknowledges a confederation alert held here; sent to the confederation, which owns the alert. */
export async function acknowledgeForeignAlert(ctx: Ctx, principal: Principal, fed: FederationConfig, id: string, input: z.input<typeof acknowledgeAlertSchema> | z.output<typeof acknowledgeAlertSchema>): Promise<AlertReply> {
  requirePermission(principal, 'alert.acknowledge');
  const body = parseInput(acknowledgeAlertSchema, input ?? {});
  const state = stateOfNode(fed.node);
  if (principal.kind !== 'system' && principal.organisation !== state) throw new Problem('forbidden', `seul ${state} accuse réception ici / only ${state} acknowledges here`);
  return mutate(ctx, principal, {
    permission: 'alert.acknowledge',
    async run(trx) {
      const alert = await heldAlert(trx, id);
      const mine = alert.states.find((s) => s.state === state);
      if (!mine) throw new Problem('forbidden', `l'alerte ne concerne pas ${state} / the alert does not concern ${state}`);
      if (mine.acknowledged_at || (await getForeignObject(trx, 'alert_ack', `${id}:${state}`))) throw new Problem('conflict', `already acknowledged for ${state}`);
      const reply: AlertReply = { alert_id: id, state, at: nowIso(), note: body.note ?? null };
      await ownReply(ctx, trx, fed, 'alert_ack', `${id}:${state}`, reply, { type: 'alert', id, op: 'acknowledge' });
      return { result: reply, audit: { action: 'alert.acknowledge', objectType: 'alert', objectId: id, classificationLevel: 0, details: { state, owner: fed.hubDomain, note: reply.note } } };
    },
  });
}

/** A national state answers a confederation alert held here. */
export async function respondToForeignAlert(ctx: Ctx, principal: Principal, fed: FederationConfig, id: string, input: z.input<typeof respondAlertSchema> | z.output<typeof respondAlertSchema>): Promise<AlertReply> {
  requirePermission(principal, 'alert.respond');
  const body = parseInput(respondAlertSchema, input);
  const state = stateOfNode(fed.node);
  if (principal.kind !== 'system' && principal.organisation !== state) throw new Problem('forbidden', `seul ${state} répond ici / only ${state} responds here`);
  return mutate(ctx, principal, {
    permission: 'alert.respond',
    async run(trx) {
      const alert = await heldAlert(trx, id);
      if (!alert.states.some((s) => s.state === state)) throw new Problem('forbidden', `l'alerte ne concerne pas ${state} / the alert does not concern ${state}`);
      const reply: AlertReply = { alert_id: id, state, at: nowIso(), text: body.text, link: body.link ?? null };
      await ownReply(ctx, trx, fed, 'alert_response', newId(), reply, { type: 'alert', id, op: 'respond' });
      return { result: reply, audit: { action: 'alert.respond', objectType: 'alert', objectId: id, classificationLevel: 0, details: { state, owner: fed.hubDomain } } };
    },
  });
}

/**
 * At the confederation: applies received acknowledgements and responses to its own alerts (an alert it does not hold,
 * or one closed, is left as it is). Returns the change-log entries, so the alert's new state flows back to the nationals.
 */
export async function applyAlertReplies(trx: Transaction<Database>, replies: readonly { type: string; id: string; reply: AlertReply }[]): Promise<Change[]> {
  const changes: Change[] = [];
  for (const { type, id, reply } of replies) {
    const alert = await alertStatus(trx, reply.alert_id);
    if (!alert || alert.status === 'closed') continue;
    const states = await alertStates(trx, [alert.id]);
    if (!states.some((s) => s.state === reply.state)) continue;
    if (type === 'alert_ack') {
      if (!(await acknowledgeState(trx, alert.id, reply.state, null, reply.at, reply.note ?? null))) continue;
      const allDone = states.every((s) => s.state === reply.state || s.acknowledged_at !== null);
      await updateAlert(trx, alert.id, { status: alert.status === 'issued' && allDone ? 'acknowledged' : alert.status, updated_at: nowIso() });
      changes.push({ type: 'alert', id: alert.id, op: 'acknowledge' });
    } else {
      if (await responseExists(trx, id)) continue;
      await insertResponse(trx, { id, alert_id: alert.id, state: reply.state, responded_at: reply.at, responded_by: null, text: reply.text ?? '', link: reply.link ?? null });
      await updateAlert(trx, alert.id, { status: 'responded', updated_at: nowIso() });
      changes.push({ type: 'alert', id: alert.id, op: 'respond' });
    }
  }
  return changes;
}

/**
 * What a received message about a confederation alert is to this node's live readers: one that arrives (new here, or
 * back after a withdrawal) is issued; one that changes is updated; one withdrawn (or re-classified above the link, its
 * scope narrowed: a tombstone) is withdrawn. A changed or withdrawn one carries its owner, level and scope as they
 * stood, so that the readers who could see it, and only they, hear that it is gone (alert.service.ts).
 */
export function heldAlertChange(row: ForeignObjectRow, before: ForeignObjectRow | undefined): AlertChange | null {
  const was = before && !before.deleted ? { origin: before.origin_node, level: Number(before.classification_level), scope: before.sharing_scope } : undefined;
  if (row.deleted || !row.record) return was ? { id: row.entity_id, action: 'withdrawn', before: was } : null;
  return was ? { id: row.entity_id, action: 'updated', before: was } : { id: row.entity_id, action: 'issued' };
}

/**
 * Confederation alerts that arrived here tell this node's readers, as a local alert issued here would (notify.ts): the
 * users of the states concerned cleared for the copy. Once per alert whatever the deliveries (the notification's
 * occurrence is the alert's), and never one that arrives closed or national-scope (a catch-up brings old alerts; a
 * national-scope copy is nobody's to read). One withdrawn since drops from the inbox at read time.
 */
export async function notifyHeldAlerts(trx: Trx, arrived: readonly ForeignObjectRow[]): Promise<void> {
  for (const row of arrived) {
    const alert = JSON.parse(row.record ?? 'null') as Alert | null;
    if (!alert || alert.status === 'closed' || row.sharing_scope === 'national') continue;
    await notifyHeldAlertArrived(trx, { id: row.entity_id, classification_level: Number(row.classification_level) }, alert.states.map((s) => s.state));
  }
}
