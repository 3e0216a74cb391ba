import { describe, expect, it } from 'vitest';
import { readConfig } from '../../config.js';
import { readFederationConfig } from './federation-config.js';

describe('federation configuration', () => {
  it('is absent by default: npm start stays a single node', () => {
    expect(readConfig({}).federation).toBeUndefined();
  });

  it('reads a national node, its NATS server, its domain and its link ceiling', () => {
    const fed = readFederationConfig({ VIGIE_FEDERATION_NODE: 'MLI', VIGIE_NATS_URL: 'nats://10.0.0.2:4222', VIGIE_FEDERATION_CEILING: 'confidential', VIGIE_NATS_USER: 'vigie-mli', VIGIE_NATS_PASSWORD: 'x' }, '/data');
    expect(fed).toMatchObject({ node: 'mli', role: 'national', natsUrl: 'nats://10.0.0.2:4222', domain: 'mli', hubDomain: 'conf', ceiling: 2, natsUser: 'vigie-mli', keyFile: '/data/federation-mli.key' });
  });

  it('reads a confederation node and its peers; refuses what it cannot use, naming the variable', () => {
    expect(readFederationConfig({ VIGIE_FEDERATION_NODE: 'conf', VIGIE_FEDERATION_ROLE: 'confederation', VIGIE_FEDERATION_PEERS: 'mli, bfa,ner' }, '/d')?.peers).toEqual(['mli', 'bfa', 'ner']);
    expect(() => readFederationConfig({ VIGIE_FEDERATION_NODE: 'conf', VIGIE_FEDERATION_ROLE: 'hub' }, '/d')).toThrow(/VIGIE_FEDERATION_ROLE/);
    expect(() => readFederationConfig({ VIGIE_FEDERATION_NODE: 'mli', VIGIE_FEDERATION_CEILING: 'top-secret' }, '/d')).toThrow(/VIGIE_FEDERATION_CEILING/);
    expect(() => readFederationConfig({ VIGIE_FEDERATION_NODE: 'vigie.mli' }, '/d')).toThrow(/VIGIE_FEDERATION_NODE/);
  });
});
