import { exportQuerySchema } from '@vigie/domain';
import { Readable } from 'node:stream';
import { exportIncidents } from '../../services/exchange/export.service.js';
import { route, type RouteDef } from '../route.js';

export const exportRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/exports/incidents', tags: ['exports'], auth: 'user', query: exportQuerySchema,
    summary: 'Export the incidents the reader may see that match the list\'s filters (CSV, HXL CSV, GeoJSON, GeoPackage, XLSX), streamed and audited',
    responses: { 200: { description: 'The file, as an attachment', contentType: 'application/octet-stream' } },
    async handler(req, reply) {
      // A client that goes away stops the export's reads (and the audit says it was not complete).
      const gone = new AbortController();
      reply.raw.on('close', () => gone.abort());
      const out = await exportIncidents(req.ctx, req.principal, req.input.query, { signal: gone.signal });
      return reply.type(out.contentType).header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('x-vigie-expected-count', String(out.expected))
        .send(Readable.from(out.body, { objectMode: false }));
    },
  }),
];
