/**
 * The files `vigie federation nats-config` writes, run by the real engine: the hub with an account per national node,
 * a national server leaf of it with its account's credentials; sourcing across the domains works both ways through them
 * with the credentials the command hands out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import { fedConfig } from '../../test-support/federation-harness.js';
import { connectNats, ensureConfederationStream, ensureNationalStream } from './federation-link.js';
import { writeFederationNatsConfigs } from './nats-deploy.js';
import { freePort, NatsProcess } from './nats-topology.js';

describe('vigie federation nats-config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-nats-config-'));
  const servers: NatsProcess[] = [];
  const connections: NatsConnection[] = [];
  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
    for (const s of servers) await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a hub with one account per national node and leaf files that work together, readable by their owner only', async () => {
    const [hubPort, leafPort, mliPort] = [await freePort(), await freePort(), await freePort()];
    const conf = fedConfig('conf', 'confederation', { peers: ['mli'] });
    const files = writeFederationNatsConfigs(conf, path.join(dir, 'out'), {
      hubLeafUrl: `nats-leaf://127.0.0.1:${leafPort}`, listen: `127.0.0.1:${hubPort}`, leafListen: `127.0.0.1:${leafPort}`,
      nationalListen: `127.0.0.1:${mliPort}`, storeDir: path.join(dir, 'js'),
    });
    expect(files.map((f) => path.basename(f))).toEqual(['conf.conf', 'mli.conf', 'credentials.txt']);
    for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const hubText = fs.readFileSync(files[0]!, 'utf8');
    expect(hubText).toMatch(/\n {2}CONF: \{\n {4}jetstream: enabled/);
    expect(hubText).toMatch(/\n {2}MLI: \{\n {4}users: \[ \{ user: "leaf-mli"/);
    // Each server's store of its own (one machine here).
    for (const [name, port] of [['conf', hubPort], ['mli', mliPort]] as const) {
      const file = path.join(dir, `${name}.conf`);
      fs.writeFileSync(file, fs.readFileSync(path.join(dir, 'out', `${name}.conf`), 'utf8').replace(path.join(dir, 'js'), path.join(dir, `js-${name}`)));
      const p = new NatsProcess(name, file, port);
      servers.push(p);
      await p.start();
    }
    const creds = Object.fromEntries(fs.readFileSync(files[2]!, 'utf8').split('\n').filter((l) => /^\w+: /.test(l)).map((l) => {
      const [, node, user, pass] = /^(\w+): VIGIE_NATS_USER=(\S+) VIGIE_NATS_PASSWORD=(\S+)/.exec(l)!;
      return [node, { natsUser: user, natsPassword: pass }];
    }));
    const mliFed = fedConfig('mli', 'national', { natsUrl: `nats://127.0.0.1:${mliPort}`, ...creds.mli });
    const confFed = { ...conf, natsUrl: `nats://127.0.0.1:${hubPort}`, ...creds.conf };
    const [mliNc, confNc] = [await connectNats(mliFed), await connectNats(confFed)];
    connections.push(mliNc, confNc);
    await ensureNationalStream(await mliNc.jetstreamManager(), mliFed);
    await ensureConfederationStream(await confNc.jetstreamManager(), confFed);
    await mliNc.jetstream().publish('vigie.mli.incident.x', new TextEncoder().encode('{}'));
    await confNc.jetstream().publish('vigie.conf.alert.y', new TextEncoder().encode('{}'));
    const count = async (nc: NatsConnection, stream: string) => (await (await nc.jetstreamManager()).streams.info(stream)).state.messages;
    let got = [0, 0];
    for (let i = 0; i < 150 && (got[0] !== 1 || got[1] !== 1); i++) {
      got = [await count(confNc, 'VIGIE_FED'), await count(mliNc, 'VIGIE_IN')];
      if (got[0] !== 1 || got[1] !== 1) await new Promise((r) => setTimeout(r, 100));
    }
    expect(got).toEqual([1, 1]);
  }, 60_000);
});
