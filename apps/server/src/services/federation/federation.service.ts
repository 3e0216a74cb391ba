/**
 * Federation without the transport (docs/federation.md): what a national node may send over a link, as signed
 * envelopes built from the change feed read by the link's own principal; how a receiving node verifies and applies
 * them, idempotently keyed on (id, origin seq), read-only, audited with their origin; the key registry.
 */
import { CHANGE_ENTITY_TYPES, CLASSIFICATIONS, type Classification, type FederationRefusal, type Incident } from '@vigie/domain';
import { nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  advanceCursor, getForeignObject, getKey, heldAndOwn, insertForeignObjects, insertKey, listKeys, ownObjectsBetween, sentChangedBetween, foreignOwnerOf, foreignStrategyPartOwner, revokeKeyRow, upsertForeignObject, type ForeignObjectRow, type KeyRow,
} from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import { readChanges } from '../exchange/changes.service.js';
import { ALERT_EVENT } from '../alerts/alert-events.js';
import { event, type DomainEvent } from '../events.js';
import { mutate, type Change, type MutationAudit } from '../mutation.js';
import type { Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { applyActionReports, type ActionReport } from './foreign-actions.js';
import { applyAlertReplies, heldAlertChange, notifyHeldAlerts, stateOfNode, type AlertReply } from './foreign-alerts.js';
import { holdForeignValues, holdStrategies, withdrawStrategies, type StrategyCopy, type ValueCopy } from './conf-strategy.js';
import { holdForeignIncidents, type ForeignIncident } from './foreign-incidents.js';
import { keyIdOf, signEnvelope, verifySignature, verifySignatureAsync, type Envelope, type NodeKey, type SignedMessage } from './signing.js';
import crypto from 'node:crypto';

/** The kinds of record a national node owns and sends to the confederation. */
export const NATIONAL_TYPES = new Set(['incident', 'indicator_value', 'alert_ack', 'alert_response', 'action_report']);
/** A national node's replies to confederation objects: each speaks only for the node's own state. */
const REPLY_TYPES = new Set(['alert_ack', 'alert_response', 'action_report']);
/** The kinds of record the confederation node owns and sends to the national nodes (read-only there). */
export const CONFEDERATION_TYPES = new Set(['alert', 'strategy', 'meeting', 'decision', 'action']);
/** What this node sends: what its role owns. */
export const outboundTypes = (fed: FederationConfig) => (fed.role === 'national' ? NATIONAL_TYPES : CONFEDERATION_TYPES);
/** Whether `origin` may own an object of this type, as this node sees it: the owner writes, nobody else. */
function ownsType(fed: FederationConfig, origin: string, type: string): boolean {
  if (fed.role === 'confederation') return NATIONAL_TYPES.has(type) && (!fed.peers.length || fed.peers.includes(origin));
  return CONFEDERATION_TYPES.has(type) && origin === fed.hubDomain;
}

/** A held copy's classification level (who may read it, in SQL); one not named as a level is held as the highest. */
function levelOfCopy(c: unknown): number {
  if (c === undefined || c === null) return 0;
  const level = CLASSIFICATIONS.indexOf(c as Classification);
  return level < 0 ? CLASSIFICATIONS.length - 1 : level;
}

/** The cursor of what this node has published. */
export const OUT_LINK = 'out';
/** The cursor of what this node has applied from a peer. */
export const inLink = (node: string) => `in:${node}`;

/** Subject of one object's messages: `vigie.<origin>.<type>.<id>`. */
export const subjectOf = (node: string, type: string, id: string) => `vigie.${node}.${type}.${id}`;

/** The stream a node publishes to, on its own NATS server. */
export const streamOf = (node: string) => `VIGIE_${node.toUpperCase()}`;

/**
 * Who the link is, as a reader: a confederation reader cleared up to the link's ceiling. What it sees is exactly what
 * may leave: validated records shared with the confederation or public, at or below the ceiling, locations coarsened
 * above it — never a national-scope record, a draft or a report under review (repositories/visibility.ts).
 */
export function linkPrincipal(fed: FederationConfig): Principal {
  return { kind: 'user', userId: null, login: `federation:${fed.node}`, organisation: `federation:${fed.node}`, role: 'confederation_analyst', clearance: fed.ceiling };
}

/** The principal received objects are written and audited under. */
const receiver = (origin: string): Principal => ({ kind: 'system', userId: null, login: `federation:${origin}`, organisation: 'CONF', role: 'admin', clearance: 3 });

export interface Outbound {
  subject: string;
  /** Dedup id for JetStream's window (a help, never relied upon: the receiver is idempotent by origin seq). */
  msgId: string;
  data: Uint8Array;
}

/** An object of this node's own, by kind and id (what went over the link, what is withdrawn from it). */
export interface ObjectRef {
  type: string;
  id: string;
}

/**
 * The next page of what this node must publish after `since`, signed; `next` is where to resume once they are sent.
 * `shared` lists the objects sent (incidents aside: their own tombstones cover them); an object once sent whose change
 * the link may no longer see (re-classified above the ceiling, returned, deleted) goes as a `withdrawn` tombstone.
 */
export async function collectOutbound(ctx: Ctx, fed: FederationConfig, key: NodeKey, since: number, limit = 500): Promise<{ messages: Outbound[]; next: number; caughtUp: boolean; shared: ObjectRef[]; withdrawn: ObjectRef[] }> {
  const page = await readChanges(ctx, linkPrincipal(fed), { since, limit });
  const messages: Outbound[] = [];
  const shared: ObjectRef[] = [];
  const sent = new Set<string>();
  const types = outboundTypes(fed);
  for (const item of page.items) {
    if (!types.has(item.type)) continue;
    // A record received from another node is not this node's to send (the owner sends it).
    if (!item.deleted && (item.record as { origin_node?: string }).origin_node) continue;
    const record = item.deleted ? undefined : (item.record as { version?: number; classification?: Classification });
    // Belt and braces: the link principal's view already stops these; a record above the ceiling never leaves.
    if (record?.classification && CLASSIFICATIONS.indexOf(record.classification) > fed.ceiling) continue;
    messages.push(signedOutbound(fed, key, {
      seq: item.seq, type: item.type, id: item.id, version: record?.version ?? null, deleted: item.deleted,
      ...(item.deleted ? { reason: item.reason ?? null } : { record: item.record }),
    }));
    sent.add(`${item.type}:${item.id}`);
    if (!item.deleted && item.type !== 'incident') shared.push({ type: item.type, id: item.id });
  }
  const withdrawn: ObjectRef[] = [];
  const kinds = [...types].filter((t) => t !== 'incident' && CHANGE_ENTITY_TYPES.includes(t as never));
  for (const r of await sentChangedBetween(ctx.engine.db, kinds, since, page.next_since)) {
    if (sent.has(`${r.entity_type}:${r.entity_id}`)) continue;
    messages.push(signedOutbound(fed, key, { seq: r.seq, type: r.entity_type, id: r.entity_id, version: null, deleted: true, reason: 'withdrawn' }));
    withdrawn.push({ type: r.entity_type, id: r.entity_id });
  }
  // This node's own replies to objects it holds from another (alert acknowledgements and responses), in seq order.
  for (const r of await ownObjectsBetween(ctx.engine.db, fed.node, since, page.next_since)) {
    messages.push(signedOutbound(fed, key, { seq: r.origin_seq, type: r.entity_type, id: r.entity_id, version: r.version, deleted: false, record: JSON.parse(r.record ?? 'null') }));
  }
  return { messages, next: page.next_since, caughtUp: page.caught_up, shared, withdrawn };
}

const encode = (m: SignedMessage) => new TextEncoder().encode(JSON.stringify(m));

/** One object's state (or tombstone) as a signed message on its origin's subject. */
export function signedOutbound(fed: FederationConfig, key: NodeKey, e: Pick<Envelope, 'seq' | 'type' | 'id' | 'version' | 'deleted' | 'reason' | 'record'>): Outbound {
  const envelope: Omit<Envelope, 'key_id'> = { v: 1, node: fed.node, ...e, sent_at: nowIso() };
  return { subject: subjectOf(fed.node, e.type, e.id), msgId: `${fed.node}:${e.seq}:${e.id}`, data: encode(signEnvelope(key, envelope)) };
}

/** Why a received message was refused. */
export type Refusal = FederationRefusal;

export interface Received {
  subject: string;
  data: Uint8Array;
}

export interface ReceiveResult {
  applied: number;
  refused: { subject: string; reason: Refusal; node?: string }[];
}

type Decoded = { signed: SignedMessage; env: Envelope } | null;

/** A batch decoded and its signatures checked ahead of its transaction (`prepareReceived`). */
export interface PreparedBatch {
  messages: readonly Received[];
  decoded: readonly Decoded[];
  checked: readonly ({ pem: string; ok: boolean } | undefined)[];
}

/**
 * Decodes a batch and verifies its signatures, outside any transaction: the applier does it for the next batch while
 * the current one is applied. Nothing is decided here: the transaction reads the keys again (`receiveMessages`).
 */
export async function prepareReceived(ctx: Ctx, messages: readonly Received[]): Promise<PreparedBatch> {
  const decoded = messages.map((m): Decoded => {
    try {
      const signed = JSON.parse(new TextDecoder().decode(m.data)) as SignedMessage;
      return { signed, env: JSON.parse(signed.body) as Envelope };
    } catch {
      return null;
    }
  });
  return { messages, decoded, checked: await preverify(ctx, decoded) };
}

/**
 * Verifies and applies received messages in one transaction. A message is applied only when signed by an active key
 * of its origin, on its origin's subject, about an object that origin owns, and newer (origin seq) than what is held:
 * a redelivered, replayed or reordered message changes nothing. Every object received and every refusal is audited.
 */
export async function receiveMessages(ctx: Ctx, fed: FederationConfig, batch: readonly Received[] | PreparedBatch): Promise<ReceiveResult> {
  const { messages, decoded, checked } = 'decoded' in batch ? batch : await prepareReceived(ctx, batch);
  return mutate(ctx, receiver(fed.node), {
    permission: 'self',
    run: async (trx) => {
      const audit: MutationAudit[] = [];
      const out: ReceiveResult = { applied: 0, refused: [] };
      const cursors = new Map<string, number>();
      const refuse = (subject: string, reason: Refusal, env?: Partial<Envelope>) => {
        out.refused.push({ subject, reason, node: env?.node });
        audit.push({ action: 'federation.refuse', objectType: env?.type ?? 'message', objectId: env?.id, classificationLevel: 0, details: { subject, reason, origin: env?.node ?? null, seq: env?.seq ?? null, key_id: env?.key_id ?? null } });
      };
      // What the batch needs, read once: the objects held and own records it names, and each signing key.
      const ids = [...new Set(decoded.flatMap((d) => (d && typeof d.env.id === 'string' ? [d.env.id] : [])))];
      const { held: heldRows, own } = await heldAndOwn(trx, ids);
      const heldMap = new Map(heldRows.map((r) => [`${r.entity_type}:${r.entity_id}`, r]));
      const keys = new Map<string, KeyRow | undefined>();
      const fresh = new Map<string, ForeignObjectRow>();
      const incidents = new Map<string, ForeignIncident>();
      const replies: { type: string; id: string; reply: AlertReply }[] = [];
      const reports: { id: string; report: ActionReport }[] = [];
      const strategies: StrategyCopy[] = [];
      const withdrawnStrategies: string[] = [];
      const values = new Map<string, { id: string; record: ValueCopy | null }>();
      const alertEvents: DomainEvent[] = [];
      const arrivedAlerts: ForeignObjectRow[] = [];
      for (const [index, m] of messages.entries()) {
        let signed: SignedMessage;
        let env: Envelope;
        try {
          const d = decoded[index];
          if (!d) throw new Error('json');
          ({ signed, env } = d);
          if (env.v !== 1 || typeof env.node !== 'string' || typeof env.id !== 'string' || typeof env.type !== 'string' || !Number.isInteger(env.seq)) throw new Error('shape');
        } catch {
          refuse(m.subject, 'malformed');
          continue;
        }
        if (m.subject !== subjectOf(env.node, env.type, env.id) || env.node === fed.node) { refuse(m.subject, 'subject_mismatch', env); continue; }
        const keyRef = `${env.node}/${env.key_id}`;
        if (!keys.has(keyRef)) keys.set(keyRef, await getKey(trx, env.node, env.key_id));
        const key = keys.get(keyRef);
        if (!key) { refuse(m.subject, 'unknown_key', env); continue; }
        if (key.status !== 'active') { refuse(m.subject, 'revoked_key', env); continue; }
        // Checked before the transaction against the key as read then; the key as read now decides which one counts.
        const pre = checked[index];
        const valid = pre && pre.pem === key.public_key ? pre.ok : verifySignature(key.public_key, signed);
        if (!valid) { refuse(m.subject, 'bad_signature', env); continue; }
        const held = heldMap.get(`${env.type}:${env.id}`);
        const ownHere = own.has(env.id);
        if ((held && held.origin_node !== env.node) || ownHere || !ownsType(fed, env.node, env.type)) { refuse(m.subject, 'not_owner', env); continue; }
        // Idempotent on (id, version) and on the origin's order: an older or equal state changes nothing.
        const older = held && (Number(held.origin_seq) >= env.seq || (!env.deleted && held.version !== null && env.version !== null && Number(held.version) > env.version));
        const record = env.deleted ? null : (env.record as { classification?: Classification; sharing_scope?: string; reporting_state?: string; state?: string } | undefined);
        // The same content again (a confederation strategy sent once more after a restart) changes nothing either.
        if (older || (held && record && held.record === JSON.stringify(record))) { refuse(m.subject, 'replay', env); continue; }
        // A national node speaks only for its own state.
        if (REPLY_TYPES.has(env.type) && record?.state !== stateOfNode(env.node)) { refuse(m.subject, 'not_owner', env); continue; }
        const row: ForeignObjectRow = {
          entity_type: env.type, entity_id: env.id, origin_node: env.node, version: env.version, origin_seq: env.seq,
          deleted: env.deleted ? 1 : 0, reason: env.deleted ? env.reason ?? null : null, record: record ? JSON.stringify(record) : null, received_at: nowIso(),
          classification_level: levelOfCopy(record?.classification), sharing_scope: record?.sharing_scope ?? null,
        };
        const ref = `${env.type}:${env.id}`;
        // New objects are inserted together after the loop; one already stored is updated in place.
        if (held && !fresh.has(ref)) await upsertForeignObject(trx, row, true);
        else fresh.set(ref, row);
        heldMap.set(ref, row);
        audit.push({
          action: 'federation.receive', objectType: env.type, objectId: env.id,
          classificationLevel: record?.classification ? CLASSIFICATIONS.indexOf(record.classification) : 0,
          sharingScope: record?.sharing_scope ?? 'confederation', ownerState: record?.reporting_state ?? record?.state ?? null,
          details: { origin: env.node, seq: env.seq, version: env.version, deleted: env.deleted, key_id: env.key_id },
        });
        // Strategies are sent by content, not from the change log: their seq is no cursor.
        if (env.type !== 'strategy') cursors.set(env.node, Math.max(cursors.get(env.node) ?? 0, env.seq));
        if (env.type === 'incident') incidents.set(env.id, { id: env.id, origin: env.node, record: (record as Incident | null) ?? null });
        if (env.type === 'indicator_value') values.set(env.id, { id: env.id, record: (record as unknown as ValueCopy | null) ?? null });
        if (record && env.type === 'strategy') strategies.push(record as unknown as StrategyCopy);
        if (env.deleted && env.type === 'strategy') withdrawnStrategies.push(env.id);
        if (record && (env.type === 'alert_ack' || env.type === 'alert_response')) replies.push({ type: env.type, id: env.id, reply: record as unknown as AlertReply });
        if (record && env.type === 'action_report') reports.push({ id: env.id, report: record as unknown as ActionReport });
        // A confederation alert arriving, changing or withdrawn reaches this node's live readers who may (or could) see
        // it (alert.service.ts); one arriving tells them in their inbox too.
        const alertChange = env.type === 'alert' ? heldAlertChange(row, held) : null;
        if (alertChange) alertEvents.push(event(ALERT_EVENT, alertChange));
        if (alertChange?.action === 'issued') arrivedAlerts.push(row);
        out.applied++;
      }
      await insertForeignObjects(trx, [...fresh.values()]);
      // Received records join this node's own in its lists, map and figures, read-only; replies reach its alerts.
      await holdForeignIncidents(trx, [...incidents.values()]);
      await holdStrategies(trx, strategies);
      await withdrawStrategies(trx, withdrawnStrategies);
      await holdForeignValues(trx, [...values.values()]);
      const changes: Change[] = [...incidents.keys()].map((id) => ({ type: 'incident', id, op: 'receive' }));
      changes.push(...(await applyAlertReplies(trx, replies)));
      changes.push(...(await applyActionReports(trx, reports)));
      await notifyHeldAlerts(trx, arrivedAlerts);
      const at = nowIso();
      for (const [node, seq] of cursors) await advanceCursor(trx, inLink(node), seq, at);
      return { result: out, audit, changes, events: alertEvents };
    },
  });
}

/**
 * Verifies a batch's signatures in parallel, off the main thread and before the write transaction (verification is
 * most of a message's cost): by each message's key as registered now. The transaction still reads the keys itself
 * (a key revoked meanwhile is refused there) and verifies again any message whose key it reads differently.
 */
async function preverify(ctx: Ctx, decoded: readonly Decoded[]): Promise<({ pem: string; ok: boolean } | undefined)[]> {
  const keys = new Map<string, Promise<KeyRow | undefined>>();
  return Promise.all(decoded.map(async (d) => {
    if (!d || typeof d.env?.node !== 'string' || typeof d.env.key_id !== 'string' || typeof d.signed?.body !== 'string' || typeof d.signed.sig !== 'string') return undefined;
    const ref = `${d.env.node}/${d.env.key_id}`;
    if (!keys.has(ref)) keys.set(ref, getKey(ctx.engine.db, d.env.node, d.env.key_id));
    const key = await keys.get(ref);
    if (!key || key.status !== 'active') return undefined;
    return { pem: key.public_key, ok: await verifySignatureAsync(key.public_key, d.signed) };
  }));
}

/** A foreign object is read-only here: any edit is refused, naming its owner. */
export async function requireOwned(ctx: Ctx, type: string, id: string): Promise<void> {
  const held = await getForeignObject(ctx.engine.db, type, id);
  if (held) throw new Problem('forbidden', `cet objet appartient au nœud ${held.origin_node} : modifiez-le là-bas / this object is owned by node ${held.origin_node}: edit it there`, undefined, { owner: held.origin_node });
}

/** Registers a peer's public key (PEM); its id is derived from the key. */
export async function addPeerKey(ctx: Ctx, principal: Principal, node: string, publicPem: string): Promise<KeyRow> {
  let keyId: string;
  try {
    const pub = crypto.createPublicKey(publicPem);
    if (pub.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    keyId = keyIdOf(pub);
  } catch {
    throw new Problem('validation_failed', 'clé publique ed25519 (PEM) attendue / an ed25519 public key (PEM) is expected', [{ field: 'public_key', message: 'ed25519 PEM' }]);
  }
  return mutate(ctx, principal, {
    permission: 'federation.manage',
    run: async (trx) => {
      const row: KeyRow = { node_id: node, key_id: keyId, public_key: publicPem.trim() + '\n', status: 'active', created_at: nowIso(), revoked_at: null };
      const added = await insertKey(trx, row);
      const held = (await getKey(trx, node, keyId)) ?? row;
      return { result: held, audit: added ? { action: 'federation.key_add', objectType: 'federation_key', objectId: `${node}/${keyId}`, classificationLevel: 0, details: { node, key_id: keyId } } : undefined };
    },
  });
}

/** Revokes a key: messages it signed are refused from now on (those already applied stay, audited). */
export async function revokePeerKey(ctx: Ctx, principal: Principal, node: string, keyId: string): Promise<void> {
  await mutate(ctx, principal, {
    permission: 'federation.manage',
    run: async (trx) => {
      const n = await revokeKeyRow(trx, node, keyId, nowIso());
      if (!n) throw new Problem('not_found', `aucune clé active ${keyId} pour ${node} / no active key ${keyId} for ${node}`);
      return { result: undefined, audit: { action: 'federation.key_revoke', objectType: 'federation_key', objectId: `${node}/${keyId}`, classificationLevel: 0, details: { node, key_id: keyId } } };
    },
  });
}

export async function peerKeys(ctx: Ctx): Promise<KeyRow[]> {
  return listKeys(ctx.engine.db);
}

/**
 * The read-only rule at the API's door: a change (any method but GET) naming in its path an object this node holds from
 * another node is refused, naming the owner — edits go to the owner. The federation's own routes (a national state's
 * acknowledgement of a confederation alert is its own object) are not changes to the foreign object.
 */
export async function guardForeignWrite(ctx: Ctx, method: string, url: string, params: unknown, self: string | null): Promise<void> {
  if (method === 'GET' || method === 'HEAD' || url.startsWith('/api/v1/federation/')) return;
  const ids = Object.values((params ?? {}) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length > 0);
  // A part of a strategy held from the confederation is the confederation's too; values entered against its indicators
  // are this node's own.
  const held = (await foreignOwnerOf(ctx.engine.db, ids, self)) ?? (url.split('?')[0]?.endsWith('/values') ? undefined : await foreignStrategyPartOwner(ctx.engine.db, ids));
  if (held) throw new Problem('forbidden', `cet objet appartient au nœud ${held.owner} : modifiez-le là-bas / this object is owned by node ${held.owner}: edit it there`, undefined, { owner: held.owner });
}
