/**
 * `npm run federation:demo`: on loopback, a confederation node and three national nodes (mli, bfa, ner), each with its
 * own nats-server (JetStream, own domain; the nationals leaves of the confederation's, each bound to its own account on
 * the hub), seeded with demo data, their keys registered at the confederation. Prints every node's URL and where its sign-ins are; Ctrl-C stops everything.
 * VIGIE_DEMO_DIR keeps the data somewhere else than a fresh temporary folder; VIGIE_DEMO_COUNT sets the demo records.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startTopology } from '../src/services/federation/nats-topology.js';
import { loadNodeKey } from '../src/services/federation/signing.js';

const NATIONALS = ['mli', 'bfa', 'ner'];
const dir = process.env.VIGIE_DEMO_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-federation-'));
const count = process.env.VIGIE_DEMO_COUNT ?? '300';
const main = path.resolve(import.meta.dirname, '../src/cli/main.ts');
const vigieArgs = ['--conditions=vigie-source', '--import', 'tsx', main];

console.log(`Démonstration de la fédération dans ${dir}`);
const topo = await startTopology(path.join(dir, 'nats'), NATIONALS);
const children: ChildProcess[] = [];

function envOf(node: string, port: number): NodeJS.ProcessEnv {
  const national = node !== 'conf';
  const dataDir = path.join(dir, node);
  return {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', VIGIE_DATA_DIR: dataDir, VIGIE_DATABASE_URL: '',
    VIGIE_FEDERATION_NODE: node, VIGIE_FEDERATION_ROLE: national ? 'national' : 'confederation',
    VIGIE_NATS_URL: national ? topo.leaves.get(node)!.url : topo.hub.url,
    VIGIE_NATS_USER: (national ? topo.leaves.get(node)!.nodeUser : topo.hub.nodeUser).user,
    VIGIE_NATS_PASSWORD: (national ? topo.leaves.get(node)!.nodeUser : topo.hub.nodeUser).password,
    VIGIE_FEDERATION_PEERS: national ? '' : NATIONALS.join(','), VIGIE_FEDERATION_CEILING: national ? 'restricted' : 'confidential',
  };
}

/** Starts `vigie serve` for a node and resolves once it listens. */
function serve(node: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [...vigieArgs, 'serve', '--demo-if-empty', '--demo-count', count], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${node}] ${d}`));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /écoute sur (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${node} exited (${code}): ${out.slice(-2000)}`)));
  });
}

async function stop(): Promise<void> {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await topo.stop();
  console.log('Arrêté / stopped.');
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

try {
  const ports = new Map<string, number>();
  for (const n of ['conf', ...NATIONALS]) ports.set(n, await freePort());
  // Each node's key pair, made before its first message so that the confederation knows it.
  const keys = new Map(['conf', ...NATIONALS].map((n) => [n, loadNodeKey(path.join(dir, n, `federation-${n}.key`))]));
  const urls = new Map<string, string>();
  urls.set('conf', await serve('conf', envOf('conf', ports.get('conf')!)));
  for (const n of NATIONALS) {
    const pem = path.join(dir, `${n}.pub.pem`);
    fs.writeFileSync(pem, keys.get(n)!.publicPem);
    const r = spawnSync(process.execPath, [...vigieArgs, 'federation', 'key', 'add', n, pem], { env: envOf('conf', ports.get('conf')!), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`key add ${n}: ${r.stderr}`);
  }
  // The other way: each national node knows the confederation's key before its first message (alerts, strategies and
  // meetings come down): its database is created first; the key registry is no user, so the first start still seeds
  // the demo data.
  const confPem = path.join(dir, 'conf.pub.pem');
  fs.writeFileSync(confPem, keys.get('conf')!.publicPem);
  for (const n of NATIONALS) {
    for (const args of [['migrate'], ['federation', 'key', 'add', 'conf', confPem]]) {
      const r = spawnSync(process.execPath, [...vigieArgs, ...args], { env: envOf(n, ports.get(n)!), encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${args.join(' ')} at ${n}: ${r.stderr}`);
    }
  }
  const started = await Promise.all(NATIONALS.map((n) => serve(n, envOf(n, ports.get(n)!))));
  NATIONALS.forEach((n, i) => urls.set(n, started[i] as string));
  console.log('\nNœuds / nodes:');
  for (const [n, url] of urls) {
    console.log(`  ${n.padEnd(5)} ${url}   NATS ${n === 'conf' ? topo.hub.url : topo.leaves.get(n)!.url}   identifiants / sign-ins: ${path.join(dir, n, 'identifiants-premier-demarrage.txt')}`);
  }
  // Each national node has its own account on the hub; its leaf node binds to it with that account's credentials.
  console.log(`\nComptes NATS du concentrateur / hub accounts (${path.join(dir, 'nats', 'conf.conf')}):`);
  console.log(`  ${'CONF'.padEnd(5)} utilisateur / user ${topo.hub.nodeUser.user} (nœud conf, JetStream du domaine conf)`);
  for (const n of NATIONALS) console.log(`  ${n.toUpperCase().padEnd(5)} utilisateur / user ${topo.leaves.get(n)!.user} (nœud feuille ${n}, domaine ${n} : ${path.join(dir, 'nats', `${n}.conf`)})`);
  const conf = envOf('conf', ports.get('conf')!);
  console.log(`\nÉtat des liens / link status:  VIGIE_DATA_DIR=${path.join(dir, 'conf')} VIGIE_FEDERATION_NODE=conf VIGIE_FEDERATION_ROLE=confederation VIGIE_FEDERATION_PEERS=${NATIONALS.join(',')} VIGIE_NATS_URL=${topo.hub.url} VIGIE_NATS_USER=${conf.VIGIE_NATS_USER} VIGIE_NATS_PASSWORD=${conf.VIGIE_NATS_PASSWORD} node ${vigieArgs.join(' ')} federation status`);
  console.log('Ctrl-C arrête tout / stops everything.');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop();
}
