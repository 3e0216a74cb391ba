/**
 * The statements one incident create sends to the database (issue 9, item 6): counted at Kysely's query executor, so
 * every query the create path issues — its reads, its writes, the audit link and the change-log entry — is one, on
 * both engines. Transaction control (begin, commit) is not counted. The budget guards against a create that grows
 * back a read or a write per record.
 */
import { DefaultQueryExecutor } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import type { Principal } from '../principal.js';
import { createIncident } from './incident.service.js';

/** The statements of one create, as SQL texts in order. */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = [];
  const original = DefaultQueryExecutor.prototype.executeQuery;
  const spy = vi.spyOn(DefaultQueryExecutor.prototype, 'executeQuery').mockImplementation(function (this: DefaultQueryExecutor, ...args) {
    texts.push(args[0].sql);
    return original.apply(this, args);
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return texts;
}

describe.each(ENGINES)('one incident create on %s', (kind) => {
  let t: TestVigie;
  let analyst: Principal;

  beforeAll(async () => {
    t = await testVigie(kind);
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 2 });
  });
  afterAll(async () => t.drop());

  it('reads the new row back once, in at most 11 statements (gazetteer loaded)', async () => {
    await createIncident(t.ctx, analyst, newIncident()); // the first create loads the gazetteer's areas once per process
    const input = newIncident();
    const texts = await statementsOf(() => createIncident(t.ctx, analyst, input));
    console.log(`${kind}: ${texts.length} statements per create\n  ${texts.map((s) => s.slice(0, 110)).join('\n  ')}`);
    const readsOfIncidents = texts.filter((s) => /^select .* from "incidents"/s.test(s));
    // One look for an earlier copy of the report (same id), one read of the row written.
    expect(readsOfIncidents).toHaveLength(2);
    expect(texts.length).toBeLessThanOrEqual(kind === 'sqlite' ? 11 : 10);
    const again = await createIncident(t.ctx, analyst, input);
    expect(again).toMatchObject({ created: false, incident: { id: input.id } });
  });
});
