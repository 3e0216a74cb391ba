/**
 * The alert rules' settings: a JSON file per deployment (apps/server/config/alert-rules.json, or the file named by
 * VIGIE_ALERT_RULES_FILE), validated here; every field has a default, so a deployment overrides only what it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const quantile = z.number().gt(0.5).lt(1);
const spike = (q: number, min: number) =>
  z.strictObject({ enabled: z.boolean().default(true), quantile: quantile.default(q), min_count: z.number().int().min(1).default(min) }).prefault({});

export const rulesConfigSchema = z.strictObject({
  schedule: z.strictObject({
    /** Minutes between two runs started by `serve`; 0 turns the schedule off. */
    interval_minutes: z.number().min(0).max(7 * 24 * 60).default(60),
  }).prefault({}),
  /** Admin level the rules count by (1 region, 2 cercle/province/département). */
  area_level: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Weeks evaluated on each run, ending with the current one (2: the week to date and the last full week). */
  evaluate_weeks: z.number().int().min(1).max(52).default(2),
  /** Weeks of an area's own history forming its baseline. */
  baseline_weeks: z.number().int().min(4).max(260).default(26),
  /** EWMA weight of the most recent baseline week. */
  ewma_alpha: z.number().gt(0).lt(1).default(0.1),
  /** Floor of the expected weekly value, so that a quiet area's first events are finite surprises. */
  min_expected: z.number().gt(0).max(10).default(0.25),
  rules: z.strictObject({
    count_spike: spike(0.99, 4),
    fatality_spike: spike(0.99, 15),
    civilian_harm: spike(0.99, 8),
    new_hotspot: z.strictObject({
      enabled: z.boolean().default(true),
      quiet_months: z.number().int().min(1).max(60).default(6),
      min_count: z.number().int().min(1).default(2),
      /** Alternatively: at least this many fatalities in the week (0: off). */
      min_fatalities: z.number().int().min(0).default(5),
    }).prefault({}),
    cross_border: z.strictObject({
      enabled: z.boolean().default(true),
      quantile: quantile.default(0.95),
      min_count: z.number().int().min(1).default(2),
      within_days: z.number().int().min(1).max(60).default(14),
      /** Areas of two states are neighbours when their centroids are this close, or their boundaries touch. */
      neighbour_km: z.number().min(1).max(2000).default(250),
    }).prefault({}),
  }).prefault({}),
});
export type RulesConfig = z.output<typeof rulesConfigSchema>;

export const DEFAULT_RULES_FILE = path.resolve(import.meta.dirname, '../../../config/alert-rules.json');

/** Reads and validates the rules file (VIGIE_ALERT_RULES_FILE, else the shipped default); a bad file names the field. */
export function loadRulesConfig(file: string | undefined = process.env.VIGIE_ALERT_RULES_FILE || undefined): RulesConfig {
  const target = file ?? DEFAULT_RULES_FILE;
  if (!fs.existsSync(target)) {
    if (file) throw new Error(`alert rules file not found: ${file}`);
    return rulesConfigSchema.parse({});
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (e) {
    throw new Error(`alert rules file ${target} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = rulesConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`alert rules file ${target}: ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
