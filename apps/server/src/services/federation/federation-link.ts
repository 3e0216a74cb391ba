/**
 * The NATS side of a federation node (docs/federation.md). A national node publishes its outbound envelopes to its own
 * stream on its own NATS server (which queues them while the leaf link is down); the confederation's stream sources
 * every national stream across JetStream domains, and its node applies them from a durable consumer.
 */
import { AckPolicy, connect, DeliverPolicy, RetentionPolicy, StorageType, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { nowIso } from '../../lib/ids.js';
import { advanceCursor, getCursor, markSent, recordLinkError, unmarkSent } from '../../repositories/federation.repository.js';
import type { Ctx } from '../context.js';
import { onEvent } from '../events.js';
import type { FederationConfig } from './federation-config.js';
import type { Trx } from '../../db/engine.js';
import { collectOutbound, inLink, OUT_LINK, prepareReceived, streamOf, type ObjectRef, type PreparedBatch, type ReceiveResult } from './federation.service.js';
import { receiveOrPark } from './dead-letters.js';
import type { NodeKey } from './signing.js';
import { strategySnapshots } from './conf-strategy.js';
import { downDeliver, hubApi, outDeliver, peerApi } from './nats-accounts.js';

/** The confederation's stream that sources every national stream. */
export const FED_STREAM = 'VIGIE_FED';
export const APPLIER = 'vigie-applier';
const DAY_NS = 24 * 3600 * 1e9;
/** The applier consumer's ack wait, in ms. */
const ACK_WAIT_MS = 10_000;

/** Connects to this node's NATS server; `wait` keeps trying until it answers (a node starts before its link). */
export async function connectNats(fed: FederationConfig, wait = false): Promise<NatsConnection> {
  return connect({
    waitOnFirstConnect: wait,
    servers: fed.natsUrl, user: fed.natsUser, pass: fed.natsPassword, name: `vigie-${fed.node}`,
    maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5000,
  });
}

/** The stream a node applies from: on the hub, the one sourcing every national stream; on a national server, the
 * one sourcing the confederation's stream from the hub's domain. */
export const inboundStream = (fed: FederationConfig) => (fed.role === 'confederation' ? FED_STREAM : IN_STREAM);
/** A national server's copy of the confederation's stream. */
export const IN_STREAM = 'VIGIE_IN';

async function ensureStream(jsm: JetStreamManager, cfg: Parameters<JetStreamManager['streams']['add']>[0] & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(cfg.name);
    await jsm.streams.update(cfg.name, cfg);
  } catch {
    await jsm.streams.add(cfg);
  }
}

/** This node's own stream on its own server: `vigie.<node>.>`, kept 30 days (outages last days). */
async function ensureOwnStream(jsm: JetStreamManager, fed: FederationConfig): Promise<void> {
  await ensureStream(jsm, { name: streamOf(fed.node), subjects: [`vigie.${fed.node}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits, max_age: 30 * DAY_NS, duplicate_window: 120e9 });
}

/** The applier's durable consumer. A batch lost on its way (the client reconnecting) comes back after ack_wait: 10 s. */
async function ensureApplier(jsm: JetStreamManager, stream: string): Promise<void> {
  await jsm.consumers.add(stream, { durable_name: APPLIER, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000, ack_wait: ACK_WAIT_MS * 1e6 });
}

/** A national server: its own stream, and the confederation's stream sourced from the hub's domain, with its applier. */
export async function ensureNationalStream(jsm: JetStreamManager, fed: FederationConfig): Promise<void> {
  await ensureOwnStream(jsm, fed);
  // Through this node's account on the hub: the confederation's API as imported there, deliveries meant for this node.
  const sources = [{ name: streamOf(fed.hubDomain), external: { api: hubApi(fed.node), deliver: downDeliver(fed.hubDomain, fed.node) } }];
  await ensureStream(jsm, { name: IN_STREAM, subjects: [], sources, storage: StorageType.File, retention: RetentionPolicy.Limits, max_age: 30 * DAY_NS });
  await ensureApplier(jsm, IN_STREAM);
}

/** The hub: the confederation's own stream, and the stream sourcing each peer's stream from its domain, with its applier. */
export async function ensureConfederationStream(jsm: JetStreamManager, fed: FederationConfig): Promise<void> {
  await ensureOwnStream(jsm, fed);
  // Each peer's stream through the imports of the peer's account on the hub: its domain's API, its deliveries.
  const sources = fed.peers.map((p) => ({ name: streamOf(p), external: { api: peerApi(p), deliver: outDeliver(p) } }));
  await ensureStream(jsm, { name: FED_STREAM, subjects: [], sources, storage: StorageType.File, retention: RetentionPolicy.Limits, max_age: 30 * DAY_NS });
  await ensureApplier(jsm, FED_STREAM);
}

/** Remembers what went over the link (to withdraw it when it may no longer go) and forgets what was withdrawn. */
async function recordSent(trx: Trx, shared: readonly ObjectRef[], withdrawn: readonly ObjectRef[]): Promise<void> {
  const at = nowIso();
  for (const type of new Set(shared.map((r) => r.type))) await markSent(trx, type, shared.filter((r) => r.type === type).map((r) => r.id), at);
  for (const type of new Set(withdrawn.map((r) => r.type))) await unmarkSent(trx, type, withdrawn.filter((r) => r.type === type).map((r) => r.id));
}

/** Publishes everything pending since the cursor; the cursor moves only after JetStream acknowledged each page. */
export async function publishPending(ctx: Ctx, fed: FederationConfig, key: NodeKey, js: JetStreamClient): Promise<number> {
  let sent = 0;
  for (;;) {
    const since = (await getCursor(ctx.engine.db, OUT_LINK))?.last_seq ?? 0;
    const page = await collectOutbound(ctx, fed, key, since, fed.pageSize ?? 500);
    await Promise.all(page.messages.map((m) => js.publish(m.subject, m.data, { msgID: m.msgId, timeout: 5000 })));
    if (page.next > since) {
      await ctx.engine.writeTransaction(async (trx) => {
        await recordSent(trx, page.shared, page.withdrawn);
        await advanceCursor(trx, OUT_LINK, page.next, nowIso());
      });
    }
    sent += page.messages.length;
    if (page.caughtUp) return sent;
  }
}

/** The confederation's strategies whose content changed since last sent (`sent`: digest by id, kept by the caller). */
export async function publishStrategies(ctx: Ctx, fed: FederationConfig, key: NodeKey, js: JetStreamClient, sent: Map<string, string>): Promise<number> {
  const { messages, digests, shared, withdrawn } = await strategySnapshots(ctx, fed, key, sent);
  await Promise.all(messages.map((m) => js.publish(m.subject, m.data, { msgID: m.msgId, timeout: 5000 })));
  for (const [id, d] of digests) sent.set(id, d);
  // What went out is remembered, so that a strategy that may no longer go is withdrawn from the receivers (once).
  const ref = (id: string) => ({ type: 'strategy', id });
  if (shared.length || withdrawn.length) await ctx.engine.writeTransaction((trx) => recordSent(trx, shared.map(ref), withdrawn.map(ref)));
  return messages.length;
}

type Applied = ReceiveResult & { fetched: number; parked: number };
const NOTHING: Applied = { applied: 0, refused: [], fetched: 0, parked: 0 };

/** A batch fetched from the inbound stream, decoded and its signatures checked, not yet applied nor acknowledged. */
interface Fetched {
  msgs: JsMsg[];
  prepared: PreparedBatch;
  /** When it was delivered (its ack wait runs from then). */
  at: number;
}

/**
 * Fetches the next batch: what is waiting, so that the fetch returns as soon as it has it (its expiry is at least 1 s).
 * Messages delivered but not acknowledged (a batch lost while the client reconnected) come back after the ack wait:
 * they count, except the `inFlight` ones this applier holds itself.
 */
async function fetchBatch(ctx: Ctx, consumer: Consumer, max: number, inFlight: number): Promise<Fetched | null> {
  const info = await consumer.info();
  const pending = info.num_pending + info.num_ack_pending - inFlight;
  if (pending <= 0) return null;
  const batch = await consumer.fetch({ max_messages: Math.min(max, pending), expires: 1000 });
  const msgs: JsMsg[] = [];
  for await (const m of batch) msgs.push(m);
  if (!msgs.length) return null;
  const at = Date.now();
  return { msgs, prepared: await prepareReceived(ctx, msgs.map((m) => ({ subject: m.subject, data: m.data }))), at };
}

/** Applies a fetched batch in one transaction, then acknowledges it: nothing is acknowledged before it committed. */
async function applyFetched(ctx: Ctx, fed: FederationConfig, got: Fetched): Promise<Applied> {
  // A batch that waited its turn long gets its ack wait back, so that it is not redelivered while it is being applied.
  if (Date.now() - got.at > ACK_WAIT_MS / 4) for (const m of got.msgs) m.working();
  // A message that cannot be applied is parked after bounded retries: it never stalls the ones after it.
  const result = await receiveOrPark(ctx, fed, got.prepared);
  for (const m of got.msgs) m.ack();
  return { ...result, fetched: got.msgs.length };
}

/** Fetches and applies one batch from the inbound stream; acknowledges after the batch committed. */
export async function applyAvailable(ctx: Ctx, fed: FederationConfig, js: JetStreamClient, max = 500, expiresMs = 0): Promise<Applied> {
  const got = await fetchBatch(ctx, await js.consumers.get(inboundStream(fed), APPLIER), max, 0);
  if (!got) {
    if (expiresMs) await new Promise((r) => setTimeout(r, expiresMs));
    return NOTHING;
  }
  return applyFetched(ctx, fed, got);
}

/** A node's running applier: `applyAvailable` applies one batch; `close` gives back the batch fetched ahead. */
export interface InboundApplier {
  applyAvailable(expiresMs?: number): Promise<Applied>;
  close(): Promise<void>;
}

/**
 * The applier of a node's inbound stream, for its loop: while one batch is applied in its transaction (the process
 * mostly waits on the database then), the next one is fetched, decoded and its signatures verified. The batch fetched
 * ahead is acknowledged only after its own transaction committed; lost with the process, it is delivered again.
 */
export function inboundApplier(ctx: Ctx, fed: FederationConfig, js: JetStreamClient, max = 500): InboundApplier {
  let consumer: Consumer | undefined;
  let ahead: Promise<Fetched | null> | undefined;
  const next = async (inFlight: number) => {
    consumer ??= await js.consumers.get(inboundStream(fed), APPLIER);
    return fetchBatch(ctx, consumer, max, inFlight);
  };
  return {
    async applyAvailable(expiresMs = 0) {
      const pending = ahead ?? next(0);
      ahead = undefined;
      let got: Fetched | null;
      try {
        got = await pending;
      } catch (e) {
        consumer = undefined; // asked again after a failure (the client reconnecting, the consumer re-created)
        throw e;
      }
      if (!got) {
        if (expiresMs) await new Promise((r) => setTimeout(r, expiresMs));
        return NOTHING;
      }
      // The next batch is fetched while this one is applied; a failure there surfaces at the next call.
      const fetching = next(got.msgs.length);
      fetching.catch(() => undefined);
      ahead = fetching;
      return applyFetched(ctx, fed, got);
    },
    async close() {
      // The batch fetched ahead goes back to the stream at once (not after the ack wait), for whoever applies next.
      const left = await ahead?.catch(() => null);
      ahead = undefined;
      for (const m of left?.msgs ?? []) m.nak();
    },
  };
}

const RUNNING = new WeakMap<Ctx, { fed: FederationConfig; nc: NatsConnection }>();

/** The federation link this process runs for a context, if any (the status route reads it). */
export function runningFederation(ctx: Ctx): { fed: FederationConfig; nc: NatsConnection } | undefined {
  return RUNNING.get(ctx);
}

/** A running federation node: its loops stop with `stop()`. */
export interface FederationNode {
  nc: NatsConnection;
  stop(): Promise<void>;
}

/** Starts the node's loop (publisher for a national node, applier for the confederation), resilient to link outages. */
export async function startFederation(ctx: Ctx, fed: FederationConfig, key: NodeKey, log: (m: string) => void = () => {}): Promise<FederationNode> {
  const nc = await connectNats(fed, true);
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  RUNNING.set(ctx, { fed, nc });
  let running = true;
  let wake = () => {};
  const off = onEvent(ctx, 'changes.appended', () => wake());
  const link = fed.role === 'national' ? OUT_LINK : inLink('*');
  const strategiesSent = new Map<string, string>();
  const applier = inboundApplier(ctx, fed, js, 500);
  const loop = (async () => {
    let ready = false;
    while (running) {
      try {
        if (!ready) {
          if (fed.role === 'national') await ensureNationalStream(jsm, fed);
          else await ensureConfederationStream(jsm, fed);
          ready = true;
        }
        // Both ways: what this node owns goes out, what its peers own comes in.
        await publishPending(ctx, fed, key, js);
        if (fed.role === 'confederation') await publishStrategies(ctx, fed, key, js, strategiesSent);
        const got = await applier.applyAvailable();
        for (const r of got.refused) log(`federation: refused ${r.subject} (${r.reason})`);
        if (!got.fetched) await new Promise<void>((r) => { const t = setTimeout(r, 1000); wake = () => { clearTimeout(t); r(); }; });
      } catch (e) {
        if (!running) break;
        const msg = e instanceof Error ? e.message : String(e);
        await ctx.engine.writeTransaction((trx) => recordLinkError(trx, link, msg, nowIso())).catch(() => undefined);
        log(`federation: ${msg}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    nc,
    stop: async () => {
      running = false;
      RUNNING.delete(ctx);
      wake();
      off();
      await loop;
      await applier.close().catch(() => undefined);
      await nc.close();
    },
  };
}
