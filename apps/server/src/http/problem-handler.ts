import { fieldErrors, PROBLEMS, translateMessage, type FieldError, type ProblemBody, type ProblemCode } from '@vigie/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { Problem } from '../lib/problem.js';

/** The reader's language from Accept-Language: French unless English is preferred. */
export function negotiateLang(header: string | undefined): 'fr' | 'en' {
  if (!header) return 'fr';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'fr';
}

function body(code: ProblemCode, lang: 'fr' | 'en', req: FastifyRequest, detail?: string, extra: Record<string, unknown> = {}): ProblemBody {
  const p = PROBLEMS[code];
  // Extra members come first: they may never replace the standard ones (a `status` extra would break the reply).
  return {
    ...extra, type: `https://vigie.local/problems/${code}`, title: p.title[lang], status: p.status, code, instance: req.url,
    ...(detail ? { detail } : {}), request_id: String(req.id),
  };
}

type Text = { fr: string; en: string };

/** Fastify's own errors, by code: the problem, the field at fault and a message, French first. */
const FRAMEWORK_ERRORS: Record<string, { code: ProblemCode; field: string; message: Text }> = {
  FST_ERR_BAD_URL: { code: 'malformed_request', field: '(url)', message: { fr: 'L’adresse contient un encodage % invalide', en: 'The address has an invalid % encoding' } },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', field: '(body)', message: { fr: 'Le corps n’est pas du JSON valide', en: 'The body is not valid JSON' } },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_json', field: '(body)', message: { fr: 'Corps JSON vide', en: 'Empty JSON body' } },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', field: '(body)', message: { fr: 'Le corps dépasse la taille admise (1 Mio)', en: 'The body exceeds the allowed size (1 MiB)' } },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'malformed_request', field: 'content-length', message: { fr: 'Content-Length ne correspond pas au corps', en: 'Content-Length does not match the body' } },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', field: 'content-type', message: { fr: 'Type de contenu non pris en charge : envoyez application/json', en: 'Unsupported content type: send application/json' } },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', field: 'content-type', message: { fr: 'Type de contenu invalide', en: 'Invalid content type' } },
  FST_FILES_LIMIT: { code: 'payload_too_large', field: '(body)', message: { fr: 'Trop de fichiers dans une même requête : envoyez-les en plusieurs fois', en: 'Too many files in one request: send them in several' } },
  FST_PARTS_LIMIT: { code: 'payload_too_large', field: '(body)', message: { fr: 'Trop de parties dans une même requête', en: 'Too many parts in one request' } },
  FST_REQ_FILE_TOO_LARGE: { code: 'payload_too_large', field: '(body)', message: { fr: 'Fichier trop volumineux : 10 Mo au plus par fichier', en: 'File too large: 10 MB at most per file' } },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'unsupported_media_type', field: 'content-type', message: { fr: 'Envoyez les fichiers en multipart/form-data', en: 'Send files as multipart/form-data' } },
};

function frameworkProblem(fe: FastifyError, lang: 'fr' | 'en', req: FastifyRequest): ProblemBody | undefined {
  const known = FRAMEWORK_ERRORS[fe.code];
  // A JSON syntax error from the body parser carries no code, only its status and SyntaxError name.
  const entry = known ?? (fe.name === 'SyntaxError' && fe.statusCode === 400 ? FRAMEWORK_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY : undefined);
  if (!entry) return undefined;
  const errors: FieldError[] = [{ field: entry.field, message: entry.message[lang] }];
  return body(entry.code, lang, req, `${entry.field}: ${entry.message[lang]}`, { errors });
}

/** Every error leaves the server as RFC 9457 application/problem+json, from this one place. */
export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const out = problemOf(err, req);
  return reply.status(out.status).type('application/problem+json; charset=utf-8').send(out);
}

/** The problem an error is, in the reader's language (also rendered as an OpenRosa response by the OpenRosa routes). */
export function problemOf(err: unknown, req: FastifyRequest, lang: 'fr' | 'en' = negotiateLang(req.headers['accept-language'])): ProblemBody {
  let out: ProblemBody;
  if (err instanceof Problem) {
    // A service names a field's problem by a catalogue key (validation.*): it is written here in the reader's language.
    const errors = err.errors?.map((e) => ({ ...e, message: translateMessage(e.message, lang) }));
    out = body(err.code, lang, req, err.detail, { ...(errors ? { errors } : {}), ...err.extra });
  } else if (err instanceof ZodError) {
    const errors = fieldErrors(err, lang);
    out = body('validation_failed', lang, req, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  } else {
    const fe = err as FastifyError;
    const framework = frameworkProblem(fe, lang, req);
    if (framework) out = framework;
    else if (fe.statusCode === 429) out = body('rate_limited', lang, req, fe.message);
    else if (fe.statusCode === 404) out = body('not_found', lang, req, fe.message);
    else if (fe.statusCode === 413) out = body('payload_too_large', lang, req, fe.message);
    else if (fe.statusCode === 415) out = body('unsupported_media_type', lang, req, fe.message);
    else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) out = body('malformed_request', lang, req, fe.message);
    else out = body('internal', lang, req);
  }
  if (out.status >= 500) {
    // Our own line for every 5xx, whatever the log level is set to above error: the request id, the route and the error.
    req.log.error({ reqId: req.id, method: req.method, route: req.routeOptions?.url ?? null, url: req.url, err }, `5xx ${req.method} ${req.routeOptions?.url ?? req.url}`);
  }
  return out;
}
