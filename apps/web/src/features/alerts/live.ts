/**
 * One EventSource on /api/v1/alerts/stream per page load, shared by the badge and the pages. The server sends only
 * the alerts the signed-in reader may see; the browser reconnects by itself after a cut (retry 5 s).
 */
import { useEffect, useRef } from 'react';
import type { Alert } from './alerts-data';

/** 'updated': the alert's figures were re-computed (evidence reclassified, re-scoped, validated…). */
export type AlertEventKind = 'issued' | 'acknowledged' | 'responded' | 'closed' | 'updated';
type Listener = (kind: AlertEventKind, alert: Alert) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/alerts/stream', { withCredentials: true });
  for (const kind of ['issued', 'acknowledged', 'responded', 'closed', 'updated'] as const) {
    source.addEventListener(`alert.${kind}`, (e) => {
      const alert = JSON.parse((e as MessageEvent<string>).data) as Alert;
      for (const fn of listeners) fn(kind, alert);
    });
  }
}

function disconnect(): void {
  if (listeners.size === 0 && source) {
    source.close();
    source = null;
  }
}

/** Calls `onEvent` for every live alert change while the component is mounted. */
export function useAlertStream(onEvent: Listener, enabled = true): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    if (!enabled) return;
    const fn: Listener = (k, a) => ref.current(k, a);
    listeners.add(fn);
    connect();
    return () => {
      listeners.delete(fn);
      disconnect();
    };
  }, [enabled]);
}
