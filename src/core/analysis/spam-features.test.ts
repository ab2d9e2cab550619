/**
 * SPAM features against a plain reference written straight from the
 * definition (Pevný, Bas, Fridrich 2010): every one of the eight directions
 * walked on its own, differences truncated to [-3, 3], transition
 * probabilities P(D3 | D1, D2), straight and diagonal directions averaged.
 * The fast extractor derives four directions from the other four and counts
 * in ring buffers; it must agree to rounding.
 */
import { describe, expect, it } from 'vitest';
import type { PlaneSamples } from '../geometry.ts';
import { mulberry32 } from '../../../test-support/seeded-random.ts';
import { foremanFrames } from '../../../test-support/test-frames.ts';
import { SPAM_BLOCK, SPAM_FEATURES, SPAM_T, SpamExtractor } from './spam-features.ts';

const DIRECTIONS_STRAIGHT: [number, number][] = [[0, 1], [0, -1], [1, 0], [-1, 0]];
const DIRECTIONS_DIAGONAL: [number, number][] = [[1, 1], [-1, -1], [1, -1], [-1, 1]];

function referenceSpam(x: PlaneSamples, w: number, h: number): Float64Array {
  const q = 2 * SPAM_T + 1;
  const out = new Float64Array(SPAM_FEATURES);
  const at = (r: number, c: number) => x[r * w + c];
  const inside = (r: number, c: number) => r >= 0 && r < h && c >= 0 && c < w;
  const trunc = (d: number) => Math.max(-SPAM_T, Math.min(SPAM_T, d)) + SPAM_T;
  const group = (dirs: [number, number][], offset: number) => {
    for (const [dy, dx] of dirs) {
      const n = new Float64Array(q * q * q);
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          if (!inside(r + 3 * dy, c + 3 * dx)) continue;
          const d = [0, 1, 2].map((k) => trunc(at(r + k * dy, c + k * dx) - at(r + (k + 1) * dy, c + (k + 1) * dx)));
          n[d[0] * q * q + d[1] * q + d[2]]++;
        }
      }
      for (let a = 0; a < q; a++) {
        for (let b = 0; b < q; b++) {
          let total = 0;
          for (let u = 0; u < q; u++) total += n[a * q * q + b * q + u];
          if (total === 0) continue;
          for (let u = 0; u < q; u++) out[offset + a * q * q + b * q + u] += n[a * q * q + b * q + u] / total / dirs.length;
        }
      }
    }
  };
  group(DIRECTIONS_STRAIGHT, 0);
  group(DIRECTIONS_DIAGONAL, SPAM_BLOCK);
  return out;
}

function randomPlane(w: number, h: number, max: number, seed: number, bits: 8 | 16): PlaneSamples {
  const r = mulberry32(seed);
  const p = bits === 8 ? new Uint8Array(w * h) : new Uint16Array(w * h);
  // A slope plus small noise, so every truncated difference -3..3 turns up, and some saturate.
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) p[i * w + j] = Math.min(max, Math.max(0, Math.round((max / 2) + 3 * Math.sin(i / 3 + j / 5) * 2 + (r() - 0.5) * 9)));
  return p;
}

describe('SPAM features', () => {
  const ex = new SpamExtractor();

  it('has 2 x 343 features', () => {
    expect(SPAM_BLOCK).toBe(343);
    expect(SPAM_FEATURES).toBe(686);
  });

  for (const [w, h, bits, max] of [
    [31, 23, 8, 255],
    [17, 40, 8, 255],
    [24, 19, 16, 1023],
    [4, 4, 8, 255],
  ] as const) {
    it(`matches the reference on a ${w}x${h} ${bits === 8 ? '8' : '10'}-bit plane`, () => {
      const plane = randomPlane(w, h, max, w * 100 + h, bits);
      const fast = ex.extract(plane, w, h, bits === 8 ? 8 : 10);
      const ref = referenceSpam(plane, w, h);
      for (let i = 0; i < SPAM_FEATURES; i++) expect(fast[i], `feature ${i}`).toBeCloseTo(ref[i], 12);
    });
  }

  it('matches the reference on a real frame (foreman luma, then a narrow chroma plane after it: buffers reused)', () => {
    const { geometry, frames } = foremanFrames();
    for (const p of [0, 1]) {
      const { width, height } = geometry.planes[p];
      const fast = ex.extract(frames[0][p], width, height, 8);
      const ref = referenceSpam(frames[0][p], width, height);
      for (let i = 0; i < SPAM_FEATURES; i++) expect(fast[i], `plane ${p} feature ${i}`).toBeCloseTo(ref[i], 12);
      // Each (D1, D2) row that occurs is a probability distribution: the straight block sums to the rows present.
      let sum = 0;
      for (let i = 0; i < SPAM_BLOCK; i++) sum += fast[i];
      expect(sum).toBeGreaterThan(40);
      expect(sum).toBeLessThanOrEqual(49 + 1e-9);
    }
  });
});
