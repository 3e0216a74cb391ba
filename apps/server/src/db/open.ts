import path from 'node:path';
import type { Engine } from './engine.js';
import { openPostgresEngine } from './postgres-engine.js';
import { openSqliteEngine } from './sqlite-engine.js';

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file is used. */
  databaseUrl?: string;
  dataDir: string;
}

/** The SQLite file the configuration designates (absolute), or undefined when it designates PostgreSQL. */
export function sqliteFile(config: DatabaseConfig): string | undefined {
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) return undefined;
  if (config.databaseUrl === 'sqlite::memory:') return ':memory:';
  if (config.databaseUrl?.startsWith('sqlite:')) return path.resolve(config.databaseUrl.slice('sqlite:'.length));
  return path.resolve(config.dataDir, 'vigie.sqlite');
}

/** Opens the configured engine: PostgreSQL when a URL is given, else SQLite under the data directory. */
export function openEngine(config: DatabaseConfig): Engine {
  const file = sqliteFile(config);
  return file ? openSqliteEngine(file) : openPostgresEngine(config.databaseUrl ?? '');
}
