/** Pure helpers of the briefing page. */

export type Trend = 'up' | 'down' | 'same';

/** This week against the last: the difference, its direction and the relative change (null when last week was 0). */
export function weekChange(current: number, previous: number): { delta: number; trend: Trend; ratio: number | null } {
  const delta = current - previous;
  return { delta, trend: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same', ratio: previous > 0 ? delta / previous : null };
}
