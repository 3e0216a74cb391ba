import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEngine } from '../../db/sqlite-engine.js';
import { ENGINES } from '../../test-support/engines.js';
import { newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { backupTo, restoreFrom } from './backup.service.js';

const mode = (f: string) => fs.statSync(f).mode & 0o777;
const userCount = async (t: TestVigie) => Number((await t.ctx.engine.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe.each(ENGINES)('backups at rest on %s', (kind) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-secrets-'));
  let source: TestVigie;
  let target: TestVigie;
  let login: string;
  beforeAll(async () => {
    source = await testVigie(kind);
    target = await testVigie(kind);
    login = (await newUser(source.ctx, { org: 'MLI', role: 'analyst', login: `analyste.secret.${kind}` })).login;
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a backup readable by its owner only', async () => {
    const file = path.join(dir, 'clair.gz');
    await backupTo(source.ctx, file);
    expect(mode(file)).toBe(0o600);
  });

  it('encrypts a backup with a passphrase: nothing readable in it, and it restores with the passphrase only', async () => {
    const file = path.join(dir, 'chiffre.enc');
    await backupTo(source.ctx, file, undefined, { passphrase: 'une phrase de passe bien longue' });
    expect(mode(file)).toBe(0o600);
    const bytes = fs.readFileSync(file);
    expect(() => zlib.gunzipSync(bytes)).toThrow();
    expect(bytes.includes(Buffer.from(login))).toBe(false);

    const none = restoreFrom(target.ctx, file);
    await expect(none).rejects.toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'passphrase' })] });
    const wrong = restoreFrom(target.ctx, file, { passphrase: 'pas la bonne phrase de passe' });
    await expect(wrong).rejects.toMatchObject({ code: 'validation_failed', errors: [{ field: 'passphrase', message: 'phrase de passe incorrecte ou sauvegarde altérée' }] });
    expect(await userCount(target)).toBe(0);

    // A flipped byte in the middle is caught, and nothing is restored either.
    const altered = path.join(dir, 'altere.enc');
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)]! ^= 1;
    fs.writeFileSync(altered, copy);
    await expect(restoreFrom(target.ctx, altered, { passphrase: 'une phrase de passe bien longue' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await userCount(target)).toBe(0);

    await restoreFrom(target.ctx, file, { passphrase: 'une phrase de passe bien longue' });
    expect(await target.ctx.engine.db.selectFrom('users').select('login').where('login', '=', login).executeTakeFirst()).toBeDefined();
  });
});

describe('SQLite files', () => {
  it('creates the data folder 0700 and the database, -wal and -shm files 0600', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-modes-'));
    const dataDir = path.join(root, 'data');
    const file = path.join(dataDir, 'vigie.sqlite');
    const engine = openSqliteEngine(file);
    try {
      await engine.db.schema.createTable('t').addColumn('x', 'integer').execute();
      expect(mode(dataDir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    } finally {
      await engine.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
