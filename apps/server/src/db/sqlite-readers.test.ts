import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteReaders } from './sqlite-readers.js';

describe('SQLite reader threads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-readers-'));
  const file = path.join(dir, 'db.sqlite');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec(`create table t (id integer primary key, name text); insert into t (name) values ('a'), ('b'), ('é "c"')`);
  const readers = sqliteReaders(file);
  afterAll(async () => {
    await readers.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads rows as arrays, several reads at once, each seeing the last commit', async () => {
    const [all, one] = await Promise.all([readers.selectArrays('select id, name from t order by id', []), readers.selectArrays('select name from t where id = ?', [3])]);
    expect(all).toEqual([[1, 'a'], [2, 'b'], [3, 'é "c"']]);
    expect(one).toEqual([['é "c"']]);
    db.prepare('insert into t (name) values (?)').run('d');
    expect(await readers.selectArrays('select count(*) from t', [])).toEqual([[4]]);
  });

  it('fails a read as the driver does (with its code), and cannot write', async () => {
    await expect(readers.selectArrays('select nothing from t', [])).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    await expect(readers.selectArrays("insert into t (name) values ('x') returning id", [])).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
  });
});
