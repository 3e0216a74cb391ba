import fs from 'node:fs';
import type { Command } from 'commander';
import { readConfig } from '../../config.js';
import { connectNats } from '../../services/federation/federation-link.js';
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from '../../services/federation/dead-letters.js';
import { addPeerKey, revokePeerKey } from '../../services/federation/federation.service.js';
import { federationStatus, resyncFromZero } from '../../services/federation/federation-status.service.js';
import { loadNodeKey, rotateNodeKey } from '../../services/federation/signing.js';
import { writeFederationNatsConfigs } from '../../services/federation/nats-deploy.js';
import { SYSTEM } from '../../services/principal.js';
import { openCliVigie } from './shared.js';

function requireFederation() {
  const config = readConfig();
  if (!config.federation) throw new Error("ce nœud n'est pas fédéré (VIGIE_FEDERATION_NODE non défini) / this node is not federated");
  return config.federation;
}

/** `vigie federation …`: status, keys, re-sync, and the loopback demo (docs/federation.md). */
export function registerFederationCommands(program: Command): void {
  const fedCmd = program.command('federation').description('Fédération des nœuds nationaux / federation of national nodes');
  fedCmd
    .command('status')
    .description('État des liens : dernière séquence envoyée ou reçue, retard, file en attente, état, dernière erreur')
    .option('--json', 'sortie JSON')
    .action(async (o: { json?: boolean }) => {
      const fed = readConfig().federation;
      const ctx = await openCliVigie();
      const nc = fed ? await connectNats({ ...fed }).catch(() => undefined) : undefined;
      try {
        const s = await federationStatus(ctx, SYSTEM, fed, nc);
        if (o.json) return void console.log(JSON.stringify(s, null, 2));
        if (!s.node) console.log('Nœud unique (non fédéré) / single node (not federated)');
        else console.log(`Nœud ${s.node} (${s.role}), plafond du lien : niveau ${s.ceiling}`);
        for (const p of s.peers) {
          console.log(`  ${p.direction === 'out' ? '→' : '←'} ${p.peer}  lien ${p.link}  dernière séq. ${p.last_seq}  retard ${p.lag ?? '?'}  en file ${p.backlog ?? '?'}${p.objects !== undefined ? `  objets ${p.objects}` : ''}${p.last_error ? `  erreur : ${p.last_error} (${p.last_error_at})` : ''}`);
        }
        for (const k of s.keys) console.log(`  clé ${k.node_id}/${k.key_id} ${k.status}${k.revoked_at ? ` (révoquée ${k.revoked_at})` : ''}`);
      } finally {
        await nc?.close();
        await ctx.engine.close();
      }
    });
  const key = fedCmd.command('key').description('Clés de signature des nœuds / node signing keys');
  key.command('show').description('Affiche la clé publique de ce nœud (à enregistrer chez ses pairs)').action(() => {
    const fed = requireFederation();
    const k = loadNodeKey(fed.keyFile);
    console.log(`# nœud ${fed.node}, clé ${k.keyId}\n${k.publicPem.trim()}`);
  });
  key.command('rotate').description('Remplace la clé de ce nœud (enregistrez la nouvelle chez les pairs, puis révoquez l’ancienne)').action(() => {
    const fed = requireFederation();
    const old = loadNodeKey(fed.keyFile).keyId;
    const k = rotateNodeKey(fed.keyFile);
    console.log(`# nœud ${fed.node} : nouvelle clé ${k.keyId} (ancienne ${old} à révoquer chez les pairs)\n${k.publicPem.trim()}`);
  });
  key.command('add <node> <pemFile>').description("Enregistre la clé publique d'un pair").action(async (node: string, pemFile: string) => {
    const ctx = await openCliVigie();
    try {
      const row = await addPeerKey(ctx, SYSTEM, node.toLowerCase(), fs.readFileSync(pemFile, 'utf8'));
      console.log(`clé ${row.node_id}/${row.key_id} : ${row.status}`);
    } finally {
      await ctx.engine.close();
    }
  });
  key.command('revoke <node> <keyId>').description("Révoque une clé d'un pair : ses messages sont refusés").action(async (node: string, keyId: string) => {
    const ctx = await openCliVigie();
    try {
      await revokePeerKey(ctx, SYSTEM, node.toLowerCase(), keyId);
      console.log(`clé ${node}/${keyId} révoquée`);
    } finally {
      await ctx.engine.close();
    }
  });
  fedCmd.command('resync').description('Republie toute la vue partagée depuis 0 (nouveau nœud de la confédération, ou nœud reconstruit)').action(async () => {
    requireFederation();
    const ctx = await openCliVigie();
    try {
      await resyncFromZero(ctx, SYSTEM);
      console.log('curseur remis à 0 : le nœud republie sa vue partagée au prochain passage');
    } finally {
      await ctx.engine.close();
    }
  });
  fedCmd.command('nats-config').description("Écrit les fichiers nats-server de la fédération (un compte par nœud national au hub) / writes the federation's nats-server files")
    .requiredOption('--out <dir>', 'dossier de sortie (fichiers en mode 0600)')
    .requiredOption('--hub-leaf-url <url>', 'adresse où les nœuds feuilles joignent le hub, ex. nats-leaf://hub.example:7422')
    .option('--listen <host:port>', 'écoute clients du hub', '0.0.0.0:4222')
    .option('--leaf-listen <host:port>', 'écoute des nœuds feuilles au hub', '0.0.0.0:7422')
    .option('--store-dir <dir>', 'stockage JetStream', '/var/lib/nats')
    .option('--js-max-file <size>', 'stockage JetStream du compte de la confédération au hub / file storage of the confederation account at the hub', '20G')
    .action((o: { out: string; hubLeafUrl: string; listen: string; leafListen: string; storeDir: string; jsMaxFile: string }) => {
      const fed = requireFederation();
      const files = writeFederationNatsConfigs(fed, o.out, { ...o, confUser: fed.natsUser, confPassword: fed.natsPassword });
      for (const f of files) console.log(f);
    });
  const dead = fedCmd.command('dead-letters').description('Messages reçus non applicables, mis de côté / received messages parked after bounded retries');
  dead.command('list', { isDefault: true }).description('Liste les messages en souffrance').option('--status <status>', 'parked | applied | discarded', 'parked').option('--json', 'sortie JSON')
    .action(async (o: { status: string; json?: boolean }) => {
      const ctx = await openCliVigie();
      try {
        const { items } = await listDeadLetters(ctx, SYSTEM, { status: o.status });
        if (o.json) return void console.log(JSON.stringify(items, null, 2));
        if (!items.length) console.log('aucun message en souffrance / no dead letter');
        for (const d of items) console.log(`${d.id}  ${d.status}  ${d.subject}  origine ${d.origin_node ?? '?'}  essais ${d.attempts}  ${d.parked_at}\n    [${d.code}] ${d.message.fr}\n    ${d.message.en}\n    détail / detail: ${d.error}`);
      } finally {
        await ctx.engine.close();
      }
    });
  dead.command('retry <id>').description('Applique à nouveau un message mis de côté (journalisé)').action(async (id: string) => {
    const fed = requireFederation();
    const ctx = await openCliVigie();
    try {
      const d = await retryDeadLetter(ctx, SYSTEM, fed, id);
      console.log(d.status === 'applied' ? `${id} : appliqué / applied` : `${id} : échec à nouveau / failed again — [${d.code}] ${d.message.fr} / ${d.message.en}`);
    } finally {
      await ctx.engine.close();
    }
  });
  dead.command('discard <id>').description('Abandonne un message mis de côté (journalisé)').action(async (id: string) => {
    const ctx = await openCliVigie();
    try {
      await discardDeadLetter(ctx, SYSTEM, id);
      console.log(`${id} : abandonné / discarded`);
    } finally {
      await ctx.engine.close();
    }
  });
}
