/**
 * The in-process events of ctx.events, by name, with their payloads: emitted after commit by the one mutation path
 * (services/mutation.ts) for live updates and background jobs. A listener reads the payload type from here.
 */
import type { ChangeEntityType } from '@vigie/domain';
import type { AlertChange } from './alerts/alert-events.js';
import type { Ctx } from './context.js';

/** A place and time an incident change touched, before or after it: the alert rules re-evaluate those areas and weeks. */
export interface IncidentCell {
  at: string;
  admin1: string | null;
  admin2: string | null;
}

/** The cell of a record (an incident row or record). */
export const cellOf = (r: { occurred_start: string; admin1_code: string | null; admin2_code: string | null }): IncidentCell =>
  ({ at: r.occurred_start, admin1: r.admin1_code, admin2: r.admin2_code });

export interface DomainEvents {
  /**
   * An incident was created, edited or moved through its workflow (or `count` were imported). `cells`: where and when
   * the record was before and after the change; absent when unknown (a bulk change), which means "anywhere".
   */
  'incident.changed': { id?: string; action: string; count?: number; cells?: IncidentCell[] };
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
