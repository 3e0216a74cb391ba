import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteDef } from './route.js';

/** An answer that does not match the schema its route declares: a bug of ours, never sent as if it were fine. */
export class ResponseContractError extends Error {
  constructor(route: string, status: number, detail: string) {
    super(`${route} answered ${status} with a body its declared schema refuses: ${detail}`);
    this.name = 'ResponseContractError';
  }
}

/**
 * Checks every JSON answer against the Zod schema its route declares for that status (on in tests through
 * VIGIE_CHECK_RESPONSES=1, so every API test also checks the contract; off in production, where it would cost a parse
 * per answer). A success status that a route declaring JSON schemas does not list fails too.
 */
export function checkResponseContracts(app: FastifyInstance, routes: RouteDef[]): void {
  const byRoute = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
  app.addHook('preSerialization', async (req, reply, payload) => {
    const def = byRoute.get(`${req.method} ${req.routeOptions.url}`);
    if (!def?.responses || reply.statusCode >= 300) return payload;
    const declared = def.responses[reply.statusCode];
    const name = `${def.method} ${def.url}`;
    if (!declared) {
      if (Object.values(def.responses).some((r) => r instanceof z.ZodType)) throw new ResponseContractError(name, reply.statusCode, 'status not declared');
      return payload;
    }
    if (!(declared instanceof z.ZodType)) return payload;
    const checked = declared.safeParse(JSON.parse(JSON.stringify(payload)));
    if (!checked.success) throw new ResponseContractError(name, reply.statusCode, z.prettifyError(checked.error));
    return payload;
  });
}
