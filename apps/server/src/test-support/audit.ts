import { GENESIS_HASH, linkHash } from '../services/audit/audit.service.js';
import type { Engine } from '../db/engine.js';

/**
 * Rewrites the audit chain from `fromSeq` on with the product's own plain hash function, as someone holding only the
 * database (not the server's key) could: what a keyed chain must catch.
 */
export async function relinkPlain(engine: Engine, fromSeq: number): Promise<void> {
  const db = engine.db;
  const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', fromSeq).orderBy('seq').execute();
  const before = await db.selectFrom('audit_events').select('hash').where('seq', '=', fromSeq - 1).executeTakeFirst();
  let prev = before?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    const hash = linkHash({ ...row, prev_hash: prev });
    await db.updateTable('audit_events').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
    prev = hash;
  }
}
