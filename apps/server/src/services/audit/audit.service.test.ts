import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openVigie } from '../../bootstrap.js';
import { readConfig } from '../../config.js';
import { relinkPlain } from '../../test-support/audit.js';
import { ENGINES, freshDatabase } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie, type TestVigie } from '../../test-support/factories.js';
import { auditClassifiedReads, KEYED_MARKER, listAuditEvents, verifyAuditChain } from './audit.service.js';
import { readLastCheckpoint, startCheckpointSchedule, verifyAuditTrail, writeCheckpoint } from './audit-checkpoint.service.js';
import { backupTo, restoreFrom } from './backup.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { getIncident } from '../incidents/incident-reads.js';
import { SYSTEM } from '../principal.js';

describe.each(ENGINES)('audit chain (%s)', (kind) => {
  let t: TestVigie;
  let dir: string;
  let analyst: Awaited<ReturnType<typeof newUser>>;
  const head = async () => Number((await t.ctx.engine.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);

  beforeEach(async () => {
    t = await testVigie(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-audit-'));
    t.ctx.settings.auditCheckpointFile = path.join(dir, 'audit-checkpoints.log');
    analyst = await newUser(t.ctx, { org: 'MLI', role: 'analyst' });
    for (let i = 0; i < 4; i++) await createIncident(t.ctx, analyst, newIncident());
  });
  afterEach(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keys every link: an edit followed by recomputing the later hashes with the plain function is caught at the edit', async () => {
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: true, checked: 5 });
    await sql`update audit_events set details = ${'{"forged":true}'} where seq = 3`.execute(t.ctx.engine.db);
    await relinkPlain(t.ctx.engine, 3);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'tampered' } });
  });

  it('reports a deleted entry in the middle', async () => {
    await sql`delete from audit_events where seq = 3`.execute(t.ctx.engine.db);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: false, firstBad: { seq: 4, problem: 'gap' } });
  });

  it('catches the deletion of the last entries against the last checkpoint and against a head kept elsewhere', async () => {
    const cp = await writeCheckpoint(t.ctx, 'manual');
    expect(cp).toMatchObject({ count: 5, seq: 5, reason: 'manual' });
    expect((await verifyAuditTrail(t.ctx)).ok).toBe(true);
    await sql`delete from audit_events where seq >= 4`.execute(t.ctx.engine.db);
    const report = await verifyAuditTrail(t.ctx, { expect: { seq: cp!.seq, hash: cp!.hash } });
    expect(report).toMatchObject({ ok: false, chain: { ok: true, checked: 3 }, checkpoint: { status: 'truncated' }, expected: 'truncated' });
    // And a checkpoint is never written over a cut chain: the last good one stays the reference.
    await expect(writeCheckpoint(t.ctx, 'serve')).rejects.toThrow(/checkpoint not written/);
    expect(readLastCheckpoint(t.ctx)).toMatchObject({ seq: 5 });
  });

  it('writes checkpoints only when the chain moved, signed, to a 0600 file, and a last one when the schedule stops', async () => {
    const stop = startCheckpointSchedule(t.ctx, () => undefined, 3_600_000);
    try {
      // The schedule writes its first checkpoint in the background: the chain must not move before it has (on a busy
      // machine the record below was once created first, and the first checkpoint then held it).
      await vi.waitFor(() => expect(readLastCheckpoint(t.ctx)).toMatchObject({ seq: 5, reason: 'serve' }), { timeout: 10_000 });
      await getIncident(t.ctx, SYSTEM, (await t.ctx.engine.db.selectFrom('incidents').select('id').executeTakeFirstOrThrow()).id);
      await createIncident(t.ctx, analyst, newIncident());
    } finally {
      await stop();
    }
    expect(await writeCheckpoint(t.ctx, 'serve')).toMatchObject({ reason: 'shutdown' });
    const lines = fs.readFileSync(t.ctx.settings.auditCheckpointFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; reason: string });
    expect(lines.map((l) => [l.seq, l.reason])).toEqual([[5, 'serve'], [await head(), 'shutdown']]);
    expect(fs.statSync(t.ctx.settings.auditCheckpointFile!).mode & 0o777).toBe(0o600);
    // A forged line (no key) is refused.
    fs.appendFileSync(t.ctx.settings.auditCheckpointFile!, `${JSON.stringify({ ...lines.at(-1), mac: 'b'.repeat(64) })}\n`);
    expect(await verifyAuditTrail(t.ctx)).toMatchObject({ ok: false, checkpoint: { status: 'forged' } });
  });

  it('upgrades a chain written before keys once, verified unkeyed, sealed in the chain and in a checkpoint', async () => {
    await relinkPlain(t.ctx.engine, 1);
    expect(await verifyAuditChain(t.ctx.engine)).toMatchObject({ ok: false, firstBad: { problem: 'unkeyed' } });
    const config = readConfig({ VIGIE_DATA_DIR: dir, VIGIE_AUDIT_CHECKPOINT_FILE: t.ctx.settings.auditCheckpointFile! });
    const ctx = await openVigie(config, t.ctx.engine);
    const marker = await t.ctx.engine.db.selectFrom('audit_events').select(['seq', 'details']).where('action', '=', KEYED_MARKER).execute();
    expect(marker).toHaveLength(1);
    expect(JSON.parse(marker[0]!.details)).toMatchObject({ unkeyed_entries: 5 });
    expect(readLastCheckpoint(ctx)).toMatchObject({ seq: 6, reason: 'rekey' });
    expect(await verifyAuditChain(ctx.engine, undefined, ctx.keys.audit)).toMatchObject({ ok: true, checked: 6 });

    // Opening again changes nothing; an old link edited and the unkeyed prefix recomputed no longer fits the seal.
    await openVigie(config, t.ctx.engine);
    expect(await head()).toBe(6);
    await sql`update audit_events set details = ${'{"forged":true}'} where seq = 2`.execute(t.ctx.engine.db);
    await relinkPlain(t.ctx.engine, 2);
    const res = await verifyAuditChain(ctx.engine, undefined, ctx.keys.audit);
    expect(res.ok).toBe(false);
    expect(res.firstBad?.seq).toBeLessThanOrEqual(6);
  });

  it('does not upgrade an unkeyed chain once checkpoints exist: that chain was rewritten', async () => {
    await writeCheckpoint(t.ctx, 'manual');
    await relinkPlain(t.ctx.engine, 1);
    await openVigie(readConfig({ VIGIE_DATA_DIR: dir, VIGIE_AUDIT_CHECKPOINT_FILE: t.ctx.settings.auditCheckpointFile! }), t.ctx.engine);
    expect(await head()).toBe(5);
    expect(await verifyAuditTrail(t.ctx)).toMatchObject({ ok: false, chain: { firstBad: { problem: 'unkeyed' } } });
  });

  it('refuses a backup whose narrative was edited, restoring nothing; restores the untouched one against its signed head', async () => {
    const file = path.join(dir, 'b.vigie.gz');
    await backupTo(t.ctx, file);
    const target = await testVigie(kind);
    try {
      target.ctx.settings.auditCheckpointFile = path.join(dir, 'target-checkpoints.log');
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
      const edited = path.join(dir, 'edited.vigie.gz');
      fs.writeFileSync(edited, zlib.gzipSync(text.replaceAll('Attaque contre le marché', 'Fête au marché')));
      await expect(restoreFrom(target.ctx, edited)).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await target.ctx.engine.db.selectFrom('incidents').select('id').execute()).toEqual([]);

      await restoreFrom(target.ctx, file);
      expect(await verifyAuditTrail(target.ctx)).toMatchObject({ ok: true, checkpoint: { status: 'ok', last: { reason: 'restore', seq: 6 } } });
    } finally {
      await target.drop();
    }
  });

  it('refuses a backup made before signed backups (no signed head, no MAC), naming the file and restoring nothing', async () => {
    const file = path.join(dir, 'signed.vigie.gz');
    await backupTo(t.ctx, file);
    // What an older version wrote: the same lines, without the signed head in the header and without the closing MAC.
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    delete header.audit_checkpoint;
    const end = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    delete end.mac;
    const old = path.join(dir, 'old.vigie.gz');
    fs.writeFileSync(old, zlib.gzipSync([JSON.stringify(header), ...lines.slice(1, -1), JSON.stringify(end)].join('\n') + '\n'));
    const target = await testVigie(kind);
    try {
      await expect(restoreFrom(target.ctx, old)).rejects.toMatchObject({ code: 'validation_failed', errors: [{ field: 'file' }] });
      expect(await target.ctx.engine.db.selectFrom('incidents').select('id').execute()).toEqual([]);
    } finally {
      await target.drop();
    }
  });
});

describe.each(ENGINES)('audit trail review (%s)', (kind) => {
  let t: TestVigie;
  beforeEach(async () => { t = await testVigie(kind); });
  afterEach(async () => { await t.drop(); });

  it('shows read entries to reviewers cleared for them, a state its own, with filters and keyset pages', async () => {
    const reporter = await newUser(t.ctx, { org: 'MLI', role: 'reporter', clearance: 3 });
    const reader = await newUser(t.ctx, { org: 'MLI', role: 'analyst', clearance: 3 });
    const secret = (await createIncident(t.ctx, reporter, newIncident({ classification: 'secret' }))).incident;
    const confidential = (await createIncident(t.ctx, reporter, newIncident({ classification: 'confidential' }))).incident;
    const rows = [secret, confidential].map((i) => ({ id: i.id, classification_level: i.classification, sharing_scope: i.sharing_scope, reporting_state: i.reporting_state }));
    await auditClassifiedReads(t.ctx.engine, reader, [...rows, { ...rows[1]!, id: 'x', classification_level: 1 }], 'incident.list');

    const admin0 = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 0 });
    const admin3 = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 3 });
    const admin2 = await newUser(t.ctx, { org: 'CONF', role: 'admin', clearance: 2 });
    const reads = async (p: typeof admin0) => (await listAuditEvents(t.ctx.engine, p, { action: 'incident.list' })).items.map((r) => r.object_id);
    expect(await reads(admin0)).toEqual([]);
    expect(await reads(admin2)).toEqual([confidential.id]);
    expect(await reads(admin3)).toEqual([confidential.id, secret.id]);

    const focalMli = await newUser(t.ctx, { org: 'MLI', role: 'focal_point', clearance: 3 });
    const focalNer = await newUser(t.ctx, { org: 'NER', role: 'focal_point', clearance: 3 });
    expect(await reads(focalMli)).toEqual([confidential.id, secret.id]);
    expect(await reads(focalNer)).toEqual([]);
    await expect(listAuditEvents(t.ctx.engine, reader, {})).rejects.toMatchObject({ code: 'forbidden' });

    const byUser = await listAuditEvents(t.ctx.engine, admin3, { user: reader.login });
    expect(byUser.items.map((r) => r.action)).toEqual(['incident.list', 'incident.list']);
    const byRecord = await listAuditEvents(t.ctx.engine, admin3, { objectType: 'incident', objectId: secret.id });
    expect(byRecord.items.map((r) => r.action)).toEqual(['incident.list', 'incident.create']);
    expect((await listAuditEvents(t.ctx.engine, admin3, { to: '2000-01-01T00:00:00.000Z' })).items).toEqual([]);

    const all: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await listAuditEvents(t.ctx.engine, admin3, { limit: 3, beforeSeq: cursor });
      all.push(...page.items.map((r) => Number(r.seq)));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(new Set(all).size).toBe(all.length);
    expect(all.at(-1)).toBe(1);
  });
});
