import { z } from 'zod';

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
