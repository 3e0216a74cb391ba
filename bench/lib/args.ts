import { parseArgs } from 'node:util';
import type { EngineKind } from '../../apps/server/src/db/engine.js';

/** Options every benchmark accepts: `--size N`, `--engine sqlite|postgres`, `--requests N`, `--batch N`, `--order date`. */
export interface BenchArgs {
  /** Synthetic incidents to load (default 1,000,000). */
  size: number;
  /** Only these engines (default: every engine that answers). */
  engines: EngineKind[] | null;
  /** Requests per latency figure. */
  requests: number;
  /** Incidents per service import call. */
  batch: number;
  /**
   * `--order date`: the synthetic rows with their dates ascending (SyntheticIncidents.inDateOrder), as records reach a
   * node, rather than spread at random; the benchmarks that read it (ingest-list, export) name their figures for it.
   */
  dateOrder: boolean;
}

const positive = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} attend un entier positif / expects a positive integer, got ${value}`);
  return n;
};

/** Reads the shared benchmark options; unknown options (e.g. the runner's `--only`) are ignored. */
export function benchArgs(argv: string[] = process.argv.slice(2)): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      size: { type: 'string' }, engine: { type: 'string' }, requests: { type: 'string' }, batch: { type: 'string' }, order: { type: 'string' },
    },
  });
  const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  const engine = str(values.engine);
  if (engine && !['sqlite', 'postgres'].includes(engine)) throw new Error(`--engine: sqlite | postgres, got ${engine}`);
  const order = str(values.order);
  if (values.order !== undefined && order !== 'date') throw new Error(`--order: date, got ${String(values.order)}`);
  return {
    size: positive('size', str(values.size), 1_000_000),
    engines: engine ? [engine as EngineKind] : null,
    requests: positive('requests', str(values.requests), 200),
    batch: positive('batch', str(values.batch), 2000),
    dateOrder: order === 'date',
  };
}
