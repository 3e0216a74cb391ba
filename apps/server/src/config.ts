import path from 'node:path';
import { readFederationConfig, type FederationConfig } from './services/federation/federation-config.js';

/** Process configuration from the environment, with the embedded defaults of the quick start. */
export interface ServerConfig {
  dataDir: string;
  databaseUrl?: string;
  port: number;
  host: string;
  sessionHours: number;
  secureCookies: boolean;
  referenceFile?: string;
  webRoot: string;
  /** Signed audit-chain checkpoints, beside the data unless VIGIE_AUDIT_CHECKPOINT_FILE says otherwise. */
  auditCheckpointFile: string;
  /** Reverse proxies trusted to set X-Forwarded-For (addresses or CIDRs); none by default. */
  trustedProxies: string[];
  /** This node's place in a federation (docs/federation.md); undefined: a single node, the default. */
  federation?: FederationConfig;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const dataDir = path.resolve(env.VIGIE_DATA_DIR ?? './data');
  return {
    dataDir,
    databaseUrl: env.VIGIE_DATABASE_URL || undefined,
    port,
    host: env.HOST ?? '0.0.0.0',
    sessionHours: Number(env.VIGIE_SESSION_HOURS ?? 12),
    secureCookies: env.VIGIE_SECURE_COOKIES === '1',
    referenceFile: env.VIGIE_REFERENCE_FILE || undefined,
    trustedProxies: (env.VIGIE_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    webRoot: path.resolve(env.VIGIE_WEB_ROOT ?? path.join(import.meta.dirname, '../../web/dist')),
    auditCheckpointFile: path.resolve(env.VIGIE_AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, 'audit-checkpoints.log')),
    federation: readFederationConfig(env, dataDir),
  };
}
