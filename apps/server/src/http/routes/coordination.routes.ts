import {
  actionCreateSchema, actionListQuerySchema, coordinationReclassifySchema, actionNoteSchema, actionPatchSchema, actionViewSchema, decisionCreateSchema, decisionViewSchema,
  meetingCreateSchema, meetingDetailSchema, meetingPatchSchema, meetingViewSchema, overdueViewSchema,
} from '@vigie/domain';
import { z } from 'zod';
import {
  addAction, addActionNote, addDecision, createMeeting, getAction, getMeeting, listActions, listMeetings, overdueActions, patchAction, patchMeeting,
} from '../../services/coordination/coordination.service.js';
import { reclassifyCoordination } from '../../services/coordination/coordination-classification.js';
import { route, type RouteDef } from '../route.js';

const id = z.object({ id: z.string().min(1).max(64) });
const tags = ['coordination'];

export const coordinationRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/meetings', tags, auth: 'user', summary: 'Meetings, newest first', responses: { 200: z.object({ items: z.array(meetingViewSchema) }) },
    handler: async (req) => ({ items: await listMeetings(req.ctx, req.principal) }),
  }),
  route({
    method: 'POST', url: '/api/v1/meetings', tags, auth: 'user', body: meetingCreateSchema, summary: 'Record a meeting (participants are states and bodies)',
    responses: { 201: meetingViewSchema }, handler: async (req, reply) => reply.status(201).send(await createMeeting(req.ctx, req.principal, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/meetings/:id', tags, auth: 'user', params: id, summary: 'A meeting with its decisions and their actions',
    responses: { 200: meetingDetailSchema }, handler: (req) => getMeeting(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/meetings/:id', tags, auth: 'user', params: id, body: meetingPatchSchema, summary: 'Edit a meeting (agenda, minutes…)',
    responses: { 200: meetingViewSchema }, handler: (req) => patchMeeting(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/meetings/:id/decisions', tags, auth: 'user', params: id, body: decisionCreateSchema, summary: 'Record a decision of a meeting',
    responses: { 201: decisionViewSchema }, handler: async (req, reply) => reply.status(201).send(await addDecision(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'POST', url: '/api/v1/decisions/:id/actions', tags, auth: 'user', params: id, body: actionCreateSchema,
    summary: 'Add an action carrying out a decision (owner state or body, due date, links to objectives and to an alert)',
    responses: { 201: actionViewSchema }, handler: async (req, reply) => reply.status(201).send(await addAction(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'GET', url: '/api/v1/actions', tags, auth: 'user', query: actionListQuerySchema,
    summary: 'Actions, filtered by owner, status, overdue, mine (the reader’s state), objective or alert', responses: { 200: z.object({ items: z.array(actionViewSchema) }) },
    handler: async (req) => ({ items: await listActions(req.ctx, req.principal, req.input.query) }),
  }),
  route({
    method: 'GET', url: '/api/v1/actions/overdue', tags, auth: 'user', summary: 'Open actions past their due date, with counts per owner',
    responses: { 200: overdueViewSchema }, handler: (req) => overdueActions(req.ctx, req.principal),
  }),
  route({
    method: 'GET', url: '/api/v1/actions/:id', tags, auth: 'user', params: id, summary: 'An action with its progress notes',
    responses: { 200: actionViewSchema }, handler: (req) => getAction(req.ctx, req.principal, req.input.params.id),
  }),
  route({
    method: 'PATCH', url: '/api/v1/actions/:id', tags, auth: 'user', params: id, body: actionPatchSchema,
    summary: 'Update an action: owners change its status; staff also re-assign, re-schedule and re-link', responses: { 200: actionViewSchema },
    handler: (req) => patchAction(req.ctx, req.principal, req.input.params.id, req.input.body),
  }),
  route({
    method: 'POST', url: '/api/v1/actions/:id/notes', tags, auth: 'user', params: id, body: actionNoteSchema,
    summary: 'Add a progress note (percent done, status change, evidence)', responses: { 201: actionViewSchema },
    handler: async (req, reply) => reply.status(201).send(await addActionNote(req.ctx, req.principal, req.input.params.id, req.input.body)),
  }),
  route({
    method: 'PATCH', url: '/api/v1/meetings/:id/classification', tags, auth: 'user', params: id, body: coordinationReclassifySchema,
    summary: "Re-classify a meeting (at most your clearance; raises its decisions and actions below the new level; a reason to lower it)",
    responses: { 200: meetingViewSchema }, handler: (req) => reclassifyCoordination(req.ctx, req.principal, 'meeting', req.input.params.id, req.input.body),
  }),
  route({
    method: 'PATCH', url: '/api/v1/decisions/:id/classification', tags, auth: 'user', params: id, body: coordinationReclassifySchema,
    summary: "Re-classify a decision (never below its meeting's level; raises its actions below the new level)",
    responses: { 200: decisionViewSchema }, handler: (req) => reclassifyCoordination(req.ctx, req.principal, 'decision', req.input.params.id, req.input.body),
  }),
  route({
    method: 'PATCH', url: '/api/v1/actions/:id/classification', tags, auth: 'user', params: id, body: coordinationReclassifySchema,
    summary: "Re-classify an action (never below its decision's level)",
    responses: { 200: actionViewSchema }, handler: (req) => reclassifyCoordination(req.ctx, req.principal, 'action', req.input.params.id, req.input.body),
  }),
];
