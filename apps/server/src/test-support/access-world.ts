/**
 * A small world for access tests: one user per (role, organisation, clearance) cell that user creation allows,
 * signed in once, plus principals that must be refused (no credentials, revoked token, disabled user, expired
 * session), and fixture objects of every kind the API serves, built through the services by SYSTEM.
 */
import { CLASSIFICATIONS, CONFEDERATION_ORG, ROLES, type Classification, type Role, type SharingScope } from '@vigie/domain';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { acknowledgeAlert, raiseFlashAlert } from '../services/alerts/alert.service.js';
import { TOKEN_PREFIX } from '../services/accounts/auth.service.js';
import { insertToken, revokeToken } from '../repositories/user.repository.js';
import { nowIso, randomToken, sha256 } from '../lib/ids.js';
import { addAction, addDecision, createMeeting } from '../services/coordination/coordination.service.js';
import { createIncident, patchIncident } from '../services/incidents/incident.service.js';
import { mergeIncident } from '../services/incidents/merge.service.js';
import { SYSTEM } from '../services/principal.js';
import { createEvaluation } from '../services/strategy/strategy.evaluation.service.js';
import { addAxis, addIndicator, addObjective, createStrategy } from '../services/strategy/strategy.service.js';
import { approveValue, enterValue } from '../services/strategy/strategy.values.service.js';
import { generateSitrep } from '../services/sitrep/sitrep.service.js';
import { runReplacementJob, startReplacementJob } from '../services/geography/replacement-job.service.js';
import { updateUser } from '../services/accounts/user.service.js';
import type { Ctx } from '../services/context.js';
import { newId, newIncident, newUser, POINTS } from './factories.js';
import { insertAttachments } from '../repositories/attachment.repository.js';

/** Who a cell is, as the oracles need it. */
export interface Who {
  key: string;
  kind: 'user' | 'anonymous' | 'revoked_token' | 'disabled' | 'expired';
  userId: string | null;
  login: string;
  password: string;
  organisation: string;
  role: Role;
  clearance: number;
}

/** A cell with its HTTP client (session cookie + CSRF, or a bearer token, or nothing). */
export interface Cell extends Who {
  /** Each cell calls from its own address, as users of different posts do. */
  address: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** The roles user creation allows for an organisation kind (apps/server/src/services/user.service.ts). */
export function rolesFor(orgKind: 'state' | 'confederation'): Role[] {
  return ROLES.filter((r) => (orgKind === 'state' ? r !== 'confederation_analyst' : !['reporter', 'analyst', 'focal_point'].includes(r)));
}

export interface FixtureIncident {
  id: string;
  state: string;
  classification: number;
  scope: SharingScope;
  status: 'draft' | 'submitted' | 'validated' | 'rejected' | 'merged';
  reporterId: string | null;
  /** exact_location_classification as a level, or null. */
  protection: number | null;
  /** The exact latitude as stored (distinct per record), to look for in bodies. */
  latitude: number;
  placeName: string;
  fatalities: number;
  /** A text that only an earlier version carried, which readers of that version alone may see. */
  earlierMarker?: string;
}

export interface FixtureAlert {
  id: string;
  states: string[];
  classification: number;
  scope: 'national' | 'confederation';
  raisedOrg: string | null;
  evidence: string[];
}

export interface World {
  states: string[];
  admin1: Record<string, string>;
  cells: Cell[];
  incidents: FixtureIncident[];
  alerts: { open: FixtureAlert; national: FixtureAlert; acknowledged: FixtureAlert };
  strategy: { id: string; classification: number; axisId: string; objectiveId: string; indicatorId: string; evaluationId: string; reviseId: string };
  secretStrategyId: string;
  value: { id: string; state: string };
  meeting: { id: string; decisionId: string; actionId: string; actionOwner: string };
  target: { id: string; login: string; organisation: string; role: Role; clearance: number };
  revokedTokenId: string;
  /** Whose the revoked token is (an MLI analyst who is none of the cells). */
  revokedTokenOwnerId: string;
  /** The record's current version (for probes that must not be refused as stale). */
  currentVersion(id: string): Promise<number>;
  /** A fresh alert for a close probe (closing is final, so each cell closes its own). */
  freshAlert(): Promise<FixtureAlert>;
  /** One file kept as evidence of each MLI record: attachment id by incident id. */
  attachments: Record<string, string>;
  /** Situation reports: the confederation's at « restricted », Mali's own at « confidential ». */
  sitreps: { id: string; audience: string; ceiling: number }[];
  /** A boundary re-placement job (run to its end). */
  replacementJobId: string;
  /** A received federation message parked as a dead letter (docs/federation.md). */
  deadLetterId: string;
}

const PASSWORD = 'mot-de-passe-solide-123';
let addressSeq = 0;
const nextAddress = () => { addressSeq++; return `10.${(addressSeq >> 16) & 255}.${(addressSeq >> 8) & 255}.${addressSeq & 255}`; };

function client(app: FastifyInstance, address: string, headers: Record<string, string>) {
  return (opts: InjectOptions) => app.inject({ ...opts, remoteAddress: address, headers: { ...headers, ...(opts.headers ?? {}) } });
}

/** Signs in through the API from the given address; admins enrol TOTP on the way (they may do nothing else before). */
async function signInCell(app: FastifyInstance, who: { login: string; password: string; role: Role }, address: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: address, payload: { login: who.login, password: who.password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${who.login} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  const csrf = (res.json() as { csrf_token: string }).csrf_token;
  const request = client(app, address, { cookie, 'x-csrf-token': csrf });
  if (who.role === 'admin') {
    const { secret } = (await request({ method: 'POST', url: '/api/v1/auth/totp/setup' })).json() as { secret: string };
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    const ok = await request({ method: 'POST', url: '/api/v1/auth/totp/confirm', payload: { code } });
    if (ok.statusCode !== 200) throw new Error(`TOTP enrolment of ${who.login} failed: ${ok.body}`);
  }
  return { request, cookie };
}

/** An API token written straight to the table (how tokens are issued is under test elsewhere). */
async function plantToken(ctx: Ctx, userId: string, name: string): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomToken(32);
  const id = newId();
  await insertToken(ctx.engine.db, { id, user_id: userId, name, token_hash: sha256(token), created_at: nowIso(), last_used_at: null, revoked_at: null });
  return { id, token };
}

/** Maps items a few at a time (password hashing runs on the thread pool), keeping their order. */
export async function inBatches<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, size = 4): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j)))));
  return out;
}

/** Builds every cell and fixture on a fresh test database (ctx) served by app. */
export async function buildWorld(ctx: Ctx, app: FastifyInstance): Promise<World> {
  const states = ctx.reference.states.map((s) => s.code);
  const orgs: { code: string; kind: 'state' | 'confederation' }[] = [...states.map((code) => ({ code, kind: 'state' as const })), { code: CONFEDERATION_ORG, kind: 'confederation' }];

  // ---- users: every allowed (role, organisation, clearance)
  const specs = orgs.flatMap((org) => rolesFor(org.kind).flatMap((role) => [0, 1, 2, 3].map((clearance) => ({ org: org.code, role, clearance }))));
  // Password hashing dominates: a few at a time on the thread pool, in a stable order.
  const made = await inBatches(specs, async ({ org, role, clearance }): Promise<Who> => {
    const u = await newUser(ctx, { org, role, clearance, login: `${role.replace('_', '-')}.${org.toLowerCase()}.${clearance}` });
    return { key: `${role}/${org}/${clearance}`, kind: 'user', userId: u.userId, login: u.login, password: PASSWORD, organisation: org, role, clearance };
  });
  const cells: Cell[] = await inBatches(made, async (who) => {
    const address = nextAddress();
    const { request } = await signInCell(app, who, address);
    return { ...who, address, request };
  });
  const byKey = (k: string) => {
    const c = cells.find((x) => x.key === k);
    if (!c) throw new Error(`no cell ${k}`);
    return c;
  };

  // ---- principals that must be refused
  const anonymousAddress = nextAddress();
  cells.push({ key: 'no credentials', kind: 'anonymous', userId: null, login: '', password: '', organisation: '', role: 'decision_maker', clearance: 0, address: anonymousAddress, request: client(app, anonymousAddress, {}) });

  const tokenOwner = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 3, login: 'jeton.revoque' });
  const revoked = await plantToken(ctx, tokenOwner.userId as string, 'revoked');
  await revokeToken(ctx.engine.db, revoked.id, nowIso());
  const revokedAddress = nextAddress();
  cells.push({ key: 'revoked API token', kind: 'revoked_token', userId: tokenOwner.userId, login: tokenOwner.login, password: PASSWORD, organisation: 'MLI', role: 'analyst', clearance: 3, address: revokedAddress, request: client(app, revokedAddress, { authorization: `Bearer ${revoked.token}` }) });

  const disabled = await newUser(ctx, { org: 'MLI', role: 'analyst', clearance: 3, login: 'analyste.desactive' });
  const disabledAddress = nextAddress();
  const disabledSession = await signInCell(app, { login: disabled.login, password: PASSWORD, role: 'analyst' }, disabledAddress);
  const disabledToken = await plantToken(ctx, disabled.userId as string, 'before-disable');
  await updateUser(ctx, SYSTEM, disabled.login, { disabled: true });
  cells.push({ key: 'disabled user (session)', kind: 'disabled', userId: disabled.userId, login: disabled.login, password: PASSWORD, organisation: 'MLI', role: 'analyst', clearance: 3, address: disabledAddress, request: disabledSession.request });
  const disabledTokenAddress = nextAddress();
  cells.push({ key: 'disabled user (API token)', kind: 'disabled', userId: disabled.userId, login: disabled.login, password: PASSWORD, organisation: 'MLI', role: 'analyst', clearance: 3, address: disabledTokenAddress, request: client(app, disabledTokenAddress, { authorization: `Bearer ${disabledToken.token}` }) });

  const expiring = await newUser(ctx, { org: 'NER', role: 'analyst', clearance: 3, login: 'analyste.expire' });
  const expiringAddress = nextAddress();
  const expiringSession = await signInCell(app, { login: expiring.login, password: PASSWORD, role: 'analyst' }, expiringAddress);
  await ctx.engine.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', expiring.userId as string).execute();
  cells.push({ key: 'expired session', kind: 'expired', userId: expiring.userId, login: expiring.login, password: PASSWORD, organisation: 'NER', role: 'analyst', clearance: 3, address: expiringAddress, request: expiringSession.request });

  // ---- the user others manage
  const target = await newUser(ctx, { org: 'MLI', role: 'reporter', clearance: 1, login: 'cible.mli' });

  // ---- incidents: per state, each classification × {national, confederation} validated, a public one, the review
  // states (reported by the state's clearance-3 reporter), and a record whose exact location is confidential.
  const incidents: FixtureIncident[] = [];
  const admin1: Record<string, string> = {};
  let n = 0;
  const make = async (state: string, o: { classification: number; scope: SharingScope; status: FixtureIncident['status']; reporterId?: string | null; protection?: number | null }) => {
    n++;
    const base = POINTS[state] ?? POINTS.MLI;
    const latitude = Number((base.latitude + 0.01 + n * 0.00013).toFixed(5));
    const placeName = `Lieu-${state}-${n}`;
    const body = newIncident({
      state, latitude, longitude: base.longitude, place_name: placeName,
      classification: CLASSIFICATIONS[o.classification] as Classification, sharing_scope: o.scope,
      status: o.status === 'draft' ? 'draft' : 'submitted', fatalities_best: n, civilian_fatalities: 1,
      ...(o.protection !== undefined && o.protection !== null ? { exact_location_classification: CLASSIFICATIONS[o.protection] as Classification } : {}),
    });
    const created = await createIncident(ctx, SYSTEM, body, {
      reportingState: state, status: o.status === 'merged' ? 'validated' : o.status, reporterId: o.reporterId ?? null,
    });
    admin1[state] ??= created.incident.admin1_code ?? '';
    const rec: FixtureIncident = {
      id: body.id, state, classification: o.classification, scope: o.scope, status: o.status, reporterId: o.reporterId ?? null,
      protection: o.protection ?? null, latitude, placeName, fatalities: n,
    };
    incidents.push(rec);
    return rec;
  };
  for (const state of states) {
    const reporter = byKey(`reporter/${state}/3`);
    for (let c = 0; c <= 3; c++) for (const scope of ['national', 'confederation'] as const) await make(state, { classification: c, scope, status: 'validated' });
    await make(state, { classification: 0, scope: 'public', status: 'validated' });
    await make(state, { classification: 1, scope: 'confederation', status: 'submitted', reporterId: reporter.userId });
    await make(state, { classification: 1, scope: 'confederation', status: 'draft', reporterId: reporter.userId });
    await make(state, { classification: 1, scope: 'confederation', status: 'rejected', reporterId: reporter.userId });
    await make(state, { classification: 1, scope: 'confederation', status: 'validated', protection: 2 });
  }
  // A duplicate merged into MLI's restricted confederation record.
  const mliReference = incidents.find((i) => i.state === 'MLI' && i.classification === 1 && i.scope === 'confederation' && i.status === 'validated' && i.protection === null);
  if (!mliReference) throw new Error('the access world lacks its restricted, shared, validated MLI record');
  const merged = await make('MLI', { classification: 1, scope: 'confederation', status: 'merged' });
  // The kept record keeps its own tolls: the oracle counts each fixture's own fatalities.
  const keep = { fatalities_best: 'into', civilian_fatalities: 'into', injured: 'into', abducted: 'into' } as const;
  await mergeIncident(ctx, SYSTEM, merged.id, { into: mliReference.id, choices: keep });
  // Declassified: secret and national at first, then restricted and shared; its first version stays secret.
  const declassified = await make('MLI', { classification: 3, scope: 'national', status: 'validated' });
  declassified.earlierMarker = 'MARQUEUR-VERSION-SECRETE';
  await patchIncident(ctx, SYSTEM, declassified.id, { version: 1, narrative: `Version initiale ${declassified.earlierMarker}` });
  await patchIncident(ctx, SYSTEM, declassified.id, { version: 2, classification: 'restricted', sharing_scope: 'confederation', narrative: 'Version déclassifiée, partagée.', change_reason: 'déclassifié' });
  declassified.classification = 1;
  declassified.scope = 'confederation';

  // ---- alerts
  const inc = (state: string, c: number, scope: SharingScope) => {
    const found = incidents.find((i) => i.state === state && i.classification === c && i.scope === scope && i.status === 'validated' && i.protection === null);
    if (!found) throw new Error('fixture incident missing');
    return found.id;
  };
  const flash = async (o: { states: string[]; classification: number; scope: 'national' | 'confederation'; evidence: string[] }): Promise<FixtureAlert> => {
    const a = await raiseFlashAlert(ctx, SYSTEM, {
      title: 'Alerte de test', areas: o.states.map((s) => admin1[s]), incident_ids: o.evidence,
      classification: CLASSIFICATIONS[o.classification], sharing_scope: o.scope,
    });
    return { id: a.id, states: o.states, classification: CLASSIFICATIONS.indexOf(a.classification), scope: a.sharing_scope === 'national' ? 'national' : 'confederation', raisedOrg: null, evidence: o.evidence };
  };
  const open = await flash({ states: ['MLI', 'BFA'], classification: 1, scope: 'confederation', evidence: [inc('MLI', 1, 'confederation'), inc('MLI', 0, 'confederation'), inc('BFA', 1, 'confederation')] });
  const national = await flash({ states: ['MLI'], classification: 2, scope: 'national', evidence: [inc('MLI', 2, 'national')] });
  const acknowledged = await flash({ states: ['MLI', 'BFA'], classification: 1, scope: 'confederation', evidence: [] });
  for (const state of acknowledged.states) await acknowledgeAlert(ctx, SYSTEM, acknowledged.id, { state });

  // ---- strategy (restricted), a secret one, a manual indicator with an approved MLI value, an evaluation
  const strategy = await createStrategy(ctx, SYSTEM, { code: 'SC-TEST', title_fr: 'Stratégie commune', title_en: 'Common strategy', valid_from: '2026-01-01', valid_to: '2026-12-31', classification: 'restricted' });
  const axis = await addAxis(ctx, SYSTEM, strategy.id, { code: 'A1', name_fr: 'Protection des civils', name_en: 'Protection of civilians', civilian_protection: true });
  const objective = await addObjective(ctx, SYSTEM, axis.id, { code: 'O1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian harm' });
  const indicator = await addIndicator(ctx, SYSTEM, objective.id, {
    code: 'I1', name_fr: 'Communes avec comité (%)', name_en: 'Communes with committee (%)', unit: 'percent', direction: 'increase',
    frequency: 'quarter', source: 'manual', targets: [{ period: '2026-Q1', state: 'MLI', value: 50 }],
  });
  const value = await enterValue(ctx, SYSTEM, indicator.id, { period: '2026-Q1', state: 'MLI', value: 40, submit: true });
  await approveValue(ctx, SYSTEM, value.id);
  const evaluation = await createEvaluation(ctx, SYSTEM, strategy.id, { period: '2026-Q1', narrative: 'Évaluation de test' });
  const toRevise = await createStrategy(ctx, SYSTEM, { code: 'SC-REV', title_fr: 'À réviser', title_en: 'To revise', valid_from: '2026-01-01', valid_to: '2026-12-31' });
  const secret = await createStrategy(ctx, SYSTEM, { code: 'SC-SECRET', title_fr: 'Stratégie secrète', title_en: 'Secret strategy', valid_from: '2026-01-01', valid_to: '2026-12-31', classification: 'secret' });

  // ---- coordination
  // Public, so that every cell's coordination verbs are probed on it (who-sees-what by level: coordination.classification.test.ts).
  const meeting = await createMeeting(ctx, SYSTEM, { title: 'Réunion de test', date: '2026-02-01', place: 'Niamey', states: states, classification: 'public' });
  const decision = await addDecision(ctx, SYSTEM, meeting.id, { text: 'Décision de test' });
  const action = await addAction(ctx, SYSTEM, decision.id, { title: 'Action du Mali', owner_state: 'MLI', due_date: '2026-03-01' });

  // ---- evidence files: one per MLI record, as an OpenRosa submission would have left it
  const attachments: Record<string, string> = {};
  await ctx.engine.writeTransaction(async (trx) => {
    for (const r of incidents.filter((i) => i.state === 'MLI')) {
      attachments[r.id] = newId();
      await insertAttachments(trx, [{ id: attachments[r.id]!, incident_id: r.id, instance_id: `uuid:${r.id}`, file_name: 'photo.jpg', content_type: 'image/jpeg', size_bytes: 4, sha256: 'x', metadata_stripped: 1, content: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), created_by: null, created_at: new Date().toISOString() }]);
    }
  });

  // ---- situation reports
  const sitreps = [];
  for (const [audience, ceiling] of [['CONF', 'restricted'], ['MLI', 'confidential']] as const) {
    const r = await generateSitrep(ctx, SYSTEM, { period: '2026-W05', audience, ceiling });
    sitreps.push({ id: r.id, audience, ceiling: CLASSIFICATIONS.indexOf(ceiling) });
  }

  // ---- a boundary re-placement job
  const replacementJob = await startReplacementJob(ctx, SYSTEM, 'access-world');
  await runReplacementJob(ctx, SYSTEM, replacementJob.id);

  // ---- a federation dead letter (as a node whose link parked a message would have it)
  const deadLetterId = newId();
  await ctx.engine.db.insertInto('federation_dead_letters').values({
    id: deadLetterId, subject: 'vigie.conf.strategy.cassee', origin_node: 'conf', entity_type: 'strategy', entity_id: 'cassee', data: '{}',
    code: 'constraint_violation', error: 'NOT NULL constraint failed: strategies.code', attempts: 3, status: 'parked', parked_at: new Date().toISOString(), resolved_at: null,
  }).execute();

  return {
    states, admin1, cells, incidents, attachments, sitreps, replacementJobId: replacementJob.id, deadLetterId,
    alerts: { open, national, acknowledged },
    strategy: { id: strategy.id, classification: 1, axisId: axis.id, objectiveId: objective.id, indicatorId: indicator.id, evaluationId: evaluation.id, reviseId: toRevise.id },
    secretStrategyId: secret.id,
    value: { id: value.id, state: 'MLI' },
    meeting: { id: meeting.id, decisionId: decision.id, actionId: action.id, actionOwner: 'MLI' },
    target: { id: target.userId as string, login: target.login, organisation: 'MLI', role: 'reporter', clearance: 1 },
    revokedTokenId: revoked.id,
    revokedTokenOwnerId: tokenOwner.userId as string,
    currentVersion: async (id) => Number((await ctx.engine.db.selectFrom('incidents').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version),
    freshAlert: () => flash({ states: ['MLI', 'NER'], classification: 1, scope: 'confederation', evidence: [] }),
  };
}

export { newId };
