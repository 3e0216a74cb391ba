/**
 * Every action the audit trail records, by name: a mutation declares one of these (services/mutation.ts), never a
 * free string, so a typo is a type error and reviewers can filter on a known list.
 */
export const AUDIT_ACTIONS = [
  // incidents
  'incident.create', 'incident.update', 'incident.submit', 'incident.validate', 'incident.reject', 'incident.merge',
  'incident.absorb', 'incident.unmerge', 'incident.unabsorb', 'incident.merge_preview',
  'incident.assign', 'incident.unassign', 'incident.place', 'incident.read', 'incident.list', 'incident.history',
  'incident.import',
  // alerts
  'alert.raise', 'alert.reclassify', 'alert.issue', 'alert.acknowledge', 'alert.respond', 'alert.close', 'alert.read', 'alert.list',
  'alert.evidence', 'alert.stream',
  // strategy
  'strategy.create', 'strategy.update', 'strategy.revise', 'strategy.axis.create', 'strategy.axis.update',
  'strategy.objective.create', 'strategy.objective.update', 'strategy.indicator.create', 'strategy.indicator.update',
  'indicator_value.enter', 'indicator_value.update', 'indicator_value.submit', 'indicator_value.approve', 'indicator_value.return',
  'evaluation.create', 'evaluation.update', 'evaluation.report',
  // coordination
  'meeting.create', 'meeting.update', 'decision.create', 'action.create', 'action.update', 'action.note',
  'meeting.reclassify', 'decision.reclassify', 'action.reclassify', 'coordination.read',
  // accounts and access
  'auth.login', 'auth.login_failed', 'auth.account_locked', 'auth.logout', 'auth.totp_setup', 'auth.totp_enabled',
  'user.create', 'user.update', 'user.disable', 'user.password_changed', 'user.reset_password', 'user.unlock',
  'token.create', 'token.revoke',
  // OpenRosa intake: a file received with a submission, kept as evidence of the record
  'incident.attachment_add',
  // stored files cleaned after the fact (or held: a format now refused), and an administrator's release of a held one
  'incident.attachment_clean', 'incident.attachment_hold', 'incident.attachment_release',
  'user.notification_settings',
  // reference data, sync and the system
  'gazetteer.import', 'gazetteer.reassign', 'changes.read', 'system.restore', 'audit.chain_keyed',
  // federation (docs/federation.md)
  'federation.key_add', 'federation.key_revoke', 'federation.receive', 'federation.refuse',
  'federation.park', 'federation.dead_letter_retry', 'federation.dead_letter_discard', 'federation.withdraw',
  // situation reports
  'sitrep.generate', 'sitrep.download',
  // an export of incidents (audited when it ends, complete or not)
  'incident.export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of record the change log follows (docs/changes.md). */
export const CHANGE_ENTITY_TYPES = ['incident', 'indicator_value', 'alert', 'meeting', 'decision', 'action'] as const;
export type ChangeEntityType = (typeof CHANGE_ENTITY_TYPES)[number];
