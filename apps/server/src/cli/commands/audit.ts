import type { Command } from 'commander';
import { CheckpointError, verifyAuditTrail, writeCheckpoint, type HeadCheck } from '../../services/audit/audit-checkpoint.service.js';
import type { ChainProblem } from '../../services/audit/audit.service.js';
import { Problem } from '../../lib/problem.js';
import { progressBar } from '../progress.js';
import { openCliVigie } from './shared.js';

const CHAIN_PROBLEMS: Record<ChainProblem, string> = {
  tampered: 'altérée (contenu modifié, ou maillon recalculé sans la clé du serveur)',
  broken_link: 'chaînage rompu (entrée supprimée ou déplacée avant celle-ci)',
  gap: 'entrée manquante (supprimée) avant celle-ci',
  unkeyed: "maillons non scellés par la clé de ce serveur (chaîne recalculée sans la clé, ou écrite avec une autre clé)",
};

/** Parses `--expect SEQ:HASH`, the head an operator kept elsewhere. */
function parseExpect(value: string): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(value.trim());
  if (!m) throw new Problem('validation_failed', `--expect ${value}`, [{ field: '--expect', message: 'attendu : SEQ:HASH (un numéro d\'entrée, deux-points, 64 chiffres hexadécimaux)' }]);
  return { seq: Number(m[1]), hash: m[2] as string };
}

const headMessage = (check: HeadCheck, seq: number, what: string, count: number): string =>
  check === 'truncated'
    ? `journal d'audit tronqué : la chaîne compte ${count} entrées, ${what} en attestait ${seq}`
    : `journal d'audit réécrit : l'entrée ${seq} ne correspond plus à ${what}`;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description("Journal d'audit / audit trail");
  audit
    .command('verify')
    .description("Vérifie la chaîne (maillons scellés par la clé du serveur) et sa tête contre le dernier point de contrôle ; code de sortie 1 sinon")
    .option('--expect <seq:hash>', 'tête conservée ailleurs par l\'opérateur (affichée par « vigie audit checkpoint »)')
    .action(async (o: { expect?: string }) => {
      const expect = o.expect === undefined ? undefined : parseExpect(o.expect);
      const ctx = await openCliVigie();
      try {
        const bar = progressBar('Audit', 1);
        const r = await verifyAuditTrail(ctx, { expect, onProgress: (n) => bar.update(n, n) });
        bar.stop();
        const count = r.chain.head?.seq ?? 0;
        if (!r.chain.ok) {
          const bad = r.chain.firstBad!;
          console.error(`journal d'audit compromis à l'entrée ${bad.seq} : ${CHAIN_PROBLEMS[bad.problem]} (${r.chain.checked} entrées intègres avant)`);
        } else if (r.checkpoint.status === 'forged') {
          console.error(`point de contrôle invalide : ${r.checkpoint.message}`);
        } else if ((r.checkpoint.status === 'truncated' || r.checkpoint.status === 'mismatch') && r.checkpoint.last) {
          console.error(headMessage(r.checkpoint.status, r.checkpoint.last.seq, `le dernier point de contrôle (${r.checkpoint.last.at})`, count));
        } else if (r.expected && r.expected !== 'ok' && expect) {
          console.error(headMessage(r.expected, expect.seq, 'la tête attendue (--expect)', count));
        }
        if (!r.ok) {
          process.exitCode = 1;
          return;
        }
        console.log(`journal d'audit intègre : ${r.chain.checked} entrées vérifiées`);
        if (r.chain.head) console.log(`tête : ${r.chain.head.seq}:${r.chain.head.hash}`);
        console.log(r.checkpoint.last
          ? `conforme au dernier point de contrôle (${r.checkpoint.last.count} entrées, ${r.checkpoint.last.at})`
          : `aucun point de contrôle dans ${ctx.settings.auditCheckpointFile}`);
        if (expect) console.log(`conforme à la tête attendue ${expect.seq}`);
      } finally {
        await ctx.engine.close();
      }
    });
  audit
    .command('checkpoint')
    .description('Écrit un point de contrôle signé de la tête de la chaîne et l\'affiche, à conserver ailleurs')
    .action(async () => {
      const ctx = await openCliVigie();
      try {
        const c = await writeCheckpoint(ctx, 'manual').catch((e: unknown) => {
          if (!(e instanceof CheckpointError)) throw e;
          console.error(`journal d'audit compromis : ${e.message}`);
          process.exitCode = 1;
          return undefined;
        });
        if (c === undefined) return;
        if (!c) {
          console.log("journal d'audit vide : aucun point de contrôle écrit");
          return;
        }
        console.log(`point de contrôle écrit dans ${ctx.settings.auditCheckpointFile} : ${c.count} entrées, ${c.at}`);
        console.log(`tête (à conserver ailleurs, pour « vigie audit verify --expect ») :`);
        console.log(`${c.seq}:${c.hash}`);
      } finally {
        await ctx.engine.close();
      }
    });
}
