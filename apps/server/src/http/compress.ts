import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const gzipAsync = promisify(gzip);
const COMPRESSIBLE = /^(application\/(json|geo\+json|problem\+json|ld\+json)|text\/(csv|plain|html))/;
const MIN_BYTES = 1024;

/**
 * Gzips JSON (and CSV) answers for clients that accept it: on a 256 kbit/s link the dashboard's data shrinks
 * several times. Streams (static files, which are precompressed, and server-sent events) are left alone.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding') || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    const size = Buffer.byteLength(payload);
    if (size < MIN_BYTES || !COMPRESSIBLE.test(type)) return payload;
    reply.header('content-encoding', 'gzip');
    reply.header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload);
  });
}
