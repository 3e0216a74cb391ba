import path from 'node:path';
import type { Engine } from './engine.js';
import { openPostgresEngine } from './postgres-engine.js';
import { openSqliteEngine } from './sqlite-engine.js';

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file is used. */
  databaseUrl?: string;
  dataDir: string;
}

/** Opens the configured engine: PostgreSQL when a URL is given, else SQLite under the data directory. */
export function openEngine(config: DatabaseConfig): Engine {
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) return openPostgresEngine(config.databaseUrl);
  if (config.databaseUrl?.startsWith('sqlite:')) return openSqliteEngine(config.databaseUrl.slice('sqlite:'.length));
  return openSqliteEngine(path.join(config.dataDir, 'vigie.sqlite'));
}
