/** The files kept as evidence of a record (received with OpenRosa submissions): only for readers who see the record. */
import { z } from 'zod';
import { recordAttachment, recordAttachments } from '../../services/openrosa/openrosa.service.js';
import { route, type RouteDef } from '../route.js';

const tags = ['incidents'];
const attachmentSchema = z.object({
  id: z.string(), instance_id: z.string(), file_name: z.string(), content_type: z.string(), size_bytes: z.number().int(),
  sha256: z.string(), metadata_stripped: z.boolean(), created_at: z.string(),
});

export const attachmentRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/incidents/:id/attachments', tags, auth: 'user', params: z.object({ id: z.string() }),
    summary: 'The files of a record (photos, documents), without their content; 404 to a reader who may not see the record',
    responses: { 200: z.object({ items: z.array(attachmentSchema) }) },
    handler: async (req) => ({ items: await recordAttachments(req.ctx, req.principal, req.input.params.id) }),
  }),
  route({
    method: 'GET', url: '/api/v1/incidents/:id/attachments/:attachmentId', tags, auth: 'user', params: z.object({ id: z.string(), attachmentId: z.string() }),
    summary: 'One file of a record (metadata stripped on receipt), as a download',
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    async handler(req, reply) {
      const f = await recordAttachment(req.ctx, req.principal, req.input.params.id, req.input.params.attachmentId);
      // Always a download, never rendered in Vigie's origin: a file's declared type comes from the collector.
      return reply.type(f.contentType).header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store').send(f.data);
    },
  }),
];
