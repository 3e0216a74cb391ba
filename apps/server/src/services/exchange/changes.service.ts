import type { z } from 'zod';
/**
 * The change feed (docs/changes.md): what changed after a seq, as the reader sees it now — the current record, or a
 * tombstone for a record that left their view — keyset-paged on the change log's seq, with a long poll for live
 * followers. Each kind of record is read through its own visibility rule, in bulk where the repository offers it.
 */
import {
  AUDITED_READ_LEVEL, CLASSIFICATIONS, changesQuerySchema, roleCan, type ChangeEntityType, type ChangeItem, type ChangesPage,
  type Incident, type Permission, parseInput,
} from '@vigie/domain';
import type { Trx } from '../../db/engine.js';
import { sha256 } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import { changesSince, incidentsOnceVisible, type ChangeLogRow } from '../../repositories/change-log.repository.js';
import { getActionRow, getDecisionRow, getMeetingRow, objectivesOf } from '../../repositories/coordination.repository.js';
import { readVisibleIncidents } from '../../repositories/incident.repository.js';
import { getIndicatorRow, getValueRow } from '../../repositories/strategy.repository.js';
import { alertForReader } from '../alerts/alert.service.js';
import { auditCoordinationRead, toDecision, toMeeting } from '../coordination/coordination.service.js';
import type { Ctx } from '../context.js';
import { onEvent } from '../events.js';
import { mutate } from '../mutation.js';
import type { Principal } from '../principal.js';
import { readableStrategy } from '../strategy/strategy.service.js';
import { toValueView } from '../strategy/views.js';

/** The read permission each kind of record needs: a reader without it gets no entry of that kind at all. */
const READ_PERMISSION: Record<ChangeEntityType, Permission> = {
  incident: 'incident.read',
  alert: 'alert.read',
  indicator_value: 'strategy.read',
  meeting: 'coordination.read',
  decision: 'coordination.read',
  action: 'coordination.read',
};

/** How often a waiting follower looks at the log itself: changes written by another process raise no event here. */
const POLL_MS = 2000;

const can = (p: Principal, v: Permission) => p.kind === 'system' || roleCan(p.role, v);

/** Digest of what decides the reader's view: when it changes, a mirror built under the old view must be rebuilt. */
export const readerView = (p: Principal): string => sha256(JSON.stringify([p.kind, p.userId, p.role, p.organisation, p.clearance])).slice(0, 16);

type Resolved = { record: unknown } | { tombstone: 'merged' | 'hidden'; mergedInto?: string | null } | null;

/** Incidents in bulk: the visible ones (merged ones as tombstones), and tombstones for those once visible. */
async function resolveIncidents(ctx: Ctx, trx: Trx, principal: Principal, ids: string[], classified: Incident[]): Promise<Map<string, Resolved>> {
  const visible = await readVisibleIncidents(ctx.engine, principal, ids);
  const gone = ids.filter((id) => !visible.has(id));
  const once = gone.length ? await incidentsOnceVisible(trx, principal, gone) : new Set<string>();
  const targets = [...visible.values()].flatMap((r) => (r.status === 'merged' && r.merged_into ? [r.merged_into] : []));
  const seenTargets = targets.length ? await readVisibleIncidents(ctx.engine, principal, targets) : new Map<string, Incident>();
  const out = new Map<string, Resolved>();
  for (const id of ids) {
    const rec = visible.get(id);
    if (rec?.status === 'merged') out.set(id, { tombstone: 'merged', mergedInto: rec.merged_into && seenTargets.has(rec.merged_into) ? rec.merged_into : null });
    else if (rec) {
      out.set(id, { record: rec });
      if (CLASSIFICATIONS.indexOf(rec.classification) >= AUDITED_READ_LEVEL) classified.push(rec);
    } else out.set(id, once.has(id) ? { tombstone: 'hidden' } : null);
  }
  return out;
}

/** One record of another kind as the reader sees it now, or null (left out). */
async function resolveOne(ctx: Ctx, trx: Trx, principal: Principal, type: ChangeEntityType, id: string): Promise<Resolved> {
  switch (type) {
    case 'alert': {
      const alert = await alertForReader(ctx, principal, id);
      return alert ? { record: alert } : null;
    }
    case 'indicator_value': {
      const v = await getValueRow(trx, id);
      const ind = v && (await getIndicatorRow(trx, v.indicator_id));
      if (!v || !ind) return null;
      try {
        await readableStrategy(ctx, trx, principal, ind.strategy_id);
      } catch (e) {
        if (e instanceof Problem) return null;
        throw e;
      }
      // Another state's value is seen once approved (listStrategyValues).
      const mine = principal.kind === 'system' || v.state === principal.organisation;
      return mine || v.status === 'approved' ? { record: toValueView(v) } : null;
    }
    // Coordination objects within the reader's clearance (SQL), with their level named: a federation link's reader
    // is cleared at its ceiling, so one re-classified above it leaves the link (a withdrawal, federation.service.ts).
    case 'meeting': {
      const m = await getMeetingRow(trx, principal, id);
      return m ? { record: toMeeting(m) } : null;
    }
    case 'decision': {
      const d = await getDecisionRow(trx, principal, id);
      return d ? { record: toDecision(d) } : null;
    }
    case 'action': {
      const { classification_level, ...a } = (await getActionRow(trx, principal, id)) ?? { classification_level: -1 };
      if (classification_level < 0) return null;
      return { record: { ...a, classification: CLASSIFICATIONS[classification_level] ?? 'secret', objective_ids: (await objectivesOf(trx, [id])).get(id) ?? [] } };
    }
    case 'incident':
      throw new Error('incidents are resolved in bulk');
  }
}

/** Resolves after the next change-log append in this process, or after `ms`, or when `signal` aborts. */
function nextChange(ctx: Ctx, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let off = () => {};
    const done = () => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    off = onEvent(ctx, 'changes.appended', done);
    signal?.addEventListener('abort', done);
  });
}

/**
 * A page of the feed after `since`. With `wait`, an empty answer is held until a change is appended (or the wait ends,
 * or the reader goes). `next_since` moves past every entry read, even those the reader gets nothing for.
 */
export async function readChanges(ctx: Ctx, principal: Principal, input: z.input<typeof changesQuerySchema> | z.output<typeof changesQuerySchema>, signal?: AbortSignal): Promise<ChangesPage> {
  const q = parseInput(changesQuerySchema, input ?? {});
  const db = ctx.engine.db;
  const deadline = Date.now() + q.wait * 1000;
  let rows = await changesSince(db, q.since, q.limit);
  while (!rows.length && Date.now() < deadline && !signal?.aborted) {
    await nextChange(ctx, Math.min(POLL_MS, deadline - Date.now()), signal);
    rows = await changesSince(db, q.since, q.limit);
  }
  const items = await answer(ctx, principal, rows);
  return { items, next_since: rows.at(-1)?.seq ?? q.since, caught_up: rows.length < q.limit, reader_view: readerView(principal) };
}

/** The page's entries resolved for the reader: one item per record (its latest entry), in seq order. */
async function answer(ctx: Ctx, principal: Principal, rows: ChangeLogRow[]): Promise<ChangeItem[]> {
  const latest = new Map<string, ChangeLogRow>();
  for (const r of rows) {
    const key = `${r.entity_type}:${r.entity_id}`;
    latest.delete(key);
    latest.set(key, r);
  }
  const entries = [...latest.values()].filter((r) => READ_PERMISSION[r.entity_type as ChangeEntityType] && can(principal, READ_PERMISSION[r.entity_type as ChangeEntityType]));
  const db = ctx.engine.db;
  const classified: Incident[] = [];
  const incidentIds = entries.filter((r) => r.entity_type === 'incident').map((r) => r.entity_id);
  const incidents = incidentIds.length ? await resolveIncidents(ctx, db, principal, incidentIds, classified) : new Map<string, Resolved>();
  const items: ChangeItem[] = [];
  const classifiedAlerts: { id: string; level: number }[] = [];
  const classifiedCoordination: { id: string; classification: string }[] = [];
  for (const r of entries) {
    const type = r.entity_type as ChangeEntityType;
    const got = type === 'incident' ? incidents.get(r.entity_id) ?? null : await resolveOne(ctx, db, principal, type, r.entity_id);
    if (!got) continue;
    if ('record' in got) {
      items.push({ seq: r.seq, type, id: r.entity_id, op: r.op, changed_at: r.changed_at, deleted: false, record: got.record });
      const named = (got.record as { classification?: (typeof CLASSIFICATIONS)[number] }).classification;
      const level = type !== 'indicator_value' && named ? CLASSIFICATIONS.indexOf(named) : -1;
      if (level >= AUDITED_READ_LEVEL && type === 'alert') classifiedAlerts.push({ id: r.entity_id, level });
      if (named && COORDINATION.has(type)) classifiedCoordination.push({ id: r.entity_id, classification: named });
    } else items.push({ seq: r.seq, type, id: r.entity_id, deleted: true, reason: got.tombstone, merged_into: got.mergedInto ?? null });
  }
  await auditClassified(ctx, principal, classified, classifiedAlerts);
  await auditCoordinationRead(ctx, principal, classifiedCoordination, 'changes');
  return items;
}

const COORDINATION = new Set<ChangeEntityType>(['meeting', 'decision', 'action']);


/** Confidential and secret content read through the feed goes to the audit trail before the answer leaves. */
async function auditClassified(ctx: Ctx, principal: Principal, incidents: Incident[], alerts: { id: string; level: number }[]): Promise<void> {
  if (principal.kind === 'system' || (!incidents.length && !alerts.length)) return;
  const top = Math.max(...incidents.map((i) => CLASSIFICATIONS.indexOf(i.classification)), ...alerts.map((a) => a.level));
  await mutate(ctx, principal, {
    // The verbs of what was read (each entry was already filtered by its read verb).
    permission: [...(incidents.length ? ['incident.read' as const] : []), ...(alerts.length ? ['alert.read' as const] : [])],
    run: async () => ({ result: undefined, audit: {
      action: 'changes.read', objectType: 'incident', classificationLevel: top,
      sharingScope: incidents.some((i) => i.sharing_scope === 'national') ? 'national' : 'confederation', ownerState: principal.organisation,
      details: { incidents: incidents.map((i) => i.id), ...(alerts.length ? { alerts: alerts.map((a) => a.id) } : {}) },
    } }),
  });
}

/** What a live follower is sent (server-sent events): each item, and where the feed stands after each page. */
export type FollowEvent =
  | { event: 'change'; id: number; data: ChangeItem }
  | { event: 'position'; id: number; data: { next_since: number; caught_up: boolean; reader_view: string } };

/** A live follower's wait per round: its session is looked at again after each (a sign-out ends the stream then). */
const FOLLOW_WAIT_S = 25;

export interface FollowOptions {
  /** Resolves when the reader can take more (backpressure): the next page is read only then. */
  drained(): Promise<void>;
  /** The reader as the session says now (null once signed out or expired): checked before each page. */
  current(): Promise<Principal | null>;
  signal: AbortSignal;
}

/**
 * Follows the feed after `since` for as long as the reader stays: every page as `change` events then a `position`
 * event (its id is the page's `next_since`, so a reconnection with Last-Event-ID resumes exactly there, even past
 * entries the reader got nothing for), then waits for the next change. Each page is the answer of readChanges (the
 * same reader's view, tombstones and audit). Ends when the reader goes, signs out, or their view changes (after a last
 * `position` carrying the new `reader_view`: the client rebuilds its mirror from 0).
 */
export async function followChanges(ctx: Ctx, principal: Principal, since: number, send: (e: FollowEvent) => void, opts: FollowOptions): Promise<void> {
  const view = readerView(principal);
  let at = since;
  let reader = principal;
  while (!opts.signal.aborted) {
    const page = await readChanges(ctx, reader, { since: at, limit: 1000, wait: FOLLOW_WAIT_S }, opts.signal);
    if (opts.signal.aborted) return;
    for (const item of page.items) send({ event: 'change', id: item.seq, data: item });
    if (page.next_since !== at || page.items.length) send({ event: 'position', id: page.next_since, data: { next_since: page.next_since, caught_up: page.caught_up, reader_view: page.reader_view } });
    at = page.next_since;
    await opts.drained();
    const now = await opts.current();
    if (!now) return;
    if (readerView(now) !== view) {
      send({ event: 'position', id: at, data: { next_since: at, caught_up: true, reader_view: readerView(now) } });
      return;
    }
    reader = now;
  }
}
