/** What the browser knows of its link (the Network Information API; Chromium-based browsers only). */
export interface LinkInfo {
  effectiveType?: string;
  /** Mbit/s, as estimated by the browser. */
  downlink?: number;
  saveData?: boolean;
}

/**
 * Whether the link is too slow for the detailed map's first view (MapLibre alone is ~390 KB gzip, 12 s at
 * 256 kbit/s): data saver on, or the browser's 2G/3G-class estimate (round trips over ~270 ms or under ~0.7 Mbit/s).
 * Unknown links count as fast.
 */
export function isSlowLink(link: LinkInfo | undefined | null): boolean {
  if (!link) return false;
  if (link.saveData) return true;
  return !!link.effectiveType && ['slow-2g', '2g', '3g'].includes(link.effectiveType);
}

/** The current browser's link. */
export function currentLink(): LinkInfo | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { connection?: LinkInfo }).connection;
}
