import type { z } from 'zod';
/**
 * Situation reports: generated for a stated audience (the confederation, or one state's own view) and classification
 * ceiling, frozen with every figure and their "as of" time, and rendered in French or English as HTML or PDF from the
 * frozen figures only — so whoever opens a report later, and the CLI, get the same numbers and the same bytes.
 */
import {
  CLASSIFICATIONS, CONFEDERATION_ORG, foldText, sitrepBounds, sitrepCreateSchema, sitrepListQuerySchema, type FieldError, type Sitrep, type SitrepFigures,
  type SitrepHead, type SitrepKind, type SitrepLang, parseInput,
} from '@vigie/domain';
import { newId, nowIso } from '../../lib/ids.js';
import { Problem } from '../../lib/problem.js';
import {
  findSitrep, getSitrepMap, getSitrepRow, insertSitrep, insertSitrepMap, latestSitrepRow, listSitrepRows, type SitrepRow,
} from '../../repositories/sitrep.repository.js';
import { notifyRecipients } from '../accounts/notify.js';
import { boundaryFrameAt } from '../geography/boundary-sets.service.js';
import type { Ctx } from '../context.js';
import { mutate } from '../mutation.js';
import { requirePermission, type Principal } from '../principal.js';
import { audiencePrincipal } from '../strategy/strategy.evaluation.service.js';
import { computeFigures } from './sitrep-figures.js';
import { outlinesDigest } from './sitrep-map.js';
import { audienceLabel, headline, highlights, stateParagraphs, totalOf } from './sitrep-text.js';

/** What the renderers need: the frozen figures and whose they are. */
export interface SitrepModel { id: string; audience: string; ceiling: number; asOf: string; figures: SitrepFigures }

const READERS = ['analyst', 'focal_point', 'confederation_analyst', 'decision_maker'] as const;
const invalid = (errors: FieldError[]) => new Problem('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

/**
 * A report is read only by someone cleared up to its ceiling and belonging to its audience (a confederation report
 * counts only what every member shares, so any member's reader qualifies); the 403 says which condition failed.
 */
function requireAudience(principal: Principal, row: Pick<SitrepRow, 'audience' | 'ceiling'>): void {
  if (principal.kind === 'system') return;
  const level = CLASSIFICATIONS[row.ceiling] ?? 'secret';
  if (principal.clearance < row.ceiling) {
    throw new Problem('forbidden', `ce rapport de situation va jusqu'au niveau « ${level} » : votre habilitation (${CLASSIFICATIONS[principal.clearance]}) ne permet pas de le lire`, undefined, { audience: row.audience, ceiling: level, reason: 'clearance' });
  }
  if (row.audience !== CONFEDERATION_ORG && row.audience !== principal.organisation) {
    throw new Problem('forbidden', `ce rapport de situation est établi pour ${row.audience} : il n'est pas destiné à ${principal.organisation}`, undefined, { audience: row.audience, ceiling: level, reason: 'audience' });
  }
}

/** Map outlines by hash: stored ones this process knows are there, and read ones parsed once. */
const mapStores = new WeakMap<Ctx, { stored: Set<string>; read: Map<string, SitrepFigures['map']['outlines']> }>();
function mapStore(ctx: Ctx) {
  let m = mapStores.get(ctx);
  if (!m) mapStores.set(ctx, (m = { stored: new Set(), read: new Map() }));
  return m;
}

/** A stored report's frozen figures, its map's outlines put back from where they are kept once. */
async function frozenFigures(ctx: Ctx, row: Pick<SitrepRow, 'figures' | 'map_hash' | 'as_of' | 'audience'>): Promise<SitrepFigures> {
  const stored = JSON.parse(row.figures) as SitrepFigures;
  // A report stored before frames were frozen with it: the sets that were current at its "as of" time.
  const f = stored.boundary_frame ? stored : { ...stored, boundary_frame: await boundaryFrameAt(ctx, row.as_of, stored.states.map((s) => s.code)) };
  if (!row.map_hash) return f;
  const store = mapStore(ctx);
  let outlines = store.read.get(row.map_hash);
  if (!outlines) {
    const json = await getSitrepMap(ctx.engine.db, row.map_hash);
    if (json === undefined) throw new Error(`situation report map ${row.map_hash} missing`);
    outlines = JSON.parse(json) as SitrepFigures['map']['outlines'];
    if (store.read.size > 50) store.read.clear();
    store.read.set(row.map_hash, outlines);
  }
  return { ...f, map: { ...f.map, outlines } };
}

function toHead(row: Omit<SitrepRow, 'search_text' | 'created_by' | 'map_hash'>, figures?: SitrepFigures): SitrepHead {
  const f = figures ?? (JSON.parse(row.figures) as SitrepFigures);
  return {
    id: row.id, kind: row.kind as SitrepKind, period: row.period, from: row.period_from, to: row.period_to, audience: row.audience,
    ceiling: CLASSIFICATIONS[row.ceiling] ?? 'secret', as_of: row.as_of, created_by: row.created_by_login, created_at: row.created_at,
    headline_fr: row.headline_fr, headline_en: row.headline_en, totals: totalOf(f).current,
  };
}

/** The words the archive search looks in: highlights and paragraphs in both languages, folded. */
function searchText(f: SitrepFigures, audience: string): string {
  const words = (['fr', 'en'] as const).flatMap((lang) => [
    ...highlights(f, lang), ...stateParagraphs(f, lang).flatMap((p) => [p.text, ...p.areas]), ...f.actors.map((a) => a.name),
    ...f.alerts.map((a) => a[`title_${lang}`]), audienceLabel(f, audience, 0, lang),
  ]);
  return foldText(`${f.period} ${words.join(' ')}`);
}

/**
 * Generates a report: checks who may ask for what, computes the figures as the audience sees them now (outside the
 * write transaction: SQLite's one connection), then stores the frozen snapshot, its audit entry and the readers'
 * notifications in one transaction through mutate().
 */
export async function generateSitrep(ctx: Ctx, principal: Principal, input: z.input<typeof sitrepCreateSchema> | z.output<typeof sitrepCreateSchema>, now = new Date()): Promise<SitrepHead> {
  requirePermission(principal, 'sitrep.generate');
  const data = parseInput(sitrepCreateSchema, input);
  const ceiling = CLASSIFICATIONS.indexOf(data.ceiling);
  if (data.audience !== CONFEDERATION_ORG && !ctx.reference.states.some((x) => x.code === data.audience)) {
    throw invalid([{ field: 'audience', message: `destinataire inconnu : ${data.audience} (${CONFEDERATION_ORG} ou un État membre)` }]);
  }
  if (principal.kind !== 'system' && ceiling > principal.clearance) {
    throw invalid([{ field: 'ceiling', message: `niveau « ${data.ceiling} » au-dessus de votre habilitation` }]);
  }
  if (principal.kind !== 'system' && data.audience !== CONFEDERATION_ORG && data.audience !== principal.organisation) {
    throw invalid([{ field: 'audience', message: `vous ne pouvez pas établir de rapport pour ${data.audience}` }]);
  }
  if (sitrepBounds(data.kind, data.period).from > now.toISOString().slice(0, 10)) {
    throw invalid([{ field: 'period', message: `période à venir : ${data.period}` }]);
  }
  const figures = await computeFigures(ctx, audiencePrincipal(data.audience, ceiling), data.kind, data.period, now);
  const asOf = nowIso();
  // The snapshot without the boundaries' paths, which are kept once per distinct set (sitrep_maps migration).
  const map = outlinesDigest(figures.map.outlines);
  const store = mapStore(ctx);
  const row: SitrepRow = {
    id: newId(), kind: data.kind, period: data.period, period_from: figures.from, period_to: figures.to, audience: data.audience, ceiling, as_of: asOf,
    created_by: principal.userId, created_by_login: principal.kind === 'user' ? principal.login : null, created_at: asOf,
    headline_fr: headline(figures, 'fr'), headline_en: headline(figures, 'en'), search_text: searchText(figures, data.audience),
    figures: JSON.stringify({ ...figures, map: { ...figures.map, outlines: [] } }), map_hash: map.hash,
  };
  const head = await mutate(ctx, principal, {
    permission: 'sitrep.generate',
    async run(trx) {
      if (!store.stored.has(map.hash)) await insertSitrepMap(trx, map.hash, map.json);
      await insertSitrep(trx, row);
      const orgs = data.audience === CONFEDERATION_ORG ? [CONFEDERATION_ORG, ...ctx.reference.states.map((s) => s.code)] : [data.audience];
      const notified = await notifyRecipients(trx, orgs, READERS, { kind: 'sitrep_published', objectType: 'sitrep', objectId: row.id, classificationLevel: ceiling, occurrence: '1' });
      const head = toHead(row, figures);
      return {
        result: head,
        audit: {
          action: 'sitrep.generate', objectType: 'sitrep', objectId: row.id, after: { ...head, notified },
          classificationLevel: ceiling, sharingScope: data.audience === CONFEDERATION_ORG ? 'confederation' : 'national', ownerState: data.audience === CONFEDERATION_ORG ? null : data.audience,
        },
      };
    },
  });
  store.stored.add(map.hash);
  return head;
}

/** Generates the report of a period for an audience unless one exists already (the schedule's call). */
export async function ensureSitrep(ctx: Ctx, principal: Principal, kind: SitrepKind, period: string, audience: string, ceiling: number, now = new Date()): Promise<SitrepHead | null> {
  if (await findSitrep(ctx.engine.db, kind, period, audience, ceiling)) return null;
  return generateSitrep(ctx, principal, { kind, period, audience, ceiling: CLASSIFICATIONS[ceiling] }, now);
}

/** The archive: reports the reader may open, newest first, filtered by period, audience, kind or words. */
export async function listSitreps(ctx: Ctx, principal: Principal, input: z.input<typeof sitrepListQuerySchema> | z.output<typeof sitrepListQuerySchema>): Promise<{ items: SitrepHead[] }> {
  requirePermission(principal, 'sitrep.read');
  const q = parseInput(sitrepListQuerySchema, input ?? {});
  const rows = await listSitrepRows(ctx.engine.db, principal, q);
  return { items: rows.map((r) => toHead(r)) };
}

async function readableRow(ctx: Ctx, principal: Principal, id: string): Promise<SitrepRow> {
  requirePermission(principal, 'sitrep.read');
  const row = await getSitrepRow(ctx.engine.db, id);
  if (!row) throw new Problem('not_found', `pas de rapport de situation ${id}`);
  requireAudience(principal, row);
  return row;
}

/** One report with its frozen figures. */
export async function getSitrep(ctx: Ctx, principal: Principal, id: string): Promise<Sitrep> {
  const row = await readableRow(ctx, principal, id);
  const figures = await frozenFigures(ctx, row);
  return { ...toHead(row, figures), figures };
}

/** What the HTML and PDF renderers draw, for a reader allowed to open the report; the download is audited. */
export async function sitrepForDownload(ctx: Ctx, principal: Principal, id: string, format: 'html' | 'pdf', lang: SitrepLang): Promise<SitrepModel> {
  const row = await readableRow(ctx, principal, id);
  await mutate(ctx, principal, {
    permission: 'sitrep.read',
    run: async () => ({
      result: undefined,
      audit: {
        action: 'sitrep.download', objectType: 'sitrep', objectId: id, details: { format, lang }, classificationLevel: row.ceiling,
        sharingScope: row.audience === CONFEDERATION_ORG ? 'confederation' : 'national', ownerState: row.audience === CONFEDERATION_ORG ? null : row.audience,
      },
    }),
  });
  return { id: row.id, audience: row.audience, ceiling: row.ceiling, asOf: row.as_of, figures: await frozenFigures(ctx, row) };
}

/** The newest report the reader may open, for the briefing's card (null when none, or no verb). */
export async function latestSitrep(ctx: Ctx, principal: Principal): Promise<SitrepHead | null> {
  requirePermission(principal, 'sitrep.read');
  const row = await latestSitrepRow(ctx.engine.db, principal);
  return row ? toHead(row) : null;
}
