import path from 'node:path';
import { CLASSIFICATIONS, type Classification } from '@vigie/domain';

/** A node's place in the federation (docs/federation.md). Absent: the single-node default of `npm start`. */
export interface FederationConfig {
  /** This node's identity: lower-case letters and digits, used in subjects (`vigie.<node>.…`) and stream names. */
  node: string;
  role: 'national' | 'confederation';
  /** This node's own NATS server (with JetStream), leaf of the confederation's. */
  natsUrl: string;
  natsUser?: string;
  natsPassword?: string;
  /** JetStream domain of this node's NATS server (default: the node id). */
  domain: string;
  /** JetStream domain of the confederation's NATS server. */
  hubDomain: string;
  /** The national nodes a confederation node sources and follows. */
  peers: string[];
  /** Classification ceiling of the outbound link: nothing above it leaves this node (0 public … 3 secret). */
  ceiling: number;
  /** PEM file of this node's ed25519 signing key (created on first start, mode 0600). */
  keyFile: string;
  /** Change-log entries read per page by the publisher (VIGIE_FEDERATION_PAGE, default 500). */
  pageSize?: number;
}

const NODE_ID = /^[a-z][a-z0-9]{1,15}$/;

function nodeId(value: string, name: string): string {
  const v = value.trim().toLowerCase();
  if (!NODE_ID.test(v)) throw new Error(`${name} must be 2–16 lower-case letters or digits starting with a letter, got « ${value} »`);
  return v;
}

/** Reads VIGIE_FEDERATION_* from the environment; undefined when VIGIE_FEDERATION_NODE is unset (single node). */
export function readFederationConfig(env: NodeJS.ProcessEnv, dataDir: string): FederationConfig | undefined {
  if (!env.VIGIE_FEDERATION_NODE) return undefined;
  const node = nodeId(env.VIGIE_FEDERATION_NODE, 'VIGIE_FEDERATION_NODE');
  const role = env.VIGIE_FEDERATION_ROLE ?? 'national';
  if (role !== 'national' && role !== 'confederation') throw new Error(`VIGIE_FEDERATION_ROLE must be national or confederation, got « ${role} »`);
  const ceilingName = (env.VIGIE_FEDERATION_CEILING ?? 'restricted') as Classification;
  const ceiling = CLASSIFICATIONS.indexOf(ceilingName);
  if (ceiling < 0) throw new Error(`VIGIE_FEDERATION_CEILING must be one of ${CLASSIFICATIONS.join(', ')}, got « ${ceilingName} »`);
  const peers = (env.VIGIE_FEDERATION_PEERS ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((p) => nodeId(p, 'VIGIE_FEDERATION_PEERS'));
  return {
    node,
    role,
    natsUrl: env.VIGIE_NATS_URL ?? 'nats://127.0.0.1:4222',
    natsUser: env.VIGIE_NATS_USER || undefined,
    natsPassword: env.VIGIE_NATS_PASSWORD || undefined,
    domain: nodeId(env.VIGIE_JETSTREAM_DOMAIN ?? node, 'VIGIE_JETSTREAM_DOMAIN'),
    hubDomain: nodeId(env.VIGIE_FEDERATION_HUB_DOMAIN ?? 'conf', 'VIGIE_FEDERATION_HUB_DOMAIN'),
    peers,
    ceiling,
    keyFile: path.resolve(env.VIGIE_FEDERATION_KEY_FILE ?? path.join(dataDir, `federation-${node}.key`)),
    pageSize: pageSizeOf(env.VIGIE_FEDERATION_PAGE),
  };
}

function pageSizeOf(value: string | undefined): number {
  if (value === undefined || value === '') return 500;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new Error(`VIGIE_FEDERATION_PAGE must be an integer from 1 to 5000, got « ${value} »`);
  return n;
}
