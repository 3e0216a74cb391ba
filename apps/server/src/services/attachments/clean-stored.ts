/**
 * Cleans the files stored before cleaning existed (or decided by an older cleaner version): each one goes through the
 * same gate as a new file (clean-file.ts). Cleaned, its bytes are replaced in one transaction with the audit entry,
 * through mutate(); refused (a format Vigie now refuses, a damaged file), it is kept untouched and marked `held` —
 * evidence is never deleted — and not served until an administrator releases it (`vigie attachments release`).
 * Resumable: every file's decision commits on its own, so a stop or a crash loses nothing and a new run takes up the
 * files still undecided. Runs at server start and as `vigie attachments clean`.
 */
import { createHash } from 'node:crypto';
import { Problem } from '../../lib/problem.js';
import { nowIso } from '../../lib/ids.js';
import { countFilesToClean, fileForCleaning, filesToClean, heldFiles, recordCleaning } from '../../repositories/attachment.repository.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import { SYSTEM, type Principal } from '../principal.js';
import { auditScope } from '../incidents/incident.service.js';
import { CLEANER_VERSION, cleanFile } from './clean-file.js';

/** Files read into memory at a time (10 MiB each at most). */
export const CLEAN_BATCH = 20;

export interface CleanCounts {
  /** Files looked at in this run. */
  examined: number;
  /** Metadata found and removed: the bytes were replaced. */
  cleaned: number;
  /** Already clean: the bytes stay as they are, the file is marked clean. */
  unchanged: number;
  /** Kept but held: a format the cleaner refuses; by refusal key (validation.file_heic…). */
  held: number;
  heldBy: Record<string, number>;
  /** Changed or deleted meanwhile (left for the next run), or failed unexpectedly. */
  skipped: number;
  /** Files still waiting for the current cleaner after this run. */
  remaining: number;
}

const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Cleans one stored file (or holds it); the outcome, or 'skipped' when it changed or vanished meanwhile. */
type OneOutcome = 'cleaned' | 'unchanged' | { held: string } | 'skipped';
async function cleanOne(ctx: Ctx, principal: Principal, id: string): Promise<OneOutcome> {
  const before = await fileForCleaning(ctx.engine.db, id);
  if (!before) return 'skipped';
  const original = Buffer.from(before.content);
  let outcome: { data: Buffer; contentType: string } | { refusal: string };
  try {
    const c = await cleanFile('file', before.file_name, original);
    outcome = { data: c.data, contentType: c.contentType };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    outcome = { refusal: e.errors?.[0]?.message ?? 'validation.file_unknown' };
  }
  return mutate<OneOutcome>(ctx, principal, { permission: 'incident.update', async run(trx) {
    const row = await fileForCleaning(trx, id);
    // Changed meanwhile (another run, a release): this run's reading is stale.
    if (!row || row.sha256 !== before.sha256 || row.clean_state !== before.clean_state || row.cleaned_with !== before.cleaned_with) return { result: 'skipped' as const };
    const at = nowIso();
    const scope = auditScope(row);
    const file = { id, name: row.file_name, sha256_before: row.sha256, size_before: row.size_bytes };
    if ('refusal' in outcome) {
      await recordCleaning(trx, id, { state: 'held', version: CLEANER_VERSION, at, note: outcome.refusal });
      return { result: { held: outcome.refusal }, audit: { action: 'incident.attachment_hold' as const, objectType: 'incident', objectId: row.incident_id, ...scope, details: { ...file, cleaner: CLEANER_VERSION, reason: outcome.refusal } } };
    }
    const same = outcome.data.equals(original);
    const sha256 = same ? row.sha256 : sha256Hex(outcome.data);
    await recordCleaning(trx, id, { state: 'clean', version: CLEANER_VERSION, at, note: null, ...(same ? {} : { content: { data: outcome.data, contentType: outcome.contentType, sha256 } }) });
    return {
      result: same ? 'unchanged' as const : 'cleaned' as const,
      audit: { action: 'incident.attachment_clean' as const, objectType: 'incident', objectId: row.incident_id, ...scope, details: { ...file, cleaner: CLEANER_VERSION, sha256_after: sha256, size_after: outcome.data.length, metadata_removed: !same } },
    };
  } });
}

/**
 * Cleans every file the current cleaner has not decided, `batch` at a time, oldest id first; `log` hears each batch's
 * progress. `signal` stops it between two files (server shutdown): the rest waits for the next run.
 */
export async function cleanStoredAttachments(ctx: Ctx, opts: { batch?: number; principal?: Principal; log?: (c: CleanCounts) => void; signal?: AbortSignal } = {}): Promise<CleanCounts> {
  const counts: CleanCounts = { examined: 0, cleaned: 0, unchanged: 0, held: 0, heldBy: {}, skipped: 0, remaining: 0 };
  let after = '';
  for (;;) {
    const rows = await filesToClean(ctx.engine.db, CLEANER_VERSION, after, opts.batch ?? CLEAN_BATCH);
    for (const r of rows) {
      if (opts.signal?.aborted) break;
      counts.examined += 1;
      let r1: Awaited<ReturnType<typeof cleanOne>>;
      try {
        r1 = await cleanOne(ctx, opts.principal ?? SYSTEM, r.id);
      } catch {
        r1 = 'skipped';
      }
      if (r1 === 'cleaned' || r1 === 'unchanged' || r1 === 'skipped') counts[r1] += 1;
      else { counts.held += 1; counts.heldBy[r1.held] = (counts.heldBy[r1.held] ?? 0) + 1; }
    }
    if (!rows.length || opts.signal?.aborted) break;
    after = rows[rows.length - 1]!.id;
    opts.log?.(counts);
  }
  counts.remaining = await countFilesToClean(ctx.engine.db, CLEANER_VERSION);
  return counts;
}

const KIND_FR: Record<string, string> = {
  'validation.file_heic': 'HEIC/HEIF', 'validation.file_video': 'vidéo', 'validation.file_audio': 'audio', 'validation.file_office': 'bureautique ou archive',
  'validation.file_unknown': 'format inconnu', 'validation.file_unreadable': 'illisible', 'validation.file_pdf_encrypted': 'PDF protégé', 'validation.file_too_large': 'trop volumineux',
  'validation.file_empty': 'vide',
};
/** A held file's reason in French (its refusal key's kind), for the administrator's list. */
export const heldReasonFr = (key: string | null) => (key && KIND_FR[key] ? `format refusé : ${KIND_FR[key]}` : key ?? '');
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** The counts in French, for the console and the server's log. */
export function cleanCountsFr(c: CleanCounts): string {
  const held = Object.entries(c.heldBy).map(([k, n]) => `${n} ${KIND_FR[k] ?? k}`).join(', ');
  return `Pièces jointes : ${plural(c.examined, 'examinée', 'examinées')}, ${plural(c.cleaned, 'nettoyée', 'nettoyées')} (métadonnées retirées), `
    + `${plural(c.unchanged, 'déjà propre', 'déjà propres')}, ${plural(c.held, 'retenue', 'retenues')}${held ? ` (${held})` : ''}, `
    + `${plural(c.skipped, 'reportée', 'reportées')} ; ${plural(c.remaining, 'reste', 'restent')} à traiter.`;
}

/** The job at server start: runs once in the background when files wait, logs in French, stops with the server. */
export function startAttachmentCleaning(ctx: Ctx, log: (m: string) => void): () => void {
  const ctrl = new AbortController();
  void (async () => {
    if (!(await countFilesToClean(ctx.engine.db, CLEANER_VERSION))) return;
    log(`Nettoyage des pièces jointes stockées avant le nettoyage des métadonnées (${CLEANER_VERSION})…`);
    const c = await cleanStoredAttachments(ctx, { signal: ctrl.signal });
    log(cleanCountsFr(c));
    if (c.held) log(`  ${plural(c.held, 'fichier retenu', 'fichiers retenus')} : conservés, non servis ; voir « vigie attachments held ».`);
  })().catch((e: Error) => log(`Nettoyage des pièces jointes interrompu : ${e.message}`));
  return () => ctrl.abort();
}

/** An administrator's decision on a held file: served as it is from now on, with its metadata; audited with the reason. */
export async function releaseHeldAttachment(ctx: Ctx, principal: Principal, id: string, reason: string) {
  if (principal.kind !== 'system' && principal.role !== 'admin') throw new Problem('forbidden', 'Seul un administrateur décide du sort d’un fichier retenu');
  if (!reason.trim()) throw new Problem('validation_failed', 'Indiquez la raison de la décision', [{ field: 'reason', message: 'Indiquez la raison de la décision' }]);
  return mutate(ctx, principal, { permission: 'user.manage', async run(trx) {
    const row = await fileForCleaning(trx, id);
    if (!row) throw new Problem('not_found', `no attachment ${id}`);
    if (row.clean_state !== 'held') throw new Problem('conflict', `Le fichier ${id} n’est pas retenu (${row.clean_state})`);
    await recordCleaning(trx, id, { state: 'released', version: row.cleaned_with, at: nowIso(), note: reason.trim() });
    return { result: { id, file_name: row.file_name }, audit: { action: 'incident.attachment_release', objectType: 'incident', objectId: row.incident_id, ...auditScope(row), details: { id, name: row.file_name, sha256: row.sha256, reason: reason.trim() } } };
  } });
}

export const listHeldAttachments = (ctx: Ctx) => heldFiles(ctx.engine.db);
