import cliProgress from 'cli-progress';

/** A progress bar on stderr (so stdout stays clean for scripts); silent when stderr is not a terminal. */
export function progressBar(label: string, total: number): { tick(n?: number): void; update(n: number, total?: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let value = 0;
  return {
    tick(n = 1) {
      value += n;
      bar.update(value);
    },
    update(n, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      value = n;
      bar.update(n);
    },
    stop() {
      bar.stop();
    },
  };
}
