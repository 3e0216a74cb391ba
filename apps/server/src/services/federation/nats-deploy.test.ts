/**
 * The files `vigie federation nats-config` writes, run by the real engine: the hub with an account per national node,
 * a national server leaf of it with its account's credentials; sourcing across the domains works both ways through them
 * with the credentials the command hands out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import { fedConfig } from '../../test-support/federation-harness.js';
import { connectNats, ensureConfederationStream, ensureNationalStream } from './federation-link.js';
import { CONF_OWN_CONSUMERS, CONSUMERS_PER_NATIONAL } from './nats-accounts.js';
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
    // The confederation's account within JetStream limits, consumers sized on the nationals; the national's holds none.
    expect(hubText).toMatch(/\n {2}CONF: \{\n {4}jetstream: \{ max_mem: 256M, max_file: 20G, max_streams: 8, max_consumers: 12 \}/);
    expect(CONF_OWN_CONSUMERS + CONSUMERS_PER_NATIONAL).toBe(12);
    expect(hubText).toMatch(/\n {2}MLI: \{\n {4}# No JetStream[^\n]*\n {4}users: \[ \{ user: "leaf-mli"/);
    expect(hubText.match(/^\s*jetstream\b/gm)).toHaveLength(2); // the server's block and CONF's limits, no other account's
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

    // The server took the limits: the confederation's account reports them.
    const limits = (await (await confNc.jetstreamManager()).getAccountInfo()).limits;
    expect([limits.max_consumers, limits.max_streams, limits.max_memory, limits.max_storage]).toEqual([12, 8, 256e6, 20e9]);
    // Mali's leaf credentials (from mli.conf) asking the hub for consumers of VIGIE_CONF without end: past the limit
    // (VIGIE_IN's own source consumer counts), the hub refuses.
    const leafUrl = new URL(/url: "([^"]+)"/.exec(fs.readFileSync(files[1]!, 'utf8'))![1]!);
    const leaf = await connect({ servers: `127.0.0.1:${hubPort}`, user: decodeURIComponent(leafUrl.username), pass: decodeURIComponent(leafUrl.password) });
    connections.push(leaf);
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const body = { stream_name: 'VIGIE_CONF', config: { deliver_subject: `fed.conf.to.mli.probe${i}`, ack_policy: 'none', deliver_policy: 'all' } };
      answers.push(new TextDecoder().decode((await leaf.request('fed.mli.hub.API.CONSUMER.CREATE.VIGIE_CONF', new TextEncoder().encode(JSON.stringify(body)), { timeout: 5000 })).data));
    }
    const refused = answers.filter((a) => a.includes('maximum consumers limit reached'));
    expect(refused.length).toBeGreaterThan(0);
    expect((await (await confNc.jetstreamManager()).streams.info('VIGIE_CONF')).state.consumer_count).toBeLessThanOrEqual(12);
  }, 60_000);

  it('refuses a file storage limit that is not a size, naming the option', () => {
    const conf = fedConfig('conf', 'confederation', { peers: ['mli', 'ner'] });
    const o = { hubLeafUrl: 'nats-leaf://hub.example:7422', listen: '0.0.0.0:4222', leafListen: '0.0.0.0:7422', storeDir: '/var/lib/nats' };
    expect(() => writeFederationNatsConfigs(conf, path.join(dir, 'bad'), { ...o, jsMaxFile: 'beaucoup' })).toThrow(/--js-max-file/);
    const [hub] = writeFederationNatsConfigs(conf, path.join(dir, 'big'), { ...o, jsMaxFile: '200G' });
    // Two nationals: four more consumers per stream than with one.
    expect(fs.readFileSync(hub!, 'utf8')).toContain('jetstream: { max_mem: 256M, max_file: 200G, max_streams: 8, max_consumers: 16 }');
  });
});
