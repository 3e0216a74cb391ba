import fs from 'node:fs';
import type { ServerConfig } from '../config.js';
import type { Engine } from '../db/engine.js';
import { openEngine, sqliteFile } from '../db/open.js';
import { postgresHasVigieSchema } from '../repositories/health.repository.js';

/** Which database a command works on, for humans: the SQLite file, or the PostgreSQL URL without its password. */
export function databaseLabel(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): string {
  const file = sqliteFile(config);
  return file ? `SQLite ${file}` : `PostgreSQL ${String(config.databaseUrl).replace(/:[^:@/]*@/, ':***@')}`;
}

/** Raised when a command that only works on an existing database finds none where it is pointed. */
export class NoDatabaseError extends Error {}

const HOW_TO_POINT = [
  'Lancez la commande depuis le dossier où le serveur a été démarré, ou indiquez la base :',
  '  VIGIE_DATA_DIR=/chemin/vers/data npx vigie …      (dossier de la base SQLite vigie.sqlite du serveur)',
  '  VIGIE_DATABASE_URL=postgres://…/vigie npx vigie … (base PostgreSQL du serveur)',
  '« vigie migrate » crée une base neuve. / Run it from the server\'s folder, or set VIGIE_DATA_DIR or VIGIE_DATABASE_URL.',
].join('\n');

/**
 * Opens the configured database for a command, saying which one on stderr. Unless `create` (migrate, serve, restore),
 * a database that does not exist yet is refused, never created: run from another folder, `vigie token create` would
 * otherwise make an empty database beside it and answer that the user does not exist.
 */
export async function openCommandEngine(config: ServerConfig, opts: { create?: boolean } = {}): Promise<Engine> {
  console.error(`vigie: base ${databaseLabel(config)}`);
  const file = sqliteFile(config);
  if (file && file !== ':memory:' && !opts.create && !fs.existsSync(file)) {
    throw new NoDatabaseError(`aucune base Vigie à ${file} (dossier courant ${process.cwd()}).\n${HOW_TO_POINT}`);
  }
  const engine = openEngine(config);
  if (!file && !opts.create) {
    const found = await postgresHasVigieSchema(engine.db)
      .catch(async (e: Error) => {
        await engine.close();
        throw new NoDatabaseError(`base PostgreSQL injoignable (${databaseLabel(config)}) : ${e.message}`);
      });
    if (!found) {
      await engine.close();
      throw new NoDatabaseError(`la base PostgreSQL ${databaseLabel(config).slice('PostgreSQL '.length)} ne contient pas de schéma Vigie.\n${HOW_TO_POINT}`);
    }
  }
  return engine;
}
