import { once } from 'node:events';
import { changesPageSchema, changesQuerySchema, changesStreamQuerySchema } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { followChanges, readChanges } from '../../services/exchange/changes.service.js';
import { authenticate } from '../auth.plugin.js';
import { route, type RouteDef } from '../route.js';

/** A comment line every 25 s keeps proxies and mobile links from closing an idle stream (VIGIE_SSE_HEARTBEAT_MS to change). */
const heartbeatMs = () => Number(process.env.VIGIE_SSE_HEARTBEAT_MS) || 25_000;

/** Where a reconnecting EventSource resumes: its Last-Event-ID (a seq), when it sends one. */
function lastEventId(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new Problem('validation_failed', 'Last-Event-ID must be a seq of the change log', [{ field: 'Last-Event-ID', message: 'attendu : un entier positif / expected: a non-negative integer' }]);
  return Number(v);
}

export const changesRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/changes', tags: ['sync'], auth: 'user', query: changesQuerySchema,
    summary: 'What changed after a seq, as the reader sees it now (records, and tombstones for those that left their view); resumable, with a long poll',
    responses: { 200: changesPageSchema },
    async handler(req, reply) {
      // A follower that goes away stops the wait.
      const gone = new AbortController();
      reply.raw.on('close', () => gone.abort());
      return readChanges(req.ctx, req.principal, req.input.query, gone.signal);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/changes/stream', tags: ['sync'], auth: 'user', query: changesStreamQuerySchema,
    summary: 'The change feed live (server-sent events): `change` events (a record or a tombstone, id = its seq) then a `position` event per page (id = next_since); resumes after Last-Event-ID; a comment line as heartbeat',
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream' } },
    async handler(req, reply) {
      const since = lastEventId(req.headers['last-event-id']) ?? req.input.query.since;
      const raw = reply.raw;
      const gone = new AbortController();
      reply.hijack();
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write(': vigie changes\nretry: 5000\n\n');
      const beat = setInterval(() => raw.write(': ping\n\n'), heartbeatMs());
      beat.unref();
      raw.once('close', () => {
        clearInterval(beat);
        gone.abort();
      });
      try {
        await followChanges(req.ctx, req.principal, since, (e) => raw.write(`event: ${e.event}\nid: ${e.id}\ndata: ${JSON.stringify(e.data)}\n\n`), {
          signal: gone.signal,
          // A slow reader slows the reading: the next page waits until what was written has gone out.
          drained: async () => { if (raw.writableNeedDrain && !raw.destroyed) await once(raw, 'drain', { signal: gone.signal }).catch(() => undefined); },
          current: () => authenticate(req.ctx, req).catch(() => null),
        });
      } catch (e) {
        req.log.error(e, 'change stream failed');
      } finally {
        raw.end();
      }
    },
  }),
];
