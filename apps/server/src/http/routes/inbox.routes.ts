import {
  briefingSchema, notificationListQuerySchema, notificationPageSchema, notificationReadSchema, notificationSettingsSchema, notificationSettingsUpdateSchema,
} from '@vigie/domain';
import { z } from 'zod';
import { getBriefing } from '../../services/accounts/briefing.service.js';
import { listNotifications, readNotifications } from '../../services/accounts/notification.service.js';
import { getNotificationSettings, updateNotificationSettings } from '../../services/accounts/notification-settings.service.js';
import { route, type RouteDef } from '../route.js';

/** What is waiting for the signed-in user: their notifications and their briefing. */
export const inboxRoutes: RouteDef[] = [
  route({
    method: 'GET', url: '/api/v1/notifications', tags: ['inbox'], auth: 'user', query: notificationListQuerySchema,
    summary: "The caller's notifications, newest first (keyset pages), with the unread count; only about objects the caller may still see",
    responses: { 200: notificationPageSchema },
    handler: (req) => listNotifications(req.ctx, req.principal, req.input.query),
  }),
  route({
    method: 'POST', url: '/api/v1/notifications/read', tags: ['inbox'], auth: 'user', body: notificationReadSchema,
    summary: "Mark some of the caller's notifications read (ids), or all of them (all: true)",
    responses: { 200: z.object({ updated: z.number().int(), unread: z.number().int() }) },
    handler: (req) => readNotifications(req.ctx, req.principal, req.input.body),
  }),
  route({
    method: 'GET', url: '/api/v1/briefing', tags: ['inbox'], auth: 'user',
    summary: "The caller's briefing: open alerts for their state, overdue actions, the latest evaluation, the week's figures against the last; a part the caller may not read is null",
    responses: { 200: briefingSchema },
    handler: (req) => getBriefing(req.ctx, req.principal),
  }),
  route({
    method: 'GET', url: '/api/v1/notifications/settings', tags: ['inbox'], auth: 'user',
    summary: "The caller's notification settings: per topic, in the inbox and/or by e-mail, and their address",
    responses: { 200: notificationSettingsSchema },
    handler: (req) => getNotificationSettings(req.ctx, req.principal),
  }),
  route({
    method: 'PUT', url: '/api/v1/notifications/settings', tags: ['inbox'], auth: 'user', body: notificationSettingsUpdateSchema,
    summary: "Saves the caller's notification settings (an address set now mails only what is notified from now on)",
    responses: { 200: notificationSettingsSchema },
    handler: (req) => updateNotificationSettings(req.ctx, req.principal, req.input.body),
  }),
];
