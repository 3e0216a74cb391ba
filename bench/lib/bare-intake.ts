/**
 * The outbox bench's baseline server: bare Fastify and better-sqlite3 taking the same reports the same way (a POST of
 * a batch of JSON reports, one transaction per request, idempotent by id, one status per report) into a plain table
 * (id primary key, the JSON body), with the same durability as Vigie (WAL, synchronous=FULL). None of Vigie's machinery:
 * no session, validation, placement, history, audit, search index or change log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';

export async function startBareIntake(): Promise<{ url: string; count(mark: string): { rows: number; distinct: number }; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bare-intake-'));
  const db = new BetterSqlite3(path.join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table reports (id text primary key, narrative text, body text not null)');
  const insert = db.prepare('insert into reports (id, narrative, body) values (?, ?, ?) on conflict (id) do nothing');
  const store = db.transaction((items: { id: string; narrative?: string }[]) =>
    items.map((item, index) => ({ index, id: item.id, status: insert.run(item.id, item.narrative ?? null, JSON.stringify(item)).changes ? 201 : 200 })));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/bare/batch', async (req) => ({ items: store((req.body as { items: { id: string }[] }).items) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`,
    count(mark) {
      const r = db.prepare('select count(*) as rows, count(distinct narrative) as distinct_ from reports where narrative like ?').get(`${mark} %`) as { rows: number; distinct_: number };
      return { rows: r.rows, distinct: r.distinct_ };
    },
    async close() {
      await app.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
