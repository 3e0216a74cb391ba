import { boundaryFrameSchema, sitrepCreateSchema, sitrepHeadSchema, sitrepListQuerySchema, sitrepListSchema, sitrepSchema, SITREP_LANGS, type SitrepLang } from '@vigie/domain';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderSitrepHtml } from '../../services/sitrep/sitrep-html.js';
import { renderSitrepPdf } from '../../services/sitrep/sitrep-pdf.js';
import { generateSitrep, getSitrep, listSitreps, sitrepForDownload } from '../../services/sitrep/sitrep.service.js';
import { negotiateLang } from '../problem-handler.js';
import { route, type RouteDef } from '../route.js';

const id = z.object({ id: z.string().min(1).max(64) });
const tags = ['sitreps'];
const langQuery = z.strictObject({ lang: z.enum(SITREP_LANGS).optional().describe("fr or en; else the request's Accept-Language (French by default)") });
/** The report's language: `lang` when given, else the request's Accept-Language (French by default). */
const langOf = (req: FastifyRequest, lang: SitrepLang | undefined): SitrepLang => lang ?? (negotiateLang(req.headers['accept-language']) === 'en' ? 'en' : 'fr');

/** Situation reports: generate one (frozen), the archive, one report with its figures, and its HTML and PDF renderings. */
export const sitrepRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/sitreps', tags, auth: 'user', query: sitrepListQuerySchema,
    summary: 'The archive of situation reports the caller may open (their audience, within their clearance), newest first; search by period, audience or words',
    responses: { 200: sitrepListSchema },
    handler: (req) => listSitreps(req.ctx, req.principal, req.input.query),
  }),
  route({
    method: 'POST', url: '/api/v1/sitreps', tags, auth: 'user', body: sitrepCreateSchema,
    summary: "Generate a weekly or monthly situation report for an audience and classification ceiling; its figures are frozen with their 'as of' time and its readers notified",
    responses: { 201: sitrepHeadSchema },
    handler: async (req, reply) => reply.status(201).send(await generateSitrep(req.ctx, req.principal, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/sitreps/:id', tags, auth: 'user', params: id,
    summary: 'A situation report with its frozen figures (403 naming the reason to a reader outside its audience or below its ceiling)',
    responses: { 200: sitrepSchema.extend({ boundary_frame: boundaryFrameSchema }) },
    handler: async (req) => {
      const r = await getSitrep(req.ctx, req.principal, req.input.params.id);
      // The sets the report was produced with, frozen with its figures — not today's.
      return { ...r, boundary_frame: r.figures.boundary_frame ?? { sets: [] } };
    },
  }),
  route({
    method: 'GET', url: '/api/v1/sitreps/:id/report.html', tags, auth: 'user', params: id, query: langQuery,
    summary: 'A situation report as printable HTML (French or English), drawn from its frozen figures: the same bytes for every reader',
    responses: { 200: { description: 'text/html', contentType: 'text/html' } },
    async handler(req, reply) {
      const lang = langOf(req, req.input.query.lang);
      const html = renderSitrepHtml(await sitrepForDownload(req.ctx, req.principal, req.input.params.id, 'html', lang), lang);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    },
  }),
  route({
    method: 'GET', url: '/api/v1/sitreps/:id/report.pdf', tags, auth: 'user', params: id, query: langQuery,
    summary: 'A situation report as PDF (A4, French or English): the same bytes for every reader',
    responses: { 200: { description: 'application/pdf', contentType: 'application/pdf' } },
    async handler(req, reply) {
      const lang = langOf(req, req.input.query.lang);
      const model = await sitrepForDownload(req.ctx, req.principal, req.input.params.id, 'pdf', lang);
      const pdf = await renderSitrepPdf(model, lang);
      return reply.type('application/pdf').header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="sitrep-${model.figures.period}-${model.audience}-${lang}.pdf"`).send(pdf);
    },
  }),
];
