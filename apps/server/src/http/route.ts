import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Ctx } from '../services/context.js';
import type { Principal } from '../services/principal.js';

/** How a route is reached: public, any signed-in user, or signed in with the second factor done (admins). */
export type RouteAuth = 'public' | 'user';

/** A part of a request (params, query, body) as a route declares it, or undefined when it declares none. */
export type Schema = z.ZodType | undefined;
/** What a declared schema gives the handler once parsed: its output, or nothing when the route declares none. */
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** A route's request, parsed once from its declared schemas before the handler runs (app.ts). */
export interface RouteInput<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

/** A success answer as a route declares it: a JSON body's Zod schema, or another media type described. */
export type ResponseSpec = z.ZodType | { description: string; contentType?: string };
/** Success answers by status code. */
export type Responses = Record<number, ResponseSpec>;
/**
 * What the route's JSON success schemas accept (the answer is checked against them in the tests after JSON encoding),
 * no body for a declared 204 or 304, anything for another media type (a file, a page, a tile).
 */
type JsonBody<R> = { [K in keyof R]: R[K] extends z.ZodType ? z.input<R[K]> : K extends 204 | 304 ? undefined : unknown }[keyof R];
/**
 * What a handler may return or `reply.send()`: a body its declared JSON success schemas accept — a compile-time error
 * otherwise. A route that declares no JSON body (XML, CSV, streams) may send anything.
 */
export type HandlerResult<R> = [JsonBody<R>] extends [never] ? unknown : JsonBody<R>;

/** One API route, declared once: Fastify registers it, its input is parsed from these schemas, and the OpenAPI document and web client are generated from it. */
export interface RouteDef<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Responses | undefined = Responses> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** Success responses by status code (problem answers come from the error catalogue, http/problem-handler.ts). */
  responses?: R;
  /** Login throttling and similar per-route limits. */
  rateLimit?: { max: number; timeWindow: string };
  /** `reply.send()` is typed like the return value (a route's own status/headers are set on `reply`). */
  handler(req: RouteRequest<RouteInput<P, Q, B>>, reply: FastifyReply<{ Reply: HandlerResult<NoInfer<R>> }>): Promise<HandlerResult<NoInfer<R>>>;
}

export interface RouteRequest<I extends RouteInput = RouteInput> extends FastifyRequest {
  ctx: Ctx;
  principal: Principal;
  lang: 'fr' | 'en';
  /** params, query and body, each parsed by the schema the route declares (a bad one never reaches the handler: 400 naming the field). */
  input: I;
}

/**
 * Declares a route; the handler's `req.input` is typed from the route's own schemas, and what it returns must be a body
 * its declared JSON success schemas accept.
 */
export const route = <P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends Responses | undefined = undefined>(
  def: RouteDef<P, Q, B, R>,
): RouteDef =>
  def as unknown as RouteDef;
