import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Engine, EngineKind } from '../../apps/server/src/db/engine.js';
import { tuneRuntime } from '../../apps/server/src/lib/runtime.js';
import { ENGINES } from '../../apps/server/src/test-support/engines.js';

// The benchmarks measure Vigie in the V8 settings its server runs with; the baselines in the same process share them.
tuneRuntime();

/** The driver under Vigie's engine, for baselines that talk to the database directly on the same connection settings. */
export type Bare = { kind: 'sqlite'; raw: BetterSqlite3.Database } | { kind: 'postgres'; pool: pg.Pool };

export function bareDriver(engine: Engine): Bare {
  if (engine.kind === 'sqlite' && 'raw' in engine) return { kind: 'sqlite', raw: engine.raw as BetterSqlite3.Database };
  if (engine.kind === 'postgres' && 'pool' in engine) return { kind: 'postgres', pool: engine.pool as pg.Pool };
  throw new Error(`no bare driver for ${engine.describe}`);
}

/** The engines to measure: those asked for, among those that answer (PostgreSQL at VIGIE_TEST_DATABASE_URL or 127.0.0.1). */
export function benchEngines(asked: EngineKind[] | null): EngineKind[] {
  const wanted = asked ?? (['sqlite', 'postgres'] as EngineKind[]);
  const missing = wanted.filter((k) => !ENGINES.includes(k));
  if (missing.length) console.warn(`not measured (does not answer): ${missing.join(', ')}`);
  return wanted.filter((k) => ENGINES.includes(k));
}
