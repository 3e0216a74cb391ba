/**
 * What `serve` starts for the alert rules: the watcher that evaluates every change incrementally after commit
 * (watchIncidentChanges) and the scheduled full run, kept as a safety net (startAlertSchedule).
 */
import type { Ctx } from '../context.js';
import type { DomainEvents, IncidentCell } from '../events.js';
import type { Principal } from '../principal.js';
import { evaluateChanges, refreshAlertFigures, runAlertRules } from './alert-rules.service.js';
import { ChangeQueue } from './change-queue.js';
import { loadRulesConfig, type RulesConfig } from './rules-config.js';

/** A running watcher of incident changes: `idle()` resolves once every change seen so far has been evaluated. */
export interface ChangeWatcher {
  (): void;
  idle(): Promise<void>;
}

/**
 * Evaluates the rules incrementally after incidents change (ctx.events 'incident.changed', emitted after commit by
 * the one mutation path, with the cells each change touched): changes within `debounceMs` (default 100 ms) of each
 * other, and those that arrive during a run, are folded into one run (ChangeQueue). New alerts are issued at once
 * and the figures of the existing ones re-computed. Returns the stop function (with `idle`).
 */
export function watchIncidentChanges(
  ctx: Ctx, principal: Principal, options: { debounceMs?: number; config?: RulesConfig; log?: (msg: string) => void; asOf?: () => string } = {},
): ChangeWatcher {
  const queue = new ChangeQueue<IncidentCell>(async (cells) => {
    try {
      await evaluateChanges(ctx, principal, cells, { config: options.config, asOf: options.asOf?.() });
    } catch (e) {
      options.log?.(`alertes : évaluation des changements en échec (${(e as Error).message})`);
    }
  }, options.debounceMs ?? 100);
  const onChange = (change: DomainEvents['incident.changed']) => queue.push(change.cells);
  ctx.events.on('incident.changed', onChange);
  const stop = () => {
    ctx.events.off('incident.changed', onChange);
    queue.stop();
  };
  return Object.assign(stop, { idle: () => queue.idle() });
}

/**
 * The in-process schedule started by `serve`: runs the rules every `interval_minutes` (0: off), and re-computes the
 * alerts' figures whenever incidents change (always, whatever the interval). Returns a stop function.
 */
export function startAlertSchedule(ctx: Ctx, principal: Principal, config: RulesConfig = loadRulesConfig(), log: (msg: string) => void = () => undefined): () => void {
  const stopWatch = watchIncidentChanges(ctx, principal, { config, log });
  // Once at start: alerts stored before figures were kept per audience, or while the process was down, get theirs.
  refreshAlertFigures(ctx, principal, { config }).catch((e: Error) => log(`alertes : recalcul des chiffres en échec (${e.message})`));
  const minutes = config.schedule.interval_minutes;
  if (minutes <= 0) return stopWatch;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const res = await runAlertRules(ctx, principal, { config });
      if (res.issued) log(`règles d’alerte : ${res.issued} ${res.issued === 1 ? 'alerte émise' : 'alertes émises'}`);
    } catch (e) {
      log(`règles d’alerte : échec (${(e as Error).message})`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), minutes * 60_000);
  timer.unref();
  void tick();
  return () => {
    clearInterval(timer);
    stopWatch();
  };
}
