/**
 * The keyed sample positions are part of format v1: a video hidden by an
 * earlier build must reveal with this one. The fast code (round tables,
 * passes over blocks, one permutation re-keyed per frame, the locator's
 * samples as a bit set) is checked here against format v1's plain
 * implementation, kept unchanged in test-support/sample-order-v1-oracle.ts
 * (a copy of the code as it was before it was made faster), on many seeds,
 * sizes, tweaks and ranges.
 */
import { describe, expect, it } from 'vitest';
import { yuvGeometry, type VideoGeometry } from './geometry.ts';
import { deriveRoundKeys, KeyedPermutation } from './keyed-permutation.ts';
import { Xorshift } from './prng.ts';
import {
  BodySlotOrder,
  bodyFrames,
  bodyLayout,
  eligibleSamplesPerFrame,
  frameSymbolPlan,
  locatorFrame,
  locatorPositions,
  LOCATOR_SAMPLES,
} from './sample-order.ts';
import {
  OraclePermutation,
  oracleAutoFrames,
  oracleLocatorFrame,
  oracleLocatorPositions,
  oracleRoundKeys,
  oracleSlotSampleIndices,
} from '../../test-support/sample-order-v1-oracle.ts';

function seedFrom(rng: Xorshift): Uint8Array {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = rng.nextU32() & 255;
  return s;
}

/** The first index where two lists differ, or -1: a short failure message for long lists. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('the same positions as format v1', () => {
  it('round keys, for 2000 seeds and tweaks', () => {
    const rng = new Xorshift(0x0a11);
    for (let t = 0; t < 2000; t++) {
      const seed = seedFrom(rng);
      const tweak = t % 3 === 0 ? 0xffffffff : rng.nextU32();
      expect(Array.from(deriveRoundKeys(seed, tweak))).toEqual(Array.from(oracleRoundKeys(seed, tweak)));
    }
  });

  it('at(), for every size up to 1100 and 600 random sizes up to 2^52', () => {
    const rng = new Xorshift(0x0a12);
    for (let n = 1; n <= 1100; n++) {
      const seed = seedFrom(rng);
      const tweak = rng.nextU32();
      const fast = new KeyedPermutation(seed, n, tweak);
      const slow = new OraclePermutation(seed, n, tweak);
      for (let i = 0; i < Math.min(n, 64); i++) expect(fast.at(i)).toBe(slow.at(i));
      expect(fast.at(n - 1)).toBe(slow.at(n - 1));
    }
    for (let t = 0; t < 600; t++) {
      const bits = 1 + (rng.nextU32() % 52);
      const n = Math.max(1, Math.floor((rng.nextU32() / 2 ** 32) * 2 ** bits) + (t % 5 === 0 ? 4 ** Math.floor(bits / 2) : 0));
      const size = Math.min(n, 2 ** 52);
      const seed = seedFrom(rng);
      const tweak = rng.nextU32();
      const fast = new KeyedPermutation(seed, size, tweak);
      const slow = new OraclePermutation(seed, size, tweak);
      for (let q = 0; q < 40; q++) {
        const i = Math.floor((rng.nextU32() / 2 ** 32) * size);
        expect(fast.at(i), `n=${size} i=${i}`).toBe(slow.at(i));
      }
    }
  });

  it('writeRange(), with and without round tables, across block boundaries, after re-keying', () => {
    const rng = new Xorshift(0x0a13);
    // Frame sizes: around powers of 4 (cycle walking from 1 to almost 4 steps), a few real frames, a prime.
    const sizes = [4095, 4096, 4097, 65_537, 262_143, 1_000_003, 2_073_600, 3_110_400, 5_529_600, 4 ** 12 - 1, 4 ** 12 + 1];
    for (const n of sizes) {
      const seed = seedFrom(rng);
      const fast = new KeyedPermutation(seed, n, 0);
      for (let trial = 0; trial < 6; trial++) {
        const tweak = trial === 3 ? 0xffffffff : rng.nextU32();
        fast.setTweak(tweak);
        const slow = new OraclePermutation(seed, n, tweak);
        // Short ranges take the at() path, long ones the tables; counts cross the 4096-element blocks.
        const count = Math.min(n, [17, 1500, 4096, 4097, 9000, 20_001][trial]);
        const start = trial % 2 === 0 ? 0 : Math.floor((rng.nextU32() / 2 ** 32) * (n - count));
        const out = new Uint32Array(count);
        fast.writeRange(start, count, out);
        const want = Uint32Array.from({ length: count }, (_, i) => slow.at(start + i));
        expect(firstDifference(out, want), `n=${n} tweak=${tweak} start=${start} count=${count}`).toBe(-1);
      }
    }
  });

  const geometries: [string, VideoGeometry, number][] = [
    ['1080p 4:2:0', yuvGeometry(1920, 1080, '420', 900), 0b111],
    ['1440p 4:2:0, luma only', yuvGeometry(2560, 1440, '420', 300), 0b001],
    ['854x480 4:2:2 10-bit, chroma only', yuvGeometry(854, 480, '422', 50, 10), 0b110],
    ['64x48 gray', yuvGeometry(64, 48, 'gray', 7), 0b001],
  ];

  for (const [name, g, mask] of geometries) {
    it(`locator, frames and every carrier frame's slots: ${name}`, () => {
      const rng = new Xorshift(0x0a14 + g.planes[0].width);
      for (let trial = 0; trial < 3; trial++) {
        const locSeed = seedFrom(rng);
        const bodySeed = seedFrom(rng);
        const f0 = locatorFrame(locSeed, g);
        expect(f0).toBe(oracleLocatorFrame(locSeed, g.frameCount));
        const luma = g.planes[0].width * g.planes[0].height;
        const loc = locatorPositions(locSeed, g, f0);
        expect(firstDifference(loc, oracleLocatorPositions(locSeed, luma, f0))).toBe(-1);

        const perFrame = eligibleSamplesPerFrame(g, mask);
        const n = Math.min(g.frameCount, 5);
        const auto = bodyFrames(bodySeed, f0, g, { kind: 'auto', frameCount: n });
        expect(Array.from(auto)).toEqual(Array.from(oracleAutoFrames(bodySeed, g.frameCount, n)));

        // Frames around f0, so the slots that skip the locator are among them; full frames in the small geometry.
        const first = Math.max(0, Math.min(f0 - 1, g.frameCount - 3));
        const frames = bodyFrames(bodySeed, f0, g, { kind: 'ranges', ranges: [{ start: first, count: 3 }] });
        const lumaEligible = (mask & 1) !== 0;
        const capacity = 3 * perFrame - (lumaEligible ? LOCATOR_SAMPLES : 0);
        const symbols = perFrame < 10_000 ? capacity : Math.min(capacity, 3 * 40_000 + trial);
        const layout = bodyLayout(frames, g, mask, 1, symbols, f0);
        const order = new BodySlotOrder(bodySeed, layout, loc);
        const out = new Uint32Array(perFrame);
        // In reverse, and f0 twice, to check nothing of one frame stays for the next.
        const ks = [2, 1, 0, layout.locatorListIndex >= 0 ? layout.locatorListIndex : 0];
        for (const k of ks) {
          const fp = frameSymbolPlan(layout, k);
          order.slots(fp.frameIndex, fp.count, out);
          const skip = fp.frameIndex === f0 && lumaEligible ? loc : null;
          const want = oracleSlotSampleIndices(bodySeed, perFrame, fp.frameIndex, fp.count, skip);
          expect(firstDifference(out.subarray(0, fp.count), want), `frame ${fp.frameIndex} of ${name}`).toBe(-1);
        }
      }
    });
  }
});
