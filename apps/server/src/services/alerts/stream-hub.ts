/**
 * The live stream's plumbing: one listener on ctx.events for every connected reader (instead of one each, which
 * Node warns about past ten), and a cap on the streams one user may hold open at once.
 */
import type { EventEmitter } from 'node:events';

/** Streams one user may hold open at once, unless VIGIE_ALERT_STREAMS_PER_USER says otherwise. */
export const DEFAULT_STREAMS_PER_USER = 5;

export function streamsPerUser(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.VIGIE_ALERT_STREAMS_PER_USER);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_STREAMS_PER_USER;
}

type Listener<T> = (payload: T) => void;

/** Fans one event of an emitter out to its subscribers, counting them per user. */
export class StreamHub<T> {
  private readonly subscribers = new Set<Listener<T>>();
  private readonly perUser = new Map<string, number>();
  private readonly relay = (payload: T) => {
    for (const fn of [...this.subscribers]) fn(payload);
  };

  constructor(private readonly events: EventEmitter, private readonly event: string) {}

  /** How many streams this user holds open. */
  open(user: string): number {
    return this.perUser.get(user) ?? 0;
  }

  /** Adds a subscriber for `user` unless they already hold `max`; returns its release function, or null when full. */
  take(user: string, max: number, fn: Listener<T>): (() => void) | null {
    const held = this.open(user);
    if (held >= max) return null;
    this.perUser.set(user, held + 1);
    if (this.subscribers.size === 0) this.events.on(this.event, this.relay);
    this.subscribers.add(fn);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.subscribers.delete(fn);
      const left = this.open(user) - 1;
      if (left > 0) this.perUser.set(user, left);
      else this.perUser.delete(user);
      if (this.subscribers.size === 0) this.events.off(this.event, this.relay);
    };
  }
}

const hubs = new WeakMap<EventEmitter, Map<string, StreamHub<unknown>>>();

/** The hub of `event` on this emitter (one per process and event). */
export function hubFor<T>(events: EventEmitter, event: string): StreamHub<T> {
  let byEvent = hubs.get(events);
  if (!byEvent) hubs.set(events, (byEvent = new Map()));
  let hub = byEvent.get(event);
  if (!hub) byEvent.set(event, (hub = new StreamHub<unknown>(events, event)));
  return hub as StreamHub<T>;
}
