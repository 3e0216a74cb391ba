/**
 * Crash safety: the real server is killed with SIGKILL in the middle of a stream of concurrent writes, several times,
 * on each engine. After every restart the database opens cleanly, every incident that was acknowledged (201) is there
 * exactly as acknowledged, and retrying the writes that got no answer never duplicates a record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNumber, type Engine } from './db/engine.js';
import { openPostgresEngine } from './db/postgres-engine.js';
import { openSqliteEngine } from './db/sqlite-engine.js';
import { verifyAuditChain } from './services/audit/audit.service.js';
import { TEST_MASTER_KEY, testKeys } from './lib/server-keys.js';
import { createApiToken } from './services/accounts/auth.service.js';
import { SYSTEM } from './services/principal.js';
import { ENGINES } from './test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from './test-support/factories.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAIN = path.join(ROOT, 'apps/server/src/cli/main.ts');
const ROUNDS = 5;
const IN_FLIGHT = 4;

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}

/** Starts `vigie serve` on a free port of 127.0.0.1 and resolves once it prints the address it listens on. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--conditions=vigie-source', '--import', 'tsx', MAIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', VIGIE_LOG: '0', VIGIE_SECRET_KEY: TEST_MASTER_KEY, VIGIE_AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `vigie-crash-${process.pid}-checkpoints.log`), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const base = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    void exited.then(() => reject(new Error(`the server stopped before listening:\n${stderr}`)));
  });
  return { child, base, exited };
}

type Json = Record<string, unknown>;

describe.each(ENGINES)('kill -9 during writes on %s', (kind) => {
  let t: TestVigie;
  let env: Record<string, string>;
  let token: string;
  const reopen = (): Engine => (kind === 'sqlite' ? openSqliteEngine(t.url.slice('sqlite:'.length)) : openPostgresEngine(t.url));

  beforeAll(async () => {
    t = await testVigie(kind);
    await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 1, login: 'rapporteur.crash' });
    token = (await createApiToken(t.ctx, SYSTEM, 'rapporteur.crash', 'crash-test')).token;
    // The server must be the only one holding the database, as after a real crash.
    await t.engine.close();
    env = kind === 'sqlite' ? { VIGIE_DATA_DIR: path.dirname(t.url.slice('sqlite:'.length)) } : { VIGIE_DATABASE_URL: t.url };
  });
  afterAll(async () => t.drop());

  it(`finds every acknowledged incident intact after ${ROUNDS} kills, and retries never duplicate`, async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    /** What the server answered 201 to, by id. */
    const acknowledged = new Map<string, Json>();
    /** Bodies sent without an answer (cut by the kill): they may or may not have been written. */
    let unanswered = new Map<string, Json>();
    const unexpected: string[] = [];
    let sent = 0;
    let retried = 0;

    const post = (base: string, body: Json) => fetch(`${base}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify(body) });

    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startServer(env);
      try {
        // The database opened cleanly: the server answers and reaches it.
        const health = await fetch(`${server.base}/api/v1/health`);
        expect(health.status).toBe(200);

        // What was acknowledged before any kill is there, as acknowledged.
        for (const [id, record] of acknowledged) {
          const res = await fetch(`${server.base}/api/v1/incidents/${id}`, { headers });
          expect(res.status, `acknowledged incident ${id}`).toBe(200);
          expect(await res.json()).toEqual(record);
        }
        // A retry of an unanswered write: created now (201) or found already written with the same content (200).
        for (const [id, body] of unanswered) {
          const res = await post(server.base, body);
          expect([200, 201], `retry of ${id}`).toContain(res.status);
          retried++;
          acknowledged.set(id, (await res.json()) as Json);
        }
        unanswered = new Map();
        if (round === ROUNDS) break;

        // A stream of writes, IN_FLIGHT at a time, killed after a random number of acknowledgements.
        const killAfter = 3 + Math.floor(Math.random() * 25);
        let ackedThisRound = 0;
        let killed = false;
        const kill = () => {
          if (killed) return;
          killed = true;
          server.child.kill('SIGKILL');
        };
        const worker = async () => {
          while (!killed) {
            const body = newIncident({ state: 'MLI', narrative: `Flux d'écritures, envoi n° ${++sent} ; '); drop table incidents; -- <b>verbatim</b>` }) as Json;
            const id = body.id as string;
            unanswered.set(id, body);
            let res: Response;
            try {
              res = await post(server.base, body);
            } catch {
              return; // the connection died with the server: the write stays unanswered
            }
            let record: Json;
            try {
              record = (await res.json()) as Json;
            } catch {
              return; // killed between the status line and the body: not an acknowledgement either
            }
            unanswered.delete(id);
            if (res.status !== 201) {
              unexpected.push(`${res.status} ${JSON.stringify(record)}`);
              continue;
            }
            acknowledged.set(id, record);
            if (++ackedThisRound >= killAfter) kill();
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        expect(killed).toBe(true);
      } finally {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    expect(unexpected).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(ROUNDS * 3);
    // The kill lands while the other writers wait for their answer: there were writes in flight to retry.
    expect(retried).toBeGreaterThan(0);

    // Directly in the database: one row per acknowledged id and no other, and an audit chain that verifies.
    const engine = reopen();
    try {
      if (kind === 'sqlite') expect(await sql<{ integrity_check: string }>`pragma integrity_check`.execute(engine.db).then((r) => r.rows)).toEqual([{ integrity_check: 'ok' }]);
      const rows = await engine.db.selectFrom('incidents').select('id').execute();
      expect(rows.map((r) => r.id).sort()).toEqual([...acknowledged.keys()].sort());
      const versions = await engine.db.selectFrom('incident_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(toNumber(versions.n)).toBe(acknowledged.size);
      const chain = await verifyAuditChain(engine, undefined, testKeys().audit);
      expect(chain).toMatchObject({ ok: true });
    } finally {
      await engine.close();
    }
  }, 240_000);
});
