/**
 * What ctx.events carries for alerts, after commit ('updated': its figures were re-computed, or a held copy changed;
 * 'withdrawn': a held copy is gone — withdrawn by its owner, re-classified above the link's ceiling, scope narrowed).
 */
export interface AlertChange {
  id: string;
  action: 'issued' | 'acknowledged' | 'responded' | 'closed' | 'updated' | 'withdrawn';
  /**
   * For a copy held from another node that changed or went: its owner, and its level and scope as they stood before
   * the change, so that a reader who could see it then, and no longer can, is told it is gone (and nobody else).
   * Never sent to a reader.
   */
  before?: { origin: string; level: number; scope: string | null };
  /**
   * For one of this node's own alerts re-classified: its level before, so that a reader who could see it then and no
   * longer may is told it is gone (by id only). Never sent to a reader.
   */
  previousLevel?: number;
}

/** The ctx.events name of alert changes, relayed by the live stream to the readers who may see them. */
export const ALERT_EVENT = 'alert.changed';
