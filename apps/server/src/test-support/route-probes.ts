/** The route-policy proof's probes: how each route is called by each cell (http/route-policy.test.ts); the answers each cell should get are in route-expectations.ts. */
import { CLASSIFICATIONS, roleCan } from '@vigie/domain';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { newIncident } from './factories.js';
import { type Cell, type FixtureAlert, type FixtureIncident, type World } from './access-world.js';
import { ROUTE_POLICY } from '../http/route-policy.js';
import { coarsenedFor, reviewer, seesAlert, seesIncident, type Subject } from './route-expectations.js';
import { foreignSubmission, heicUpload, keyOf } from './route-probe-requests.js';

export { expected, outcomeOf } from './route-expectations.js';
export { streamStatus } from './route-probe-requests.js';

// ------------------------------------------------------------------ probes: how each route is exercised

interface Probe {
  label: string;
  opts: InjectOptions;
  subject: Subject;
  /** For allowed answers: what must (not) be in the body; returns a complaint or null. */
  check?(res: LightMyRequestResponse, c: Cell): string | null;
  stream?: boolean;
}

export const has = (body: string, text: string | number) => body.includes(String(text));

export async function probesFor(key: string, w: World, c: Cell, i: number, fresh: () => Promise<FixtureAlert>): Promise<Probe[]> {
  const none: Subject = { type: 'none' };
  const get = (url: string, subject: Subject = none, check?: Probe['check']): Probe => ({ label: url, opts: { method: 'GET', url }, subject, check });
  const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload: object | undefined, subject: Subject = none, label = url): Probe =>
    ({ label: `${method} ${label}`, opts: { method, url, ...(payload ? { payload } : {}) }, subject });
  const inc = (f: (r: FixtureIncident) => boolean) => {
    const r = w.incidents.find(f);
    if (!r) throw new Error(`no fixture for ${key}`);
    return r;
  };
  const mliRef = inc((r) => r.state === 'MLI' && r.classification === 1 && r.scope === 'confederation' && r.status === 'validated' && r.protection === null && !r.earlierMarker);
  const mliPublic = inc((r) => r.state === 'MLI' && r.classification === 0 && r.scope === 'confederation' && r.status === 'validated');
  const mliDraft = inc((r) => r.state === 'MLI' && r.status === 'draft');
  const mliSubmitted = inc((r) => r.state === 'MLI' && r.status === 'submitted');
  const mliProtected = inc((r) => r.state === 'MLI' && r.protection !== null);
  /**
   * Detail and history are asked for each record of one state (every classification, scope, status, location
   * protection, the merged and the declassified one) and a few of the others (their national and draft records),
   * so each reader meets records of its own state and of another; lists and figures cover every record.
   */
  const sample = w.incidents.filter((r) => r.state === 'MLI' || r.status === 'draft' || (r.status === 'validated' && r.scope === 'national' && r.classification === 1));
  const allIds = w.incidents.map((r) => r.id);
  /** A list must carry no fixture the reader may not see; `exact` also demands every fixture they may see. */
  const listCheck = (pick: (r: FixtureIncident) => boolean, exact: boolean) => (res: LightMyRequestResponse, cell: Cell) => {
    const shown = new Set(allIds.filter((id) => has(res.body, id)));
    const leaked = w.incidents.filter((r) => shown.has(r.id) && !(seesIncident(cell, r) && pick(r))).map((r) => r.id);
    const missing = exact ? w.incidents.filter((r) => seesIncident(cell, r) && pick(r) && !shown.has(r.id)).map((r) => r.id) : [];
    const exactShown = w.incidents.filter((r) => coarsenedFor(cell, r) && shown.has(r.id) && (has(res.body, r.latitude) || has(res.body, r.placeName)));
    const out = [leaked.length ? `leaks ${leaked.length} records` : '', missing.length ? `misses ${missing.length} visible records` : '', exactShown.length ? `shows ${exactShown.length} protected locations` : ''].filter(Boolean);
    return out.length ? out.join(', ') : null;
  };
  const validatedCount = (cell: Cell) => w.incidents.filter((r) => r.status === 'validated' && seesIncident(cell, r));
  const sumItems = (body: string) => ((JSON.parse(body) as { items: { incidents: number }[] }).items ?? []).reduce((s, x) => s + x.incidents, 0);
  const alertOf = (a: FixtureAlert): Subject => ({ type: 'alert', alert: a });
  const strategy: Subject = { type: 'strategy', classification: w.strategy.classification };
  const s = w.strategy;

  switch (key) {
    // ---- system
    case 'GET /api/v1/health': return [get('/api/v1/health')];
    case 'GET /api/v1/reference': return [get('/api/v1/reference')];
    case 'GET /api/v1/admin-areas.geojson': return [get('/api/v1/admin-areas.geojson?level=1')];
    case 'GET /api/v1/places': return [get('/api/v1/places?q=tombouctou')];
    case 'GET /api/v1/tiles/:z/:x/:y.pbf': return [get('/api/v1/tiles/5/15/14.pbf')];
    case 'GET /api/v1/audit': return [get('/api/v1/audit?limit=500', none, (res, cell) => {
      const items = (res.json() as { items: { classification_level: number | null; organisation: string | null; owner_state: string | null }[] }).items;
      // Readers see an entry only when cleared at or above it (item 6).
      const above = items.filter((e) => (e.classification_level ?? 0) > cell.clearance).length;
      if (above) return `shows ${above} entries above the reader's clearance`;
      // A state's administrators and focal points: only entries by their state's users or about their state's records.
      const foreign = cell.organisation === 'CONF' ? 0 : items.filter((e) => e.organisation !== cell.organisation && e.owner_state !== cell.organisation).length;
      return foreign ? `shows ${foreign} entries of another state` : null;
    })];

    // Following the change log from 0: records only those the reader sees (locations coarsened where protected), every
    // one of them not merged away; a tombstone never for a record the reader sees and could keep.
    case 'GET /api/v1/changes': return [get('/api/v1/changes?since=0&limit=1000', none, (res, cell) => {
      const items = (res.json() as { items: { type: string; id: string; deleted: boolean }[] }).items.filter((x) => x.type === 'incident');
      const records = new Set(items.filter((x) => !x.deleted).map((x) => x.id));
      const tombstones = new Set(items.filter((x) => x.deleted).map((x) => x.id));
      const leaked = w.incidents.filter((r) => records.has(r.id) && !(seesIncident(cell, r) && r.status !== 'merged')).length;
      const missing = roleCan(cell.role, 'incident.read') ? w.incidents.filter((r) => seesIncident(cell, r) && r.status !== 'merged' && !records.has(r.id)).length : 0;
      const wrongTomb = w.incidents.filter((r) => tombstones.has(r.id) && seesIncident(cell, r) && r.status !== 'merged').length;
      const exactShown = w.incidents.filter((r) => coarsenedFor(cell, r) && records.has(r.id) && (has(res.body, r.latitude) || has(res.body, r.placeName))).length;
      const marker = w.incidents.some((r) => r.earlierMarker && has(res.body, r.earlierMarker));
      const out = [leaked && `leaks ${leaked} records`, missing && `misses ${missing} visible records`, wrongTomb && `tombstones ${wrongTomb} visible records`,
        exactShown && `shows ${exactShown} protected locations`, marker && 'shows an earlier secret version'].filter(Boolean);
      return out.length ? out.join(', ') : null;
    })];

    // The live form of the feed: opened and closed once its status is known (its content: changes.stream.api.test.ts).
    case 'GET /api/v1/changes/stream': return [{ label: 'stream', opts: { method: 'GET', url: '/api/v1/changes/stream?since=0' }, subject: none, stream: true }];

    // ---- auth (logout runs last: it ends the cell's session)
    case 'POST /api/v1/auth/login': {
      const self = c.kind === 'user' ? { login: c.login, password: c.password } : { login: w.target.login, password: 'mot-de-passe-solide-123' };
      return [send('POST', '/api/v1/auth/login', self)];
    }
    case 'POST /api/v1/auth/logout': return [send('POST', '/api/v1/auth/logout', undefined)];
    case 'GET /api/v1/auth/me': return [get('/api/v1/auth/me', none, (res, cell) => ((res.json() as { user: { login: string } }).user.login === cell.login ? null : 'another user'))];
    // final state for admins (already enrolled: 409); a pending secret for others, never activated.
    case 'POST /api/v1/auth/totp/setup': return [send('POST', '/api/v1/auth/totp/setup', undefined)];
    // a wrong code: 401 totp_invalid (or 409 without a pending secret) once the session is accepted.
    case 'POST /api/v1/auth/totp/confirm': return [send('POST', '/api/v1/auth/totp/confirm', { code: '000000' })];
    // a wrong current password: 422 naming current_password once the session is accepted (nothing changed).
    case 'GET /api/v1/places/nearest': return [get('/api/v1/places/nearest?points=14.5,-4.2;13.5,2.1')];
    case 'GET /api/v1/notifications': return [get('/api/v1/notifications?limit=100', none, (res, cell) => {
      const body = res.json() as { items: { object_type: string; object_id: string }[] };
      const leaked = body.items.filter((n) => n.object_type === 'incident').map((n) => w.incidents.find((r) => r.id === n.object_id)).filter((r) => r && !seesIncident(cell, r));
      return leaked.length ? `tells of ${leaked.length} records the reader may not see` : null;
    })];
    case 'POST /api/v1/notifications/read': return [send('POST', '/api/v1/notifications/read', { all: true })];
    case 'GET /api/v1/notifications/settings': return [get('/api/v1/notifications/settings')];
    case 'PUT /api/v1/notifications/settings': return [send('PUT', '/api/v1/notifications/settings', { email: null, topics: { alert: { in_app: true, email: false } } })];
    case 'GET /api/v1/briefing': return [get('/api/v1/briefing', none, (res, cell) => {
      const b = res.json() as { week: unknown; alerts: unknown; overdue_actions: unknown };
      if ((b.week === null) === roleCan(cell.role, 'aggregate.read')) return 'week figures against the reader’s verbs';
      if ((b.alerts === null) === roleCan(cell.role, 'alert.read')) return 'alerts against the reader’s verbs';
      return (b.overdue_actions === null) === roleCan(cell.role, 'coordination.read') ? 'actions against the reader’s verbs' : null;
    })];
    case 'POST /api/v1/me/password': return [send('POST', '/api/v1/me/password', { current_password: 'pas-le-bon-mot-de-passe', new_password: 'un-autre-mot-de-passe-solide-456' })];

    // ---- incidents
    // stale: the id exists with other content → 409 id_conflict once the caller may create (nothing written).
    case 'POST /api/v1/incidents': return [send('POST', '/api/v1/incidents', newIncident({ id: mliRef.id, classification: 'public', narrative: 'Autre contenu pour le même identifiant.' }))];
    // the same stale report inside a batch: 200 with a per-item 409 once the caller may create (nothing written).
    case 'POST /api/v1/incidents/batch': return [send('POST', '/api/v1/incidents/batch', { items: [newIncident({ id: mliRef.id, classification: 'public', narrative: 'Autre contenu pour le même identifiant.' })] })];
    case 'GET /api/v1/incidents': return [
      get('/api/v1/incidents?limit=500', none, listCheck(() => true, true)),
      get('/api/v1/incidents?limit=500&q=marche', none, listCheck(() => true, false)),
      get('/api/v1/incidents?limit=500&bbox=-6,10,4,16', none, listCheck(() => true, false)),
    ];
    // exports: the same reader view as the list, in CSV and GeoJSON (every record the reader may see, and nothing else).
    case 'GET /api/v1/exports/incidents': return [
      get('/api/v1/exports/incidents?format=csv', none, listCheck(() => true, true)),
      get('/api/v1/exports/incidents?format=geojson&bbox=-6,10,4,16', none, listCheck(() => true, false)),
    ];
    case 'GET /api/v1/incidents/:id': return sample.map((r) => get(`/api/v1/incidents/${r.id}`, { type: 'incident', rec: r }, (res, cell) => {
      if (coarsenedFor(cell, r)) return has(res.body, r.latitude) || has(res.body, r.placeName) ? 'shows the protected location' : null;
      return has(res.body, r.latitude) ? null : 'hides a location the reader may see';
    }));
    case 'GET /api/v1/incidents/:id/history': return sample.map((r) => get(`/api/v1/incidents/${r.id}/history`, { type: 'incident', rec: r }, (res, cell) => {
      if (r.earlierMarker && !(cell.clearance >= 3 && cell.organisation === r.state)) {
        if (has(res.body, r.earlierMarker)) return 'shows a version the reader could not see (item 1)';
        const first = (res.json() as { items: Record<string, unknown>[] }).items[0] ?? {};
        if (first.accessible !== false || Object.keys(first).some((k) => !['version', 'changed_at', 'accessible'].includes(k))) return 'an earlier version the reader could not see is not a bare placeholder (item 1)';
      }
      if (coarsenedFor(cell, r) && (has(res.body, r.latitude) || has(res.body, r.placeName))) return 'shows the protected location in a version';
      return null;
    }));
    case 'GET /api/v1/incidents/:id/duplicates': return [mliRef, mliDraft, mliSubmitted, mliProtected, ...w.incidents.filter((r) => r.earlierMarker)].map((r) => get(`/api/v1/incidents/${r.id}/duplicates`, { type: 'incident', rec: r }, listCheck(() => true, false)));
    // stale (version 999): 409 once access passed.
    // Location protection (item 2): a new place name, at the current version, for the record whose exact location is
    // confidential: a real change for a reviewer cleared for it, 403 for a reviewer below it.
    case 'PATCH /api/v1/incidents/:id': return [
      ...[mliRef, mliDraft].map((r) => send('PATCH', `/api/v1/incidents/${r.id}`, { version: 999, narrative: 'Modification refusée par la version.' }, { type: 'incident', rec: r }, `incident ${r.status}`)),
      send('PATCH', `/api/v1/incidents/${mliProtected.id}`, { version: await w.currentVersion(mliProtected.id), place_name: `${mliProtected.placeName}-bis-${i}` }, { type: 'incident', rec: mliProtected, changes: ['place_name'] }, 'place name of a protected location'),
    ];
    case 'POST /api/v1/incidents/:id/submit': return [send('POST', `/api/v1/incidents/${mliDraft.id}/submit`, { version: 999 }, { type: 'incident', rec: mliDraft })];
    case 'POST /api/v1/incidents/:id/validate': return [send('POST', `/api/v1/incidents/${mliSubmitted.id}/validate`, { version: 999 }, { type: 'incident', rec: mliSubmitted })];
    case 'POST /api/v1/incidents/:id/reject': return [send('POST', `/api/v1/incidents/${mliSubmitted.id}/reject`, { reason: 'Doublon manifeste', version: 999 }, { type: 'incident', rec: mliSubmitted })];
    case 'POST /api/v1/incidents/:id/merge': return [send('POST', `/api/v1/incidents/${mliPublic.id}/merge`, { into: mliRef.id, version: 999 }, { type: 'incident', rec: mliPublic })];
    // real: a preview writes nothing; stale (version 999): the undo of a record that is not merged is 409 once access passed.
    case 'POST /api/v1/incidents/:id/merge/preview': return [send('POST', `/api/v1/incidents/${mliPublic.id}/merge/preview`, { into: mliRef.id }, { type: 'incident', rec: mliPublic })];
    case 'POST /api/v1/incidents/:id/unmerge': return [send('POST', `/api/v1/incidents/${mliPublic.id}/unmerge`, { version: 999 }, { type: 'incident', rec: mliPublic })];
    // final state: a validated record cannot be taken or released (409).
    case 'POST /api/v1/incidents/:id/assign': return [send('POST', `/api/v1/incidents/${mliPublic.id}/assign`, undefined, { type: 'incident', rec: mliPublic })];
    case 'DELETE /api/v1/incidents/:id/assign': return [send('DELETE', `/api/v1/incidents/${mliPublic.id}/assign`, undefined, { type: 'incident', rec: mliPublic })];

    // ---- users and tokens
    case 'GET /api/v1/users': return [get('/api/v1/users', none, (res, cell) => {
      if (cell.role === 'admin') return null;
      const foreign = (res.json() as { items: { organisation: string }[] }).items.filter((u) => u.organisation !== cell.organisation).length;
      return foreign ? `shows ${foreign} users of other organisations` : null;
    })];
    // stale: the login is taken → 409 once the caller may create such a user.
    case 'POST /api/v1/users': return [send('POST', '/api/v1/users', { login: w.target.login, organisation: 'MLI', role: 'reporter', clearance: 1, password: 'mot-de-passe-solide-123' }, { type: 'user', ...w.target })];
    // real: the same display name again; a new password for the target nobody signs in as.
    case 'PATCH /api/v1/users/:id': return [send('PATCH', `/api/v1/users/${w.target.id}`, { display_name: 'Cible' }, { type: 'user', ...w.target })];
    case 'POST /api/v1/users/:id/reset-password': return [send('POST', `/api/v1/users/${w.target.id}/reset-password`, {}, { type: 'user', ...w.target })];
    // real: the target is not locked; unlocking changes nothing but the audit trail.
    case 'POST /api/v1/users/:id/unlock': return [send('POST', `/api/v1/users/${w.target.id}/unlock`, undefined, { type: 'user', ...w.target })];
    // Every signed-in user lists their own tokens; administrators everyone's; never a hash.
    case 'GET /api/v1/tokens': return [get('/api/v1/tokens', none, (res, cell) => {
      if (/[0-9a-f]{64}/.test(res.body)) return 'shows a token hash';
      if (roleCan(cell.role, 'token.manage')) return has(res.body, w.revokedTokenId) ? null : "misses another user's token";
      const others = (res.json() as { items: { user_id: string }[] }).items.filter((t) => t.user_id !== cell.userId).length;
      return others ? `shows ${others} tokens of other users` : null;
    })];
    // real: a token for oneself from the session (no login in the body); none for another user (item 5): a body naming
    // a login is refused (400), whoever it names.
    case 'POST /api/v1/tokens': return [
      send('POST', '/api/v1/tokens', { name: `essai-${i}` }, { type: 'token', login: c.kind === 'user' ? c.login : '' }, 'token for oneself'),
      send('POST', '/api/v1/tokens', { login: w.target.login, name: `pour-autrui-${i}` }, { type: 'token', login: w.target.login }, 'token for another user'),
    ];
    // final state: another user's token, already revoked (404 to anyone but administrators).
    case 'DELETE /api/v1/tokens/:id': return [send('DELETE', `/api/v1/tokens/${w.revokedTokenId}`, undefined, { type: 'token_row', ownerId: w.revokedTokenOwnerId })];

    // ---- figures
    case 'GET /api/v1/aggregates': return [get('/api/v1/aggregates', none, (res, cell) => {
      const total = (res.json() as { totals: { incidents: number; fatalities: number } }).totals;
      const mine = validatedCount(cell);
      const fat = mine.reduce((x, r) => x + r.fatalities, 0);
      return total.incidents === mine.length && total.fatalities === fat ? null : `counts ${total.incidents}/${total.fatalities}, the reader may see ${mine.length}/${fat}`;
    })];
    case 'GET /api/v1/aggregates/grid': return [get('/api/v1/aggregates/grid', none, (res, cell) => (sumItems(res.body) === validatedCount(cell).length ? null : `counts ${sumItems(res.body)}, the reader may see ${validatedCount(cell).length}`))];
    case 'GET /api/v1/aggregates/h3': return [get('/api/v1/aggregates/h3', none, (res, cell) => (sumItems(res.body) === validatedCount(cell).length ? null : `counts ${sumItems(res.body)}, the reader may see ${validatedCount(cell).length}`))];
    case 'GET /api/v1/aggregates/compare': return [get('/api/v1/aggregates/compare?period=month&anchor=2026-03', none, (res, cell) => {
      const cur = (res.json() as { current: { totals: { incidents: number } } }).current.totals.incidents;
      return cur === validatedCount(cell).length ? null : `counts ${cur}, the reader may see ${validatedCount(cell).length}`;
    })];
    case 'GET /api/v1/forecast': return [get('/api/v1/forecast')];

    // ---- strategy
    case 'GET /api/v1/strategies': return [get('/api/v1/strategies', none, (res, cell) => {
      const shown = has(res.body, w.secretStrategyId);
      const main = has(res.body, s.id);
      if (shown && cell.clearance < 3) return 'shows a secret strategy';
      if (main !== cell.clearance >= s.classification) return 'restricted strategy shown/hidden wrongly';
      return null;
    })];
    case 'POST /api/v1/strategies': return [send('POST', '/api/v1/strategies', { code: `SC-N${i}`, title_fr: 'Nouvelle', title_en: 'New', valid_from: '2027-01-01', valid_to: '2027-12-31' })];
    case 'GET /api/v1/strategies/:id': return [get(`/api/v1/strategies/${s.id}`, strategy), get(`/api/v1/strategies/${w.secretStrategyId}`, { type: 'strategy', classification: 3 })];
    case 'PATCH /api/v1/strategies/:id': return [send('PATCH', `/api/v1/strategies/${s.id}`, { version: 999, title_fr: 'Refusé par la version' }, strategy)];
    // real, then final state: the first allowed cell revises (201), the next ones find it revised (409).
    case 'POST /api/v1/strategies/:id/revise': return [send('POST', `/api/v1/strategies/${s.reviseId}/revise`, { code: `SC-R${i}`, valid_from: '2027-01-01', valid_to: '2027-12-31' }, strategy)];
    case 'POST /api/v1/strategies/:id/axes': return [send('POST', `/api/v1/strategies/${s.id}/axes`, { code: `AX${i}`, name_fr: 'Axe', name_en: 'Axis' }, strategy)];
    case 'PATCH /api/v1/axes/:id': return [send('PATCH', `/api/v1/axes/${s.axisId}`, { name_fr: 'Protection des civils' }, strategy)];
    case 'POST /api/v1/axes/:id/objectives': return [send('POST', `/api/v1/axes/${s.axisId}/objectives`, { code: `OB${i}`, name_fr: 'Objectif', name_en: 'Objective' }, strategy)];
    case 'PATCH /api/v1/objectives/:id': return [send('PATCH', `/api/v1/objectives/${s.objectiveId}`, { name_fr: 'Réduire les victimes civiles' }, strategy)];
    case 'POST /api/v1/objectives/:id/indicators': return [send('POST', `/api/v1/objectives/${s.objectiveId}/indicators`, { code: `IN${i}`, name_fr: 'Indicateur', name_en: 'Indicator', unit: 'count', direction: 'increase', frequency: 'quarter', source: 'manual' }, strategy)];
    case 'GET /api/v1/indicators/:id': return [get(`/api/v1/indicators/${s.indicatorId}`, strategy)];
    case 'PATCH /api/v1/indicators/:id': return [send('PATCH', `/api/v1/indicators/${s.indicatorId}`, { version: 999, name_fr: 'Refusé par la version' }, strategy)];
    case 'GET /api/v1/indicators/:id/trend': return [get(`/api/v1/indicators/${s.indicatorId}/trend`, strategy)];
    // real: the reader's own state's draft value for a later quarter.
    case 'POST /api/v1/indicators/:id/values': return [send('POST', `/api/v1/indicators/${s.indicatorId}/values`, { period: '2026-Q3', value: 10 }, strategy)];
    // final state: the MLI value is approved.
    case 'POST /api/v1/indicator-values/:id/submit': return [send('POST', `/api/v1/indicator-values/${w.value.id}/submit`, undefined, { type: 'value', state: w.value.state, classification: s.classification })];
    case 'POST /api/v1/indicator-values/:id/approve': return [send('POST', `/api/v1/indicator-values/${w.value.id}/approve`, undefined, { type: 'value', state: w.value.state, classification: s.classification })];
    case 'POST /api/v1/indicator-values/:id/return': return [send('POST', `/api/v1/indicator-values/${w.value.id}/return`, { reason: 'Chiffre à revoir' }, { type: 'value', state: w.value.state, classification: s.classification })];
    // Approved values for every reader; drafts and submitted ones (each state's analysts enter some above) to their own state only.
    case 'GET /api/v1/strategies/:id/values': return [get(`/api/v1/strategies/${s.id}/values`, strategy, (res, cell) => {
      const foreign = (res.json() as { items: { state: string; status: string }[] }).items.filter((v) => v.status !== 'approved' && v.state !== cell.organisation).length;
      return foreign ? `shows ${foreign} unapproved values of another state` : null;
    })];
    case 'GET /api/v1/strategies/:id/reporting': return [get(`/api/v1/strategies/${s.id}/reporting`, strategy)];
    case 'GET /api/v1/strategies/:id/progress': return [get(`/api/v1/strategies/${s.id}/progress?period=2026-Q1`, strategy)];
    case 'GET /api/v1/strategies/:id/evaluations': return [get(`/api/v1/strategies/${s.id}/evaluations`, strategy)];
    // real, then final state: one evaluation per period (409 afterwards).
    case 'POST /api/v1/strategies/:id/evaluations': return [send('POST', `/api/v1/strategies/${s.id}/evaluations`, { period: '2026-Q2' }, strategy)];
    case 'GET /api/v1/evaluations/:id': return [get(`/api/v1/evaluations/${s.evaluationId}`, strategy)];
    case 'PATCH /api/v1/evaluations/:id': return [send('PATCH', `/api/v1/evaluations/${s.evaluationId}`, { version: 999, narrative: 'Refusé par la version' }, strategy)];
    case 'GET /api/v1/evaluations/:id/report.html': return [get(`/api/v1/evaluations/${s.evaluationId}/report.html`, strategy)];
    case 'GET /api/v1/evaluations/:id/report.pdf': return [get(`/api/v1/evaluations/${s.evaluationId}/report.pdf`, strategy)];

    // ---- coordination
    case 'GET /api/v1/meetings': return [get('/api/v1/meetings')];
    case 'POST /api/v1/meetings': return [send('POST', '/api/v1/meetings', { title: `Réunion ${i}`, date: '2026-05-01', place: 'Ouagadougou' })];
    case 'GET /api/v1/meetings/:id': return [get(`/api/v1/meetings/${w.meeting.id}`)];
    case 'PATCH /api/v1/meetings/:id': return [send('PATCH', `/api/v1/meetings/${w.meeting.id}`, { version: 999, title: 'Refusé par la version' })];
    case 'POST /api/v1/meetings/:id/decisions': return [send('POST', `/api/v1/meetings/${w.meeting.id}/decisions`, { text: `Décision ${i}` })];
    case 'POST /api/v1/decisions/:id/actions': return [send('POST', `/api/v1/decisions/${w.meeting.decisionId}/actions`, { title: `Action ${i}`, owner_state: 'NER', due_date: '2026-06-01' })];
    case 'GET /api/v1/actions': return [get('/api/v1/actions')];
    case 'GET /api/v1/actions/overdue': return [get('/api/v1/actions/overdue')];
    case 'GET /api/v1/actions/:id': return [get(`/api/v1/actions/${w.meeting.actionId}`)];
    case 'PATCH /api/v1/actions/:id': return [send('PATCH', `/api/v1/actions/${w.meeting.actionId}`, { version: 999, status: 'in_progress' }, { type: 'action', owner: w.meeting.actionOwner })];
    // the level they have (public: every cell may see them): a change of nothing, allowed once the caller may edit.
    case 'PATCH /api/v1/meetings/:id/classification': return [send('PATCH', `/api/v1/meetings/${w.meeting.id}/classification`, { classification: 'public' })];
    case 'PATCH /api/v1/decisions/:id/classification': return [send('PATCH', `/api/v1/decisions/${w.meeting.decisionId}/classification`, { classification: 'public' })];
    case 'PATCH /api/v1/actions/:id/classification': return [send('PATCH', `/api/v1/actions/${w.meeting.actionId}/classification`, { classification: 'public' })];
    case 'POST /api/v1/actions/:id/notes': return [send('POST', `/api/v1/actions/${w.meeting.actionId}/notes`, { text: `Note ${i}` }, { type: 'action', owner: w.meeting.actionOwner })];

    // ---- alerts
    case 'GET /api/v1/alerts': return [get('/api/v1/alerts?limit=200', none, (res, cell) => {
      const leaked = Object.values(w.alerts).filter((a) => has(res.body, a.id) && !seesAlert(cell, a)).length;
      return leaked ? `shows ${leaked} alerts the reader may not see` : null;
    })];
    case 'GET /api/v1/alerts/stream': return [{ label: 'stream', opts: { method: 'GET', url: '/api/v1/alerts/stream' }, subject: none, stream: true }];
    // a body naming an unknown area: 400 once the caller may raise (nothing written).
    case 'POST /api/v1/alerts': return [send('POST', '/api/v1/alerts', { title: 'Alerte refusée', areas: ['ZZ-INCONNU'] })];
    case 'POST /api/v1/alerts/run': return [send('POST', '/api/v1/alerts/run', undefined)];
    // federation: a single node answers with no links, and its (empty) key registry
    case 'GET /api/v1/federation/status': return [get('/api/v1/federation/status')];
    // a single node holds nothing from another; a reply to a held alert needs a federated national node (409 once allowed)
    case 'GET /api/v1/federation/objects': return [get('/api/v1/federation/objects?type=alert')];
    case 'POST /api/v1/federation/alerts/:id/acknowledge': return [send('POST', `/api/v1/federation/alerts/${w.alerts.open.id}/acknowledge`, {})];
    case 'POST /api/v1/federation/alerts/:id/respond': return [send('POST', `/api/v1/federation/alerts/${w.alerts.open.id}/respond`, { text: `Réponse ${i}` })];
    case 'POST /api/v1/federation/actions/:id/report': return [send('POST', `/api/v1/federation/actions/${w.meeting.actionId}/report`, { text: `Compte rendu ${i}` })];
    // one parked message: a retry needs a federated node (409 once allowed); the first discard ends it (then 409)
    case 'GET /api/v1/federation/dead-letters': return [get('/api/v1/federation/dead-letters')];
    case 'POST /api/v1/federation/dead-letters/:id/retry': return [send('POST', `/api/v1/federation/dead-letters/${w.deadLetterId}/retry`, undefined)];
    case 'POST /api/v1/federation/dead-letters/:id/discard': return [send('POST', `/api/v1/federation/dead-letters/${w.deadLetterId}/discard`, undefined)];
    case 'GET /api/v1/alerts/:id': return Object.values(w.alerts).map((a) => get(`/api/v1/alerts/${a.id}`, alertOf(a), (res, cell) => {
      const n = (res.json() as { evidence_count: number }).evidence_count;
      const mine = w.incidents.filter((r) => a.evidence.includes(r.id) && seesIncident(cell, r)).length;
      return n === mine ? null : `evidence_count ${n}, the reader may see ${mine}`;
    }));
    case 'GET /api/v1/alerts/:id/evidence': return Object.values(w.alerts).map((a) => get(`/api/v1/alerts/${a.id}/evidence`, alertOf(a), listCheck((r) => a.evidence.includes(r.id), true)));
    // final state: every concerned state has acknowledged (409).
    case 'POST /api/v1/alerts/:id/acknowledge': return [send('POST', `/api/v1/alerts/${w.alerts.acknowledged.id}/acknowledge`, {}, alertOf(w.alerts.acknowledged))];
    // real: a response on the open alert.
    case 'POST /api/v1/alerts/:id/respond': return [send('POST', `/api/v1/alerts/${w.alerts.open.id}/respond`, { text: `Réponse ${i}` }, alertOf(w.alerts.open))];
    // real: each cell that holds alert.close closes a fresh alert of its own.
    case 'POST /api/v1/alerts/:id/close': {
      const a = c.kind === 'user' && roleCan(c.role, 'alert.close') ? await fresh() : w.alerts.open;
      return [send('POST', `/api/v1/alerts/${a.id}/close`, {}, alertOf(a))];
    }
    // real but unchanged: each allowed cell re-classifies the open alert at the level it already has.
    case 'PATCH /api/v1/alerts/:id': return [send('PATCH', `/api/v1/alerts/${w.alerts.open.id}`, { classification: CLASSIFICATIONS[w.alerts.open.classification] }, alertOf(w.alerts.open))];
    // ---- OGC API – Features: the same rules as the incident and alert lists, through GeoJSON
    case 'GET /ogc': return [get('/ogc')];
    case 'GET /ogc/conformance': return [get('/ogc/conformance')];
    case 'GET /ogc/api': return [get('/ogc/api')];
    case 'GET /ogc/collections': return [get('/ogc/collections', none, (res, cell) => {
      const ids = (res.json() as { collections: { id: string }[] }).collections.map((x) => x.id);
      if (ids.includes('incidents') !== roleCan(cell.role, 'incident.read')) return 'lists the incidents collection wrongly';
      return ids.includes('alerts') === roleCan(cell.role, 'alert.read') ? null : 'lists the alerts collection wrongly';
    })];
    case 'GET /ogc/collections/incidents': return [get('/ogc/collections/incidents')];
    case 'GET /ogc/collections/incidents/queryables': return [get('/ogc/collections/incidents/queryables')];
    case 'GET /ogc/collections/incidents/items': return [
      get('/ogc/collections/incidents/items?limit=10000', none, listCheck(() => true, true)),
      get('/ogc/collections/incidents/items?limit=10000&bbox=-6,10,4,16&datetime=2020-01-01/..', none, listCheck(() => true, false)),
      get(`/ogc/collections/incidents/items?limit=10000&filter=${encodeURIComponent("S_INTERSECTS(geometry, BBOX(-20,0,20,30)) AND place_name IS NOT NULL")}`, none, listCheck(() => true, false)),
    ];
    case 'GET /ogc/collections/incidents/items/:featureId': return sample.map((r) => get(`/ogc/collections/incidents/items/${r.id}`, { type: 'incident', rec: r }, (res, cell) => {
      if (coarsenedFor(cell, r)) return has(res.body, r.latitude) || has(res.body, r.placeName) ? 'shows the protected location' : null;
      return has(res.body, r.latitude) ? null : 'hides a location the reader may see';
    }));
    case 'GET /ogc/collections/alerts': return [get('/ogc/collections/alerts')];
    case 'GET /ogc/collections/alerts/queryables': return [get('/ogc/collections/alerts/queryables')];
    case 'GET /ogc/collections/alerts/items': return [get('/ogc/collections/alerts/items?limit=10000', none, (res, cell) => {
      const leaked = Object.values(w.alerts).filter((a) => has(res.body, a.id) && !seesAlert(cell, a)).length;
      const missing = Object.values(w.alerts).filter((a) => !has(res.body, a.id) && seesAlert(cell, a)).length;
      return leaked || missing ? `shows ${leaked} alerts the reader may not see, misses ${missing}` : null;
    })];
    case 'GET /ogc/collections/alerts/items/:featureId': return Object.values(w.alerts).map((a) => get(`/ogc/collections/alerts/items/${a.id}`, alertOf(a)));
    case 'GET /ogc/collections/:collectionId': return [get('/ogc/collections/admin1')];
    case 'GET /ogc/collections/:collectionId/items': return [get('/ogc/collections/admin1/items?limit=5&bbox=-6,10,4,16')];
    case 'GET /ogc/collections/:collectionId/items/:featureId': return [get('/ogc/collections/admin1/items/ML05')];
    case 'GET /ogc/collections/:collectionId/queryables': return [get('/ogc/collections/admin2/queryables')];
    // ---- OpenRosa: the key routes with a token the cell issued itself (a made-up one for cells without a session);
    // stale: a submission of another form is refused (422) once access passed, nothing written.
    case 'GET /openrosa/formList': return [get('/openrosa/formList')];
    case 'GET /openrosa/forms/:formId/form.xml': return [get('/openrosa/forms/vigie_incident/form.xml')];
    case 'GET /openrosa/forms/:formId/manifest': return [get('/openrosa/forms/vigie_incident/manifest')];
    case 'GET /openrosa/forms/:formId/media/:file': return [get('/openrosa/forms/vigie_incident/media/actors.csv')];
    case 'HEAD /openrosa/submission': return [{ label: 'HEAD submission', opts: { method: 'HEAD', url: '/openrosa/submission' }, subject: none }];
    case 'POST /openrosa/submission': return [{ label: 'POST submission', opts: foreignSubmission('/openrosa/submission'), subject: none }];
    case 'GET /openrosa/key/:token/formList': return [get(`/openrosa/key/${await keyOf(c)}/formList`)];
    case 'GET /openrosa/key/:token/forms/:formId/form.xml': return [get(`/openrosa/key/${await keyOf(c)}/forms/vigie_incident/form.xml`)];
    case 'GET /openrosa/key/:token/forms/:formId/manifest': return [get(`/openrosa/key/${await keyOf(c)}/forms/vigie_incident/manifest`)];
    case 'GET /openrosa/key/:token/forms/:formId/media/:file': return [get(`/openrosa/key/${await keyOf(c)}/forms/vigie_incident/media/places.csv`)];
    case 'HEAD /openrosa/key/:token/submission': return [{ label: 'HEAD submission', opts: { method: 'HEAD', url: `/openrosa/key/${await keyOf(c)}/submission` }, subject: none }];
    case 'POST /openrosa/key/:token/submission': return [{ label: 'POST submission', opts: foreignSubmission(`/openrosa/key/${await keyOf(c)}/submission`), subject: none }];
    case 'GET /api/v1/incidents/:id/attachments': return sample.filter((r) => w.attachments[r.id]).map((r) => get(`/api/v1/incidents/${r.id}/attachments`, { type: 'incident', rec: r }, (res) => (has(res.body, w.attachments[r.id]!) ? null : 'misses the record’s file')));
    case 'GET /api/v1/incidents/:id/attachments/:attachmentId': return sample.filter((r) => w.attachments[r.id]).map((r) => get(`/api/v1/incidents/${r.id}/attachments/${w.attachments[r.id]}`, { type: 'incident', rec: r }));
    // A HEIC photo: refused (400) once access passed, so the probe stores nothing.
    case 'POST /api/v1/incidents/:id/attachments': return [mliRef, mliDraft].map((r) => ({ label: `POST attachment to ${r.status}`, opts: heicUpload(`/api/v1/incidents/${r.id}/attachments`), subject: { type: 'incident', rec: r } }));
    // ---- situation reports: the archive names only reports the reader may open; each report by the audience rule.
    case 'GET /api/v1/sitreps': return [get('/api/v1/sitreps?limit=200', none, (res, cell) => {
      const leaked = w.sitreps.filter((r) => has(res.body, r.id) && !(cell.clearance >= r.ceiling && (r.audience === 'CONF' || r.audience === cell.organisation))).length;
      return leaked ? `lists ${leaked} reports the reader may not open` : null;
    })];
    // real: a cell cleared for the default ceiling generates a report (201); one below it is refused the ceiling (422).
    case 'POST /api/v1/sitreps': return [send('POST', '/api/v1/sitreps', { period: '2026-W06' })];
    case 'GET /api/v1/sitreps/:id': return w.sitreps.map((r) => get(`/api/v1/sitreps/${r.id}`, { type: 'sitrep', ...r }));
    case 'GET /api/v1/sitreps/:id/report.html': return w.sitreps.map((r) => get(`/api/v1/sitreps/${r.id}/report.html`, { type: 'sitrep', ...r }));
    case 'GET /api/v1/sitreps/:id/report.pdf': return w.sitreps.map((r) => get(`/api/v1/sitreps/${r.id}/report.pdf?lang=en`, { type: 'sitrep', ...r }));
    // ---- boundary versions: the sets and their crosswalk for readers; re-placement jobs for reference managers.
    case 'GET /api/v1/boundary-sets': return [get('/api/v1/boundary-sets')];
    case 'GET /api/v1/gazetteer/jobs': return [get('/api/v1/gazetteer/jobs')];
    case 'GET /api/v1/gazetteer/jobs/:id': return [get(`/api/v1/gazetteer/jobs/${w.replacementJobId}`)];
    // real: the world's job is done, so a reference manager is answered 409 (nothing to retry); others 403.
    case 'POST /api/v1/gazetteer/jobs/:id/retry': return [send('POST', `/api/v1/gazetteer/jobs/${w.replacementJobId}/retry`, undefined)];
    case 'GET /api/v1/incidents/:id/placement': return sample.map((r) => get(`/api/v1/incidents/${r.id}/placement`, { type: 'incident', rec: r }));
    default: return [];
  }
}
