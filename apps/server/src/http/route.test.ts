/**
 * route() checks a handler's answer against the route's declared success schema at compile time: the `@ts-expect-error`
 * lines below fail the typecheck (tsconfig.test.json) the day a wrong body is accepted again.
 */
import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { route } from './route.js';

const answer = z.object({ id: z.string(), count: z.number().int() });
const base = { method: 'GET' as const, url: '/api/v1/probe', summary: 'probe', tags: ['probe'], auth: 'user' as const };

describe('route()', () => {
  it('types a handler by its declared JSON answer, returned or sent', () => {
    const ok = [
      route({ ...base, responses: { 200: answer }, handler: async () => ({ id: 'a', count: 1 }) }),
      route({ ...base, responses: { 201: answer }, handler: async (_req, reply) => reply.status(201).send({ id: 'a', count: 1 }) }),
      route({ ...base, responses: { 200: answer, 304: { description: 'Not modified' } }, handler: async (_req, reply) => reply.status(304).send(undefined) }),
      // Another media type: the route says so, and the handler sends what it likes.
      route({ ...base, responses: { 200: { description: 'CSV', contentType: 'text/csv' } }, handler: async (_req, reply: FastifyReply) => reply.send('a,b\n') }),
    ];
    const wrong = [
      // @ts-expect-error count is a number in the declared answer
      route({ ...base, responses: { 200: answer }, handler: async () => ({ id: 'a', count: '1' }) }),
      // @ts-expect-error id is missing from the returned body
      route({ ...base, responses: { 200: answer }, handler: async () => ({ count: 1 }) }),
      route({ ...base, responses: { 201: answer }, handler: async (_req, reply) =>
        // @ts-expect-error a body sent through reply is checked too
        reply.status(201).send({ id: 'a', total: 1 }) }),
    ];
    expect(ok.map((r) => r.url)).toEqual(Array(4).fill('/api/v1/probe'));
    expect(wrong).toHaveLength(3);
  });
});
