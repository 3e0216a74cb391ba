import { apiUrl, get } from './client';

type Query = Parameters<typeof apiUrl>[1];
const pending = new Map<string, Promise<unknown>>();

/**
 * Starts a GET before the page that needs it is mounted — at boot, in parallel with /auth/me — so that on a
 * high-latency link the first view's data costs one round trip less.
 */
export function prefetch(path: string, query?: Query): void {
  const url = apiUrl(path, query);
  if (pending.has(url)) return;
  const p = get<unknown>(path, query);
  p.catch(() => undefined); // a failure is reported to the page that takes it
  pending.set(url, p);
}

/**
 * The prefetched answer for exactly this call (once), else a fresh GET. A prefetch that failed (e.g. made before
 * sign-in) is asked again rather than shown as an error.
 */
export function prefetchedOrGet<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, query);
  const p = pending.get(url) as Promise<T> | undefined;
  pending.delete(url);
  return p ? p.catch(() => get<T>(path, query, signal)) : get<T>(path, query, signal);
}
