/**
 * The outbox's promise on the server side: a report sent again with the same client-chosen id never makes a second
 * incident — one after the other (the device did not hear the 201) and at the same moment (a retry while the first
 * attempt is still in flight, a second tab).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import type { Principal } from '../principal.js';
import { createIncident } from './incident.service.js';

describe.each(ENGINES)('a resent report on %s', (kind) => {
  let t: TestVigie;
  let reporter: Principal;
  beforeAll(async () => {
    t = await testVigie(kind);
    reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter' });
  });
  afterAll(async () => { await t?.drop(); });

  const rows = (id: string) => t.ctx.engine.db.selectFrom('incidents').select('id').where('id', '=', id).execute();

  it('is stored once when sent again after the first succeeded', async () => {
    const body = { ...newIncident({ state: 'MLI' }), status: 'submitted' as const };
    expect((await createIncident(t.ctx, reporter, body)).created).toBe(true);
    expect((await createIncident(t.ctx, reporter, body)).created).toBe(false);
    expect(await rows(body.id)).toHaveLength(1);
  });

  it('is stored once when two copies arrive at the same moment, and both are told it was received', async () => {
    const body = { ...newIncident({ state: 'MLI' }), status: 'submitted' as const };
    const results = await Promise.all([1, 2, 3].map(() => createIncident(t.ctx, reporter, body)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.incident.id === body.id)).toBe(true);
    expect(await rows(body.id)).toHaveLength(1);
  });
});
