import { roleCan, type Permission, type Principal } from '@vigie/domain';
import { Problem } from '../lib/problem.js';

export { ANONYMOUS, SYSTEM, type Principal } from '@vigie/domain';

/** The one access check every service method starts with. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (principal.kind === 'system') return;
  if (!roleCan(principal.role, permission)) {
    throw new Problem('forbidden', `permission ${permission} is not granted to role ${principal.role}`, undefined, { permission });
  }
}
