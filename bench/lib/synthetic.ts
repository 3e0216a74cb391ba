import type { IncidentCreate, ReferenceConfig } from '@vigie/domain';
import { generateDemoIncidents } from '../../apps/server/src/services/demo/demo-data.js';
import { type DemoGeography, type DemoIncident } from '../../apps/server/src/services/demo/demo-users.js';
import { demoGeography } from '../../apps/server/src/services/demo/demo-geography.js';
import { testVigie } from '../../apps/server/src/test-support/factories.js';

/** One synthetic incident: the POST body and what an operator's import says about it. */
export interface SyntheticIncident {
  input: IncidentCreate;
  reportingState: string;
  status: DemoIncident['status'];
}

const DAY = 86_400_000;
/** Fixed, so that the same size gives the same rows on every machine and every day. */
const END = Date.parse('2026-10-31T00:00:00.000Z');
const SPAN_DAYS = 3 * 365;

/** A 32-bit mix of an integer (splitmix-like), for deterministic "random" bits. */
function mix(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** The i-th synthetic id: a UUIDv7 whose time part grows with i, as real clients' ids do. */
export function syntheticId(i: number): string {
  const ts = hex(1_700_000_000_000 + i, 12);
  const a = mix(i);
  const b = mix(i + 0x51ed27);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(a >>> 20, 3)}-${hex(8 + (a & 3), 1)}${hex(b >>> 20, 3)}-${hex(b & 0xfffff, 5)}${hex(mix(i ^ 0x2545f491), 7)}`;
}

/**
 * Any number of synthetic incidents, fast and deterministic: the demo generator's realistic records (places inside
 * the member states, plausible tolls, sources, classifications) used as templates, each copy with its own id and date
 * spread over three years. Row i is the same on every run.
 */
export class SyntheticIncidents {
  readonly templates: DemoIncident[];
  /** Set by `inDateOrder`: the number of rows whose dates ascend over the three years. */
  private dateOrder: number | null = null;

  private constructor(reference: ReferenceConfig, geography: DemoGeography, templateCount: number) {
    this.templates = generateDemoIncidents(reference, { count: templateCount, years: 3, endDate: new Date(END), seed: 20261129, geography });
  }

  /**
   * Templates placed at real places with the shipped boundaries (the geography the incident service checks a point's
   * admin areas against), read once from a scratch SQLite database.
   */
  static async create(reference: ReferenceConfig, templateCount = 5000): Promise<SyntheticIncidents> {
    const t = await testVigie('sqlite');
    try {
      return new SyntheticIncidents(reference, await demoGeography(t.ctx), templateCount);
    } finally {
      await t.drop();
    }
  }

  /**
   * The same rows (templates, ids, narratives), their dates in ascending order over the same three years: row i of
   * `size` at i/size of the span. Records as a feed brings them, or a file sorted by date (ACLED's exports are):
   * each batch of an import then falls on a few days of the time-keyed indexes instead of anywhere in three years.
   */
  inDateOrder(size: number): SyntheticIncidents {
    const copy = Object.create(this) as SyntheticIncidents;
    copy.dateOrder = size;
    return copy;
  }

  /** Which template row i copies. */
  templateOf(i: number): number {
    return mix(i * 2 + 1) % this.templates.length;
  }

  /** Row i: the template's content, another id, another date (same duration), and a number in the narrative. */
  at(i: number): SyntheticIncident {
    const t = this.templates[this.templateOf(i)] as DemoIncident;
    const minutes = SPAN_DAYS * 24 * 60;
    const start = this.dateOrder
      ? END - (minutes - Math.floor(((i + 0.5) * minutes) / this.dateOrder)) * 60_000
      : END - (1 + (mix(i * 2) % minutes)) * 60_000;
    const shift = start - Date.parse(t.input.occurred_start);
    const end = t.input.occurred_end ? new Date(Date.parse(t.input.occurred_end) + shift).toISOString() : null;
    return {
      reportingState: t.reportingState,
      status: t.status,
      input: {
        ...t.input,
        id: syntheticId(i),
        occurred_start: new Date(start).toISOString(),
        occurred_end: end,
        narrative: `${t.input.narrative} (n° ${i})`,
      },
    };
  }

  /** Rows from..from+count-1. */
  slice(from: number, count: number): SyntheticIncident[] {
    const out: SyntheticIncident[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = this.at(from + k);
    return out;
  }
}

/** Days before the fixed end of the synthetic data, as an ISO date: for filters over a period. */
export const syntheticDate = (daysBeforeEnd: number): string => new Date(END - daysBeforeEnd * DAY).toISOString().slice(0, 10);
