import { passwordSchema, userCreateSchema, userSchema, userUpdateSchema } from '@vigie/domain';
import { z } from 'zod';
import { Problem } from '../../lib/problem.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/accounts/auth.service.js';
import { createUser, listUsers, resetPassword, unlockUser, updateUser } from '../../services/accounts/user.service.js';
import { route, type RouteDef } from '../route.js';

const tags = ['users'];
const idParams = z.object({ id: z.string() });
const tokenCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(100).default('api') });

export const userRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/users', tags, auth: 'user', summary: 'Users the caller manages (own state for focal points)',
    responses: { 200: z.object({ items: z.array(userSchema) }) },
    handler: async (req) => ({ items: await listUsers(req.ctx, req.principal) }),
  }),
  route({
    method: 'POST', url: '/api/v1/users', tags, auth: 'user', body: userCreateSchema,
    summary: 'Create a user; a generated password is returned once when none is given',
    responses: { 201: z.object({ user: userSchema, password: z.string().optional() }) },
    async handler(req, reply) {
      return reply.status(201).send(await createUser(req.ctx, req.principal, req.input.body as z.input<typeof userCreateSchema>));
    },
  }),
  route({
    method: 'PATCH', url: '/api/v1/users/:id', tags, auth: 'user', params: idParams, body: userUpdateSchema,
    summary: 'Change role, clearance, name, language, or disable a user', responses: { 200: userSchema },
    handler: (req) => updateUser(req.ctx, req.principal, req.input.params.id, req.input.body as z.input<typeof userUpdateSchema>),
  }),
  route({
    method: 'POST', url: '/api/v1/users/:id/reset-password', tags, auth: 'user', params: idParams,
    body: z.strictObject({ password: passwordSchema.optional() }),
    summary: "Reset a user's password (generated when not given) and end their sessions",
    responses: { 200: z.object({ user: userSchema, password: z.string() }) },
    async handler(req) {
      const body = req.input.body;
      return resetPassword(req.ctx, req.principal, req.input.params.id, body.password);
    },
  }),
  route({
    method: 'POST', url: '/api/v1/users/:id/unlock', tags, auth: 'user', params: idParams,
    summary: 'Unlock an account locked by repeated failed sign-ins (audited)', responses: { 200: userSchema },
    handler: (req) => unlockUser(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'GET', url: '/api/v1/tokens', tags: ['tokens'], auth: 'user', summary: 'Your API tokens (every token for administrators); never their values',
    responses: {
      200: z.object({ items: z.array(z.object({
        id: z.string(), user_id: z.string(), name: z.string(), created_at: z.string(), last_used_at: z.string().nullable(), revoked_at: z.string().nullable(),
      })) }),
    },
    handler: async (req) => ({ items: await listApiTokens(req.ctx, req.principal) }),
  }),
  route({
    method: 'POST', url: '/api/v1/tokens', tags: ['tokens'], auth: 'user',
    body: tokenCreateSchema,
    summary: 'Issue an API token for yourself (shown once); nobody creates one for someone else over the API',
    responses: { 201: z.object({ id: z.string(), token: z.string() }) },
    async handler(req, reply) {
      const body = req.input.body;
      // A token does not mint tokens: a leaked one would otherwise outlive its own revocation.
      if (!req.session) throw new Problem('forbidden', 'API tokens are created from a signed-in session');
      return reply.status(201).send(await createApiToken(req.ctx, req.principal, req.principal.login, body.name));
    },
  }),
  route({
    method: 'DELETE', url: '/api/v1/tokens/:id', tags: ['tokens'], auth: 'user', params: idParams, summary: 'Revoke an API token',
    responses: { 204: { description: 'Revoked' } },
    async handler(req, reply) {
      await revokeApiToken(req.ctx, req.principal, req.input.params.id);
      return reply.status(204).send();
    },
  }),
];
