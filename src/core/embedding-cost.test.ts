import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test-support/seeded-random.ts';
import { HILL_FLAT_COST, HillCost, hillCosts } from './embedding-cost.ts';
import { yuvGeometry } from './geometry.ts';

const FOREMAN = join(import.meta.dirname, '../../../shared/videos/foreman_cif_2frames.yuv');
const FW = 352;
const FH = 288;

/** Planes Y, U, V of frame `f` of the raw yuv420p foreman clip (never lossy-coded). */
function foremanFrame(f: number): Uint8Array[] {
  const bytes = readFileSync(FOREMAN);
  const y = FW * FH;
  const c = (FW / 2) * (FH / 2);
  const at = f * (y + 2 * c);
  return [bytes.subarray(at, at + y), bytes.subarray(at + y, at + y + c), bytes.subarray(at + y + c, at + y + 2 * c)].map((p) => Uint8Array.from(p));
}

function reflect(k: number, n: number): number {
  const period = 2 * n;
  let r = k % period;
  if (r < 0) r += period;
  return r < n ? r : period - 1 - r;
}

/**
 * HILL written straight from its definition (and the authors' MATLAB code):
 * the residual of the 3×3 KB kernel on the symmetric-padded plane, computed
 * also one sample outside the plane, its 3×3 mean, the reciprocal with
 * 1e-10 added, and the 15×15 mean with symmetric padding. Slow and obvious.
 */
function naiveHill(x: ArrayLike<number>, w: number, h: number, bitDepth: number): Float64Array {
  const kb = [
    [-1, 2, -1],
    [2, -4, 2],
    [-1, 2, -1],
  ];
  const scale = 2 ** (bitDepth - 8);
  const px = (i: number, j: number) => x[reflect(j, h) * w + reflect(i, w)];
  const residual = (i: number, j: number) => {
    let r = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) r += kb[dy + 1][dx + 1] * px(i + dx, j + dy);
    return Math.abs(r);
  };
  const inv = new Float64Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += residual(i + dx, j + dy);
      inv[j * w + i] = 1 / (s / 9 / scale + 1e-10);
    }
  }
  const out = new Float64Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let dy = -7; dy <= 7; dy++) for (let dx = -7; dx <= 7; dx++) s += inv[reflect(j + dy, h) * w + reflect(i + dx, w)];
      out[j * w + i] = s / 225;
    }
  }
  return out;
}

function expectClose(actual: Float32Array, expected: Float64Array, label: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (Math.abs(actual[i] - e) > 1e-5 * e) expect(actual[i], `${label}, sample ${i}`).toBeCloseTo(e, 5);
  }
}

describe('HILL embedding costs', () => {
  it('match the definition on planes of any size, flat patches and borders included', () => {
    const rnd = mulberry32(4);
    const sizes: [number, number][] = [[1, 1], [2, 3], [3, 2], [1, 9], [5, 17], [17, 5], [40, 33], [16, 16]];
    const cost = new HillCost();
    for (const [w, h] of sizes) {
      const x = new Uint8Array(w * h);
      for (let i = 0; i < x.length; i++) x[i] = (rnd() * 256) | 0;
      // A flat patch (zero residuals: the flat cost) and a saturated corner.
      for (let j = 0; j < Math.min(h, 8); j++) for (let i = 0; i < Math.min(w, 8); i++) x[j * w + i] = 128;
      for (let j = Math.max(0, h - 4); j < h; j++) for (let i = Math.max(0, w - 4); i < w; i++) x[j * w + i] = 255;
      expectClose(cost.plane(x, w, h, 8), naiveHill(x, w, h, 8), `${w}x${h}`);
    }
    // Whole frames of one value are all flat.
    expect(Array.from(hillCosts(new Uint8Array(64).fill(7), 8, 8, 8)).every((c) => Math.abs(c - HILL_FLAT_COST) < 1e-3 * HILL_FLAT_COST)).toBe(true);
  });

  it('match the definition on a real frame', () => {
    const [y] = foremanFrame(0);
    // A 64×48 crop keeps the slow definition quick.
    const w = 64;
    const h = 48;
    const crop = new Uint8Array(w * h);
    for (let j = 0; j < h; j++) crop.set(y.subarray((100 + j) * FW + 150, (100 + j) * FW + 150 + w), j * w);
    expectClose(hillCosts(crop, w, h, 8), naiveHill(crop, w, h, 8), 'foreman crop');
  });

  it('are higher in smooth areas than in textured ones of a real frame', () => {
    const [y] = foremanFrame(1);
    const costs = hillCosts(y, FW, FH, 8);
    // 8×8 blocks ranked by the variance of their samples.
    const blocks: { variance: number; cost: number }[] = [];
    for (let by = 0; by + 8 <= FH; by += 8) {
      for (let bx = 0; bx + 8 <= FW; bx += 8) {
        let s = 0;
        let s2 = 0;
        let c = 0;
        for (let j = 0; j < 8; j++) {
          for (let i = 0; i < 8; i++) {
            const k = (by + j) * FW + bx + i;
            s += y[k];
            s2 += y[k] * y[k];
            c += costs[k];
          }
        }
        blocks.push({ variance: s2 / 64 - (s / 64) ** 2, cost: c / 64 });
      }
    }
    blocks.sort((a, b) => a.variance - b.variance);
    const tenth = Math.floor(blocks.length / 10);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const smooth = median(blocks.slice(0, tenth).map((b) => b.cost));
    const textured = median(blocks.slice(-tenth).map((b) => b.cost));
    // Measured: 0.49 against 0.115 on this frame.
    expect(smooth).toBeGreaterThan(3 * textured);
    // And throughout: cost falls as variance rises (rank correlation -0.57 here; a smooth
    // gradient has variance but no residual, so the two measures do not agree everywhere).
    const rankOf = (xs: number[]) => {
      const order = xs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      const r = new Array<number>(xs.length);
      order.forEach(([, i], k) => (r[i] = k));
      return r;
    };
    const rv = rankOf(blocks.map((b) => b.variance));
    const rc = rankOf(blocks.map((b) => b.cost));
    const nB = blocks.length;
    let d2 = 0;
    for (let i = 0; i < nB; i++) d2 += (rv[i] - rc[i]) ** 2;
    const spearman = 1 - (6 * d2) / (nB * (nB * nB - 1));
    expect(spearman).toBeLessThan(-0.5);
  });

  it('are the same for a high-bit-depth plane as for the 8-bit plane it was scaled from', () => {
    const [y] = foremanFrame(0);
    const eight = hillCosts(y, FW, FH, 8);
    for (const depth of [10, 12, 16]) {
      const wide = new Uint16Array(y.length);
      for (let i = 0; i < y.length; i++) wide[i] = y[i] << (depth - 8);
      const c = hillCosts(wide, FW, FH, depth);
      for (let i = 0; i < y.length; i += 7) {
        if (Math.abs(c[i] - eight[i]) > 1e-5 * eight[i]) expect(c[i], `${depth}-bit sample ${i}`).toBeCloseTo(eight[i], 5);
      }
    }
  });

  it('give every plane of a frame its costs, reusing buffers', () => {
    const planes = foremanFrame(0);
    const g = yuvGeometry(FW, FH, '420', 2);
    const cost = new HillCost();
    const out = cost.frame(planes, g);
    expect(out.map((p) => p.length)).toEqual([FW * FH, (FW / 2) * (FH / 2), (FW / 2) * (FH / 2)]);
    expect(Array.from(out[1])).toEqual(Array.from(hillCosts(planes[1], FW / 2, FH / 2, 8)));
    const again = cost.frame(planes, g, out);
    expect(again[0]).toBe(out[0]);
    expect(() => cost.frame(planes.slice(0, 2), g)).toThrow(RangeError);
    expect(() => hillCosts(new Uint8Array(4), 2, 2, 7)).toThrow(RangeError);
  });
});
