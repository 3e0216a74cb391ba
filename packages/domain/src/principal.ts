import type { Role } from './classification.js';
import { roleCan, type Permission } from './permissions.js';

/** Who is acting: a signed-in user, an API token's user, or the local operator through the CLI. */
export interface Principal {
  kind: 'user' | 'system';
  userId: string | null;
  login: string;
  organisation: string;
  role: Role;
  clearance: number;
}

/** The local operator (CLI, seeding, imports): trusted because it already holds the database file or URL. */
export const SYSTEM: Principal = { kind: 'system', userId: null, login: 'system', organisation: 'CONF', role: 'admin', clearance: 3 };

/** The caller of a public route: no organisation, no clearance, and no permission verb. */
export const ANONYMOUS: Principal = { kind: 'user', userId: null, login: 'anonymous', organisation: '', role: 'decision_maker', clearance: 0 };

/** Whether the principal holds a permission verb (the local operator holds them all). */
export function can(principal: Principal, permission: Permission): boolean {
  return principal.kind === 'system' || roleCan(principal.role, permission);
}

/**
 * Whether a user reviews their own state's reports (sees the submitted and rejected ones, takes, validates, rejects
 * and merges them): whoever may validate. The local operator is not a reviewer of any state; callers that let it
 * through say so themselves.
 */
export function reviewsOwnState(principal: Principal): boolean {
  return principal.kind === 'user' && roleCan(principal.role, 'incident.validate');
}
