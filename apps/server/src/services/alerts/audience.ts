/**
 * Audiences: the views of the data for which an alert's figures are computed. Every reader belongs to exactly one:
 * a member state's user reads its state's records and everything shared (view = the state's code), a confederation
 * user reads shared records only (view '*'), both up to their clearance (ceiling). The local operator reads all.
 * Two readers of one audience may read exactly the same validated records, so they may be shown the same figures.
 */
import { roleCan, type Role } from '@vigie/domain';
import { activeReaderKinds, type Audience } from '../../repositories/alert.repository.js';
import type { Db } from '../../db/engine.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../principal.js';

export type { Audience };

/** Every validated record, for the local operator (CLI, scheduled runs). */
export const ALL: Audience = { view: 'all', ceiling: 3 };

export const audienceKey = (a: Audience) => `${a.view}:${a.ceiling}`;

/** The audience a reader belongs to. */
export function audienceOf(ctx: Ctx, principal: Principal): Audience {
  if (principal.kind === 'system') return ALL;
  const state = ctx.reference.states.some((s) => s.code === principal.organisation);
  return { view: state ? principal.organisation : '*', ceiling: principal.clearance };
}

/** The audiences that have readers (active users allowed to read alerts), plus the operator's: what a run computes. */
export async function readerAudiences(ctx: Ctx, db: Db = ctx.engine.db): Promise<Audience[]> {
  const kinds = await activeReaderKinds(db);
  const out = new Map<string, Audience>([[audienceKey(ALL), ALL]]);
  for (const k of kinds) {
    if (!roleCan(k.role as Role, 'alert.read')) continue;
    const a = audienceOf(ctx, { kind: 'user', userId: null, login: '', organisation: k.organisation, role: k.role as Role, clearance: k.clearance });
    out.set(audienceKey(a), a);
  }
  return [...out.values()].sort((a, b) => audienceKey(a).localeCompare(audienceKey(b)));
}
