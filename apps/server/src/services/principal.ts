import { roleCan, type Permission, type Role } from '@vigie/domain';
import { Problem } from '../lib/problem.js';

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

/** The one access check every service method starts with. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (principal.kind === 'system') return;
  if (!roleCan(principal.role, permission)) {
    throw new Problem('forbidden', `permission ${permission} is not granted to role ${principal.role}`, undefined, { permission });
  }
}

/** The caller of a public route: no organisation, no clearance, and no permission verb. */
export const ANONYMOUS: Principal = { kind: 'user', userId: null, login: 'anonymous', organisation: '', role: 'decision_maker', clearance: 0 };
