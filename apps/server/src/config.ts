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
  /** E-mail of notifications: sent only when VIGIE_SMTP_URL is set. */
  mail: MailSettings;
  /** This node's place in a federation (docs/federation.md); undefined: a single node, the default. */
  federation?: FederationConfig;
}

/** How notification e-mails are sent (services/accounts/notification-mailer.ts). */
export interface MailSettings {
  /** smtp:// or smtps:// URL of the relay (credentials included); none: no e-mail. */
  smtpUrl?: string;
  from: string;
  /** The address users open Vigie at: the links in e-mails. */
  publicUrl: string;
  /** The highest classification level whose content (titles, reasons) an e-mail may carry; above it, a link only. */
  maxLevel: number;
}

/** Reads the mail settings; a bad level is refused at start-up rather than mailing content by mistake. */
export function readMailSettings(env: NodeJS.ProcessEnv, port: number): MailSettings {
  const maxLevel = Number(env.VIGIE_MAIL_MAX_LEVEL ?? 0);
  if (!Number.isInteger(maxLevel) || maxLevel < 0 || maxLevel > 3) throw new Error(`VIGIE_MAIL_MAX_LEVEL must be 0 to 3, got ${env.VIGIE_MAIL_MAX_LEVEL}`);
  return {
    smtpUrl: env.VIGIE_SMTP_URL || undefined,
    from: env.VIGIE_MAIL_FROM || 'Vigie <vigie@localhost>',
    publicUrl: (env.VIGIE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    maxLevel,
  };
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
    mail: readMailSettings(env, port),
    federation: readFederationConfig(env, dataDir),
  };
}
