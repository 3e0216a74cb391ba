import { EventEmitter } from 'node:events';
import type { ReferenceConfig } from '@vigie/domain';
import type { MailSettings } from '../config.js';
import type { Engine } from '../db/engine.js';
import type { ServerKeys } from '../lib/server-keys.js';
import { bindAuditKey } from './audit/audit.service.js';
import { Gazetteer } from './geography/geo.service.js';

/** Settings read once at start-up (see config.ts). */
export interface Settings {
  sessionHours: number;
  /** Set on HTTPS deployments so the session cookie carries the Secure flag. */
  secureCookies: boolean;
  /** Append-only file of signed audit-chain checkpoints (none written when unset). */
  auditCheckpointFile?: string;
  /** Notification e-mail (none sent without an SMTP URL). */
  mail?: MailSettings;
}

/** What every service function receives: the database engine, the gazetteer, the configuration and the event bus. */
export interface Ctx {
  engine: Engine;
  gazetteer: Gazetteer;
  reference: ReferenceConfig;
  settings: Settings;
  /** In-process events after commit (incident.changed, alert.issued…), for live updates and background jobs. */
  events: EventEmitter;
  /** Keys kept outside the database (audit chain MAC, stored-secret encryption). */
  keys: ServerKeys;
}

export function createContext(engine: Engine, reference: ReferenceConfig, keys: ServerKeys, settings: Partial<Settings> = {}): Ctx {
  bindAuditKey(engine, keys.audit);
  return {
    keys,
    engine,
    gazetteer: new Gazetteer(engine),
    reference,
    settings: { sessionHours: 12, secureCookies: false, ...settings },
    events: new EventEmitter(),
  };
}
