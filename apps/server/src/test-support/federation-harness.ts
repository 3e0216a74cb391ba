/** What the federation tests share: a node's configuration, and the one teardown (links, NATS, servers, databases). */
import fs from 'node:fs';
import type { NatsConnection } from 'nats';
import type { FederationNode } from '../services/federation/federation-link.js';
import type { FederationConfig } from '../services/federation/federation-config.js';
import type { Topology } from '../services/federation/nats-topology.js';

export interface FederationHarness {
  nodes?: readonly (FederationNode | undefined)[];
  connections?: readonly (NatsConnection | undefined)[];
  topo?: Topology;
  vigies?: readonly ({ drop(): Promise<void> } | undefined)[];
  dir?: string;
}

/** Stops everything a federation test started, in order, each step even if one before it failed. */
export async function tearDownFederation(h: FederationHarness): Promise<void> {
  for (const n of h.nodes ?? []) await n?.stop().catch(() => undefined);
  for (const c of h.connections ?? []) await c?.close().catch(() => undefined);
  await h.topo?.stop().catch(() => undefined);
  for (const v of h.vigies ?? []) await v?.drop().catch(() => undefined);
  if (h.dir) fs.rmSync(h.dir, { recursive: true, force: true });
}

/** A node's federation configuration for the tests (no NATS address unless given: the tests without the transport). */
export const fedConfig = (node: string, role: FederationConfig['role'] = 'national', o: Partial<FederationConfig> = {}): FederationConfig => ({
  node, role, natsUrl: '', domain: node, hubDomain: 'conf', peers: [], ceiling: 1, keyFile: '', ...o,
});
