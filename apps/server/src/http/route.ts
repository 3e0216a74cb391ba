import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';

/** How a route is reached: public, any signed-in user, or signed in with the second factor done (admins). */
export type RouteAuth = 'public' | 'user';

/** One API route, declared once: Fastify registers it and the OpenAPI document is generated from it. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success responses by status code. */
  responses?: Record<number, z.ZodType | { description: string; contentType?: string }>;
  /** Login throttling and similar per-route limits. */
  rateLimit?: { max: number; timeWindow: string };
  handler(req: RouteRequest, reply: FastifyReply): Promise<unknown>;
}

export interface RouteRequest extends FastifyRequest {
  ctx: Ctx;
  principal: Principal;
  lang: 'fr' | 'en';
}

/** Identity helper that keeps route literals typed. */
export const route = (def: RouteDef): RouteDef => def;

/** Reads a path parameter that the route's URL guarantees. */
export function param(req: FastifyRequest, name: string): string {
  return String((req.params as Record<string, string>)[name] ?? '');
}
