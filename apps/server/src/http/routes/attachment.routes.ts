/**
 * The files kept as evidence of a record (photos, documents, received with OpenRosa submissions or added on the
 * record's page): listed and downloaded only by readers who see the record; added by its reporter or a reviewer.
 */
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import { addAttachment, recordAttachment, recordAttachments } from '../../services/attachments/attachment.service.js';
import { fileTooLarge, MAX_FILE_BYTES } from '../../services/attachments/clean-file.js';
import { route, type RouteDef } from '../route.js';

const tags = ['incidents'];
const attachmentSchema = z.object({
  id: z.string(), instance_id: z.string(), file_name: z.string(), content_type: z.string(), size_bytes: z.number().int(),
  sha256: z.string(), metadata_stripped: z.boolean(), created_at: z.string(),
  /** clean or released: served; pending: being cleaned; held: a format Vigie cannot clean, kept, not served (docs/openrosa.md). */
  clean_state: z.enum(['pending', 'clean', 'held', 'released']).optional(),
});

const missingFile = () => new Problem('validation_failed', 'Aucun fichier reçu (partie « file »)', [{ field: 'file', message: 'validation.file_empty' }]);

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
      // Always a download, never rendered in Vigie's origin; the type is the one Vigie detected from the content.
      return reply.type(f.contentType).header('content-length', String(f.data.length)).header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('cache-control', 'no-store').send(f.data);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/incidents/:id/attachments', tags, auth: 'user', params: z.object({ id: z.string() }),
    summary: 'Adds a file to a record (multipart, part `file`): JPEG, PNG, WebP or PDF, 10 MiB at most, its metadata (EXIF, GPS, XMP, author) removed; other formats refused (problem naming `file`), nothing stored. An optional field `id` (a UUID chosen by the client, sent before `file`) makes it idempotent: a resend answers 200 with the stored file',
    responses: { 201: attachmentSchema, 200: attachmentSchema },
    async handler(req, reply) {
      if (!req.isMultipart()) throw new Problem('unsupported_media_type', 'Envoyez le fichier en multipart/form-data, partie « file »', [{ field: 'content-type', message: 'multipart/form-data attendu' }]);
      let file: { name: string; data: Buffer } | undefined;
      let clientId: string | undefined;
      for await (const part of req.parts({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } })) {
        if (part.type === 'field' && part.fieldname === 'id') {
          const id = z.uuid().safeParse(String(part.value));
          if (!id.success) throw new Problem('validation_failed', 'Identifiant de fichier invalide (UUID attendu)', [{ field: 'id', message: 'validation.file_id_invalid' }]);
          clientId = id.data;
          continue;
        }
        if (part.type !== 'file' || part.fieldname !== 'file') continue;
        const name = part.filename || 'fichier';
        try {
          file = { name, data: await part.toBuffer() };
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge('file', name);
          throw e;
        }
      }
      if (!file) throw missingFile();
      const { created, ...stored } = await addAttachment(req.ctx, req.principal, req.input.params.id, file, clientId);
      return reply.status(created ? 201 : 200).send(stored);
    },
  }),
];
