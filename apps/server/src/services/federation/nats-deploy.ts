/**
 * `vigie federation nats-config`: the nats-server files of a whole federation, written from the confederation node's
 * federation configuration (its node id = the hub's domain, VIGIE_FEDERATION_PEERS = one account per national node):
 * the hub's file, one file per national server, and the credentials to hand to each node (docs/federation.md).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FederationConfig } from './federation-config.js';
import { accountOf, SIZE } from './nats-accounts.js';
import { hubConfigText, leafConfigText } from './nats-topology.js';

export interface DeployOptions {
  /** Where the leaves dial the hub, as they will reach it (`nats-leaf://hub.example:7422`); also advertised. */
  hubLeafUrl: string;
  /** The hub's client and leaf-node listen addresses. */
  listen: string;
  leafListen: string;
  /** Each national server's client listen address (its Vigie node's connection; default 127.0.0.1:4222). */
  nationalListen?: string;
  /** JetStream store directory on every server. */
  storeDir: string;
  /** File storage the confederation's account may use at the hub (`20G` unless given; nats-accounts.ts: confLimits). */
  jsMaxFile?: string;
  /** The confederation node's user on the hub (VIGIE_NATS_USER / VIGIE_NATS_PASSWORD if set). */
  confUser?: string;
  confPassword?: string;
}

const password = () => crypto.randomBytes(18).toString('base64url');

/** Writes `<hub>.conf`, `<peer>.conf` per national and `credentials.txt` under `dir` (mode 0600); returns the paths. */
export function writeFederationNatsConfigs(fed: FederationConfig, dir: string, o: DeployOptions): string[] {
  if (fed.role !== 'confederation') throw new Error('à lancer sur le nœud de la confédération (VIGIE_FEDERATION_ROLE=confederation) / run it on the confederation node');
  if (!fed.peers.length) throw new Error('VIGIE_FEDERATION_PEERS est vide : aucun nœud national / no national node');
  if (o.jsMaxFile !== undefined && !SIZE.test(o.jsMaxFile)) throw new Error(`--js-max-file : une taille comme 20G ou 512M est attendue, pas « ${o.jsMaxFile} » / a size such as 20G or 512M is expected`);
  const hub = fed.domain;
  const hubLeaf = new URL(o.hubLeafUrl);
  const nationals = fed.peers.map((node) => ({ node, user: `leaf-${node}`, password: password() }));
  const confUser = { user: o.confUser ?? `vigie-${fed.node}`, password: o.confPassword ?? password() };
  const nodeUsers = new Map(fed.peers.map((n) => [n, { user: `vigie-${n}`, password: password() }]));
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [[`${hub}.conf`, hubConfigText({
    name: hub, domain: hub, port: 0, leafPort: 0, listen: o.listen, leafListen: o.leafListen, leafAdvertise: hubLeaf.host,
    storeDir: o.storeDir, nationals, nodeUser: confUser, ...(o.jsMaxFile ? { limits: { maxFile: o.jsMaxFile } } : {}),
  })]];
  for (const a of nationals) {
    files.push([`${a.node}.conf`, leafConfigText({
      name: a.node, domain: a.node, port: 0, listen: o.nationalListen ?? '127.0.0.1:4222', storeDir: o.storeDir, hubLeafUrl: o.hubLeafUrl,
      user: a.user, password: a.password, nodeUser: nodeUsers.get(a.node),
    })]);
  }
  const lines = [
    `# Identifiants NATS de la fédération / NATS credentials of the federation (hub ${hub}); à remettre à chaque nœud.`,
    `${fed.node}: VIGIE_NATS_USER=${confUser.user} VIGIE_NATS_PASSWORD=${confUser.password}  (compte / account ${accountOf(hub)})`,
    ...nationals.map((a) => `${a.node}: VIGIE_NATS_USER=${nodeUsers.get(a.node)!.user} VIGIE_NATS_PASSWORD=${nodeUsers.get(a.node)!.password}  (serveur ${a.node}.conf ; compte du nœud feuille au hub / leaf account at the hub ${accountOf(a.node)}: ${a.user})`),
  ];
  files.push(['credentials.txt', `${lines.join('\n')}\n`]);
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
  });
}
