import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import type { AlignedData, Options } from 'uplot';
import { useLang } from '../../i18n';
import { formatDate, formatNumber, type Lang } from '../../i18n/format';

/**
 * Legend words and values in the reader's language: uPlot's own « Time » / « Value » label for the x series and its
 * browser-locale numbers give way to the page's x label (the period by default) and Intl formats; the x value in the
 * legend is written as its axis writes it.
 */
export function localiseOptions(options: Omit<Options, 'width'>, lang: Lang, xLabel: string): Omit<Options, 'width'> {
  const [x = {}, ...ys] = options.series;
  const tick = options.axes?.[0]?.values;
  const time = options.scales?.x?.time ?? true;
  const xValue = (u: uPlot, v: number | null): string => {
    if (v === null || v === undefined) return '—';
    if (typeof tick === 'function') return String((tick as (u: uPlot, t: number[], a: number, s: number, i: number) => unknown[])(u, [v], 0, 0, 0)[0] ?? '');
    return time ? formatDate(new Date(v * 1000).toISOString(), lang) : formatNumber(v, lang, Number.isInteger(v) ? 0 : 1);
  };
  const yValue = (_u: uPlot, v: number | null): string => (v === null || v === undefined ? '—' : formatNumber(v, lang, Number.isInteger(v) ? 0 : 1));
  return {
    ...options,
    series: [
      { ...x, label: x.label ?? xLabel, value: x.value ?? xValue },
      ...ys.map((y) => ({ ...y, value: y.value ?? yValue })),
    ],
  };
}

let loaded: typeof uPlot | undefined;
const loadUPlot = (): Promise<typeof uPlot> => import('./uplot-lib').then((m) => (loaded = m.default));

/** uPlot's class once a chart has loaded it: for what runs while a chart draws (e.g. path builders). */
export function loadedUPlot(): typeof uPlot {
  if (!loaded) throw new Error('uPlot is used before a chart loaded it');
  return loaded;
}

/** A uPlot chart that follows its container's width; `onPick` gets the index of a clicked x value. */
export function UPlotChart({ options, data, onPick, label, testId, xLabel }: { options: Omit<Options, 'width'>; data: AlignedData; onPick?(idx: number): void; label: string; testId?: string; xLabel?: string }) {
  const { t, lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = () => Math.max(260, el.clientWidth);
    let chart: uPlot | undefined;
    let ro: ResizeObserver | undefined;
    let gone = false;
    // uPlot (and its style sheet) load with the first chart, not with the first view.
    void loadUPlot().then((UPlot) => {
      if (gone) return;
      const c = new UPlot({ ...localiseOptions(options, lang, xLabel ?? t('common.period')), width: width() }, data, el);
      chart = c;
      c.over.addEventListener('click', () => {
        const idx = c.cursor.idx;
        if (idx !== null && idx !== undefined) pick.current?.(idx);
      });
      ro = new ResizeObserver(() => c.setSize({ width: width(), height: options.height }));
      ro.observe(el);
      el.dataset.ready = data[0].length > 0 ? 'true' : 'false';
    });
    return () => { gone = true; ro?.disconnect(); chart?.destroy(); };
  }, [options, data, lang, xLabel, t]);
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
