/**
 * `vigie import outbox FILE`: the pending queue a device exported (web app, « Exporter la file d'attente ») created on
 * the server in the name of the user who wrote it. Each report keeps the id chosen on the device, so importing the
 * same file twice, or after the device finally sent some of it, creates nothing more (createIncident is idempotent).
 */
import { incidentCreateSchema, parseInput } from '@vigie/domain';
import { z } from 'zod';
import { findUserByLogin } from '../../repositories/user.repository.js';
import { principalOf } from '../accounts/auth.service.js';
import type { Ctx } from '../context.js';
import { Problem } from '../../lib/problem.js';
import { createIncident } from './incident.service.js';

const outboxFileSchema = z.object({
  format: z.literal('vigie-outbox'),
  version: z.number().int().max(1),
  user: z.object({ id: z.string(), login: z.string() }),
  items: z.array(z.object({ id: z.string(), payload: z.record(z.string(), z.unknown()) })),
});

export interface OutboxImportResult {
  login: string;
  created: number;
  unchanged: number;
  rejected: { id: string; code: string; message: string }[];
}

/** Imports an exported outbox; `login` overrides the file's author (a device shared before accounts existed). */
export async function importOutboxFile(ctx: Ctx, text: string, options: { login?: string } = {}): Promise<OutboxImportResult> {
  let data: unknown;
  try { data = JSON.parse(text); } catch { throw new Problem('malformed_json', 'le fichier n’est pas du JSON'); }
  const file = outboxFileSchema.parse(data);
  const login = options.login ?? file.user.login;
  const row = await findUserByLogin(ctx.engine.db, login);
  if (!row || row.disabled) throw new Problem('not_found', `aucun compte actif « ${login} »`);
  const principal = principalOf(row);
  const result: OutboxImportResult = { login, created: 0, unchanged: 0, rejected: [] };
  for (const item of file.items) {
    try {
      const { created } = await createIncident(ctx, principal, parseInput(incidentCreateSchema, { ...item.payload, id: item.id }));
      if (created) result.created += 1;
      else result.unchanged += 1;
    } catch (e) {
      const message = e instanceof Problem ? (e.errors?.map((x) => `${x.field} : ${x.message}`).join(' ; ') || e.detail || e.code)
        : e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')} : ${i.message}`).join(' ; ') : String((e as Error).message);
      result.rejected.push({ id: item.id, code: e instanceof Problem ? e.code : 'validation_failed', message });
    }
  }
  return result;
}
