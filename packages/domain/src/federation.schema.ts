import { z } from 'zod';
import { FEDERATION_ERROR_CODES } from './federation-errors.js';

/** One link of this node, as `GET /api/v1/federation/status` answers it (docs/federation.md). */
export const federationPeerSchema = z.object({
  peer: z.string(),
  direction: z.enum(['out', 'in']),
  last_seq: z.number().int().describe('Last change-log seq published (out) or origin seq applied (in)'),
  last_at: z.string().nullable(),
  lag: z.number().int().nullable().describe('Out: change-log entries not yet published; in: messages the hub has yet to source'),
  backlog: z.number().int().nullable().describe('Messages waiting in NATS'),
  link: z.enum(['up', 'down', 'unknown']),
  last_error: z.string().nullable(),
  last_error_at: z.string().nullable(),
  objects: z.number().int().optional().describe('Live objects held from this peer'),
});

export const federationStatusSchema = z.object({
  node: z.string().nullable(),
  role: z.enum(['national', 'confederation']).nullable(),
  ceiling: z.number().int().nullable(),
  peers: z.array(federationPeerSchema),
  keys: z.array(z.object({ node_id: z.string(), key_id: z.string(), status: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })),
});
export type FederationStatusView = z.infer<typeof federationStatusSchema>;

/** The kinds of object the confederation owns, as a national node holds them read-only. */
export const HELD_OBJECT_TYPES = ['alert', 'strategy', 'meeting', 'decision', 'action'] as const;

export const heldObjectsQuerySchema = z.strictObject({
  type: z.enum(HELD_OBJECT_TYPES).describe('Which kind of object held from another node'),
  id: z.string().min(1).max(200).optional().describe('Only this one (an alert page opening a held alert)'),
});

/** One object held read-only from its owner node (`GET /api/v1/federation/objects`). */
export const heldObjectSchema = z.object({
  type: z.string(),
  id: z.string(),
  origin_node: z.string().describe('The owner: edits go there'),
  version: z.number().int().nullable(),
  received_at: z.string(),
  record: z.unknown(),
  replies: z.array(z.object({
    type: z.enum(['alert_ack', 'alert_response', 'action_report']), at: z.string(), note: z.string().nullable().optional(), text: z.string().optional(),
    link: z.string().nullable().optional(), progress: z.number().int().nullable().optional(), status: z.string().nullable().optional(),
  })).optional().describe("An alert or an action: this node's own acknowledgement, responses and progress reports, sent to the owner node"),
});
export type HeldObjectView = z.infer<typeof heldObjectSchema>;
export const heldObjectsSchema = z.object({ items: z.array(heldObjectSchema) });

/** A national state's progress report on an action held from the confederation and assigned to it. */
export const actionReportSchema = z.object({
  action_id: z.string(), state: z.string(), at: z.string(), text: z.string(), progress: z.number().int().nullable(), status: z.string().nullable(),
  evidence: z.array(z.object({ title: z.string(), reference: z.string().optional() })),
});

/** A national state's acknowledgement of, or response to, an alert held from the confederation. */
export const alertReplySchema = z.object({
  alert_id: z.string(),
  state: z.string(),
  at: z.string(),
  note: z.string().nullable().optional(),
  text: z.string().optional(),
  link: z.string().nullable().optional(),
});

/** A received message that could not be applied after bounded retries, parked for an administrator (docs/federation.md). */
export const deadLetterSchema = z.object({
  id: z.string(),
  subject: z.string(),
  origin_node: z.string().nullable(),
  entity_type: z.string().nullable(),
  entity_id: z.string().nullable(),
  code: z.enum(FEDERATION_ERROR_CODES).describe('Why it could not be applied (the last attempt), as a stable code'),
  message: z.object({ fr: z.string(), en: z.string() }).describe("The code's text from the catalogue"),
  error: z.string().describe("The raw error of the last attempt, for the node's administrators"),
  attempts: z.number().int(),
  status: z.enum(['parked', 'applied', 'discarded']),
  parked_at: z.string(),
  resolved_at: z.string().nullable(),
});
export type DeadLetterView = z.infer<typeof deadLetterSchema>;
export const deadLettersSchema = z.object({ items: z.array(deadLetterSchema) });
/** A retry's answer: the dead letter after it, and what applying it did (when it did not fail again). */
export const deadLetterRetrySchema = deadLetterSchema.extend({
  result: z.object({ applied: z.number().int(), refused: z.array(z.object({ subject: z.string(), reason: z.string(), node: z.string().optional() })) }).optional(),
});
export const deadLettersQuerySchema = z.strictObject({
  status: z.enum(['parked', 'applied', 'discarded']).default('parked'),
});
