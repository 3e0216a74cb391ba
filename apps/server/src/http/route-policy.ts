import type { Permission } from '@vigie/domain';

/**
 * Who may do what, per route, as data: the single statement of the access rules that
 * route-policy.test.ts checks against every route of ROUTES for every kind of principal.
 * The server reads only the verbs here, to refuse a caller without them before parsing the input (app.ts); it
 * enforces the same rules again in the services (requirePermission and the object checks) and in SQL
 * (repositories/visibility.ts). A route missing here fails the test.
 */

/** The objects a rule can be about. */
export type PolicyObject = 'incident' | 'alert' | 'strategy' | 'indicator_value' | 'action' | 'user' | 'token' | 'audit_event' | 'sitrep';

/**
 * Object-level rules, on top of the permission verb (one meaning each, checked by the test's oracle):
 * - `visible`      the object is visible to the reader (incidents: the who-sees-what rule of docs/security.md;
 *                  alerts: clearance ≥ classification and shared with the confederation, or concerning / raised by
 *                  the reader's organisation; strategies and everything under them: clearance ≥ classification).
 *                  An object the reader may not see answers 404, never 403.
 * - `filtered`     a collection: the answer holds only objects `visible` to the reader (and their coarsened location).
 * - `state_member` the reader belongs to a member state (not the confederation staff).
 * - `author`       incidents: visible, and the reader is its reporter (a draft) or a reviewer of the reporting state.
 * - `reviewer`     incidents: visible, and the reader is an analyst or focal point of the reporting state.
 * - `concerned`    alerts: visible, and the reader's organisation is one of the states the alert concerns.
 * - `concerned_or_confederation`  alerts: visible, and the reader's state is concerned or the reader is confederation staff.
 * - `closer`       alerts: visible; a focal point closes only alerts concerning its state.
 * - `own_state`    indicator values: the value belongs to the reader's state (strategy visible).
 * - `owner`        actions: the reader's state owns the action, or the reader is confederation staff.
 * - `manages`      users: administrators manage anyone; focal points the reporters, analysts and focal points of
 *                  their own state up to their own clearance.
 * - `self`         tokens: a token is issued only for its owner (the caller), from a signed-in session; a body naming
 *                  any login is refused (400); another user's token is issued on the server's CLI only.
 * - `own_token`    tokens: the caller's own tokens; administrators (token.manage) list and revoke everyone's. Another
 *                  user's token is 404 to anyone else.
 * - `cleared`      audit events: only entries at or below the reader's clearance, of the reader's state (all states
 *                  for confederation-level administrators).
 * - `audience`     situation reports: the reader is cleared up to the report's ceiling and belongs to its audience (any
 *                  member for a confederation report, else the state's own users); otherwise 403 naming which.
 */
export type PolicyRule =
  | 'visible' | 'filtered' | 'state_member' | 'author' | 'reviewer' | 'concerned' | 'concerned_or_confederation'
  | 'closer' | 'own_state' | 'owner' | 'manages' | 'self' | 'own_token' | 'cleared' | 'audience';

export type Policy =
  /** Anyone, without credentials. */
  | { public: true }
  /** Any signed-in user, about their own session or account (no verb), optionally about an object with a rule. */
  | { session: true; object?: PolicyObject; rule?: PolicyRule }
  /** A permission verb of packages/domain/src/permissions.ts, optionally about an object with a rule. */
  | {
    verb: Permission; and?: Permission; object?: PolicyObject; rule?: PolicyRule;
    /** Fields that only a reader cleared at or above the record's location protection may change (403 naming the field). */
    locationFields?: readonly string[];
  };

/** The fields that make up a record's location and its protection. */
export const LOCATION_FIELDS = ['exact_location_classification', 'latitude', 'longitude', 'place_name', 'admin2_code'] as const;

/** Key: "METHOD url" exactly as in ROUTES. */
export const ROUTE_POLICY: Record<string, Policy> = {
  // system and reference
  'GET /api/v1/health': { public: true },
  'GET /api/v1/reference': { session: true },
  'GET /api/v1/admin-areas.geojson': { session: true },
  'GET /api/v1/places': { session: true },
  'GET /api/v1/boundary-sets': { session: true },
  'GET /api/v1/gazetteer/jobs': { verb: 'reference.manage' },
  'GET /api/v1/gazetteer/jobs/:id': { verb: 'reference.manage' },
  'POST /api/v1/gazetteer/jobs/:id/retry': { verb: 'reference.manage' },
  'GET /api/v1/incidents/:id/placement': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'GET /api/v1/places/nearest': { session: true },
  'GET /api/v1/tiles/:z/:x/:y.pbf': { session: true },
  'GET /api/v1/audit': { verb: 'audit.read', object: 'audit_event', rule: 'cleared' },
  // sync: each kind of record filtered by its own read verb and visibility rule (docs/changes.md)
  'GET /api/v1/changes': { session: true, object: 'incident', rule: 'filtered' },
  'GET /api/v1/changes/stream': { session: true, object: 'incident', rule: 'filtered' },

  // sign-in and the session itself
  'POST /api/v1/auth/login': { public: true },
  'POST /api/v1/auth/logout': { session: true },
  'GET /api/v1/auth/me': { session: true },
  'POST /api/v1/auth/totp/setup': { session: true },
  'POST /api/v1/auth/totp/confirm': { session: true },
  'POST /api/v1/me/password': { session: true },

  // the caller's own inbox and briefing: every part filtered by who-sees-what for the caller
  'GET /api/v1/notifications': { session: true },
  'POST /api/v1/notifications/read': { session: true },
  'GET /api/v1/briefing': { session: true },
  'GET /api/v1/notifications/settings': { session: true },
  'PUT /api/v1/notifications/settings': { session: true },

  // incidents
  'POST /api/v1/incidents': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'POST /api/v1/incidents/batch': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /api/v1/incidents': { verb: 'incident.read', object: 'incident', rule: 'filtered' },
  'GET /api/v1/exports/incidents': { verb: 'incident.export', object: 'incident', rule: 'filtered' },
  'GET /api/v1/incidents/:id': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'PATCH /api/v1/incidents/:id': { verb: 'incident.update', object: 'incident', rule: 'author', locationFields: LOCATION_FIELDS },
  'GET /api/v1/incidents/:id/history': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'POST /api/v1/incidents/:id/submit': { verb: 'incident.submit', object: 'incident', rule: 'author' },
  'POST /api/v1/incidents/:id/validate': { verb: 'incident.validate', object: 'incident', rule: 'reviewer' },
  'POST /api/v1/incidents/:id/reject': { verb: 'incident.reject', object: 'incident', rule: 'reviewer' },
  'POST /api/v1/incidents/:id/merge': { verb: 'incident.merge', object: 'incident', rule: 'reviewer' },
  'POST /api/v1/incidents/:id/merge/preview': { verb: 'incident.merge', object: 'incident', rule: 'reviewer' },
  'POST /api/v1/incidents/:id/unmerge': { verb: 'incident.merge', object: 'incident', rule: 'reviewer' },
  'POST /api/v1/incidents/:id/assign': { verb: 'incident.assign', object: 'incident', rule: 'reviewer' },
  'DELETE /api/v1/incidents/:id/assign': { verb: 'incident.assign', object: 'incident', rule: 'reviewer' },
  'GET /api/v1/incidents/:id/duplicates': { verb: 'incident.read', object: 'incident', rule: 'visible' },

  // users and tokens
  'GET /api/v1/users': { verb: 'user.read', object: 'user', rule: 'manages' },
  'POST /api/v1/users': { verb: 'user.manage', object: 'user', rule: 'manages' },
  'PATCH /api/v1/users/:id': { verb: 'user.manage', object: 'user', rule: 'manages' },
  'POST /api/v1/users/:id/reset-password': { verb: 'user.manage', object: 'user', rule: 'manages' },
  'POST /api/v1/users/:id/unlock': { verb: 'user.manage', object: 'user', rule: 'manages' },
  'GET /api/v1/tokens': { session: true, object: 'token', rule: 'own_token' },
  'POST /api/v1/tokens': { session: true, object: 'token', rule: 'self' },
  'DELETE /api/v1/tokens/:id': { session: true, object: 'token', rule: 'own_token' },

  // figures: only what the reader may read is counted
  'GET /api/v1/aggregates': { verb: 'aggregate.read', object: 'incident', rule: 'filtered' },
  'GET /api/v1/aggregates/grid': { verb: 'aggregate.read', object: 'incident', rule: 'filtered' },
  'GET /api/v1/aggregates/h3': { verb: 'aggregate.read', object: 'incident', rule: 'filtered' },
  'GET /api/v1/aggregates/compare': { verb: 'aggregate.read', object: 'incident', rule: 'filtered' },
  'GET /api/v1/forecast': { verb: 'aggregate.read', object: 'incident', rule: 'filtered' },

  // strategy
  'GET /api/v1/strategies': { verb: 'strategy.read', object: 'strategy', rule: 'filtered' },
  'POST /api/v1/strategies': { verb: 'strategy.edit' },
  'GET /api/v1/strategies/:id': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'PATCH /api/v1/strategies/:id': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'POST /api/v1/strategies/:id/revise': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'POST /api/v1/strategies/:id/axes': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'PATCH /api/v1/axes/:id': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'POST /api/v1/axes/:id/objectives': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'PATCH /api/v1/objectives/:id': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'POST /api/v1/objectives/:id/indicators': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'GET /api/v1/indicators/:id': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'PATCH /api/v1/indicators/:id': { verb: 'strategy.edit', object: 'strategy', rule: 'visible' },
  'GET /api/v1/indicators/:id/trend': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'POST /api/v1/indicators/:id/values': { verb: 'indicator_value.enter', object: 'strategy', rule: 'visible' },
  'POST /api/v1/indicator-values/:id/submit': { verb: 'indicator_value.enter', object: 'indicator_value', rule: 'own_state' },
  'POST /api/v1/indicator-values/:id/approve': { verb: 'indicator_value.approve', object: 'indicator_value', rule: 'own_state' },
  'POST /api/v1/indicator-values/:id/return': { verb: 'indicator_value.approve', object: 'indicator_value', rule: 'own_state' },
  'GET /api/v1/strategies/:id/values': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'GET /api/v1/strategies/:id/reporting': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'GET /api/v1/strategies/:id/progress': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'GET /api/v1/strategies/:id/evaluations': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'POST /api/v1/strategies/:id/evaluations': { verb: 'evaluation.write', object: 'strategy', rule: 'visible' },
  'GET /api/v1/evaluations/:id': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'PATCH /api/v1/evaluations/:id': { verb: 'evaluation.write', object: 'strategy', rule: 'visible' },
  'GET /api/v1/evaluations/:id/report.html': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },
  'GET /api/v1/evaluations/:id/report.pdf': { verb: 'strategy.read', object: 'strategy', rule: 'visible' },

  // coordination
  'GET /api/v1/meetings': { verb: 'coordination.read' },
  'POST /api/v1/meetings': { verb: 'coordination.edit' },
  'GET /api/v1/meetings/:id': { verb: 'coordination.read' },
  'PATCH /api/v1/meetings/:id': { verb: 'coordination.edit' },
  'POST /api/v1/meetings/:id/decisions': { verb: 'coordination.edit' },
  'POST /api/v1/decisions/:id/actions': { verb: 'coordination.edit' },
  'GET /api/v1/actions': { verb: 'coordination.read' },
  'GET /api/v1/actions/overdue': { verb: 'coordination.read' },
  'GET /api/v1/actions/:id': { verb: 'coordination.read' },
  'PATCH /api/v1/actions/:id': { verb: 'action.update', object: 'action', rule: 'owner' },
  'POST /api/v1/actions/:id/notes': { verb: 'action.update', object: 'action', rule: 'owner' },
  'PATCH /api/v1/meetings/:id/classification': { verb: 'coordination.edit' },
  'PATCH /api/v1/decisions/:id/classification': { verb: 'coordination.edit' },
  'PATCH /api/v1/actions/:id/classification': { verb: 'coordination.edit' },

  // alerts
  'GET /api/v1/alerts': { verb: 'alert.read', object: 'alert', rule: 'filtered' },
  'GET /api/v1/alerts/stream': { verb: 'alert.read', object: 'alert', rule: 'filtered' },
  'POST /api/v1/alerts': { verb: 'alert.raise' },
  'POST /api/v1/alerts/run': { verb: 'alert.run' },
  // federation (docs/federation.md)
  'GET /api/v1/federation/status': { verb: 'federation.manage' },
  'GET /api/v1/federation/objects': { session: true, rule: 'filtered' },
  'POST /api/v1/federation/alerts/:id/acknowledge': { verb: 'alert.acknowledge' },
  'POST /api/v1/federation/alerts/:id/respond': { verb: 'alert.respond' },
  'POST /api/v1/federation/actions/:id/report': { verb: 'action.update' },
  'GET /api/v1/federation/dead-letters': { verb: 'federation.manage' },
  'POST /api/v1/federation/dead-letters/:id/retry': { verb: 'federation.manage' },
  'POST /api/v1/federation/dead-letters/:id/discard': { verb: 'federation.manage' },
  'GET /api/v1/alerts/:id': { verb: 'alert.read', object: 'alert', rule: 'visible' },
  'GET /api/v1/alerts/:id/evidence': { verb: 'alert.read', and: 'incident.read', object: 'alert', rule: 'visible' },
  'POST /api/v1/alerts/:id/acknowledge': { verb: 'alert.acknowledge', object: 'alert', rule: 'concerned' },
  'POST /api/v1/alerts/:id/respond': { verb: 'alert.respond', object: 'alert', rule: 'concerned_or_confederation' },
  'POST /api/v1/alerts/:id/close': { verb: 'alert.close', object: 'alert', rule: 'closer' },
  'PATCH /api/v1/alerts/:id': { verb: 'alert.raise', object: 'alert', rule: 'visible' },

  // OGC API – Features (docs/ogc-api.md): incidents and alerts under their read verb, admin areas for any signed-in user
  'GET /ogc': { session: true },
  'GET /ogc/conformance': { session: true },
  'GET /ogc/api': { session: true },
  'GET /ogc/collections': { session: true },
  'GET /ogc/collections/incidents': { verb: 'incident.read' },
  'GET /ogc/collections/incidents/items': { verb: 'incident.read', object: 'incident', rule: 'filtered' },
  'GET /ogc/collections/incidents/items/:featureId': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'GET /ogc/collections/incidents/queryables': { verb: 'incident.read' },
  'GET /ogc/collections/alerts': { verb: 'alert.read' },
  'GET /ogc/collections/alerts/items': { verb: 'alert.read', object: 'alert', rule: 'filtered' },
  'GET /ogc/collections/alerts/items/:featureId': { verb: 'alert.read', object: 'alert', rule: 'visible' },
  'GET /ogc/collections/alerts/queryables': { verb: 'alert.read' },
  'GET /ogc/collections/:collectionId': { session: true },
  'GET /ogc/collections/:collectionId/items': { session: true },
  'GET /ogc/collections/:collectionId/items/:featureId': { session: true },
  'GET /ogc/collections/:collectionId/queryables': { session: true },

  // OpenRosa intake (docs/openrosa.md): reporters of a member state get the form and submit it; each route also with
  // the API token in the path. The HEAD pre-flight only states the size limit, for anyone.
  'GET /openrosa/formList': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/forms/:formId/form.xml': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/forms/:formId/manifest': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/forms/:formId/media/:file': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'HEAD /openrosa/submission': { public: true },
  'POST /openrosa/submission': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/key/:token/formList': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/key/:token/forms/:formId/form.xml': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/key/:token/forms/:formId/manifest': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'GET /openrosa/key/:token/forms/:formId/media/:file': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  'HEAD /openrosa/key/:token/submission': { public: true },
  'POST /openrosa/key/:token/submission': { verb: 'incident.create', object: 'incident', rule: 'state_member' },
  // a record's evidence files: whoever sees the record
  'GET /api/v1/incidents/:id/attachments': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'GET /api/v1/incidents/:id/attachments/:attachmentId': { verb: 'incident.read', object: 'incident', rule: 'visible' },
  'POST /api/v1/incidents/:id/attachments': { verb: 'incident.update', object: 'incident', rule: 'author' },
  // situation reports
  'GET /api/v1/sitreps': { verb: 'sitrep.read', object: 'sitrep', rule: 'filtered' },
  'POST /api/v1/sitreps': { verb: 'sitrep.generate' },
  'GET /api/v1/sitreps/:id': { verb: 'sitrep.read', object: 'sitrep', rule: 'audience' },
  'GET /api/v1/sitreps/:id/report.html': { verb: 'sitrep.read', object: 'sitrep', rule: 'audience' },
  'GET /api/v1/sitreps/:id/report.pdf': { verb: 'sitrep.read', object: 'sitrep', rule: 'audience' },
};
