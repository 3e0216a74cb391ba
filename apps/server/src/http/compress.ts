import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Compressed when the client accepts it: JSON, CSV and text answers, plus whatever the MIME database calls compressible. */
const COMPRESSIBLE = /^(application\/(json|geo\+json|problem\+json|ld\+json)|text\/(csv|plain|html))/;

/**
 * Brotli (preferred) or gzip for answers of 1 KiB or more, as the client's Accept-Encoding allows (`gzip;q=0` is a
 * refusal): on a 256 kbit/s link the dashboard's data shrinks several times, brotli a good deal more than gzip. Static
 * files that come precompressed (`.br`, `.gz`) are sent as they are; server-sent events hijack the reply and are
 * never buffered. Request bodies are not inflated (the API takes plain JSON). Register before @fastify/static.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: COMPRESSIBLE,
    globalDecompression: false,
  });
}
