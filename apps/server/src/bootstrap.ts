import type { ServerConfig } from './config.js';
import type { Engine } from './db/engine.js';
import { migrateToLatest } from './db/migrate.js';
import { loadServerKeys } from './lib/server-keys.js';
import { openEngine } from './db/open.js';
import { sealStoredTotpSecrets } from './services/auth.service.js';
import { createContext, type Ctx } from './services/context.js';
import { loadReferenceConfig, syncReferenceData } from './services/reference.service.js';

/** Opens the database, brings the schema up to date, loads the reference configuration: what every command starts with. */
export async function openVigie(config: ServerConfig, engine: Engine = openEngine(config)): Promise<Ctx> {
  await migrateToLatest(engine);
  const reference = loadReferenceConfig(config.referenceFile);
  await syncReferenceData(engine, reference);
  const ctx = createContext(engine, reference, loadServerKeys({ dataDir: config.dataDir }), { sessionHours: config.sessionHours, secureCookies: config.secureCookies });
  // TOTP secrets stored before encryption at rest are encrypted now that the server key is at hand.
  await sealStoredTotpSecrets(ctx);
  return ctx;
}
