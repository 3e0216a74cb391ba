/**
 * The baseline HTTP server of bench/http.bench.ts: bare Fastify answering GET /bare with the same list page as
 * GET /api/v1/incidents (hand-written SQL, same filters, visibility and coarsening for one fixed reader), without
 * authentication, validation or the service layer. Usage: bare-server.ts DATABASE_URL CLEARANCE ORGANISATION USER_ID.
 * Prints "listening http://127.0.0.1:PORT/" once ready.
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { tuneRuntime } from '../../apps/server/src/lib/runtime.js';
import { bareList, type ListQuery } from './bare-list.js';

// The same V8 settings as the Vigie server it is measured against: the ratio is then the work, not a flag.
tuneRuntime();

const [url = '', clearance = '1', organisation = 'MLI', userId = ''] = process.argv.slice(2);
const reader = { clearance: Number(clearance), organisation, userId };
const kind = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
const { text, params } = bareList(kind);
let run: (q: ListQuery) => Promise<unknown[]>;
if (kind === 'sqlite') {
  const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
  const stmt = db.prepare(text);
  run = async (q) => stmt.all(params(q, reader));
} else {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  run = async (q) => (await pool.query(text, params(q, reader))).rows;
}

const app = Fastify({ logger: false });
app.get('/bare', async (req, reply) => {
  const rows = (await run(req.query as ListQuery)) as { id: string }[];
  const items = rows.slice(0, 50);
  return reply.type('application/json').send(JSON.stringify({ items, next_cursor: rows.length > 50 ? items.at(-1)?.id ?? null : null }));
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`listening http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}/`);
