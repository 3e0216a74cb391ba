/** The route-policy proof's expectations: what answer ROUTE_POLICY promises each cell on each subject (http/route-policy.test.ts). */
import { roleCan, type Permission } from '@vigie/domain';
import type { LightMyRequestResponse } from 'fastify';
import type { Cell, FixtureAlert, FixtureIncident } from './access-world.js';
import type { Policy } from '../http/route-policy.js';

export type Outcome = 'allowed' | 'unauthenticated' | 'forbidden' | 'hidden';

/** What an answer means for access: a 4xx about the request itself (400, 409, 422, a wrong TOTP code) came after access was granted. */
export function outcomeOf(res: LightMyRequestResponse): Outcome | `error ${number}` {
  const s = res.statusCode;
  if (s < 400) return 'allowed';
  let code = '';
  try { code = (JSON.parse(res.body) as { code?: string }).code ?? ''; } catch { /* not JSON */ }
  if (s === 401) return code === 'unauthenticated' ? 'unauthenticated' : 'allowed';
  if (s === 403) return 'forbidden';
  if (s === 404) return 'hidden';
  if (s === 400 || s === 409 || s === 422) return 'allowed';
  return `error ${s}`;
}

// ------------------------------------------------------------------ the oracle: the rules as the product states them

export const reviewer = (c: Cell) => c.role === 'analyst' || c.role === 'focal_point';

/** Who sees an incident (PRODUCT.md "Who sees what"; docs/security.md). */
export function seesIncident(c: Cell, r: FixtureIncident): boolean {
  if (c.kind !== 'user' || r.classification > c.clearance) return false;
  const own = r.state === c.organisation;
  if (r.status === 'draft') return r.reporterId === c.userId;
  if (r.status === 'submitted' || r.status === 'rejected') return own && (reviewer(c) || r.reporterId === c.userId);
  return own || r.scope !== 'national';
}
export const coarsenedFor = (c: Cell, r: FixtureIncident) => r.protection !== null && r.protection > c.clearance;

export function seesAlert(c: Cell, a: FixtureAlert): boolean {
  if (c.kind !== 'user' || a.classification > c.clearance) return false;
  return a.scope !== 'national' || a.states.includes(c.organisation) || a.raisedOrg === c.organisation;
}

export type Subject =
  | { type: 'none' }
  | { type: 'incident'; rec: FixtureIncident; changes?: string[] }
  | { type: 'alert'; alert: FixtureAlert }
  | { type: 'strategy'; classification: number }
  | { type: 'value'; state: string; classification: number }
  | { type: 'action'; owner: string }
  | { type: 'user'; organisation: string; role: string; clearance: number }
  | { type: 'token'; login: string }
  | { type: 'token_row'; ownerId: string | null }
  | { type: 'sitrep'; audience: string; ceiling: number };

/** What ROUTE_POLICY says this cell gets on this subject. */
export function expected(policy: Policy, c: Cell, s: Subject): Outcome {
  if ('public' in policy) return 'allowed';
  if (c.kind !== 'user') return 'unauthenticated';
  const can = (v: Permission) => roleCan(c.role, v);
  if (!('session' in policy) && (!can(policy.verb) || (policy.and && !can(policy.and)))) return 'forbidden';
  const ok = (b: boolean): Outcome => (b ? 'allowed' : 'forbidden');
  switch (policy.rule) {
    case undefined: case 'filtered': case 'cleared': return 'allowed';
    case 'state_member': return ok(c.organisation !== 'CONF');
    case 'visible':
      if (s.type === 'incident') return seesIncident(c, s.rec) ? 'allowed' : 'hidden';
      if (s.type === 'alert') return seesAlert(c, s.alert) ? 'allowed' : 'hidden';
      if (s.type === 'strategy') return s.classification <= c.clearance ? 'allowed' : 'hidden';
      return 'allowed';
    case 'author':
    case 'reviewer': {
      if (s.type !== 'incident') throw new Error('incident rule without an incident');
      if (!seesIncident(c, s.rec)) return 'hidden';
      const review = reviewer(c) && s.rec.state === c.organisation;
      if (!(review || (policy.rule === 'author' && s.rec.reporterId === c.userId && s.rec.status === 'draft'))) return 'forbidden';
      const protectedChange = (s.changes ?? []).some((f) => 'locationFields' in policy && policy.locationFields?.includes(f));
      return ok(!protectedChange || s.rec.protection === null || s.rec.protection <= c.clearance);
    }
    case 'concerned':
    case 'concerned_or_confederation':
    case 'closer': {
      if (s.type !== 'alert') throw new Error('alert rule without an alert');
      if (!seesAlert(c, s.alert)) return 'hidden';
      const concerned = s.alert.states.includes(c.organisation);
      if (policy.rule === 'concerned') return ok(concerned);
      if (policy.rule === 'concerned_or_confederation') return ok(concerned || c.organisation === 'CONF');
      return ok(c.role !== 'focal_point' || concerned);
    }
    case 'own_state':
      if (s.type !== 'value') throw new Error('value rule without a value');
      if (s.classification > c.clearance) return 'hidden';
      return ok(s.state === c.organisation);
    case 'owner':
      if (s.type !== 'action') throw new Error('action rule without an action');
      return ok(c.role === 'confederation_analyst' || c.organisation === s.owner);
    case 'manages':
      if (s.type !== 'user') return 'allowed';
      if (c.role === 'admin') return 'allowed';
      return ok(c.organisation === s.organisation && ['reporter', 'analyst', 'focal_point'].includes(s.role) && s.clearance <= c.clearance);
    case 'self':
      if (s.type !== 'token') throw new Error('token rule without a token');
      return ok(s.login === c.login);
    case 'own_token':
      if (s.type !== 'token_row') return 'allowed';
      return s.ownerId === c.userId || can('token.manage') ? 'allowed' : 'hidden';
    case 'audience':
      if (s.type !== 'sitrep') throw new Error('audience rule without a report');
      return ok(c.clearance >= s.ceiling && (s.audience === 'CONF' || s.audience === c.organisation));
  }
}
