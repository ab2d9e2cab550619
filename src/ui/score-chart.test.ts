import { describe, expect, it } from 'vitest';
import { VERDICT_THRESHOLDS as T } from '../core/analysis/calibration-data.ts';
import { DETECTORS, frameVerdict, type PlaneEvidence } from '../core/analysis/verdict.ts';
import type { AnalyzedFrame } from '../media/shared/engine-api.ts';
import { flagLines, framePoint, keyStep, nearestFrame, niceStep, place, relativeScore, xTicks, yScale } from './score-chart.ts';

const plane = (over: Partial<PlaneEvidence> = {}): PlaneEvidence => ({
  chiSquareP: 0,
  chiSquareSequential: 0,
  rs: 0,
  spa: 0,
  ws: 0,
  structuralRate: 0,
  residual: 0,
  flatShare: 0.3,
  temporal: 0,
  ...over,
});

function frameOf(planes: PlaneEvidence[]): AnalyzedFrame {
  const v = frameVerdict(planes, T);
  return { index: 0, verdict: v.verdict, flagged: [...v.flagged], planes };
}

describe('the relative series', () => {
  it("is the highest score over its flag threshold, over detectors and the first three planes", () => {
    const f = frameOf([plane({ residual: T.luma.residual.flag * 0.5 }), plane({ temporal: T.chroma.temporal.flag * 0.8 }), plane(), plane({ residual: 1e6 })]);
    expect(relativeScore(f, DETECTORS, T)).toBeCloseTo(0.8, 12);
    expect(framePoint(f, 'relative', DETECTORS, T).luma).toBeCloseTo(0.8, 12);
    expect(framePoint(f, 'relative', DETECTORS, T).chroma).toBeNaN();
  });

  it('is above 1 exactly when the verdict flags the frame', () => {
    const just = (k: number) => frameOf([plane({ residual: T.luma.residual.flag * k }), plane(), plane()]);
    expect(just(1.01).verdict).not.toBe('clean');
    expect(relativeScore(just(1.01), DETECTORS, T)).toBeGreaterThan(1);
    expect(just(0.99).verdict).toBe('clean');
    expect(relativeScore(just(0.99), DETECTORS, T)).toBeLessThan(1);
  });

  it('reads only the detectors given, and ignores unread (NaN) scores', () => {
    const f = frameOf([plane({ residual: T.luma.residual.flag * 3, temporal: Number.NaN }), plane(), plane()]);
    expect(relativeScore(f, ['structural', 'temporal'], T)).toBe(0);
    expect(relativeScore(frameOf([plane({ temporal: Number.NaN })]), ['temporal'], T)).toBeNaN();
  });

  it('draws one flag line at 1; a detector draws its luma and colour flags', () => {
    expect(flagLines('relative', T)).toEqual([{ value: 1, label: 'flag threshold' }]);
    expect(flagLines('residual', T).map((l) => l.value)).toEqual([T.luma.residual.flag, T.chroma.residual.flag]);
  });

  it("plots a detector's own luma and colour scores", () => {
    const f = frameOf([plane({ structuralRate: 0.01 }), plane({ structuralRate: 0.03 }), plane({ structuralRate: 0.02 })]);
    expect(framePoint(f, 'structural', DETECTORS, T)).toEqual({ luma: 0.01, chroma: 0.03 });
  });
});

describe('the scales', () => {
  it('picks round steps', () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(24)).toBe(5);
    expect(niceStep(4)).toBe(1);
    expect(niceStep(0.07)).toBeCloseTo(0.02, 12);
    expect(niceStep(0)).toBe(1);
  });

  it('holds every finite value and line, from 0 or below, with round ticks inside', () => {
    const s = yScale([0.2, 3.7, Number.NaN, -0.4], [1]);
    expect(s.min).toBeLessThanOrEqual(-0.4);
    expect(s.max).toBeGreaterThan(3.7);
    expect(s.ticks[0]).toBe(s.min);
    expect(s.ticks.at(-1)).toBeLessThanOrEqual(s.max);
    expect(s.ticks).toContain(0);
    const step = s.ticks[1] - s.ticks[0];
    for (const t of s.ticks) expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-9);
    // Small rates keep short, exact tick labels.
    const rates = yScale([0.012, 0.031], [0.0448, 0.0443]);
    expect(rates.max).toBeGreaterThan(0.0448);
    for (const t of rates.ticks) expect(String(t).length).toBeLessThanOrEqual(5);
    // Only lines: the lines set the range.
    expect(yScale([Number.NaN], [1]).max).toBeGreaterThan(1);
  });

  it('puts round frame numbers on the x axis, within the video', () => {
    expect(xTicks(120)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(xTicks(1)).toEqual([0]);
    expect(xTicks(3)).toEqual([0, 1, 2]);
    for (const t of xTicks(98_765)) expect(t).toBeLessThanOrEqual(98_764);
  });

  it('places values on an axis, holding those outside at its ends (y grows upwards)', () => {
    const s = { min: 0, max: 2 };
    expect(place(1, s, 200, 0)).toBe(100);
    expect(place(0, s, 200, 0)).toBe(200);
    expect(place(5, s, 200, 0)).toBe(0);
    expect(place(-1, s, 200, 0)).toBe(200);
  });
});

describe('reading the chart', () => {
  it('finds the analysed frame nearest to a position', () => {
    const idx = [0, 1, 2, 50, 51, 52, 100];
    expect(nearestFrame(idx, -5)).toBe(0);
    expect(nearestFrame(idx, 20)).toBe(2);
    expect(nearestFrame(idx, 30)).toBe(3);
    expect(nearestFrame(idx, 51.4)).toBe(4);
    expect(nearestFrame(idx, 1e9)).toBe(6);
    expect(nearestFrame([], 3)).toBe(-1);
  });

  it('moves with the arrow keys, Home, End and Page Up/Down, staying within the frames', () => {
    expect(keyStep('ArrowRight', 3, 10)).toBe(4);
    expect(keyStep('ArrowLeft', 0, 10)).toBe(0);
    expect(keyStep('ArrowRight', 9, 10)).toBe(9);
    expect(keyStep('End', 2, 10)).toBe(9);
    expect(keyStep('Home', 7, 10)).toBe(0);
    expect(keyStep('PageUp', 5, 10)).toBe(9);
    expect(keyStep('PageDown', 5, 10)).toBe(0);
    expect(keyStep('a', 5, 10)).toBeUndefined();
    expect(keyStep('ArrowRight', 0, 0)).toBeUndefined();
  });
});
