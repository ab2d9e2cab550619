import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test-support/seeded-random.ts';
import { AdaptiveEmbedder, embedAdaptive, extractAdaptive } from './adaptive-embed.ts';
import { HIDE_DRY_FACTOR } from './adaptive-format.ts';
import { HillCost } from './embedding-cost.ts';
import { yuvGeometry, type FramePlanes } from './geometry.ts';
import { KeyedPermutation } from './keyed-permutation.ts';
import { embedSymbols } from './lsb.ts';
import { Xorshift } from './prng.ts';
import { eligibleSpace, type EligibleSpace } from './sample-order.ts';
import { SampleSet } from './sample-set.ts';
import { StcInfeasibleError, stcParams } from './stc/index.ts';

const FOREMAN = join(import.meta.dirname, '../../../shared/videos/foreman_cif_2frames.yuv');
const W = 352;
const H = 288;
const G = yuvGeometry(W, H, '420', 2);

function foremanFrame(f: number): Uint8Array[] {
  const bytes = readFileSync(FOREMAN);
  const y = W * H;
  const c = (W / 2) * (H / 2);
  const at = f * (y + 2 * c);
  return [bytes.subarray(at, at + y), bytes.subarray(at + y, at + y + c), bytes.subarray(at + y + c, at + y + 2 * c)].map((p) => Uint8Array.from(p));
}

function seed(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

/** The first n keyed positions of a frame, as format 1 chooses them. */
function keyedPositions(s: Uint8Array, space: EligibleSpace, frame: number, n: number): Uint32Array {
  const out = new Uint32Array(n);
  new KeyedPermutation(s, space.size, frame).writeRange(0, n, out);
  return out;
}

/** The samples at `positions` of `space`, as a set of the frame's samples. */
function wetSet(space: EligibleSpace, positions: Uint32Array): SampleSet {
  const set = new SampleSet(W * H * 1.5);
  set.addPositions(space, positions);
  return set;
}

function randomBits(n: number, rnd: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.5 ? 1 : 0;
  return out;
}

/** The sample at eligible index e. */
function sampleAt(planes: FramePlanes, space: EligibleSpace, e: number): number {
  let p = 0;
  while (p + 1 < space.planeCount && e >= space.starts[p + 1]) p++;
  return planes[space.planes[p]][e - space.starts[p]];
}

function costAt(costs: readonly Float32Array[], space: EligibleSpace, e: number): number {
  let p = 0;
  while (p + 1 < space.planeCount && e >= space.starts[p + 1]) p++;
  return costs[space.planes[p]][e - space.starts[p]];
}

describe('adaptive embedding in a frame (STC + HILL + ±1)', () => {
  it('round trips at relative payloads 0.05 to 0.5, each change ±1 and in range', () => {
    const space = eligibleSpace(G, 7);
    const rnd = mulberry32(1);
    const embedder = new AdaptiveEmbedder();
    for (const alpha of [0.05, 0.1, 0.25, 0.5]) {
      const planes = foremanFrame(0);
      const before = planes.map((p) => p.slice());
      const costs = new HillCost().frame(planes, G);
      const n = 40_000;
      const positions = keyedPositions(seed(3), space, 0, n);
      const message = randomBits(Math.round(alpha * n), rnd);
      const r = embedder.embed(planes, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(7) });
      expect(Array.from(embedder.extract(planes, space, positions, message.length)), `alpha=${alpha}`).toEqual(Array.from(message));
      expect(Array.from(extractAdaptive(planes, space, positions, message.length))).toEqual(Array.from(message));
      let changed = 0;
      for (let p = 0; p < 3; p++) {
        for (let k = 0; k < planes[p].length; k++) {
          const d = planes[p][k] - before[p][k];
          if (d !== 0) {
            changed++;
            expect(Math.abs(d)).toBe(1);
          }
        }
      }
      expect(changed).toBe(r.changed);
      // Far fewer changes than the one-in-two of plain LSB matching.
      expect(changed).toBeLessThan(message.length / 3);
    }
  });

  it('changes fewer and cheaper samples than plain LSB matching at the same payload', () => {
    const space = eligibleSpace(G, 7);
    const original = foremanFrame(1);
    const costs = new HillCost().frame(original, G);
    const n = 60_000;
    const m = n / 4;
    const positions = keyedPositions(seed(9), space, 1, n);
    const message = randomBits(m, mulberry32(2));

    const adaptive = original.map((p) => p.slice());
    const r = embedAdaptive(adaptive, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1) });

    // Plain matching, as format 1 does: one bit in each of the first m positions.
    const plain = original.map((p) => p.slice());
    const plainChanged = embedSymbols(plain, space, positions, message, m, 1, 'matching', 255, new Xorshift(1));
    const changedCosts = (planes: FramePlanes) => {
      const out: number[] = [];
      for (const e of positions) if (sampleAt(planes, space, e) !== sampleAt(original, space, e)) out.push(costAt(costs, space, e));
      return out.sort((a, b) => a - b);
    };
    const plainCosts = changedCosts(plain);
    const adaptiveCosts = changedCosts(adaptive);
    const plainCost = plainCosts.reduce((a, b) => a + b, 0);

    // Measured on this frame: 3986 changes against 7527, total cost 559 against 7.3e9 (plain
    // matching changes samples of flat areas, whose cost is near HILL's flat cost).
    expect(adaptiveCosts.length).toBe(r.changed);
    expect(r.changed).toBeLessThan(plainChanged * 0.6);
    expect(r.cost).toBeLessThan(plainCost / 1000);
    // The changes sit where the texture is. Cost quantiles of the changed samples, measured:
    // median 0.13 against 0.26, 90th percentile 0.22 against 0.61, 99th 0.33 against 0.88.
    const q = (xs: number[], f: number) => xs[Math.floor(xs.length * f)];
    expect(q(adaptiveCosts, 0.5)).toBeLessThan(0.6 * q(plainCosts, 0.5));
    expect(q(adaptiveCosts, 0.9)).toBeLessThan(0.5 * q(plainCosts, 0.9));
    expect(q(adaptiveCosts, 0.99)).toBeLessThan(0.5 * q(plainCosts, 0.99));
    expect(adaptiveCosts[adaptiveCosts.length - 1]).toBeLessThan(1e3);
  });

  it('with only the cheapest dry (the hide\'s shortcut), changes the same samples at almost the same cost, and falls back when that leaves no solution', () => {
    const space = eligibleSpace(G, 7);
    const original = foremanFrame(0);
    const costs = new HillCost().frame(original, G);
    const positions = keyedPositions(seed(11), space, 0, space.size); // the whole frame
    const message = randomBits(Math.round(0.02 * space.size), mulberry32(3));
    const all = original.map((p) => p.slice());
    const full = new AdaptiveEmbedder().embed(all, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1) });
    for (const dryFactor of [HIDE_DRY_FACTOR]) {
      const cheap = original.map((p) => p.slice());
      const r = new AdaptiveEmbedder().embed(cheap, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1), dryFactor });
      expect(Array.from(extractAdaptive(cheap, space, positions, message.length))).toEqual(Array.from(message));
      // Measured: 0.13% more cost and 0.7% more changes than the whole cover dry (dry factor 4: 4% and 12%).
      expect(r.cost).toBeLessThan(full.cost * 1.005);
      expect(Math.abs(r.changed - full.changed)).toBeLessThan(full.changed * 0.02);
      // Every change is among the cheapest dryFactor · m samples (to the histogram's 1/128).
      const sorted = Float32Array.from(positions, (e) => costAt(costs, space, e)).sort();
      const bound = sorted[dryFactor * message.length - 1] * (1 + 1 / 64);
      for (const e of positions) if (sampleAt(cheap, space, e) !== sampleAt(original, space, e)) expect(costAt(costs, space, e)).toBeLessThanOrEqual(bound);
    }
    // A dry factor below 1 leaves fewer dry samples than message bits: the embedder tries again with the whole cover.
    const fallback = original.map((p) => p.slice());
    const r = new AdaptiveEmbedder().embed(fallback, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1), dryFactor: 0.5 });
    expect(Array.from(extractAdaptive(fallback, space, positions, message.length))).toEqual(Array.from(message));
    expect(r.changed).toBe(full.changed);
  });

  it('clamps at the ends of the range, 8-bit and 10-bit', () => {
    for (const [depth, max] of [
      [8, 255],
      [10, 1023],
    ] as const) {
      const g = yuvGeometry(64, 64, 'gray', 1, depth);
      const space = eligibleSpace(g, 1);
      const plane = depth === 8 ? new Uint8Array(64 * 64) : new Uint16Array(64 * 64);
      const rnd = mulberry32(depth);
      for (let i = 0; i < plane.length; i++) plane[i] = [0, max, (rnd() * max) | 0][i % 3];
      const before = plane.slice();
      const costs = new HillCost().frame([plane], g);
      const positions = keyedPositions(seed(1), space, 0, plane.length);
      const message = randomBits(plane.length / 2, rnd);
      embedAdaptive([plane], space, costs, positions, message, { maxValue: max, rng: new Xorshift(3) });
      expect(Array.from(extractAdaptive([plane], space, positions, message.length))).toEqual(Array.from(message));
      for (let i = 0; i < plane.length; i++) {
        expect(plane[i]).toBeGreaterThanOrEqual(0);
        expect(plane[i]).toBeLessThanOrEqual(max);
        expect(Math.abs(plane[i] - before[i])).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('a decoy payload (wet-paper coding)', () => {
  it('embeds a second message without touching the first: both come back, the first positions are unchanged', () => {
    const space = eligibleSpace(G, 7);
    const planes = foremanFrame(0);
    const costs = new HillCost().frame(planes, G);
    const rnd = mulberry32(12);

    // The real message, then the decoy over other keyed positions (another password), many shared.
    const first = keyedPositions(seed(1), space, 0, 50_000);
    const real = randomBits(12_500, rnd);
    embedAdaptive(planes, space, costs, first, real, { maxValue: 255, rng: new Xorshift(1) });
    const afterFirst = planes.map((p) => p.slice());

    const second = keyedPositions(seed(2), space, 0, 60_000);
    const decoy = randomBits(12_000, rnd);
    const wet = wetSet(space, first);
    const firstSet = new Set(first);
    let shared = 0;
    for (const e of second) if (firstSet.has(e)) shared++;
    expect(shared).toBeGreaterThan(10_000); // the decoy's cover really overlaps the first's

    const r = embedAdaptive(planes, space, costs, second, decoy, { maxValue: 255, rng: new Xorshift(2), wet });
    expect(r.changed).toBeGreaterThan(0);

    expect(Array.from(extractAdaptive(planes, space, second, decoy.length))).toEqual(Array.from(decoy));
    expect(Array.from(extractAdaptive(planes, space, first, real.length))).toEqual(Array.from(real));
    for (const e of first) expect(sampleAt(planes, space, e)).toBe(sampleAt(afterFirst, space, e));
    // Everything the decoy changed lies outside the first's positions.
    let changed = 0;
    for (let e = 0; e < space.size; e++) {
      if (sampleAt(planes, space, e) !== sampleAt(afterFirst, space, e)) {
        changed++;
        expect(firstSet.has(e)).toBe(false);
      }
    }
    expect(changed).toBe(r.changed);
  });

  it('without the wet positions the decoy would have damaged the first message', () => {
    const space = eligibleSpace(G, 7);
    const planes = foremanFrame(0);
    const costs = new HillCost().frame(planes, G);
    const rnd = mulberry32(12);
    const first = keyedPositions(seed(1), space, 0, 50_000);
    const real = randomBits(12_500, rnd);
    embedAdaptive(planes, space, costs, first, real, { maxValue: 255, rng: new Xorshift(1) });
    const second = keyedPositions(seed(2), space, 0, 60_000);
    embedAdaptive(planes, space, costs, second, randomBits(12_000, rnd), { maxValue: 255, rng: new Xorshift(2) });
    expect(Array.from(extractAdaptive(planes, space, first, real.length))).not.toEqual(Array.from(real));
  });

  it('fails cleanly, changing nothing, when the first payload leaves too little room', () => {
    const space = eligibleSpace(G, 1);
    const planes = foremanFrame(0);
    const costs = new HillCost().frame(planes, G);
    const rnd = mulberry32(5);
    const first = keyedPositions(seed(1), space, 0, 90_000);
    embedAdaptive(planes, space, costs, first, randomBits(30_000, rnd), { maxValue: 255, rng: new Xorshift(1) });
    const before = planes.map((p) => p.slice());
    // The decoy's cover is mostly the first's positions: about 10,000 dry samples for 20,000 bits.
    const second = keyedPositions(seed(2), space, 0, 90_000);
    expect(() =>
      embedAdaptive(planes, space, costs, second, randomBits(20_000, rnd), { maxValue: 255, rng: new Xorshift(2), wet: wetSet(space, first) }),
    ).toThrow(StcInfeasibleError);
    for (let p = 0; p < 3; p++) expect(planes[p]).toEqual(before[p]);
  });

  it('uses the code parameters it is given', () => {
    const space = eligibleSpace(G, 1);
    const planes = foremanFrame(1);
    const costs = new HillCost().frame(planes, G);
    const positions = keyedPositions(seed(4), space, 1, 20_000);
    const message = randomBits(5000, mulberry32(6));
    const params = stcParams(10);
    embedAdaptive(planes, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1), params });
    expect(Array.from(extractAdaptive(planes, space, positions, message.length, params))).toEqual(Array.from(message));
    expect(Array.from(extractAdaptive(planes, space, positions, message.length))).not.toEqual(Array.from(message));
  });
});

describe('a set of a frame\'s samples', () => {
  it('numbers samples across all planes, whatever index space the positions come from', () => {
    const g = yuvGeometry(10, 4, '420', 1); // Y 40, U 10, V 10
    const set = new SampleSet(60);
    set.addPositions(eligibleSpace(g, 0b110), Uint32Array.of(0, 9, 10, 19)); // U[0], U[9], V[0], V[9]
    set.addPositions(eligibleSpace(g, 0b101), Uint32Array.of(3, 45)); // Y[3], V[5]
    set.addPositions(eligibleSpace(g, 0b001), Uint32Array.of(39)); // Y[39]
    expect([...Array(60).keys()].filter((i) => set.has(i))).toEqual([3, 39, 40, 49, 50, 55, 59]);
    expect(set.size()).toBe(7);
    set.clear();
    expect(set.size()).toBe(0);
  });
});
