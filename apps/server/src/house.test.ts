/**
 * The house rules of the server's code (issue 9, docs/architecture.md), checked on the source text: SQL lives in the
 * repositories and the engine only — a file under services/, http/ or cli/ that builds a query fails here; and every
 * audited change goes through mutate() — a file that writes audit entries by hand fails, but for the exceptions listed
 * below with their reason.
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
export const sqlLines = (text: string) => codeLines(text, SQL);

/** The lines of a source text (comments left out) that match a pattern, numbered. */
function codeLines(text: string, pattern: RegExp): string[] {
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
    if (pattern.test(line)) out.push(`${i + 1}: ${raw.trim()}`);
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

/** A hand-written audit entry: recordAudit or recordAudits called (its import is not a call). */
const AUDIT_CALL = /\brecordAudits?\s*\(/;
/** A hand-opened write transaction, on the request connection, the background one or the audit's group commit. */
const WRITE_TRANSACTION = /\.(writeTransaction|auditTransaction)\s*\(/;

/** The files that may still write audit entries by hand, each with the reason mutate() does not fit. */
const HAND_AUDITED: Record<string, string> = {
  'services/mutation.ts': 'the one mutation path itself',
  'services/audit/audit.service.ts': 'the audit chain itself (recordAudit, and keying the chain at start-up)',
  'services/accounts/auth.service.ts':
    'a refused sign-in (and the lock it triggers) has no acting principal and no permission to check, and must commit although the request fails',
  'services/audit/backup.service.ts':
    'a restore (CLI, as the system) replaces the whole database and its audit chain, verifies the restored chain, then audits itself in that transaction; no permission verb applies',
};

describe('one mutation path', () => {
  const files = ['services', 'http', 'cli'].flatMap(sources);
  const audited = files.filter((f) => codeLines(readFileSync(path.join(root, f), 'utf8'), AUDIT_CALL).length > 0);

  it('finds a hand-written audit entry, and not its import or a mention in a comment', () => {
    expect(codeLines('await recordAudit(ctx.engine, trx, principal, { action });', AUDIT_CALL)).toHaveLength(1);
    expect(codeLines('await recordAudits(ctx.engine, trx, principal, entries);', AUDIT_CALL)).toHaveLength(1);
    expect(codeLines("import { recordAudit } from '../audit/audit.service.js';\n// recordAudit(x) by hand\n", AUDIT_CALL)).toEqual([]);
    expect(codeLines('await ctx.engine.background().writeTransaction(async (trx) => {', WRITE_TRANSACTION)).toHaveLength(1);
  });

  it('no file writes audit entries by hand but the listed exceptions: an audited change calls mutate()', () => {
    expect(audited.filter((f) => !(f in HAND_AUDITED))).toEqual([]);
  });

  it('no file both opens a write transaction and audits in it by hand, but the listed exceptions', () => {
    const both = files.filter((f) => {
      const text = readFileSync(path.join(root, f), 'utf8');
      return codeLines(text, AUDIT_CALL).length > 0 && codeLines(text, WRITE_TRANSACTION).length > 0;
    });
    expect(both.filter((f) => !(f in HAND_AUDITED))).toEqual([]);
  });

  it('every listed exception still audits by hand (a file moved onto mutate() leaves the list)', () => {
    expect(Object.keys(HAND_AUDITED).filter((f) => !audited.includes(f))).toEqual([]);
  });
});

/** The layers, lowest first: a file imports only from its own layer or those below (cli/http → services → repositories → db). */
const LAYERS = ['lib', 'db', 'repositories', 'services', 'http', 'cli'] as const;
const layerOf = (file: string) => LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);

describe('no file imports from a layer above it', () => {
  it('lib, db, repositories and services import nothing from the layers above them', () => {
    const upward: string[] = [];
    for (const file of LAYERS.slice(0, 4).flatMap((dir) => sources(dir))) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+'(\.[^']+)'/gm)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] as string));
        if (layerOf(target) > layerOf(file)) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
