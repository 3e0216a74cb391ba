import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveApiToken } from '../services/accounts/auth.service.js';
import { createIncident } from '../services/incidents/incident.service.js';
import { mergeIncident } from '../services/incidents/merge.service.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../test-support/factories.js';
import { runVigie } from '../test-support/cli.js';

// Each test starts CLI processes (Node and TypeScript each time), several for a backup and restore: slow on a busy
// two-core machine, so these get three minutes rather than the suite's one.
vi.setConfig({ testTimeout: 180_000 });


/** Runs `vigie …` as a user would, against the database at `url`. */
const vigie = (url: string, args: string[], stdin?: string) => runVigie(url, args, { stdin });

describe.each(ENGINES)('vigie command on %s', (kind) => {
  let t: TestVigie;
  beforeAll(async () => {
    t = await testVigie(kind);
  });
  afterAll(async () => t.drop());

  it('adds a user with the password from stdin, lists it, and refuses a bad role naming the field', async () => {
    const add = await vigie(t.url, ['users', 'add', '--login', 'analyste.cli', '--org', 'MLI', '--role', 'analyst', '--clearance', '2'], 'un-mot-de-passe-long\n');
    expect(add.stderr).toMatch(/^vigie: base (SQLite|PostgreSQL) .*\n$/);
    expect(add.stdout).toContain('compte créé : analyste.cli (MLI, analyst, habilitation 2)');
    expect(add.stdout).not.toContain('mot de passe :');
    const list = await vigie(t.url, ['users', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'analyste.cli', organisation: 'MLI', clearance: 2 })]));
    const bad = await vigie(t.url, ['users', 'add', '--login', 'x.y', '--org', 'MLI', '--role', 'general', '--clearance', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('role');
  });

  it('creates an API token printed alone on the last line, and revokes it', async () => {
    const owner = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    const res = await vigie(t.url, ['token', 'create', '--login', owner.login, '--name', 'poste-gao']);
    const token = res.stdout.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^vigie_[A-Za-z0-9_-]{43}$/);
    expect((await resolveApiToken(t.ctx, token))?.login).toBe(owner.login);
    const id = res.stdout.match(/jeton (\S+) créé/)?.[1] ?? '';
    expect((await vigie(t.url, ['token', 'revoke', id])).code).toBe(0);
    expect(await resolveApiToken(t.ctx, token)).toBeUndefined();
  });
});

describe('backup and restore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-backup-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(ENGINES.flatMap((from) => ENGINES.map((to) => [from, to] as const)))('restores a %s backup into %s, all of it', async (from, to) => {
    const source = await testVigie(from);
    const target: TestDatabase = await freshDatabase(to);
    try {
      const analyst = await newUser(source.ctx, { org: 'BFA', role: 'analyst' });
      const a = (await createIncident(source.ctx, analyst, newIncident({ state: 'BFA', narrative: 'sauvegarde Djibo' }))).incident;
      const b = (await createIncident(source.ctx, analyst, newIncident({ state: 'BFA' }))).incident;
      await mergeIncident(source.ctx, analyst, b.id, { into: a.id });
      const file = path.join(dir, `${from}-${to}.vigie.gz`);
      const backup = await vigie(source.url, ['backup', file]);
      expect(backup.code, backup.stderr).toBe(0);

      const restore = await vigie(target.url, ['restore', file]);
      expect(restore.code, restore.stderr).toBe(0);
      const count = async (db: TestDatabase['engine']['db'], table: 'incidents' | 'users' | 'incident_versions') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      for (const table of ['incidents', 'users', 'incident_versions'] as const) {
        expect(await count(target.engine.db, table), table).toBe(await count(source.engine.db, table));
      }
      const merged = await target.engine.db.selectFrom('incidents').select(['merged_into', 'status']).where('id', '=', b.id).executeTakeFirstOrThrow();
      expect(merged).toEqual({ merged_into: a.id, status: 'merged' });
      expect((await vigie(target.url, ['audit', 'verify'])).code).toBe(0);
      // A second restore into a database that now holds data needs --force.
      const again = await vigie(target.url, ['restore', file]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('--force');
      expect((await vigie(target.url, ['restore', '--force', file])).code).toBe(0);
    } finally {
      await source.drop();
      await target.drop();
    }
  });

  it('encrypts a backup with a passphrase read from stdin; restore asks for it and a wrong one restores nothing', async () => {
    const source = await testVigie('sqlite');
    const target = await testVigie('sqlite');
    try {
      await newUser(source.ctx, { org: 'NER', role: 'analyst', login: 'analyste.chiffre' });
      const file = path.join(dir, 'chiffree.vigie.enc');
      const backup = await vigie(source.url, ['backup', '--encrypt', file], 'phrase de passe du coffre de Niamey\n');
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('sauvegarde chiffrée écrite');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file).includes(Buffer.from('analyste.chiffre'))).toBe(false);
      const wrong = await vigie(target.url, ['restore', file], 'mauvaise phrase de passe\n');
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('passphrase: phrase de passe incorrecte ou sauvegarde altérée');
      const users = () => target.ctx.engine.db.selectFrom('users').select('login').execute();
      expect(await users()).toEqual([]);
      const right = await vigie(target.url, ['restore', file], 'phrase de passe du coffre de Niamey\n');
      expect(right.code, right.stderr).toBe(0);
      expect((await users()).map((u) => u.login)).toContain('analyste.chiffre');
    } finally {
      await source.drop();
      await target.drop();
    }
  });

  it('refuses a file that is not a backup, changing nothing', async () => {
    const target = await testVigie('sqlite');
    try {
      const file = path.join(dir, 'not-a-backup.gz');
      fs.writeFileSync(file, 'hello');
      const res = await vigie(target.url, ['restore', file]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/sauvegarde|backup/);
    } finally {
      await target.drop();
    }
  });
});
