import { notificationSettingsSchema } from '@vigie/domain';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { signIn, testApp, type Client } from '../../test-support/http.js';
import { raiseFlashAlert } from '../alerts/alert.service.js';
import { addAction, addDecision, createMeeting } from '../coordination/coordination.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { rejectIncident } from '../incidents/incident-workflow.js';
import { runNotificationJob } from './notification-mailer.js';

interface Mail { to: string; subject: string; text: string; html: string; type: string }

/** A local SMTP server that keeps what it receives. */
let smtp: SMTPServer;
let port = 0;
const inbox: Mail[] = [];
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then((m) => {
        const type = m.headers.get('content-type') as { value?: string } | undefined;
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '', html: m.html || '', type: type?.value ?? '' });
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise<void>((resolve) => smtp.close(() => resolve())); });

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

describe.each(ENGINES)('notification settings and e-mail (%s)', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  beforeEach(async () => {
    inbox.length = 0;
    t = await testVigie(kind);
    t.ctx.settings.mail = { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Vigie <vigie@test.invalid>', publicUrl: 'https://vigie.test', maxLevel: 1 };
    app = await testApp(t.ctx);
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const settings = async (c: Client, body?: unknown) => {
    const res = body === undefined ? await c.get('/api/v1/notifications/settings') : await c.request({ method: 'PUT', url: '/api/v1/notifications/settings', payload: body as object });
    expect(res.statusCode, res.body).toBe(200);
    return notificationSettingsSchema.parse(res.json());
  };

  it('keeps each user\'s choice, refuses a bad address naming the field, and hides a topic turned off in the inbox', async () => {
    const raiser = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const dm = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    const c = await signIn(app, dm.login, dm.password);
    const first = await settings(c);
    expect(first).toMatchObject({ email: null, email_available: true, email_max_level: 1, topics: { alert: { in_app: true, email: false }, sitrep: { in_app: true, email: false } } });

    const bad = await c.request({ method: 'PUT', url: '/api/v1/notifications/settings', payload: { email: 'pas-une-adresse', topics: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('"email"');

    await raiseFlashAlert(t.ctx, raiser, { title: 'Mouvement signalé vers Boni', areas: ['ML05'], classification: 'restricted', sharing_scope: 'national' });
    expect((await c.get('/api/v1/notifications')).json()).toMatchObject({ unread: 1 });
    const saved = await settings(c, { email: 'ministre@example.org', topics: { alert: { in_app: false, email: true } } });
    expect(saved.topics.alert).toEqual({ in_app: false, email: true });
    expect(saved.topics.action_due).toEqual({ in_app: true, email: false });
    expect((await c.get('/api/v1/notifications')).json()).toMatchObject({ unread: 0, items: [] });
    // Another user's settings are their own.
    const other = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    expect((await settings(await signIn(app, other.login, other.password))).email).toBeNull();
    // Turned off before the address existed: that alert is not mailed afterwards.
    expect((await runNotificationJob(t.ctx)).sent).toBe(0);
  });

  it('mails what the recipient chose, with the content up to the ceiling and only a link above it, once', async () => {
    const raiser = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const dm = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    const quiet = await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 3 });
    await settings(await signIn(app, dm.login, dm.password), { email: 'dm@example.org', topics: { alert: { in_app: true, email: true } } });
    await settings(await signIn(app, quiet.login, quiet.password), { email: 'quiet@example.org', topics: {} });

    await raiseFlashAlert(t.ctx, raiser, { title: 'Convoi attaqué près de Douentza', areas: ['ML05'], classification: 'restricted', sharing_scope: 'national' });
    await raiseFlashAlert(t.ctx, raiser, { title: 'Colonne armée vers Ménaka', areas: ['ML10'], classification: 'confidential', sharing_scope: 'national' });

    const run = await runNotificationJob(t.ctx);
    expect(run).toMatchObject({ sent: 2, withheld: 1, failed: 0 });
    expect(inbox.map((m) => m.to)).toEqual(['dm@example.org', 'dm@example.org']);
    const all = inbox.map((m) => `${m.subject}\n${m.text}`).join('\n====\n');
    expect(all).toContain('Convoi attaqué près de Douentza');
    expect(all).not.toContain('Ménaka');
    expect(all).not.toContain('Colonne');
    const withheld = inbox.find((m) => !m.text.includes('Douentza'));
    expect(withheld?.subject).toBe('Vigie — Alerte concernant votre État');
    expect(withheld?.text).toContain('https://vigie.test/notifications');
    expect(withheld?.text).toContain('niveau de classification');
    // Each mail carries both parts (multipart/alternative), the HTML saying what the text says and no more.
    for (const m of inbox) expect(m.type).toBe('multipart/alternative');
    const full = inbox.find((m) => m.text.includes('Douentza'));
    expect(full?.html).toContain('<html lang="fr">');
    expect(full?.html).toContain('Convoi attaqué près de Douentza');
    expect(full?.html).toContain('<a href="https://vigie.test/notifications">');
    expect(withheld?.html).toContain('niveau de classification');
    expect(withheld?.html).toContain('<a href="https://vigie.test/notifications">');
    expect(inbox.map((m) => m.html).join('\n')).not.toMatch(/Ménaka|Colonne/);

    expect((await runNotificationJob(t.ctx)).sent).toBe(0);
    expect(inbox).toHaveLength(2);
  });

  it('mails a reporter the reason of a rejection, in English when that is their language', async () => {
    const reporter = await newUser(t.ctx, { org: 'BFA', role: 'reporter', clearance: 1 });
    const analyst = await newUser(t.ctx, { org: 'BFA', role: 'analyst', clearance: 2 });
    await t.ctx.engine.db.updateTable('users').set({ locale: 'en' }).where('id', '=', reporter.userId as string).execute();
    await settings(await signIn(app, reporter.login, reporter.password), { email: 'poste@example.org', topics: { report_decision: { in_app: true, email: true } } });
    const { incident } = await createIncident(t.ctx, reporter, newIncident({ state: 'BFA', classification: 'restricted' }));
    await rejectIncident(t.ctx, analyst, incident.id, { reason: 'Date à préciser, merci.' });
    expect((await runNotificationJob(t.ctx)).sent).toBe(1);
    expect(inbox[0]).toMatchObject({ to: 'poste@example.org', subject: 'Vigie — Your report was rejected' });
    expect(inbox[0]?.text).toContain('Reason: Date à préciser, merci.');
    expect(inbox[0]?.html).toContain('<html lang="en">');
    expect(inbox[0]?.html).toMatch(/Reason<\/th><td[^>]*>Date à préciser, merci\.<\/td>/);
  });

  it('reminds every owner state\'s staff of an overdue action from the job, without anyone looking, and mails it', async () => {
    const staff = await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 });
    const focal = await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 1 });
    const mli = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 });
    await settings(await signIn(app, focal.login, focal.password), { email: 'pf@example.org', topics: { action_due: { in_app: true, email: true } } });
    const meeting = await createMeeting(t.ctx, staff, { title: 'Sommet', date: daysAgo(40), place: 'Niamey' });
    const decision = await addDecision(t.ctx, staff, meeting.id, { text: 'Créer une cellule commune' });
    await addAction(t.ctx, staff, decision.id, { title: 'Désigner les officiers de liaison', owner_state: 'NER', due_date: daysAgo(2) });

    const run = await runNotificationJob(t.ctx);
    expect(run.reminded).toBe(1);
    const rows = await t.ctx.engine.db.selectFrom('notifications').select(['user_id', 'kind']).where('kind', '=', 'action_overdue').execute();
    expect(rows.map((r) => r.user_id)).toEqual([focal.userId]);
    expect(rows.some((r) => r.user_id === mli.userId)).toBe(false);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.subject).toBe('Vigie — Une action est en retard');
    expect(inbox[0]?.text).toContain('Désigner les officiers de liaison');
    await runNotificationJob(t.ctx);
    expect(await t.ctx.engine.db.selectFrom('notifications').select('id').where('kind', '=', 'action_overdue').execute()).toHaveLength(1);
    expect(inbox).toHaveLength(1);
  });
});
