import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One measured figure: Vigie next to the baseline measured in the same run. Appended to bench/results/latest.jsonl. */
export interface Figure {
  workload: string;
  engine: string;
  metric: string;
  vigie: number;
  baseline: number;
  /** vigie / baseline. */
  ratio: number;
  unit: string;
  size: number;
  commit: string;
}

/** What "good" means for a figure, printed next to it. */
export interface Goal {
  /** 'min': the ratio must be at least `ratio` (throughput); 'max': at most (latency, memory). */
  kind: 'min' | 'max';
  ratio: number;
}

export const RESULTS_FILE = path.resolve(import.meta.dirname, '../results/latest.jsonl');

/** The short commit checked out when the benchmark started (read at once: a long run must not pick up later commits). */
const START_COMMIT = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: path.resolve(import.meta.dirname, '../..'), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

/** The short commit the figures belong to. */
export const currentCommit = (): string => START_COMMIT;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function figure(f: Omit<Figure, 'ratio' | 'commit'>): Figure {
  const ratio = f.baseline > 0 ? f.vigie / f.baseline : Number.NaN;
  return { ...f, vigie: round(f.vigie, 3), baseline: round(f.baseline, 3), ratio: round(ratio, 3), commit: currentCommit() };
}

/** Appends one JSON object per figure to bench/results/latest.jsonl. */
export function recordFigures(figures: readonly Figure[]): void {
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.appendFileSync(RESULTS_FILE, figures.map((f) => JSON.stringify(f)).join('\n') + '\n');
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));

/** Prints figures as a table, with each goal and whether it is met. */
export function printTable(title: string, figures: readonly Figure[], goals: Record<string, Goal> = {}): void {
  const rows = figures.map((f) => {
    const goal = goals[`${f.workload}/${f.metric}`];
    const met = goal ? (goal.kind === 'min' ? f.ratio >= goal.ratio : f.ratio <= goal.ratio) : undefined;
    return [
      f.workload, f.engine, f.metric, `${fmt(f.vigie)} ${f.unit}`, `${fmt(f.baseline)} ${f.unit}`, `${f.ratio.toFixed(2)}×`,
      goal ? `${goal.kind === 'min' ? '≥' : '≤'} ${goal.ratio}× ${met ? 'ok' : 'MISSED'}` : '',
    ];
  });
  const head = ['workload', 'engine', 'metric', 'vigie', 'baseline', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
