/**
 * The accounts of a federation's NATS servers (docs/federation.md, « Deployment guide »), generated from Vigie's
 * federation configuration (the hub's domain and its national peers), for nats-server 2.9 in plain configuration mode.
 *
 * On the confederation's server (the hub), each national node has an **account of its own**, named after it (`MLI`),
 * with its own credentials: its leaf node connects with them and is bound to that account, and nothing else of the hub
 * can be reached from there. The confederation's own account (`CONF`, with JetStream) imports from each national
 * account exactly what sourcing that national's stream across JetStream domains needs, and exports to each national
 * account exactly what sourcing the confederation's stream needs; no national account imports anything from another.
 *
 * What crosses an account boundary (a stream sourced from another account or domain drives a push consumer on the
 * origin stream from the other side):
 * - the consumer-creation requests of the JetStream API, for the origin stream only (`…CONSUMER.CREATE.<stream>[.>]`);
 * - the messages delivered to the sourcing stream, on a delivery prefix of the origin's own (`fed.<origin>.…`);
 * - the flow-control replies going back to the origin consumer (`$JS.FC.<stream>.>`);
 * - the replies to those requests (`$JSC.R.>` for a stream's own requests, `_R_.>` across an import, `_INBOX.>`).
 *
 * The confederation's API is imported into a national account under a name of that national's (`fed.mli.hub.API`),
 * never under `$JS.conf.API`: on the hub, the server answers `$JS.<its domain>.API` itself in every account, as the
 * API of the account that asks (a national account has no JetStream there), before any import is looked at.
 *
 * JetStream limits: a national account holds nothing at the hub (no JetStream), and what its requests create there —
 * the consumers of `VIGIE_CONF` its server's `VIGIE_IN` sources through — is created in, and counted against, the
 * confederation's account: limits written on the national account would bind nothing (nats-server 2.9, tested). So the
 * confederation's account carries the limits (`confLimits`): consumers per stream sized on the number of nationals,
 * streams, memory and file storage — one national's credentials, leaked or misused, can no longer make consumers or
 * grow storage at the hub without end.
 */

/** JetStream limits of an account, as nats-server's configuration writes them (sizes: `256M`, `20G`). */
export interface AccountLimits {
  maxMem: string;
  maxFile: string;
  maxStreams: number;
  /** Consumers per stream (nats-server 2.9 counts an account's `max_consumers` stream by stream). */
  maxConsumers: number;
}

/** Consumers of the confederation's own on one of its streams (its applier, an operator's or the bench's, and room). */
export const CONF_OWN_CONSUMERS = 8;
/**
 * Consumers each national's server may hold on `VIGIE_CONF`: the one its `VIGIE_IN` sources through, and room for
 * the ones a flapping link leaves behind until the server drops them (an idle source consumer goes after seconds).
 */
export const CONSUMERS_PER_NATIONAL = 4;

/**
 * The confederation's account limits for `nationals` national nodes: consumers per stream grow with them; streams
 * (`VIGIE_CONF`, `VIGIE_FED` and room), memory (Vigie's streams are on file) and file storage (30 days of the
 * federation's messages) are fixed, `maxFile` set by the operator for a larger federation.
 */
export function confLimits(nationals: number, o: Partial<AccountLimits> = {}): AccountLimits {
  return { maxMem: '256M', maxFile: '20G', maxStreams: 8, maxConsumers: CONF_OWN_CONSUMERS + CONSUMERS_PER_NATIONAL * nationals, ...o };
}

/** A size as nats-server reads it (`512M`, `20G`, or bytes). */
export const SIZE = /^[1-9]\d*[KMGT]?$/;

const jetstreamBlock = (l: AccountLimits) => `jetstream: { max_mem: ${l.maxMem}, max_file: ${l.maxFile}, max_streams: ${l.maxStreams}, max_consumers: ${l.maxConsumers} }`;

/** The hub account of a node: its id in capitals (`mli` → `MLI`). */
export const accountOf = (node: string) => node.toUpperCase();

/** A node's stream on its own server (`VIGIE_MLI`); same rule as `streamOf` in federation.service.ts. */
export const ownStream = (node: string) => `VIGIE_${node.toUpperCase()}`;

/** Prefix of the deliveries of a national stream to the confederation's sourcing stream (published by the national). */
export const outDeliver = (node: string) => `fed.${node}.out`;

/** Prefix of the deliveries of the confederation's stream to a national's copy (published by the hub, for it alone). */
export const downDeliver = (hubDomain: string, node: string) => `fed.${hubDomain}.to.${node}`;

/** The confederation's JetStream API as imported into a national account: where a national server's copy sources it. */
export const hubApi = (node: string) => `fed.${node}.hub.API`;

/** A national server's JetStream API as seen from the hub (its domain's prefix, reaching it through the leaf node). */
export const peerApi = (node: string) => `$JS.${node}.API`;

/** A Vigie node's own user on its own NATS server (the confederation's: in the hub's `CONF` account). */
export interface NodeUser {
  user: string;
  password: string;
  /** More subjects it may publish on (the bench's bare baseline: `bare.>`). */
  extraPublish?: readonly string[];
}

/** A national account on the hub: the credentials its leaf node connects with, the streams the hub may source. */
export interface NationalAccount {
  node: string;
  user: string;
  password: string;
  /** Streams of that national server the confederation sources (default: its own `VIGIE_<NODE>`). */
  streams?: readonly string[];
}

/**
 * What a node's user may do on its own server: publish only on its own subjects (`vigie.<node>.>`), plus the JetStream
 * API, acknowledgements and its replies; receive only its replies. A message on another node's subject is refused by
 * the server itself (a « Permissions Violation »), before any signature is looked at.
 */
export function nodePermissions(node: string, extra: readonly string[] = []) {
  return { publish: { allow: [`vigie.${node}.>`, '$JS.API.>', '$JS.ACK.>', '_INBOX.>', ...extra] }, subscribe: { allow: ['_INBOX.>'] } };
}

const createSubjects = (api: string, stream: string) => [`${api}.CONSUMER.CREATE.${stream}`, `${api}.CONSUMER.CREATE.${stream}.>`];
const streamsOf = (a: NationalAccount) => a.streams ?? [ownStream(a.node)];

/**
 * What a national account's credentials may do on the hub (its leaf node, or a client using them): publish only its
 * deliveries and its requests to the confederation's stream (`fed.<node>.>`), the flow-control replies to the
 * confederation's stream and replies; receive only the hub's requests to its own streams, their flow-control replies,
 * the deliveries of the confederation's stream meant for it, and replies (`$JSC.R.>`: the answers to its server's own
 * consumer requests). Never `vigie.>`, never another's `fed.…`.
 */
export function nationalPermissions(a: NationalAccount, hubDomain: string) {
  return {
    publish: { allow: [`fed.${a.node}.>`, `$JS.FC.${ownStream(hubDomain)}.>`, '_R_.>', '_INBOX.>'] },
    subscribe: {
      allow: [
        ...streamsOf(a).flatMap((s) => [...createSubjects(peerApi(a.node), s), `$JS.FC.${s}.>`]),
        `${downDeliver(hubDomain, a.node)}.>`, '$JSC.R.>', '_R_.>', '_INBOX.>',
      ],
    },
  };
}

const q = (s: string) => JSON.stringify(s);
const list = (items: readonly string[], indent: string) => items.map((i) => `${indent}${i}`).join('\n');
const user = (u: { user: string; password: string }, perms: object) => `{ user: ${q(u.user)}, password: ${q(u.password)}, permissions: ${JSON.stringify(perms)} }`;

/**
 * The `accounts { … }` block of the hub: the confederation's account, with its JetStream limits (`confLimits`, sized on
 * the nationals unless given), and one per national node.
 */
export function hubAccountsBlock(hubDomain: string, confUser: NodeUser, nationals: readonly NationalAccount[], limits: Partial<AccountLimits> = {}): string {
  const conf = accountOf(hubDomain);
  const confStream = ownStream(hubDomain);
  const confExports = nationals.flatMap((a) => {
    const to = `accounts: [${accountOf(a.node)}]`;
    return [
      ...createSubjects('$JS.API', confStream).map((s) => `{ service: ${q(s)}, ${to} }`),
      `{ service: ${q(`$JS.FC.${confStream}.>`)}, ${to} }`,
      `{ stream: ${q(`${downDeliver(hubDomain, a.node)}.>`)}, ${to} }`,
    ];
  });
  // Exports naming several accounts are written once (the confederation's API and flow control are shared).
  const confImports = nationals.flatMap((a) => {
    const from = `account: ${accountOf(a.node)}`;
    return [
      ...streamsOf(a).flatMap((s) => [...createSubjects(peerApi(a.node), s), `$JS.FC.${s}.>`]).map((s) => `{ service: { ${from}, subject: ${q(s)} } }`),
      `{ stream: { ${from}, subject: ${q(`${outDeliver(a.node)}.>`)} } }`,
    ];
  });
  const national = (a: NationalAccount) => {
    const to = `accounts: [${conf}]`;
    const exports = [
      ...streamsOf(a).flatMap((s) => [...createSubjects(peerApi(a.node), s), `$JS.FC.${s}.>`]).map((s) => `{ service: ${q(s)}, ${to} }`),
      `{ stream: ${q(`${outDeliver(a.node)}.>`)}, ${to} }`,
    ];
    const from = `account: ${conf}`;
    const [create, createSub] = createSubjects('$JS.API', confStream) as [string, string];
    const imports = [
      `{ service: { ${from}, subject: ${q(create)} }, to: ${q(`${hubApi(a.node)}.CONSUMER.CREATE.${confStream}`)} }`,
      `{ service: { ${from}, subject: ${q(createSub)} }, to: ${q(`${hubApi(a.node)}.CONSUMER.CREATE.${confStream}.>`)} }`,
      `{ service: { ${from}, subject: ${q(`$JS.FC.${confStream}.>`)} } }`,
      `{ stream: { ${from}, subject: ${q(`${downDeliver(hubDomain, a.node)}.>`)} } }`,
    ];
    return [
      `  ${accountOf(a.node)}: {`,
      `    # No JetStream: nothing of ${accountOf(a.node)}'s own at the hub; the consumers its requests create are ${conf}'s, within ${conf}'s limits.`,
      `    users: [ ${user(a, nationalPermissions(a, hubDomain))} ]`,
      '    exports: [', list(exports, '      '), '    ]',
      '    imports: [', list(imports, '      '), '    ]',
      '  }',
    ].join('\n');
  };
  return [
    'accounts {',
    `  ${conf}: {`,
    `    ${jetstreamBlock(confLimits(nationals.length, limits))}`,
    `    users: [ ${user(confUser, nodePermissions(hubDomain, confUser.extraPublish))} ]`,
    '    exports: [', list(mergeExports(confExports), '      '), '    ]',
    '    imports: [', list(confImports, '      '), '    ]',
    '  }',
    ...nationals.map(national),
    '}',
  ].join('\n');
}

/** `{ service: "x", accounts: [A] }` and `{ service: "x", accounts: [B] }` → `{ service: "x", accounts: [A, B] }`. */
function mergeExports(lines: readonly string[]): string[] {
  const bySubject = new Map<string, string[]>();
  for (const l of lines) {
    const m = /^(\{ (?:service|stream): "[^"]+"), accounts: \[(\w+)\] \}$/.exec(l)!;
    bySubject.set(m[1]!, [...(bySubject.get(m[1]!) ?? []), m[2]!]);
  }
  return [...bySubject].map(([head, accounts]) => `${head}, accounts: [${accounts.join(', ')}] }`);
}
