/** What the browser knows of its link (the Network Information API; Chromium-based browsers only). */
export interface LinkInfo {
  effectiveType?: string;
  /** Mbit/s, as estimated by the browser. */
  downlink?: number;
  saveData?: boolean;
}

/**
 * Whether the link is too slow for the detailed map's first view (MapLibre alone is ~390 KB gzip, 12 s at
 * 256 kbit/s): data saver on, a 2G/3G-class estimate, or under 1 Mbit/s. Unknown links count as fast.
 */
export function isSlowLink(link: LinkInfo | undefined | null): boolean {
  if (!link) return false;
  if (link.saveData) return true;
  if (link.effectiveType && ['slow-2g', '2g', '3g'].includes(link.effectiveType)) return true;
  return typeof link.downlink === 'number' && link.downlink > 0 && link.downlink < 1;
}

/** The current browser's link. */
export function currentLink(): LinkInfo | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { connection?: LinkInfo }).connection;
}
