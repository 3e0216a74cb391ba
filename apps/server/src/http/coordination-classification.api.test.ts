/**
 * Meetings, decisions and actions carry a classification level (migration 20261205T0900): who reads them is decided in
 * SQL by the reader's clearance on every path (lists, detail, overdue, the change feed), and re-classifying goes through
 * its own route, audited, 404 first to an editor who may not see the object, 400 naming the field above their clearance
 * or below the parent's level, 422 without a reason to lower it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { signIn, testApp, type Client } from '../test-support/http.js';

interface Item { id: string; classification: string }

describe.each(ENGINES)('classification of meetings, decisions and actions on %s', (kind) => {
  let t: TestVigie;
  let app: FastifyInstance;
  let conf: Client;
  let confMid: Client;
  let confLow: Client;
  let mliAnalyst: Client;
  let minister: Client;

  beforeAll(async () => {
    t = await testVigie(kind);
    app = await testApp(t.ctx);
    const users = {
      conf: await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 3 }),
      confMid: await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 2 }),
      confLow: await newUser(t.ctx, { org: 'CONF', role: 'confederation_analyst', clearance: 1 }),
      mliAnalyst: await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 1 }),
      minister: await newUser(t.ctx, { org: 'MLI', role: 'decision_maker', clearance: 0 }),
    };
    conf = await signIn(app, users.conf.login, users.conf.password);
    confMid = await signIn(app, users.confMid.login, users.confMid.password);
    confLow = await signIn(app, users.confLow.login, users.confLow.password);
    mliAnalyst = await signIn(app, users.mliAnalyst.login, users.mliAnalyst.password);
    minister = await signIn(app, users.minister.login, users.minister.password);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  async function chain(by: Client, classification?: string) {
    const m = (await by.post('/api/v1/meetings', { title: 'Conseil des ministres', date: '2026-03-02', place: 'Bamako', states: ['MLI'], ...(classification ? { classification } : {}) })).json() as Item;
    const d = (await by.post(`/api/v1/meetings/${m.id}/decisions`, { text: 'Patrouilles conjointes dans le Liptako' })).json() as Item;
    const a = (await by.post(`/api/v1/decisions/${d.id}/actions`, { title: 'Planifier les patrouilles', owner_state: 'MLI', due_date: '2026-01-15' })).json() as Item;
    return { m, d, a };
  }
  const ids = (res: { json(): unknown }) => ((res.json() as { items: Item[] }).items).map((i) => i.id);

  it('creates a meeting restricted by default; its decision and action take its level; a public-clearance reader does not see them', async () => {
    const { m, d, a } = await chain(conf);
    expect([m.classification, d.classification, a.classification]).toEqual(['restricted', 'restricted', 'restricted']);
    expect(ids(await mliAnalyst.get('/api/v1/meetings'))).toContain(m.id);
    expect(ids(await minister.get('/api/v1/meetings'))).not.toContain(m.id);
    expect((await minister.get(`/api/v1/meetings/${m.id}`)).statusCode).toBe(404);
    expect((await minister.get(`/api/v1/actions/${a.id}`)).statusCode).toBe(404);
    expect(ids(await minister.get('/api/v1/actions'))).not.toContain(a.id);
    const pub = await chain(conf, 'public');
    expect(ids(await minister.get('/api/v1/meetings'))).toContain(pub.m.id);
    expect(((await minister.get(`/api/v1/meetings/${pub.m.id}`)).json() as { classification: string }).classification).toBe('public');
  });

  it('hides a confidential meeting, its decisions and actions from a restricted reader on every path, the change feed included', async () => {
    const { m, a } = await chain(conf, 'confidential');
    expect(ids(await confLow.get('/api/v1/meetings'))).not.toContain(m.id);
    expect((await confLow.get(`/api/v1/meetings/${m.id}`)).statusCode).toBe(404);
    expect((await confLow.get(`/api/v1/actions/${a.id}`)).statusCode).toBe(404);
    expect(ids(await confLow.get('/api/v1/actions'))).not.toContain(a.id);
    expect(ids(await confLow.get('/api/v1/actions/overdue'))).not.toContain(a.id);
    const feed = JSON.stringify((await confLow.get('/api/v1/changes?since=0&limit=1000')).json());
    expect(feed).not.toContain(m.id);
    expect(feed).not.toContain(a.id);
    // The one cleared sees them, and the feed names their level; the read is audited.
    const detail = (await conf.get(`/api/v1/meetings/${m.id}`)).json() as Item & { decisions: (Item & { actions: Item[] })[] };
    expect([detail.classification, detail.decisions[0]?.classification, detail.decisions[0]?.actions[0]?.classification]).toEqual(['confidential', 'confidential', 'confidential']);
    expect(JSON.stringify((await conf.get('/api/v1/changes?since=0&limit=1000')).json())).toContain('"classification":"confidential"');
    const audited = await t.ctx.engine.db.selectFrom('audit_events').select('details').where('action', '=', 'coordination.read').execute();
    expect(audited.some((e) => String(e.details).includes(m.id))).toBe(true);
  });

  it('refuses a level above the author’s clearance, or below the parent’s, naming the field', async () => {
    const res = await confLow.post('/api/v1/meetings', { title: 'Réunion secrète', date: '2026-03-03', place: 'Niamey', classification: 'secret' });
    expect([res.statusCode, (res.json() as { errors: { field: string }[] }).errors[0]?.field]).toEqual([400, 'classification']);
    const { m } = await chain(conf, 'confidential');
    const below = await conf.post(`/api/v1/meetings/${m.id}/decisions`, { text: 'Une décision publique', classification: 'public' });
    expect([below.statusCode, (below.json() as { errors: { field: string }[] }).errors[0]?.field]).toEqual([400, 'classification']);
  });

  it('re-classifies: raising a meeting raises what hangs below it, audited; 404 first to an editor who may not see it; a reason to lower', async () => {
    const { m, d, a } = await chain(conf);
    const before = Number((await t.ctx.engine.db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirstOrThrow()).s);
    const up = await conf.patch(`/api/v1/meetings/${m.id}/classification`, { classification: 'confidential' });
    expect([up.statusCode, (up.json() as Item).classification]).toEqual([200, 'confidential']);
    expect(((await conf.get(`/api/v1/actions/${a.id}`)).json() as Item).classification).toBe('confidential');
    const logged = await t.ctx.engine.db.selectFrom('change_log').select(['entity_type', 'entity_id']).where('seq', '>', before).orderBy('seq').execute();
    expect(logged.map((r) => `${r.entity_type}:${r.entity_id}`)).toEqual([`meeting:${m.id}`, `decision:${d.id}`, `action:${a.id}`]);
    const audit = await t.ctx.engine.db.selectFrom('audit_events').select(['details', 'classification_level']).where('action', '=', 'meeting.reclassify').where('object_id', '=', m.id).execute();
    expect(audit.map((e) => [JSON.parse(e.details).from, JSON.parse(e.details).to, Number(e.classification_level)])).toEqual([['restricted', 'confidential', 2]]);
    // Now hidden from a restricted editor: 404 whatever the level asked, never a 400 that would say it exists.
    expect((await confLow.patch(`/api/v1/meetings/${m.id}/classification`, { classification: 'secret' })).statusCode).toBe(404);
    expect((await confLow.patch(`/api/v1/actions/${a.id}/classification`, { classification: 'restricted' })).statusCode).toBe(404);
    // Above the editor's clearance: 400 naming the field.
    const above = await confMid.patch(`/api/v1/decisions/${d.id}/classification`, { classification: 'secret' });
    expect([above.statusCode, (above.json() as { errors: { field: string }[] }).errors[0]?.field]).toEqual([400, 'classification']);
    // An action below its decision: 400.
    const below = await conf.patch(`/api/v1/actions/${a.id}/classification`, { classification: 'restricted', change_reason: 'plus sensible' });
    expect([below.statusCode, (below.json() as { errors: { field: string }[] }).errors[0]?.field]).toEqual([400, 'classification']);
    // Lowering needs a reason.
    const noReason = await conf.patch(`/api/v1/meetings/${m.id}/classification`, { classification: 'restricted' });
    expect([noReason.statusCode, (noReason.json() as { code: string }).code]).toEqual([422, 'reason_required']);
    const down = await conf.patch(`/api/v1/meetings/${m.id}/classification`, { classification: 'restricted', change_reason: 'compte rendu rendu public aux États' });
    expect((down.json() as Item).classification).toBe('restricted');
    // The children stay where they were (never below their parent).
    expect(((await conf.get(`/api/v1/actions/${a.id}`)).json() as Item).classification).toBe('confidential');
    // A state's analyst may read but not re-classify.
    expect((await mliAnalyst.patch(`/api/v1/meetings/${m.id}/classification`, { classification: 'restricted' })).statusCode).toBe(403);
  });
});
