import type { ServerConfig } from './config.js';
import type { Engine } from './db/engine.js';
import { migrateToLatest } from './db/migrate.js';
import { loadServerKeys } from './lib/server-keys.js';
import { openEngine } from './db/open.js';
import { upgradeAuditChain } from './services/audit/audit.service.js';
import { readLastCheckpoint, writeCheckpoint } from './services/audit/audit-checkpoint.service.js';
import { sealStoredTotpSecrets } from './services/accounts/auth.service.js';
import { createContext, type Ctx } from './services/context.js';
import { loadReferenceConfig, syncReferenceData } from './services/geography/reference.service.js';

/** Opens the database, brings the schema up to date, loads the reference configuration: what every command starts with. */
export async function openVigie(config: ServerConfig, engine: Engine = openEngine(config)): Promise<Ctx> {
  await migrateToLatest(engine);
  const reference = loadReferenceConfig(config.referenceFile);
  await syncReferenceData(engine, reference);
  const ctx = createContext(engine, reference, loadServerKeys({ dataDir: config.dataDir }), {
    sessionHours: config.sessionHours, secureCookies: config.secureCookies, auditCheckpointFile: config.auditCheckpointFile,
    mail: config.mail,
  });
  await keyAuditChain(ctx);
  // TOTP secrets stored before encryption at rest are encrypted now that the server key is at hand.
  await sealStoredTotpSecrets(ctx);
  return ctx;
}

/**
 * A chain written before links were keyed is verified and sealed with the key once (see upgradeAuditChain), and a
 * checkpoint records it. Not when checkpoints exist already: then an unkeyed chain is a rewritten one, left for
 * `vigie audit verify` to report.
 */
async function keyAuditChain(ctx: Ctx): Promise<void> {
  let checkpointed = false;
  try {
    checkpointed = readLastCheckpoint(ctx) !== null;
  } catch {
    checkpointed = true;
  }
  const { outcome, entries } = await upgradeAuditChain(ctx.engine, !checkpointed);
  if (outcome === 'upgraded') {
    await writeCheckpoint(ctx, 'rekey');
    console.error(`vigie: audit: ${entries} entrées antérieures vérifiées puis scellées par la clé du serveur (audit.chain_keyed)`);
  } else if (outcome === 'refused') {
    console.error("vigie: audit: la chaîne d'audit n'est pas scellée par la clé de ce serveur : lancez « vigie audit verify »");
  }
}
