import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });
const dateOrInstant = z.iso.date().or(isoInstant);

/** Filters of the audit trail (`GET /api/v1/audit`), each validated; pages are keyset cursors on the chain's seq. */
export const auditListQuerySchema = z
  .strictObject({
    user: z.string().trim().min(1).max(120).optional().describe('A login or a user id'),
    object_type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/).optional(),
    object_id: z.string().trim().min(1).max(200).optional(),
    action: z.string().regex(/^[a-z][a-z0-9_.]{0,79}$/).optional(),
    from: dateOrInstant.optional().describe('On or after (date or instant)'),
    to: dateOrInstant.optional().describe('On or before (a date includes the whole day)'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().regex(/^[1-9]\d{0,17}$/).optional().describe('next_cursor of the previous page'),
  })
  .refine((q) => !q.from || !q.to || q.from.slice(0, 10) <= q.to.slice(0, 10), { path: ['to'], message: 'validation.end_before_start' });
export type AuditListQuery = z.output<typeof auditListQuerySchema>;

/** One entry of the audit trail as a reviewer sees it. */
export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  user_id: z.string().nullable(),
  login: z.string().nullable(),
  organisation: z.string().nullable(),
  action: z.string(),
  object_type: z.string().nullable(),
  object_id: z.string().nullable(),
  classification_level: z.number().int(),
  sharing_scope: z.string().nullable(),
  owner_state: z.string().nullable(),
  before_digest: z.string().nullable(),
  after_digest: z.string().nullable(),
  details: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.output<typeof auditEventSchema>;

export const auditPageSchema = z.object({ items: z.array(auditEventSchema), next_cursor: z.string().nullable() });
export type AuditPage = z.output<typeof auditPageSchema>;
