/** What ctx.events carries for alerts, after commit ('updated': its figures were re-computed). */
export interface AlertChange {
  id: string;
  action: 'issued' | 'acknowledged' | 'responded' | 'closed' | 'updated';
}

/** The ctx.events name of alert changes, relayed by the live stream to the readers who may see them. */
export const ALERT_EVENT = 'alert.changed';
