/**
 * The chi-square distribution against SciPy's (1.17, scipy.stats.chi2.sf),
 * and the Westfeld-Pfitzmann attack on real raw frames: near 1 for a plane
 * fully written by LSB replacement, near 0 for clean planes and for LSB
 * matching, and along the scan the length of a sequential message.
 */
import { describe, expect, it } from 'vitest';
import { foremanFrames } from '../../../test-support/test-frames.ts';
import { embedCopy } from '../../../test-support/synthetic-embedding.ts';
import { chiSquareSurvival, logGamma } from './chi-square-distribution.ts';
import { ChiSquareScanner } from './chi-square-attack.ts';

describe('chi-square distribution', () => {
  // [x, degrees of freedom, scipy.stats.chi2.sf(x, df)]
  const reference: [number, number, number][] = [
    [3.841458820694124, 1, 0.04999999999999989],
    [18.307038053275146, 10, 0.05000000000000005],
    [124.342, 100, 0.05000071576997178],
    [1074.679, 1000, 0.05000098659539485],
    [50, 99, 0.9999900545468124],
    [10, 2, 0.006737946999085468],
    [0.5, 3, 0.9188914116546758],
    [200, 127, 3.82824834623649e-5],
    [33500, 32767, 0.002221632710123127],
  ];
  for (const [x, df, p] of reference) {
    it(`P(X > ${x}) with ${df} degrees of freedom = ${p}`, () => {
      expect(Math.abs(chiSquareSurvival(x, df) - p)).toBeLessThan(1e-9 * Math.max(1, p * 1e3));
      expect(chiSquareSurvival(x, df) / p).toBeCloseTo(1, 7);
    });
  }

  it('log-gamma matches factorials', () => {
    let lf = 0;
    for (let n = 1; n < 60; n++) {
      expect(logGamma(n)).toBeCloseTo(lf, 9);
      lf += Math.log(n);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});

describe('chi-square attack on the raw foreman frames', () => {
  const { geometry, frames } = foremanFrames();
  const shape = { planes: geometry.planes, bitDepth: 8 };
  const scanner = new ChiSquareScanner(8);

  for (const [f, frame] of frames.entries()) {
    it(`frame ${f}: clean planes read p near 0, fully embedded near 1`, () => {
      const full = embedCopy(frame, shape, 1, 10 + f, 'replacement');
      // Luma has over a hundred pairs of values in use; the small chroma planes some thirty, so their p-value scatters more.
      expect(scanner.p(full[0])).toBeGreaterThan(0.99);
      for (let p = 0; p < 3; p++) {
        expect(scanner.p(frame[p])).toBeLessThan(1e-3);
        expect(scanner.p(full[p])).toBeGreaterThan(0.5);
        // Matching leaves the pairs of values as they were.
        const matched = embedCopy(frame, shape, 1, 20 + f, 'matching');
        expect(scanner.p(matched[p])).toBeLessThan(1e-3);
      }
    });

    it(`frame ${f}: along the scan, a sequential message's length`, () => {
      const y = frame[0];
      const clean = scanner.scan(y);
      expect(clean.sequentialFraction).toBe(0);
      for (const rate of [0.1, 0.3, 0.5, 1]) {
        const stego = embedCopy(frame, shape, rate, 30 + f, 'replacement', true)[0];
        const scan = scanner.scan(stego);
        // Every prefix inside the message reads as embedded; the reading runs on past its end while
        // the embedded part still dominates the prefix, but not over the whole plane.
        expect(scan.sequentialFraction).toBeGreaterThanOrEqual(rate - 1 / scan.steps);
        if (rate <= 0.5) expect(scan.sequentialFraction).toBeLessThan(1);
        for (let s = 0; s < Math.floor(rate * scan.steps); s++) expect(scanner.prefixP[s]).toBeGreaterThan(0.5);
      }
      // Fully sequential: p near 1 over the whole plane.
      expect(scanner.scan(embedCopy(frame, shape, 1, 40 + f, 'replacement', true)[0]).p).toBeGreaterThan(0.99);
    });
  }

  it('reads 10-bit planes: 1024 bins', () => {
    // A 10-bit plane using even values only (the foreman luma times 4): pairs as unequal as can be.
    const y = frames[0][0];
    const ten = Uint16Array.from(y, (v) => 4 * v);
    const s10 = new ChiSquareScanner(10);
    expect(s10.bins).toBe(1024);
    expect(s10.p(ten)).toBeLessThan(1e-6);
    const full = embedCopy([ten], { planes: [geometry.planes[0]], bitDepth: 10 }, 1, 5, 'replacement')[0];
    expect(s10.p(full)).toBeGreaterThan(0.99);
    expect(s10.scan(full).sequentialFraction).toBe(1);
  });
});
