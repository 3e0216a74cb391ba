import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A uPlot chart that follows its container's width; `onPick` gets the index of a clicked x value. */
export function UPlotChart({ options, data, onPick, label, testId }: { options: Omit<Options, 'width'>; data: AlignedData; onPick?(idx: number): void; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = () => Math.max(260, el.clientWidth);
    const chart = new uPlot({ ...options, width: width() }, data, el);
    chart.over.addEventListener('click', () => {
      const idx = chart.cursor.idx;
      if (idx !== null && idx !== undefined) pick.current?.(idx);
    });
    const ro = new ResizeObserver(() => chart.setSize({ width: width(), height: options.height }));
    ro.observe(el);
    el.dataset.ready = data[0].length > 0 ? 'true' : 'false';
    return () => { ro.disconnect(); chart.destroy(); };
  }, [options, data]);
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
