import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';

/** How a route is reached: public, any signed-in user, or signed in with the second factor done (admins). */
export type RouteAuth = 'public' | 'user';

type Schema = z.ZodType | undefined;
/** What a declared schema gives the handler once parsed: its output, or nothing when the route declares none. */
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** A route's request, parsed once from its declared schemas before the handler runs (app.ts). */
export interface RouteInput<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

/** One API route, declared once: Fastify registers it, its input is parsed from these schemas, and the OpenAPI document and web client are generated from it. */
export interface RouteDef<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** Success responses by status code. */
  responses?: Record<number, z.ZodType | { description: string; contentType?: string }>;
  /** Login throttling and similar per-route limits. */
  rateLimit?: { max: number; timeWindow: string };
  handler(req: RouteRequest<RouteInput<P, Q, B>>, reply: FastifyReply): Promise<unknown>;
}

export interface RouteRequest<I extends RouteInput = RouteInput> extends FastifyRequest {
  ctx: Ctx;
  principal: Principal;
  lang: 'fr' | 'en';
  /** params, query and body, each parsed by the schema the route declares (a bad one never reaches the handler: 400 naming the field). */
  input: I;
}

/** Declares a route; the handler's `req.input` is typed from the route's own schemas. */
export const route = <P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(def: RouteDef<P, Q, B>): RouteDef =>
  def as unknown as RouteDef;

/** Reads a path parameter that the route's URL guarantees. */
export function param(req: FastifyRequest, name: string): string {
  return String((req.params as Record<string, string>)[name] ?? '');
}
