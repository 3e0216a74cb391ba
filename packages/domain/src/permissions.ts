import type { Role } from './classification.js';

/** Named permission verbs. Every service method starts by requiring one of them. */
export const PERMISSIONS = [
  'incident.create',
  'incident.read',
  'incident.update',
  'incident.submit',
  'incident.validate',
  'incident.reject',
  'incident.merge',
  'incident.assign',
  'incident.export',
  'aggregate.read',
  'alert.read',
  'alert.raise',
  'alert.acknowledge',
  'alert.respond',
  'alert.close',
  'alert.run',
  'strategy.read',
  'strategy.edit',
  'indicator_value.enter',
  'indicator_value.approve',
  'evaluation.write',
  'coordination.read',
  'coordination.edit',
  'action.update',
  'user.read',
  'user.manage',
  'reference.manage',
  'audit.read',
  'token.manage',
  'federation.manage',
  'sitrep.read',
  'sitrep.generate',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const analyst: Permission[] = [
  'incident.create', 'incident.read', 'incident.update', 'incident.submit', 'incident.validate',
  'incident.reject', 'incident.merge', 'incident.assign', 'incident.export', 'aggregate.read',
  'alert.read', 'alert.raise', 'alert.acknowledge', 'alert.respond', 'strategy.read',
  'indicator_value.enter', 'coordination.read', 'action.update',
  'sitrep.read', 'sitrep.generate',
];

/** What each role may do. The row-level rule (organisation, clearance, sharing scope) applies on top, in SQL. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  reporter: ['incident.create', 'incident.read', 'incident.update', 'incident.submit', 'aggregate.read', 'alert.read'],
  analyst,
  focal_point: [...analyst, 'indicator_value.approve', 'user.read', 'user.manage', 'alert.close', 'audit.read'],
  confederation_analyst: [
    'incident.read', 'incident.export', 'aggregate.read', 'alert.read', 'alert.raise', 'alert.respond', 'alert.close',
    'alert.run', 'strategy.read', 'strategy.edit', 'evaluation.write', 'coordination.read', 'coordination.edit',
    'action.update',
    'sitrep.read', 'sitrep.generate',
  ],
  decision_maker: ['aggregate.read', 'alert.read', 'strategy.read', 'coordination.read', 'sitrep.read'],
  admin: ['user.read', 'user.manage', 'reference.manage', 'audit.read', 'token.manage', 'alert.run', 'federation.manage'],
};

/** Whether a role grants a permission verb. */
export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
