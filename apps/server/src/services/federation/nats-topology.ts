/**
 * nats-server configurations of a federation (docs/federation.md): the confederation's server (the hub, JetStream
 * domain `conf`, accepting leaf nodes) and one server per national node, each with JetStream in its own domain, joined
 * to the hub as a leaf node. Used by the demo harness, the tests and the bench; a deployment writes the same files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { hubAccountsBlock, nodePermissions, ownStream, type AccountLimits, type NationalAccount, type NodeUser } from './nats-accounts.js';

export const NATS_SERVER = process.env.VIGIE_NATS_SERVER ?? '/usr/sbin/nats-server';
const SETPRIV = '/usr/bin/setpriv';

export { nodePermissions, type NodeUser } from './nats-accounts.js';

const usersBlock = (node: string, u: NodeUser) =>
  `authorization { users: [ { user: ${q(u.user)}, password: ${q(u.password)}, permissions: ${JSON.stringify(nodePermissions(node, u.extraPublish))} } ] }`;

export interface HubConfig {
  name: string;
  domain: string;
  port: number;
  leafPort: number;
  storeDir: string;
  /** One account per national node, with the credentials its leaf node connects with (bound to that account). */
  nationals: NationalAccount[];
  /** The confederation's Vigie node's user, in its own account (publishes only on `vigie.<name>.>`). */
  nodeUser: NodeUser;
  /** The confederation's account's JetStream limits, where not `confLimits`' (nats-accounts.ts). */
  limits?: Partial<AccountLimits>;
  /** The leaf-node address the hub advertises to its leaves (they reconnect to it too). */
  leafAdvertise?: string;
  /** Client and leaf-node listen addresses (default: loopback on `port`, `leafPort`). */
  listen?: string;
  leafListen?: string;
  logFile?: string;
}

export interface LeafConfig {
  name: string;
  domain: string;
  port: number;
  storeDir: string;
  hubLeafUrl: string;
  /** The credentials of this node's account on the hub. */
  user: string;
  password: string;
  /** The national Vigie node's user on this server (publishes only on `vigie.<name>.>`). */
  nodeUser?: NodeUser;
  /** Client listen address (default: loopback on `port`). */
  listen?: string;
  logFile?: string;
}

const q = (s: string) => JSON.stringify(s);

/**
 * The hub's configuration file text: JetStream in the confederation's domain, an account per national node (its leaf
 * node binds to it with the account's credentials) and the confederation's account, within its JetStream limits
 * (nats-accounts.ts).
 */
export function hubConfigText(c: HubConfig): string {
  return [
    `server_name: ${q(c.name)}`,
    `listen: ${q(c.listen ?? `127.0.0.1:${c.port}`)}`,
    ...(c.logFile ? [`log_file: ${q(c.logFile)}`] : []),
    `jetstream { store_dir: ${q(c.storeDir)}, domain: ${q(c.domain)} }`,
    hubAccountsBlock(c.domain, c.nodeUser, c.nationals, c.limits),
    // No authorization block of its own: a leaf node authenticates as a user of the accounts above, and is bound to
    // that user's account, under that user's permissions. A leaf also reconnects to the address the hub advertises:
    // in a deployment, the public one the leaves were given (`hub.example:7422`).
    `leafnodes { listen: ${q(c.leafListen ?? `127.0.0.1:${c.leafPort}`)}${c.leafAdvertise ? `, advertise: ${q(c.leafAdvertise)}` : ''} }`,
    '',
  ].join('\n');
}

/** A national node's configuration file text: its own JetStream domain, a leaf of the hub bound to its own account. */
export function leafConfigText(c: LeafConfig): string {
  const url = new URL(c.hubLeafUrl);
  url.username = c.user;
  url.password = c.password;
  return [
    `server_name: ${q(c.name)}`,
    `listen: ${q(c.listen ?? `127.0.0.1:${c.port}`)}`,
    ...(c.logFile ? [`log_file: ${q(c.logFile)}`] : []),
    `jetstream { store_dir: ${q(c.storeDir)}, domain: ${q(c.domain)} }`,
    ...(c.nodeUser ? [usersBlock(c.name, c.nodeUser)] : []),
    `leafnodes { reconnect: 1, remotes: [ { url: ${q(url.toString())} } ] }`,
    '',
  ].join('\n');
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A nats-server process from a configuration file, restartable on the same ports and store. */
export class NatsProcess {
  private child?: ChildProcess;
  constructor(readonly name: string, readonly configFile: string, readonly port: number) {}

  static write(dir: string, name: string, text: string, port: number): NatsProcess {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.conf`);
    fs.writeFileSync(file, text);
    return new NatsProcess(name, file, port);
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The server's process id while it runs (memory figures read /proc/<pid>/status). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the server and resolves once it accepts connections (bounded). */
  async start(): Promise<void> {
    // Under setpriv --pdeathsig, the server is killed with the process that started it, even one killed with -9 (a
    // test runner stopped mid-run leaves no nats-server behind).
    const args = ['-c', this.configFile];
    const child = fs.existsSync(SETPRIV) ? spawn(SETPRIV, ['--pdeathsig', 'KILL', NATS_SERVER, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(NATS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`nats-server ${this.name} exited: ${err}`);
      if (await canConnect(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nats-server ${this.name} did not listen on ${this.port}: ${err}`);
  }

  /** Stops the server: SIGTERM (clean), or SIGKILL to simulate a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export interface Topology {
  hub: NatsProcess & { nodeUser: NodeUser; leafUrl: string };
  /** Each national server, with the credentials of its account on the hub (`user`, `password`) and its node's user. */
  leaves: Map<string, NatsProcess & { user: string; password: string; nodeUser: NodeUser }>;
  stop(): Promise<void>;
}

const secret = () => Math.random().toString(36).slice(2, 14);

export interface TopologyOptions {
  /** More subjects each node's user may publish on (the bench's bare baseline: `bare.>`). */
  extraPublish?: readonly string[];
  /** More streams of a national server the hub may source (the bench's `BARE_MLI`). */
  extraStreams?: (node: string) => string[];
  /** The port a national's leaf node dials instead of the hub's leaf port (a link the tests cut and restore). */
  linkOf?: (node: string, hubLeafPort: number) => Promise<number>;
}

/**
 * Writes and starts a hub and one leaf server per national node under `dir`, on free loopback ports: each national node
 * has its own account on the hub (`MLI`, with credentials `leaf-mli`) its leaf node binds to; each server has one user
 * for its Vigie node (`vigie-<node>`, allowed to publish only on its own subjects).
 */
export async function startTopology(dir: string, nationals: readonly string[], hubDomain = 'conf', o: TopologyOptions = {}): Promise<Topology> {
  const { extraPublish = [], extraStreams = () => [] } = o;
  const accounts = nationals.map((n) => ({ node: n, user: `leaf-${n}`, password: `mdp-${n}-${secret()}`, streams: [ownStream(n), ...extraStreams(n)] }));
  const hubPort = await freePort();
  const leafPort = await freePort();
  const hubUser = { user: `vigie-${hubDomain}`, password: secret(), extraPublish };
  const hubText = hubConfigText({ name: hubDomain, domain: hubDomain, port: hubPort, leafPort, storeDir: path.join(dir, `js-${hubDomain}`), nationals: accounts, nodeUser: hubUser, logFile: path.join(dir, `${hubDomain}.log`),
    // Links a test cuts: the hub advertises an address nobody listens on, so that no leaf goes round a cut link.
    leafAdvertise: o.linkOf ? `127.0.0.1:${await freePort()}` : undefined });
  const hub = Object.assign(NatsProcess.write(dir, hubDomain, hubText, hubPort), { nodeUser: hubUser, leafUrl: `nats-leaf://127.0.0.1:${leafPort}` });
  await hub.start();
  const leaves = new Map<string, NatsProcess & { user: string; password: string; nodeUser: NodeUser }>();
  for (const a of accounts) {
    const n = a.node;
    const port = await freePort();
    const nodeUser = { user: `vigie-${n}`, password: secret(), extraPublish };
    const p = NatsProcess.write(dir, n, leafConfigText({ name: n, domain: n, port, storeDir: path.join(dir, `js-${n}`), hubLeafUrl: o.linkOf ? `nats-leaf://127.0.0.1:${await o.linkOf(n, leafPort)}` : hub.leafUrl, user: a.user, password: a.password, nodeUser, logFile: path.join(dir, `${n}.log`) }), port);
    await p.start();
    leaves.set(n, Object.assign(p, { user: a.user, password: a.password, nodeUser }));
  }
  return {
    hub,
    leaves,
    stop: async () => {
      for (const l of leaves.values()) await l.stop();
      await hub.stop();
    },
  };
}
