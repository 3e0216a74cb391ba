import { fieldErrors, PROBLEMS, type ProblemBody, type ProblemCode } from '@vigie/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { Problem } from '../lib/problem.js';

/** The reader's language from Accept-Language: French unless English is preferred. */
export function negotiateLang(header: string | undefined): 'fr' | 'en' {
  if (!header) return 'fr';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'fr';
}

function body(code: ProblemCode, lang: 'fr' | 'en', instance: string, detail?: string, extra: Record<string, unknown> = {}): ProblemBody {
  const p = PROBLEMS[code];
  // Extra members come first: they may never replace the standard ones (a `status` extra would break the reply).
  return { ...extra, type: `https://vigie.local/problems/${code}`, title: p.title[lang], status: p.status, code, instance, ...(detail ? { detail } : {}) };
}

/** Every error leaves the server as RFC 9457 application/problem+json, from this one place. */
export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang = negotiateLang(req.headers['accept-language']);
  let out: ProblemBody;
  if (err instanceof Problem) {
    out = body(err.code, lang, req.url, err.detail, { ...(err.errors ? { errors: err.errors } : {}), ...err.extra });
  } else if (err instanceof ZodError) {
    const errors = fieldErrors(err, lang);
    out = body('validation_failed', lang, req.url, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  } else {
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') out = body('payload_too_large', lang, req.url, fe.message);
    else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') out = body('unsupported_media_type', lang, req.url, fe.message);
    else if (fe.statusCode === 429) out = body('rate_limited', lang, req.url, fe.message);
    else if (fe.statusCode === 404) out = body('not_found', lang, req.url, fe.message);
    else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) out = body('malformed_json', lang, req.url, fe.message);
    else {
      req.log.error({ err }, 'unhandled error');
      out = body('internal', lang, req.url);
    }
  }
  return reply.status(out.status).type('application/problem+json; charset=utf-8').send(out);
}
