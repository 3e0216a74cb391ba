/**
 * OpenRosa 1.0 under /openrosa, for ODK Collect, KoboCollect, Enketo and ODK Web Forms: the form list, the form and its
 * manifest and media, and submissions. Every route exists twice, as ODK Central does it: plain (HTTP Basic with an API
 * token as password, or the signed-in session of a browser) and with the token in the path, `/openrosa/key/{token}/…`,
 * for collectors configured by a QR code or a URL. The token is an API token (`vigie token create`, POST /api/v1/tokens),
 * revocable. Every answer carries X-OpenRosa-Version: 1.0; an OpenRosa client (it sends that header) gets errors as an
 * OpenRosaResponse with a French message, any other caller the API's problem+json.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import { sha256 } from '../../lib/ids.js';
import { resolveApiToken, resolveBasicToken } from '../../services/accounts/auth.service.js';
import {
  formList, formXml, manifest, MAX_FILE_BYTES, MAX_SUBMISSION_BYTES, mediaFile, receiveSubmission, type IncomingFile, type OpenRosaCaller,
} from '../../services/openrosa/openrosa.service.js';
import { tokenName } from '../../repositories/openrosa.repository.js';
import { fileTooLarge } from '../../services/attachments/clean-file.js';
import { authenticate } from '../auth.plugin.js';
import { problemOf } from '../problem-handler.js';
import { route, type RouteDef, type RouteInput, type RouteRequest, type Schema } from '../route.js';

const tags = ['openrosa'];
const XML = 'text/xml; charset=utf-8';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What every OpenRosa route's path gives: the API token under /openrosa/key/{token}. */
type KeyedRequest = RouteRequest<RouteInput<z.ZodType<{ token?: string }>, Schema, Schema>>;

/** Who calls: the token in the path, else HTTP Basic (any user name, the API token as password), else the session. */
async function callerOf(req: KeyedRequest): Promise<OpenRosaCaller> {
  const pathToken = req.input.params.token;
  const header = req.headers.authorization;
  let token: string | undefined;
  if (pathToken !== undefined) {
    token = pathToken;
    const principal = await resolveApiToken(req.ctx, token);
    if (!principal) throw new Problem('unauthenticated', 'Jeton inconnu ou révoqué');
    return withDevice(req, principal, token);
  }
  if (header && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    token = colon < 0 ? '' : decoded.slice(colon + 1);
    return withDevice(req, await resolveBasicToken(req.ctx, decoded.slice(0, Math.max(colon, 0)), token, { ip: req.ip }), token);
  }
  return { principal: await authenticate(req.ctx, req), tokenId: null, device: null };
}

async function withDevice(req: RouteRequest, principal: OpenRosaCaller['principal'], token: string): Promise<OpenRosaCaller> {
  const row = await tokenName(req.ctx.engine.db, sha256(token));
  return { principal, tokenId: row?.id ?? null, device: row?.name ?? null };
}

const openRosaClient = (req: FastifyRequest) => req.headers['x-openrosa-version'] !== undefined;

/** An OpenRosaResponse: the message a collector shows its user. */
export function openRosaResponse(message: string, nature: 'submit_success' | 'error' | 'info' = 'info'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="http://openrosa.org/http/response" items="0"><message nature="${nature}">${esc(message)}</message></OpenRosaResponse>\n`;
}

function headers(reply: FastifyReply): FastifyReply {
  return reply.header('x-openrosa-version', '1.0').header('date', new Date().toUTCString()).header('cache-control', 'no-store');
}

/** What a collector's user is told for refusals whose detail the shared services write for developers, in English. */
const COLLECTOR_MESSAGES: Partial<Record<string, string>> = {
  unauthenticated: 'jeton inconnu ou révoqué ; vérifiez le jeton saisi comme mot de passe (ou le lien du serveur) auprès de votre administrateur',
  forbidden: 'ce compte ne peut pas envoyer de signalements (il faut le rôle de rapporteur, d’analyste ou de point focal d’un État membre)',
  rate_limited: 'trop d’échecs de connexion depuis cet appareil ; réessayez dans quelques minutes',
};

/**
 * An error under /openrosa: the protocol's headers (and the Basic challenge on 401); for an OpenRosa client the
 * OpenRosaResponse in French, sent here; undefined for any other caller, who gets the API's problem+json.
 */
export function openRosaError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (!/^\/openrosa([/?]|$)/.test(req.url)) return undefined;
  headers(reply);
  const p = problemOf(err, req, 'fr');
  if (p.status === 401) reply.header('www-authenticate', 'Basic realm="Vigie OpenRosa", charset="UTF-8"');
  if (!openRosaClient(req)) return undefined;
  // Fastify's own refusal of a body speaks of JSON; a collector is told what OpenRosa expects.
  // A refused attachment names its file, so the collector's user knows which one to replace.
  const named = (p as { file?: unknown }).file;
  const file = typeof named === 'string' ? `fichier « ${named} » — ` : '';
  const detail = p.code === 'unsupported_media_type' ? 'une soumission OpenRosa est envoyée en multipart/form-data'
    : p.errors?.length ? file + p.errors.map((e) => e.message).join(' ; ') : (COLLECTOR_MESSAGES[p.code] ?? p.detail);
  const text = detail && detail !== p.title ? `${p.title} : ${detail}` : p.title;
  return reply.status(p.status).type(XML).send(openRosaResponse(text, 'error'));
}

const baseOf = (req: KeyedRequest) => {
  const token = req.input.params.token;
  return `${req.protocol}://${req.host}/openrosa${token !== undefined ? `/key/${encodeURIComponent(token)}` : ''}`;
};

const formParams = z.object({ formId: z.string() });
/** A route's path parameters, with the API token of the route under /openrosa/key/{token} (none on the plain route). */
const keyed = <T extends z.ZodRawShape>(shape: T, key: boolean) =>
  (key ? z.object({ ...shape, token: z.string() }) : z.object(shape).transform((p) => ({ ...p, token: undefined })));
/**
 * formList's query: `formID` narrows the list to one form. Collectors add parameters of their own (deviceID, verbose,
 * listAllVersions…), which are not refused.
 */
const formListQuery = z.looseObject({ formID: z.string().optional() });

function routesAt(prefix: string, key: boolean): RouteDef[] {
  const where = key ? ' (token in the path)' : ' (HTTP Basic with an API token, or the session)';
  return [
    route({
      method: 'GET', url: `${prefix}/formList`, tags, auth: 'public', params: keyed({}, key), query: formListQuery,
      summary: `OpenRosa form list: Vigie's incident form with its md5 hash and manifest${where}`,
      responses: { 200: { description: 'xforms list', contentType: XML } },
      async handler(req, reply) {
        headers(reply);
        const { principal } = await callerOf(req);
        const base = baseOf(req);
        const wanted = req.input.query.formID;
        const forms = formList(req.ctx, principal).filter((f) => !wanted || f.formId === wanted);
        const items = forms.map((f) => `<xform><formID>${f.formId}</formID><name>${esc(f.name)}</name><version>${f.version}</version><hash>${f.hash}</hash>`
          + `<downloadUrl>${base}/forms/${f.formId}/form.xml</downloadUrl><manifestUrl>${base}/forms/${f.formId}/manifest</manifestUrl></xform>`);
        return reply.type(XML).send(`<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="http://openrosa.org/xforms/xformsList">${items.join('')}</xforms>\n`);
      },
    }),
    route({
      method: 'GET', url: `${prefix}/forms/:formId/form.xml`, tags, auth: 'public', params: keyed(formParams.shape, key),
      summary: `The incident XForm, generated from the domain (French, with an English translation)${where}`,
      responses: { 200: { description: 'XForm', contentType: XML } },
      async handler(req, reply) {
        headers(reply);
        const { principal } = await callerOf(req);
        return reply.type(XML).send(formXml(req.ctx, principal, req.input.params.formId));
      },
    }),
    route({
      method: 'GET', url: `${prefix}/forms/:formId/manifest`, tags, auth: 'public', params: keyed(formParams.shape, key),
      summary: `The form's manifest: the reference lists (actors, areas, places of the caller's state) as CSV media files${where}`,
      responses: { 200: { description: 'xforms manifest', contentType: XML } },
      async handler(req, reply) {
        headers(reply);
        const { principal } = await callerOf(req);
        const { formId } = req.input.params;
        const files = await manifest(req.ctx, principal, formId);
        const base = baseOf(req);
        const items = files.map((f) => `<mediaFile><filename>${f.filename}</filename><hash>${f.hash}</hash><downloadUrl>${base}/forms/${formId}/media/${f.filename}</downloadUrl></mediaFile>`);
        return reply.type(XML).send(`<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://openrosa.org/xforms/xformsManifest">${items.join('')}</manifest>\n`);
      },
    }),
    route({
      method: 'GET', url: `${prefix}/forms/:formId/media/:file`, tags, auth: 'public', params: keyed({ ...formParams.shape, file: z.string() }, key),
      summary: `A media file of the form (CSV reference list)${where}`,
      responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
      async handler(req, reply) {
        headers(reply);
        const { principal } = await callerOf(req);
        return reply.type('text/csv; charset=utf-8').send(await mediaFile(req.ctx, principal, req.input.params.formId, req.input.params.file));
      },
    }),
    route({
      // Public, as the protocol's pre-flight: it says how big a POST may be and nothing else; the POST authenticates.
      method: 'HEAD', url: `${prefix}/submission`, tags, auth: 'public', params: keyed({}, key),
      summary: `OpenRosa pre-flight: 204 with X-OpenRosa-Accept-Content-Length${where}`,
      responses: { 204: { description: 'Ready to receive' } },
      async handler(_req, reply) {
        return headers(reply).status(204).header('x-openrosa-accept-content-length', String(MAX_SUBMISSION_BYTES)).send();
      },
    }),
    route({
      method: 'POST', url: `${prefix}/submission`, tags, auth: 'public', params: keyed({}, key),
      summary: `A submission: multipart with xml_submission_file and its files (possibly over several POSTs repeating the XML); 201, 202 when already received, 409 for other content under the same instanceID${where}`,
      responses: { 201: { description: 'OpenRosaResponse', contentType: XML }, 202: { description: 'Already received', contentType: XML } },
      async handler(req, reply) {
        headers(reply);
        reply.header('x-openrosa-accept-content-length', String(MAX_SUBMISSION_BYTES));
        const caller = await callerOf(req);
        if (Number(req.headers['content-length'] ?? 0) > MAX_SUBMISSION_BYTES) throw new Problem('payload_too_large', `La soumission dépasse ${MAX_SUBMISSION_BYTES / 1024 / 1024} Mio`);
        if (!req.isMultipart()) throw new Problem('unsupported_media_type', 'Une soumission OpenRosa est envoyée en multipart/form-data');
        let xml: string | undefined;
        const files: IncomingFile[] = [];
        for await (const part of req.parts({ limits: { fileSize: MAX_FILE_BYTES, files: 50 } })) {
          if (part.type !== 'file') continue;
          let data: Buffer;
          try {
            data = await part.toBuffer();
          } catch (e) {
            if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(part.filename || part.fieldname, part.filename || part.fieldname);
            throw e;
          }
          if (part.fieldname === 'xml_submission_file') xml = data.toString('utf8');
          else files.push({ name: part.filename || part.fieldname, contentType: part.mimetype, data });
        }
        if (xml === undefined) throw new Problem('validation_failed', 'Il manque la partie xml_submission_file', [{ field: 'xml_submission_file', message: 'Il manque la partie xml_submission_file' }]);
        const out = await receiveSubmission(req.ctx, caller, xml, files);
        reply.header('location', `${req.protocol}://${req.host}/api/v1/incidents/${out.incidentId}`);
        return reply.status(out.status).type(XML).send(openRosaResponse(out.message, 'submit_success'));
      },
    }),
  ];
}

export const openRosaRoutes: RouteDef[] = [...routesAt('/openrosa', false), ...routesAt('/openrosa/key/:token', true)];
