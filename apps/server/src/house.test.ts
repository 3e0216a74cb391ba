/**
 * The house rules of the server's code (issue 9, docs/architecture.md), checked on the source text: SQL lives in the
 * repositories and the engine only — a file under services/, http/ or cli/ that builds a query fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The TypeScript source files under a folder of src/, tests left out, as paths relative to src/. */
function sources(dir: string): string[] {
  return (readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
}

/** A query built with Kysely: a statement builder called on a database or transaction, or a raw sql`` template. */
const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(|\bsql\s*(<[^>]*>)?\s*`|\bsql\.(raw|ref|table|id|lit|join)\s*\(/;

/** The lines of a source text that build SQL, comments left out. */
export function sqlLines(text: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const [i, raw] of text.split('\n').entries()) {
    let line = raw;
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) continue;
      line = line.slice(end + 2);
      inBlock = false;
    }
    line = line.replace(/\/\*.*?\*\//g, '');
    const open = line.indexOf('/*');
    if (open >= 0) {
      line = line.slice(0, open);
      inBlock = true;
    }
    line = line.replace(/\/\/.*$/, '');
    if (SQL.test(line)) out.push(`${i + 1}: ${raw.trim()}`);
  }
  return out;
}

describe('SQL only in repositories and the engine', () => {
  it('finds a query however it is written, and not in comments', () => {
    expect(sqlLines("const r = await trx.selectFrom('incidents').selectAll().execute();")).toHaveLength(1);
    expect(sqlLines("await ctx.engine.db\n  .updateTable('alerts')\n  .set({})")).toHaveLength(1);
    expect(sqlLines('await sql`select 1`.execute(db);')).toHaveLength(1);
    expect(sqlLines('const n = sql<number>`count(*)`;')).toHaveLength(1);
    expect(sqlLines("trx.deleteFrom('x')")).toHaveLength(1);
    expect(sqlLines("db.insertInto('x')")).toHaveLength(1);
    expect(sqlLines("// trx.selectFrom('incidents') in a comment\n/* sql`x` */\n/**\n * db.deleteFrom('x')\n */")).toEqual([]);
    expect(sqlLines('const selectFromList = pick(items);')).toEqual([]);
  });

  it('no file under services/, http/ or cli/ builds a query (they call a repository)', () => {
    const offenders = ['services', 'http', 'cli'].flatMap(sources).flatMap((f) => sqlLines(readFileSync(path.join(root, f), 'utf8')).map((l) => `${f}:${l}`));
    expect(offenders).toEqual([]);
  });
});
