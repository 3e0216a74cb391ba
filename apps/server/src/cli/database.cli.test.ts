import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVigie } from '../test-support/cli.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../test-support/engines.js';

describe('which database a command uses', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-nodb-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('run from another folder than the server’s data, refuses to create a database and says how to point at the right one', async () => {
    // As in the README, with no VIGIE_DATABASE_URL: the database is ./data/vigie.sqlite of the folder it is run from.
    const dataDir = path.join(dir, 'ailleurs', 'data');
    const file = path.join(dataDir, 'vigie.sqlite');
    const commands = [['token', 'create', '--login', 'analyste.mli'], ['audit', 'verify'], ['import', 'ucdp', path.join(dir, 'x.csv')]];
    const results = await Promise.all(commands.map((args) => runVigie('', args, { env: { VIGIE_DATA_DIR: dataDir } })));
    for (const [i, res] of results.entries()) {
      const args = commands[i] ?? [];
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(`vigie: base SQLite ${file}`);
      expect(res.stderr).toContain(`aucune base Vigie à ${file}`);
      expect(res.stderr).toMatch(/VIGIE_DATA_DIR/);
      expect(res.stderr).toMatch(/VIGIE_DATABASE_URL/);
      expect(res.stdout).not.toContain('jeton');
      expect(fs.existsSync(file), 'no database was created').toBe(false);
    }
  }, 240_000);

  it('creates one with `vigie migrate`, then the other commands use it and name it on stderr', async () => {
    const dataDir = path.join(dir, 'serveur', 'data');
    const migrate = await runVigie('', ['migrate'], { env: { VIGIE_DATA_DIR: dataDir } });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'vigie.sqlite'))).toBe(true);
    const list = await runVigie('', ['users', 'list', '--json'], { env: { VIGIE_DATA_DIR: dataDir } });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain(`vigie: base SQLite ${path.join(dataDir, 'vigie.sqlite')}`);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 240_000);
});

describe.each(ENGINES)('an empty %s database', (kind) => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('is refused by commands that need Vigie’s schema, named without its password, and `migrate` creates the schema', async () => {
    db = await freshDatabase(kind);
    if (kind === 'sqlite') fs.rmSync(db.url.slice('sqlite:'.length), { force: true });
    const refused = await runVigie(db.url, ['token', 'create', '--login', 'analyste.mli']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(kind === 'sqlite' ? 'vigie: base SQLite' : 'vigie: base PostgreSQL postgres://');
    expect(refused.stderr).toMatch(kind === 'sqlite' ? /aucune base Vigie à / : /ne contient pas de schéma Vigie/);
    expect(refused.stderr).toContain('VIGIE_DATABASE_URL');
    const migrate = await runVigie(db.url, ['migrate']);
    expect(migrate.code, migrate.stderr).toBe(0);
    const list = await runVigie(db.url, ['users', 'list']);
    expect(list.code, list.stderr).toBe(0);
  }, 240_000);
});
