import { CONFEDERATION_ORG } from '@vigie/domain';
import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { Database, NotificationsTable } from '../db/schema.js';
import type { Principal } from '@vigie/domain';
import { alertVisibleTo, type Audience } from './alert.repository.js';
import { heldVisibleTo } from './federation.repository.js';
import { levelVisibleTo, visibleTo } from './visibility.js';

export type NotificationInsert = Insertable<NotificationsTable>;

/** Writes notifications; one whose dedupe key is already there is skipped (a retried change writes nothing new). */
export async function insertNotifications(trx: Trx, rows: NotificationInsert[]): Promise<void> {
  if (!rows.length) return;
  await trx.insertInto('notifications').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
}

/** Enabled users of an organisation holding one of these roles, at or above a clearance. */
export async function recipientsIn(trx: Trx, organisations: readonly string[], roles: readonly string[], minClearance: number) {
  if (!organisations.length || !roles.length) return [];
  return trx.selectFrom('users').select(['id', 'organisation', 'clearance'])
    .where('organisation', 'in', [...organisations]).where('role', 'in', [...roles])
    .where('disabled', '=', 0).where('clearance', '>=', minClearance).execute();
}

/** What every notification of a fan-out shares (the recipient aside). */
export interface NotificationFanOut {
  kind: string;
  object_type: string;
  object_id: string;
  reason: string | null;
  classification_level: number;
  /** `:kind:object:occurrence`, appended to each recipient's id to make the dedupe key. */
  dedupe_suffix: string;
  created_at: string;
  /** The first 24 characters of each row's id (lib/ids.ts: newIdPrefix, time then randomness); the recipient's id ends it. */
  id_prefix: string;
}

/**
 * Fans one notification out to every enabled user of these organisations and roles at or above a clearance, in one
 * INSERT … SELECT (no round trip per recipient, no list of ids carried through the application); a recipient who has
 * it already (same dedupe key) is skipped. Returns how many were written.
 */
export async function insertNotificationsForRecipients(
  trx: Trx, organisations: readonly string[], roles: readonly string[], minClearance: number, n: NotificationFanOut,
): Promise<number> {
  if (!organisations.length || !roles.length) return 0;
  const text = (v: string | null) => sql<string>`cast(${v} as text)`;
  const recipients = trx.selectFrom('users')
    .select([
      sql<string>`${text(n.id_prefix.slice(0, 24))} || substr(users.id, length(users.id) - 11, 12)`.as('id'),
      'users.id as user_id', text(n.kind).as('kind'), text(n.object_type).as('object_type'), text(n.object_id).as('object_id'),
      text(n.reason).as('reason'), sql<number>`cast(${n.classification_level} as integer)`.as('classification_level'),
      sql<string>`users.id || ${text(n.dedupe_suffix)}`.as('dedupe_key'), text(n.created_at).as('created_at'), text(null).as('read_at'),
    ])
    .where('organisation', 'in', [...organisations]).where('role', 'in', [...roles])
    .where('disabled', '=', 0).where('clearance', '>=', minClearance);
  const r = await trx.insertInto('notifications')
    .columns(['id', 'user_id', 'kind', 'object_type', 'object_id', 'reason', 'classification_level', 'dedupe_key', 'created_at', 'read_at'])
    .expression(recipients)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** Who may see each kind of object a notification points at, asked again at every read. */
export interface ReaderScope {
  principal: Principal;
  /** The reader's alert audience; null when the reader may not read alerts. */
  audience: Audience | null;
  actions: boolean;
  values: boolean;
  /** Kinds the reader turned off in the inbox (notification settings): kept, but not shown. */
  hiddenKinds?: readonly string[];
  /** The reader may read situation reports (sitrep.read). */
  sitreps?: boolean;
}

type NEb = ExpressionBuilder<Database, 'notifications'>;

/**
 * The reader's own notifications whose object they may still see: an incident through the who-sees-what rule, an alert
 * through the alerts' rule for their audience (one held from the confederation through the held copies' rule), an action with the coordination verb within their clearance, an indicator value within their
 * clearance. Never a notification of someone else.
 */
function readable(trx: Trx, s: ReaderScope): (eb: NEb) => Expression<SqlBool> {
  const p = s.principal;
  return (eb) => {
    const objectId = sql.ref<string>('notifications.object_id');
    const branches: Expression<SqlBool>[] = [
      eb.and([eb('notifications.object_type', '=', 'incident'),
        eb.exists(trx.selectFrom('incidents').select('incidents.id').where('incidents.id', '=', objectId).where(visibleTo(p)))]),
    ];
    const audience = s.audience;
    if (audience) {
      branches.push(eb.and([eb('notifications.object_type', '=', 'alert'),
        eb.exists(trx.selectFrom('alerts').select('alerts.id').where('alerts.id', '=', objectId).where(alertVisibleTo(p, audience)))]));
      // An alert held from the confederation, under the held copies' rule: gone from the inbox once withdrawn.
      branches.push(eb.and([eb('notifications.object_type', '=', 'alert'),
        eb.exists(trx.selectFrom('federation_objects').select('federation_objects.entity_id').where('federation_objects.entity_type', '=', 'alert')
          .where('federation_objects.entity_id', '=', objectId).where(heldVisibleTo(p.kind === 'system' ? null : p.clearance)))]));
    }
    if (s.actions) {
      // An action still within the reader's clearance (it may have been re-classified since).
      branches.push(eb.and([eb('notifications.object_type', '=', 'action'),
        eb.exists(trx.selectFrom('coordination_actions').select('coordination_actions.id').where('coordination_actions.id', '=', objectId).where(levelVisibleTo(p, 'coordination_actions.classification_level')))]));
    }
    if (s.values) branches.push(eb('notifications.object_type', '=', 'indicator_value'));
    if (s.sitreps) {
      // A situation report: still within the reader's clearance and for their audience (the confederation or their state).
      let reports = trx.selectFrom('situation_reports').select('situation_reports.id').where('situation_reports.id', '=', objectId);
      if (p.kind !== 'system') reports = reports.where('situation_reports.ceiling', '<=', p.clearance).where('situation_reports.audience', 'in', [CONFEDERATION_ORG, p.organisation]);
      branches.push(eb.and([eb('notifications.object_type', '=', 'sitrep'), eb.exists(reports)]));
    }
    return eb.and([
      eb('notifications.user_id', '=', p.userId ?? ''),
      ...(s.hiddenKinds?.length ? [eb('notifications.kind', 'not in', [...s.hiddenKinds])] : []),
      eb('notifications.classification_level', '<=', p.kind === 'system' ? 3 : p.clearance),
      eb.or(branches),
    ]);
  };
}

/** A page of the reader's notifications, newest first, with what names each object. */
export async function listNotificationRows(trx: Trx, s: ReaderScope, q: { unread: boolean; limit: number; after?: { at: string; id: string }; only?: string }) {
  let query = trx.selectFrom('notifications')
    .leftJoin('incidents', (j) => j.onRef('incidents.id', '=', 'notifications.object_id').on('notifications.object_type', '=', 'incident'))
    .leftJoin('alerts', (j) => j.onRef('alerts.id', '=', 'notifications.object_id').on('notifications.object_type', '=', 'alert'))
    .leftJoin('coordination_actions', (j) => j.onRef('coordination_actions.id', '=', 'notifications.object_id').on('notifications.object_type', '=', 'action'))
    .leftJoin('indicator_values', (j) => j.onRef('indicator_values.id', '=', 'notifications.object_id').on('notifications.object_type', '=', 'indicator_value'))
    .leftJoin('strategy_indicators', 'strategy_indicators.id', 'indicator_values.indicator_id')
    .leftJoin('situation_reports', (j) => j.onRef('situation_reports.id', '=', 'notifications.object_id').on('notifications.object_type', '=', 'sitrep'))
    .select([
      'notifications.id', 'notifications.kind', 'notifications.object_type', 'notifications.object_id', 'notifications.reason',
      'notifications.created_at', 'notifications.read_at', 'notifications.dedupe_key',
      'incidents.occurred_start', 'incidents.admin1_code', 'alerts.title as alert_title', 'coordination_actions.title as action_title',
      'coordination_actions.due_date', 'strategy_indicators.code as indicator_code', 'indicator_values.period as value_period',
      'notifications.classification_level', 'incidents.classification_level as incident_level', 'alerts.classification_level as alert_level',
      'situation_reports.period as sitrep_period',
    ])
    .where(readable(trx, s));
  if (q.only) query = query.where('notifications.id', '=', q.only);
  if (q.unread) query = query.where('notifications.read_at', 'is', null);
  if (q.after) {
    const { at, id } = q.after;
    query = query.where((eb) => eb.or([eb('notifications.created_at', '<', at), eb.and([eb('notifications.created_at', '=', at), eb('notifications.id', '<', id)])]));
  }
  return query.orderBy('notifications.created_at', 'desc').orderBy('notifications.id', 'desc').limit(q.limit + 1).execute();
}

/** Unread notifications the reader may see. */
export async function countUnread(trx: Trx, s: ReaderScope): Promise<number> {
  const r = await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(readable(trx, s)).where('notifications.read_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Marks the reader's notifications read (these ids, or all of them); returns how many changed. */
export async function markRead(trx: Trx, userId: string, ids: readonly string[] | 'all', at: string): Promise<number> {
  let q = trx.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', [...ids]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Open actions of a state due on or before a day that a reader cleared to `clearance` may see (the reminders' subjects). */
export function openActionsDueBy(trx: Trx, state: string, day: string, openStatuses: readonly string[], clearance: number) {
  return trx.selectFrom('coordination_actions').select(['id', 'due_date', 'classification_level']).where('owner_state', '=', state).where('classification_level', '<=', clearance)
    .where('status', 'in', [...openStatuses]).where('due_date', '<=', day).execute();
}
