/**
 * The Analyze screen's per-frame chart, as numbers: which score a series
 * plots, the y scale with the flag thresholds inside it, round tick values,
 * and where a frame sits on the x axis. Pure, so the drawing component only
 * maps these to SVG.
 */
import type { Detector, VerdictThresholds } from '../core/analysis/verdict.ts';
import type { AnalyzedFrame } from '../media/shared/engine-api.ts';
import { planeScores } from './analysis-summary.ts';

/** What the chart plots: every detector against its own flag threshold, or one detector's own scores. */
export type ChartSeries = 'relative' | Detector;

/** A frame's values in a series: luma and the higher chroma plane (NaN when unread); `relative` has one value, in `luma`. */
export interface FramePoint {
  readonly luma: number;
  readonly chroma: number;
}

/** The flag lines a series draws: one for the relative series (at 1), luma and colour for a detector. */
export interface FlagLine {
  readonly value: number;
  readonly label: string;
}

/**
 * The frame's strongest reading relative to its flag threshold: the highest
 * score / flag over the detectors read and the first three planes. 1 is the
 * flag line; above it, the frame is flagged by at least that detector.
 */
export function relativeScore(frame: AnalyzedFrame, detectors: readonly Detector[], t: VerdictThresholds): number {
  let best = Number.NaN;
  for (const d of detectors) {
    const { luma, chroma } = planeScores(frame, d);
    const l = t.luma[d].flag > 0 ? luma / t.luma[d].flag : Number.NaN;
    const c = t.chroma[d].flag > 0 ? chroma / t.chroma[d].flag : Number.NaN;
    for (const v of [l, c]) if (Number.isFinite(v) && (Number.isNaN(best) || v > best)) best = v;
  }
  return best;
}

/** The frame's point in a series. */
export function framePoint(frame: AnalyzedFrame, series: ChartSeries, detectors: readonly Detector[], t: VerdictThresholds): FramePoint {
  if (series === 'relative') return { luma: relativeScore(frame, detectors, t), chroma: Number.NaN };
  return planeScores(frame, series);
}

/** The flag thresholds a series draws. */
export function flagLines(series: ChartSeries, t: VerdictThresholds): FlagLine[] {
  if (series === 'relative') return [{ value: 1, label: 'flag threshold' }];
  return [
    { value: t.luma[series].flag, label: 'luma flag threshold' },
    { value: t.chroma[series].flag, label: 'colour flag threshold' },
  ];
}

/** A y scale: its range and round tick values inside it. */
export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** The round step (1, 2 or 5 times a power of ten) nearest to cutting `span` into `count` parts. */
export function niceStep(span: number, count = 4): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * The y scale for these values and lines: from 0 (or below, for negative
 * scores) to a round value above the largest, so every finite value and
 * every flag line is inside, with ticks on round steps. NaN values are
 * ignored; with none, the lines alone set the range.
 */
export function yScale(values: readonly number[], lines: readonly number[]): Scale {
  let lo = 0;
  let hi = 0;
  for (const v of [...values, ...lines]) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi <= lo) hi = lo + 1;
  // Room above the highest flag line, so marks just over it show as over it.
  const step = niceStep((hi - lo) * 1.1);
  const min = Math.floor(lo / step) * step;
  let max = Math.ceil((hi * 1.05) / step) * step;
  if (max <= hi) max += step;
  const ticks: number[] = [];
  for (let k = 0; ; k++) {
    // Ticks built from integers, so 0.1 + 0.2 never shows as 0.30000000000000004.
    const v = roundTo(min + k * step, step);
    if (v > max + step * 1e-9) break;
    ticks.push(v);
  }
  return { min, max, ticks };
}

function roundTo(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(12, digits)));
}

/** Round frame numbers for the x axis over frames 0 .. frameCount - 1. */
export function xTicks(frameCount: number, count = 5): number[] {
  const last = Math.max(0, frameCount - 1);
  if (last === 0) return [0];
  const step = Math.max(1, niceStep(last, count));
  const out: number[] = [];
  for (let v = 0; v <= last; v += step) out.push(v);
  return out;
}

/** Where value `v` of a scale lands on an axis drawn from `from` (at scale.min) to `to` (at scale.max); values outside are held at the ends. */
export function place(v: number, scale: { readonly min: number; readonly max: number }, from: number, to: number): number {
  const span = scale.max - scale.min;
  const f = span > 0 ? (Math.min(scale.max, Math.max(scale.min, v)) - scale.min) / span : 0;
  return from + f * (to - from);
}

/** The analysed frame nearest to frame number `x` (frames sorted by index); -1 when there are none. */
export function nearestFrame(indices: readonly number[], x: number): number {
  if (indices.length === 0) return -1;
  let lo = 0;
  let hi = indices.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && x - indices[lo - 1] <= indices[lo] - x ? lo - 1 : lo;
}

/** The position after a key press on the chart (arrows, Home, End, Page Up and Down by ten); undefined for other keys. */
export function keyStep(key: string, at: number, length: number): number | undefined {
  if (length === 0) return undefined;
  const clamp = (i: number) => Math.min(length - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(at + 1);
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(at - 1);
    case 'PageUp':
      return clamp(at + 10);
    case 'PageDown':
      return clamp(at - 10);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return undefined;
  }
}
