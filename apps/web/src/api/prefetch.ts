/** An operation of the generated client (api/generated.ts): its input, then an abort signal. */
type Operation<I, R> = (input: I, signal?: AbortSignal) => Promise<R>;

const pending = new Map<Operation<never, unknown>, Map<string, Promise<unknown>>>();

/**
 * Starts a GET before the page that needs it is mounted — at boot, in parallel with /auth/me — so that on a
 * high-latency link the first view's data costs one round trip less.
 */
export function prefetch<I, R>(op: Operation<I, R>, input: I): void {
  const calls = pending.get(op) ?? pending.set(op, new Map()).get(op)!;
  const key = JSON.stringify(input);
  if (calls.has(key)) return;
  const p = op(input);
  p.catch(() => undefined); // a failure is reported to the page that takes it
  calls.set(key, p);
}

/**
 * The prefetched answer for exactly this call (once), else a fresh GET. A prefetch that failed (e.g. made before
 * sign-in) is asked again rather than shown as an error.
 */
export function prefetchedOr<I, R>(op: Operation<I, R>, input: I, signal?: AbortSignal): Promise<R> {
  const calls = pending.get(op);
  const key = JSON.stringify(input);
  const p = calls?.get(key) as Promise<R> | undefined;
  calls?.delete(key);
  return p ? p.catch(() => op(input, signal)) : op(input, signal);
}
