/**
 * The ministers' report as a file: built for the reader (their audience and clearance are checked by `buildReport`),
 * rendered as HTML or PDF, and recorded in the audit trail (who produced which evaluation's report, in which format)
 * through the one mutation path before the file is handed over. The web route and `vigie report` both call this.
 */
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import type { Principal } from '../principal.js';
import { renderReportHtml } from './report-html.js';
import { renderReportPdf } from './report-pdf.js';
import { buildReport } from './strategy.evaluation.service.js';

export type ReportFormat = 'html' | 'pdf';

export async function produceReport(ctx: Ctx, principal: Principal, evaluationId: string, format: ReportFormat): Promise<{ period: string; body: Buffer }> {
  const model = await buildReport(ctx, principal, evaluationId);
  const body = format === 'html' ? Buffer.from(renderReportHtml(model), 'utf8') : await renderReportPdf(model);
  await mutate(ctx, principal, {
    permission: 'strategy.read',
    run: async () => ({ result: undefined, audit: { action: 'evaluation.report', objectType: 'evaluation', objectId: evaluationId, details: { format } } }),
  });
  return { period: model.evaluation.period, body };
}
