/** uPlot options for the dashboard's charts: stacked monthly bars by type, and a share line. */
import type uPlot from 'uplot';
import type { AlignedData, Options, Series } from 'uplot';
import { loadedUPlot } from '../../ui/charts/UPlotChart';
import { stackSeries } from './dashboard-data';

/** Colour-blind-safe palette (Okabe–Ito), one colour per event type in taxonomy order. */
export const TYPE_COLOURS = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#999999'];

const monthAxis = (fmt: (month: string) => string) => ({
  values: (_u: uPlot, ticks: number[]) => ticks.map((s) => fmt(new Date(s * 1000).toISOString().slice(0, 7))),
  space: 60,
});

/** Where the running period's band starts (an x value: its left edge) and the words drawn over it: its figures are partial. */
export interface PartialPeriod { from: number; label: string }

/** Greys the running period's part of the plot and names it, so a one-day-old month is not read as a full one. */
export function partialHook(partial: PartialPeriod | undefined): Pick<Options, 'hooks'> {
  if (!partial) return {};
  return {
    hooks: {
      draw: [(u: uPlot) => {
        const { ctx, bbox } = u;
        const x0 = Math.max(bbox.left, u.valToPos(partial.from, 'x', true));
        const right = bbox.left + bbox.width;
        if (x0 >= right) return;
        ctx.save();
        ctx.fillStyle = 'rgba(110, 110, 110, 0.14)';
        ctx.fillRect(x0, bbox.top, right - x0, bbox.height);
        ctx.fillStyle = '#444';
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        ctx.textAlign = 'right';
        ctx.fillText(partial.label, right - 3 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
        ctx.restore();
      }],
    },
  };
}

/** Stacked bars: each series is drawn as its cumulative top, largest first, so the stack shows; the legend shows raw values. */
export function stackedBarsChart(x: number[], series: { label: string; colour: string; values: number[] }[], xLabel: string, fmtMonth: (m: string) => string, fmtNum: (n: number) => string, height = 260, partial?: PartialPeriod): { options: Omit<Options, 'width'>; data: AlignedData } {
  const stacked = stackSeries(series.map((s) => s.values));
  const order = series.map((_, k) => k).reverse();
  // uPlot itself loads with the chart (UPlotChart), not with the first view: the bar path builder is made when the
  // chart first draws.
  let builder: Series.PathBuilder | undefined;
  const bars: Series.PathBuilder = (u, seriesIdx, idx0, idx1) => {
    builder ??= loadedUPlot().paths.bars?.({ size: [0.8, 40], align: 0 });
    return builder ? builder(u, seriesIdx, idx0, idx1) : null;
  };
  return {
    options: {
      height,
      ...partialHook(partial),
      legend: { live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [monthAxis(fmtMonth), { values: (_u: uPlot, ticks: number[]) => ticks.map(fmtNum), size: 50 }],
      series: [
        { label: xLabel, value: (_u: uPlot, v: number | null) => (v === null ? '' : fmtMonth(new Date(v * 1000).toISOString().slice(0, 7))) },
        ...order.map((k) => ({
          label: series[k].label, fill: series[k].colour, stroke: series[k].colour, width: 0, paths: bars, points: { show: false },
          value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? '—' : fmtNum(series[k].values[idx] ?? 0)),
        })),
      ],
    },
    data: [x, ...order.map((k) => stacked[k])] as AlignedData,
  };
}

/** A line of shares (0–1) shown as percentages. */
export function shareLineChart(x: number[], values: (number | null)[], xLabel: string, label: string, colour: string, fmtMonth: (m: string) => string, fmtPct: (r: number) => string, height = 220, partial?: PartialPeriod): { options: Omit<Options, 'width'>; data: AlignedData } {
  return {
    options: {
      height,
      ...partialHook(partial),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [monthAxis(fmtMonth), { values: (_u: uPlot, ticks: number[]) => ticks.map(fmtPct), size: 50 }],
      series: [
        { label: xLabel, value: (_u: uPlot, v: number | null) => (v === null ? '' : fmtMonth(new Date(v * 1000).toISOString().slice(0, 7))) },
        { label, stroke: colour, width: 2, points: { show: true, size: 5 }, spanGaps: false, value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmtPct(v)) },
      ],
    },
    data: [x, values] as AlignedData,
  };
}
