/** Pure helpers of the alert pages: what needs acting on, the baseline chart, the evidence as map points. */
import type { Alert, AlertWithdrawn } from '@vigie/domain/alert.schema';

export type { Alert };

/** 'updated': the alert's figures were re-computed (evidence reclassified, re-scoped, validated…), or a held copy changed. */
export type AlertEventKind = 'issued' | 'acknowledged' | 'responded' | 'closed' | 'updated';
/** A live change: an alert as the reader now sees it, or one held from the confederation gone from what they may see. */
export type LiveChange = { kind: AlertEventKind; alert: Alert } | { kind: 'withdrawn'; gone: AlertWithdrawn };

export interface EvidenceItem {
  id: string;
  reporting_state: string;
  occurred_start: string;
  admin1_code: string | null;
  admin2_code: string | null;
  event_type: string;
  sub_event_type: string;
  fatalities_best: number;
  civilian_fatalities: number;
  latitude: number;
  longitude: number;
  classification: string;
}

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;

/** Whether `state` still has to acknowledge this alert (open, concerned, not yet acknowledged). */
export function awaitsAcknowledgement(alert: Alert, state: string): boolean {
  return alert.status !== 'closed' && alert.states.some((s) => s.state === state && s.acknowledged_at === null);
}

/** Which note tells the reader whose figures they see (i18n key under `alerts.` and its parameters). */
export function figuresNote(alert: Alert): { key: 'figures_state' | 'figures_shared' | 'figures_all' | 'figures_flash'; state?: string; ceiling?: string } {
  const f = alert.figures_for;
  if (alert.rule === 'flash') return { key: 'figures_flash' };
  if (!f || f.view === 'all') return { key: 'figures_all' };
  return f.view === '*' ? { key: 'figures_shared', ceiling: f.ceiling } : { key: 'figures_state', state: f.view, ceiling: f.ceiling };
}

/** Whether a user of `organisation` may respond: a state concerned by the alert, or the confederation (not a member state). */
export function mayRespond(alert: Alert, organisation: string, isMemberState: boolean): boolean {
  return alert.status !== 'closed' && (!isMemberState || alert.states.some((s) => s.state === organisation));
}

/** The badge count: for a member state's user, open alerts awaiting their state's acknowledgement; for the confederation staff, alerts still issued. */
export function badgeCount(alerts: readonly Alert[], organisation: string, isMemberState: boolean): number {
  return alerts.filter((a) => (isMemberState ? awaitsAcknowledgement(a, organisation) : a.status === 'issued')).length;
}

/** Applies a live change to a loaded list: replace the alert, or add it at the top. */
export function mergeAlert(list: readonly Alert[], alert: Alert): Alert[] {
  const at = list.findIndex((a) => a.id === alert.id);
  if (at < 0) return [alert, ...list];
  const copy = list.slice();
  copy[at] = alert;
  return copy;
}

/**
 * Applies a live change to a loaded list: an alert that still fits the list's filters is replaced or added at the top,
 * one that no longer fits leaves; one withdrawn (gone from what the reader may see) leaves.
 */
export function applyLive(list: readonly Alert[], change: LiveChange, fits: (a: Alert) => boolean = () => true): Alert[] {
  if (change.kind === 'withdrawn') return list.filter((a) => a.id !== change.gone.id);
  return fits(change.alert) ? mergeAlert(list, change.alert) : list.filter((a) => a.id !== change.alert.id);
}

const WEEK = 7 * 86_400_000;

/** The baseline weeks and the observed week as chart columns: x (seconds), baseline values, observed value, expected line. */
export function baselineSeries(alert: Alert): { x: number[]; baseline: (number | null)[]; observed: (number | null)[]; expected: number[] } | null {
  const s = alert.statistics;
  if (!s?.baseline || s.baseline.values.length === 0) return null;
  const end = Date.parse(s.baseline.to);
  const n = s.baseline.values.length;
  const x = [...s.baseline.values.map((_, k) => (end - (n - k) * WEEK) / 1000), end / 1000];
  return {
    x,
    baseline: [...s.baseline.values, null],
    observed: [...s.baseline.values.map(() => null), s.observed],
    expected: x.map(() => s.expected),
  };
}

/** Evidence incidents as points for the map's circle layer, sized by fatalities. */
export function evidenceToGeoJSON(items: readonly EvidenceItem[]) {
  return {
    type: 'FeatureCollection' as const,
    features: items.map((e) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [e.longitude, e.latitude] },
      properties: { id: e.id, radius: 4 + Math.min(16, Math.sqrt(e.fatalities_best) * 2), fatalities: e.fatalities_best, civilians: e.civilian_fatalities },
    })),
  };
}

type Box = [number, number, number, number];
const grow = (box: Box | null, lon: number, lat: number): Box =>
  box ? [Math.min(box[0], lon), Math.min(box[1], lat), Math.max(box[2], lon), Math.max(box[3], lat)] : [lon, lat, lon, lat];
function boxOf(coords: unknown, box: Box | null): Box | null {
  if (!Array.isArray(coords)) return box;
  if (typeof coords[0] === 'number' && typeof coords[1] === 'number') return grow(box, coords[0], coords[1]);
  return coords.reduce<Box | null>((b, c) => boxOf(c, b), box);
}

/**
 * The alert's areas as outlines for the map, and the box that frames them with the evidence points (half a degree
 * round the centroid of an area without an imported polygon).
 */
export function alertOutline(
  areas: { features: { geometry: { coordinates: unknown }; properties: { code: string } }[] } | undefined,
  codes: readonly string[],
  centroids: readonly { code: string; centroid_lat: number; centroid_lon: number }[],
  points: readonly { latitude: number; longitude: number }[],
): { data: { type: 'FeatureCollection'; features: object[] }; bbox: Box | null } {
  const features = (areas?.features ?? []).filter((f) => codes.includes(f.properties.code));
  let box = features.reduce<Box | null>((b, f) => boxOf(f.geometry.coordinates, b), null);
  for (const code of codes) {
    if (features.some((f) => f.properties.code === code)) continue;
    const c = centroids.find((a) => a.code === code);
    if (c) box = grow(grow(box, c.centroid_lon - 0.5, c.centroid_lat - 0.5), c.centroid_lon + 0.5, c.centroid_lat + 0.5);
  }
  for (const p of points) box = grow(box, p.longitude, p.latitude);
  return { data: { type: 'FeatureCollection', features }, bbox: box };
}

/** The title and summary in the reader's language (written by the server from the facts), else as sent. */
export function textsOf(alert: Alert, lang: 'fr' | 'en'): { title: string; summary: string } {
  return alert.texts?.[lang] ?? { title: alert.title, summary: alert.summary };
}
