/**
 * Alerts a national node holds read-only from the confederation (docs/federation.md), as its readers get them in the
 * alert list, the live stream and the badge: visibility decided in SQL on the held copy's level and scope
 * (listHeldVisible), then the list's own filters on the copy; marked with their owner node and read-only, and carrying
 * this node's own acknowledgement until the owner's new state comes back.
 */
import type { Alert, AlertListQuery } from '@vigie/domain/alert.schema';
import type { TextLang } from '@vigie/domain/alert-text';
import type { Db } from '../../db/engine.js';
import { listForeignObjects, listHeldVisible, type ForeignObjectRow } from '../../repositories/federation.repository.js';
import type { Principal } from '../principal.js';

/** Whether a held alert passes the list's filters (status, rule, severity, states, area, window). */
function fits(a: Alert, q: AlertListQuery): boolean {
  if (q.status?.length && !q.status.includes(a.status)) return false;
  if (q.open === 'true' && a.status === 'closed') return false;
  if (q.open === 'false' && a.status !== 'closed') return false;
  if (q.rule?.length && !q.rule.includes(a.rule)) return false;
  if (q.severity?.length && !q.severity.includes(a.severity)) return false;
  if (q.states?.length && !a.states.some((s) => q.states?.includes(s.state))) return false;
  if (q.area && !a.areas.includes(q.area)) return false;
  if (q.from && a.window_end < `${q.from}T00:00:00.000Z`) return false;
  if (q.to && a.window_start > `${q.to}T23:59:59.999Z`) return false;
  return true;
}

/** The copy as this node's reader gets it: owner, read-only, texts in their language, this node's acknowledgement shown. */
function asAlert(row: ForeignObjectRow, acks: Map<string, { state: string; at: string; note?: string | null }>, lang: TextLang): Alert {
  const a = JSON.parse(row.record ?? 'null') as Alert;
  const ack = acks.get(a.id);
  const states = ack ? a.states.map((s) => (s.state === ack.state && !s.acknowledged_at ? { ...s, acknowledged_at: ack.at, note: ack.note ?? null } : s)) : a.states;
  const texts = a.texts?.[lang];
  return { ...a, ...(texts ? { title: texts.title, summary: texts.summary } : {}), states, origin_node: row.origin_node, read_only: true };
}

/** This node's own acknowledgements of held alerts (sent to their owner), by alert. */
async function ownAcks(db: Db, ids: readonly string[]): Promise<Map<string, { state: string; at: string; note?: string | null }>> {
  const out = new Map<string, { state: string; at: string; note?: string | null }>();
  if (!ids.length) return out;
  for (const r of await listForeignObjects(db, { type: 'alert_ack' })) {
    const ack = JSON.parse(r.record ?? 'null') as { alert_id?: string; state: string; at: string; note?: string | null } | null;
    if (ack?.alert_id && ids.includes(ack.alert_id)) out.set(ack.alert_id, ack);
  }
  return out;
}

const clearanceOf = (p: Principal) => (p.kind === 'system' ? null : p.clearance);

/** The held alerts the reader may see that pass the list's filters, newest first. */
export async function heldAlertsFor(db: Db, principal: Principal, q: AlertListQuery, lang: TextLang = 'fr'): Promise<Alert[]> {
  const rows = await listHeldVisible(db, { type: 'alert', clearance: clearanceOf(principal) });
  if (!rows.length) return [];
  const acks = await ownAcks(db, rows.map((r) => r.entity_id));
  return rows.map((r) => asAlert(r, acks, lang)).filter((a) => fits(a, q)).sort((x, y) => y.created_at.localeCompare(x.created_at) || y.id.localeCompare(x.id));
}

/** One held alert as the reader may see it, or null. */
export async function heldAlertFor(db: Db, principal: Principal, id: string, lang: TextLang = 'fr'): Promise<Alert | null> {
  const [row] = await listHeldVisible(db, { type: 'alert', clearance: clearanceOf(principal), ids: [id] });
  if (!row) return null;
  return asAlert(row, await ownAcks(db, [id]), lang);
}

/** The titles of held alerts the reader may see among these ids, by id (what names them in the inbox and its e-mails). */
export async function heldAlertTitles(db: Db, principal: Principal, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await listHeldVisible(db, { type: 'alert', clearance: clearanceOf(principal), ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [r.entity_id, (JSON.parse(r.record ?? 'null') as Alert | null)?.title ?? '']));
}
