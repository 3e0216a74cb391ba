/**
 * Several reports in one request (POST /api/v1/incidents/batch): what an outbox sends when it comes back online with a
 * queue. Each report keeps its client-chosen id and is judged alone, as a create of its own would judge it — 201
 * created, 200 already received (same content), 409 the id holds other content, 400 invalid, 403 above the sender's
 * clearance — so one bad report never holds back the others. The good ones commit together, in one transaction with
 * one audit entry each (the same entries as a create each), one change-log entry each and one event.
 */
import { incidentCreateSchema, PROBLEMS, safeParseInput } from '@vigie/domain';
import type { ZodError } from 'zod';
import { Problem } from '../../lib/problem.js';
import type { Ctx } from '../context.js';
import { event } from '../events.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import { createManyInTransaction, reportingStateOf, type ImportOutcome, type ParsedItem } from './incident.service.js';

/** The most reports one request may carry (the body limit of 1 MiB holds about 300 ordinary reports). */
export const BATCH_MAX = 200;

export interface BatchItemResult {
  index: number;
  id: string | null;
  status: number;
  /** For a refused report: why, as the single create would have answered it. */
  problem?: Problem | ZodError;
}

const idOf = (input: unknown): string | null => {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

/**
 * Creates each report of `inputs` that passes its checks, in one transaction; returns one result per input, in order.
 * A retry of the whole request is harmless: the reports already received answer 200 and write nothing.
 */
export async function createIncidentBatch(ctx: Ctx, principal: Principal, inputs: readonly unknown[]): Promise<BatchItemResult[]> {
  requirePermission(principal, 'incident.create');
  const state = reportingStateOf(ctx, principal, {});
  const results: BatchItemResult[] = inputs.map((input, index) => ({ index, id: idOf(input), status: 0 }));
  const parsed: ParsedItem[] = [];
  inputs.forEach((input, index) => {
    const res = safeParseInput(incidentCreateSchema, input);
    if (res.success) parsed.push({ index, data: res.data, state, options: {} });
    else Object.assign(results[index] as BatchItemResult, { status: PROBLEMS.validation_failed.status, problem: res.error });
  });
  if (!parsed.length) return results;

  const attempt = () => mutate(ctx, principal, {
    permission: 'incident.create',
    async run(trx) {
      const outcome: ImportOutcome = { created: 0, unchanged: 0, rejected: [] };
      const { ids, audits, cells } = await createManyInTransaction(ctx, trx, principal, parsed, outcome, {});
      const result = { ids, rejected: outcome.rejected };
      if (!ids.length) return { result };
      return {
        result, audit: audits, changes: ids.map((id) => ({ type: 'incident' as const, id, op: 'create' })),
        events: [event('incident.changed', { action: 'create', count: ids.length, cells })],
      };
    },
  });
  let out: Awaited<ReturnType<typeof attempt>> | undefined;
  for (let tries = 1; !out; tries++) {
    try {
      out = await attempt();
    } catch (e) {
      // Two copies of one report raced (a resend while the first request was in flight): run again, the winner's
      // rows are there now, so the same content answers 200 and other content 409.
      if (!ctx.engine.isUniqueViolation(e) || tries >= 3) throw e;
    }
  }
  const refused = new Map(out.rejected.map((r) => [r.index, r]));
  const created = new Set(out.ids);
  for (const p of parsed) {
    const r = results[p.index] as BatchItemResult;
    const no = refused.get(p.index);
    if (no) {
      const code = no.code ?? 'validation_failed';
      const record = no.errors.length === 1 && no.errors[0]?.field === '(record)';
      r.problem = new Problem(code, record ? no.errors[0]?.message : undefined, record ? undefined : no.errors);
      r.status = r.problem.status;
    } else if (created.delete(p.data.id)) {
      r.status = 201; // the first copy of an id in the batch is the one written; another copy is "already received"
    } else {
      r.status = 200;
    }
  }
  return results;
}
