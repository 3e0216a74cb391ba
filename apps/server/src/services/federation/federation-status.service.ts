/**
 * The federation's state as an operator checks it (`vigie federation status`, GET /api/v1/federation/status): per link
 * the last seq sent or received, the lag behind this node's change log, the backlog waiting in NATS, the link state
 * and its last error.
 */
import type { NatsConnection } from 'nats';
import { lastChangeSeq } from '../../repositories/change-log.repository.js';
import { countForeignObjects, listCursors, listKeys, resetCursor } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import { requirePermission, type Principal } from '../principal.js';
import type { FederationConfig } from './federation-config.js';
import { APPLIER, FED_STREAM, IN_STREAM } from './federation-link.js';
import { inLink, OUT_LINK, streamOf } from './federation.service.js';

export interface PeerStatus {
  peer: string;
  direction: 'out' | 'in';
  last_seq: number;
  last_at: string | null;
  /** Out: change-log entries not yet published. In: unknown here (the peer's log), null. */
  lag: number | null;
  /** Messages waiting in NATS: in the national stream not yet sourced by the hub (out), or for the applier (in). */
  backlog: number | null;
  link: 'up' | 'down' | 'unknown';
  last_error: string | null;
  last_error_at: string | null;
  objects?: number;
}

export interface FederationStatus {
  node: string | null;
  role: 'national' | 'confederation' | null;
  ceiling: number | null;
  peers: PeerStatus[];
  keys: { node_id: string; key_id: string; status: string; created_at: string; revoked_at: string | null }[];
}

/** What the NATS side says of the link, when a connection is at hand (never throws: a down link is a state). */
async function natsView(fed: FederationConfig, nc: NatsConnection | undefined): Promise<{ backlog: number | null; link: PeerStatus['link']; lag: Map<string, number> }> {
  const lag = new Map<string, number>();
  if (!nc || nc.isClosed()) return { backlog: null, link: 'unknown', lag };
  try {
    const jsm = await nc.jetstreamManager({ timeout: 2000 });
    if (fed.role === 'confederation') {
      const info = await jsm.streams.info(FED_STREAM);
      for (const s of info.sources ?? []) lag.set(s.name, s.lag);
      const c = await jsm.consumers.info(FED_STREAM, APPLIER);
      const down = (info.sources ?? []).some((s) => s.error || s.active < 0 || s.active > 30e9);
      return { backlog: c.num_pending + c.num_ack_pending, link: down ? 'down' : 'up', lag };
    }
    const info = await jsm.streams.info(streamOf(fed.node));
    const inbound = await jsm.consumers.info(IN_STREAM, APPLIER).catch(() => undefined);
    if (inbound) lag.set(IN_STREAM, inbound.num_pending + inbound.num_ack_pending);
    return { backlog: info.state.messages, link: 'up', lag };
  } catch {
    return { backlog: null, link: 'down', lag };
  }
}

export async function federationStatus(ctx: Ctx, principal: Principal, fed: FederationConfig | undefined, nc?: NatsConnection): Promise<FederationStatus> {
  requirePermission(principal, 'federation.manage');
  const db = ctx.engine.db;
  const keys = (await listKeys(db)).map(({ node_id, key_id, status, created_at, revoked_at }) => ({ node_id, key_id, status, created_at, revoked_at }));
  if (!fed) return { node: null, role: null, ceiling: null, peers: [], keys };
  const cursors = new Map((await listCursors(db)).map((c) => [c.link, c]));
  const view = await natsView(fed, nc);
  const peers: PeerStatus[] = [];
  const counts = await countForeignObjects(db);
  const c = cursors.get(OUT_LINK);
  const head = await lastChangeSeq(db);
  // What this node sends (a national: its records; the confederation: its alerts, strategies, meetings).
  const out: PeerStatus = {
    peer: fed.role === 'national' ? fed.hubDomain : fed.peers.join(', ') || '—', direction: 'out', last_seq: c?.last_seq ?? 0, last_at: c?.last_at ?? null,
    lag: head - (c?.last_seq ?? 0), backlog: fed.role === 'national' ? view.backlog : null, link: c?.last_error ? 'down' : view.link,
    last_error: c?.last_error ?? null, last_error_at: c?.last_error_at ?? null,
  };
  peers.push(out);
  if (fed.role === 'national') {
    const i = cursors.get(inLink(fed.hubDomain));
    peers.push({
      peer: fed.hubDomain, direction: 'in', last_seq: i?.last_seq ?? 0, last_at: i?.last_at ?? null, lag: null,
      backlog: view.lag.get(IN_STREAM) ?? null, link: view.link, last_error: null, last_error_at: null, objects: counts.get(fed.hubDomain) ?? 0,
    });
  } else {
    const general = cursors.get(inLink('*'));
    for (const p of fed.peers) {
      const c = cursors.get(inLink(p));
      peers.push({
        peer: p, direction: 'in', last_seq: c?.last_seq ?? 0, last_at: c?.last_at ?? null, lag: view.lag.get(streamOf(p)) ?? null,
        backlog: view.backlog, link: general?.last_error && (!general.last_error_at || !c?.last_at || general.last_error_at > c.last_at) ? 'down' : view.link,
        last_error: general?.last_error ?? null, last_error_at: general?.last_error_at ?? null, objects: counts.get(p) ?? 0,
      });
    }
  }
  return { node: fed.node, role: fed.role, ceiling: fed.ceiling, peers, keys };
}

/**
 * A full re-sync: a national node publishes its whole view again from 0 (for a new or rebuilt confederation node; the
 * receivers' (id, origin seq) rule makes the repeat harmless).
 */
export async function resyncFromZero(ctx: Ctx, principal: Principal): Promise<void> {
  requirePermission(principal, 'federation.manage');
  await ctx.engine.writeTransaction((trx) => resetCursor(trx, OUT_LINK));
}
