/**
 * The in-process events of ctx.events, by name, with their payloads: emitted after commit by the one mutation path
 * (services/mutation.ts) for live updates and background jobs. A listener reads the payload type from here.
 */
import type { ChangeEntityType } from '@vigie/domain';
import type { AlertChange } from './alerts/alert-events.js';
import type { Ctx } from './context.js';

export interface DomainEvents {
  /** An incident was created, edited or moved through its workflow (or `count` were imported). */
  'incident.changed': { id?: string; action: string; count?: number };
  /** An alert was issued, acknowledged, responded to, closed or re-computed. */
  'alert.changed': AlertChange;
  /** A hand-entered indicator value was entered or moved through its workflow. */
  'indicator_value.changed': { id: string };
  /** A meeting, decision or action changed. */
  'coordination.changed': { type: Extract<ChangeEntityType, 'meeting' | 'decision' | 'action'>; id: string };
  /** The change log grew to `seq`: wakes long-polling followers of GET /api/v1/changes. */
  'changes.appended': { seq: number };
}

export type EventName = keyof DomainEvents;

/** One event as a mutation declares it. */
export type DomainEvent = { [K in EventName]: { name: K; payload: DomainEvents[K] } }[EventName];

/** Builds a typed event (`event('alert.changed', { id, action: 'issued' })`). */
export function event<K extends EventName>(name: K, payload: DomainEvents[K]): DomainEvent {
  return { name, payload } as DomainEvent;
}

/** Emits a typed event on ctx.events. */
export function emitEvent(ctx: Pick<Ctx, 'events'>, e: DomainEvent): void {
  ctx.events.emit(e.name, e.payload);
}

/** Listens to a typed event; returns the function that stops listening. */
export function onEvent<K extends EventName>(ctx: Pick<Ctx, 'events'>, name: K, fn: (payload: DomainEvents[K]) => void): () => void {
  ctx.events.on(name, fn);
  return () => ctx.events.off(name, fn);
}
