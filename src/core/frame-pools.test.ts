/**
 * Frames listed cheapest first (an H.264 video's carrier pictures, found as
 * they are asked for): the keyed choices keep to a prefix of the list and ask
 * for no more of it, the round trip holds, a list shorter than the video
 * takes all its frames, and the layout of every other video is the one format
 * v1 has always had.
 */
import { describe, expect, it } from 'vitest';
import { NothingFoundError, PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import { yuvGeometry, type PlaneSamples, type VideoGeometry } from './geometry.ts';
import type { KdfParams } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { BODY_POOL_FACTOR, bodyFrames, bodyPool, LOCATOR_POOL, locatorFrame, locatorPool, type CandidateFrames } from './sample-order.ts';
import { DEFAULT_HIDE_SETTINGS } from './settings.ts';
import { framesToEmbed, planHide, revealFromFrames, embedInFrame } from './stego.ts';

const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];

function video(g: VideoGeometry, seed: number): PlaneSamples[][] {
  const rng = new Xorshift(new Uint8Array(16).fill(seed));
  return Array.from({ length: g.frameCount }, () =>
    g.planes.map((p) => {
      const a = new Uint8Array(p.width * p.height);
      for (let i = 0; i < a.length; i++) a[i] = 16 + (rng.nextU32() % 200);
      return a;
    }),
  );
}

/** A list of `total` candidates that records the most it was asked for. */
function candidates(total: number): CandidateFrames & { asked: number } {
  const list = {
    asked: 0,
    count(limit: number) {
      list.asked = Math.max(list.asked, Math.min(limit, total));
      return Math.min(limit, total);
    },
  };
  return list;
}

describe('candidate frame pools', () => {
  const g = yuvGeometry(96, 64, '420', 300);
  const cheapestFirst = candidates(300);
  const seed = new Uint8Array(32).map((_, i) => i * 13 + 1);

  it('keep the locator among the first frames and the body among a prefix four times its size', () => {
    expect(locatorPool(g, cheapestFirst)).toBe(LOCATOR_POOL);
    expect(bodyPool(g, cheapestFirst, 3)).toBe(LOCATOR_POOL);
    expect(bodyPool(g, cheapestFirst, 20)).toBe(20 * BODY_POOL_FACTOR);
    expect(bodyPool(g, cheapestFirst, 200)).toBe(300);
    for (let s = 0; s < 64; s++) {
      const k = seed.map((b) => b ^ s);
      expect(locatorFrame(k, g, cheapestFirst)).toBeLessThan(LOCATOR_POOL);
      const body = bodyFrames(k, 0, g, { kind: 'auto', frameCount: 20 }, cheapestFirst);
      expect(body.length).toBe(20);
      expect(Math.max(...body)).toBeLessThan(20 * BODY_POOL_FACTOR);
      expect(new Set(body).size).toBe(20);
    }
  });

  it('leave every other video exactly as format v1 lays it out', () => {
    expect(locatorPool(g, 'all')).toBe(300);
    expect(bodyPool(g, 'all', 3)).toBe(300);
    expect(locatorFrame(seed, g, 'all')).toBe(locatorFrame(seed, g));
    expect([...bodyFrames(seed, 5, g, { kind: 'auto', frameCount: 7 }, 'all')]).toEqual([...bodyFrames(seed, 5, g, { kind: 'auto', frameCount: 7 })]);
  });

  for (const [version, settings, geometry] of [
    ['format v2, full density', { ...DEFAULT_HIDE_SETTINGS, density: 'full' as const }, yuvGeometry(128, 96, '420', 300)],
    ['format v1', { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const }, g],
  ] as const) {
    it(`take every candidate of a list shorter than the automatic choice wants, and refuse what does not fit them (${version})`, async () => {
      const few = candidates(3);
      const bytes = new Uint8Array(2500).map((_, i) => (i * 7919 + (i >> 5) * 31) & 255);
      const plan = await planHide({ message: '', files: [{ name: 'x', type: '', bytes }] }, 'few', geometry, settings, { kdfSets: LIGHT, pools: few });
      expect(plan.layout.frames.length).toBeLessThanOrEqual(3);
      expect(Math.max(...framesToEmbed(plan))).toBeLessThan(3);
      // Random bytes, which compression cannot shrink: more than three frames hold in either format.
      const rng = new Xorshift(5);
      const huge = Uint8Array.from({ length: 10_000 }, () => rng.nextU32() & 255);
      await expect(planHide({ message: '', files: [{ name: 'x', type: '', bytes: huge }] }, 'few', geometry, settings, { kdfSets: LIGHT, pools: few })).rejects.toBeInstanceOf(PayloadTooLargeError);
    });
  }

  for (const [version, settings, geometry] of [
    ['format v2', DEFAULT_HIDE_SETTINGS, yuvGeometry(128, 96, '420', 300)],
    ['format v1', { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const }, g],
  ] as const) {
    it(`hide and reveal byte-exact, and a reveal laid out for every frame finds nothing (${version})`, async () => {
      const list = candidates(300);
      const frames = video(geometry, 7);
      const bytes = new Uint8Array(4000).map((_, i) => (i * 7919) & 255);
      const payload = { message: 'cheap frames first', files: [{ name: 'x.bin', type: '', bytes }] };
      const plan = await planHide(payload, 'pools', geometry, settings, { kdfSets: LIGHT, pools: list });
      const carriers = framesToEmbed(plan);
      expect(plan.formatVersion).toBe(version === 'format v2' ? 2 : 1);
      expect(plan.locatorFrame).toBeLessThan(LOCATOR_POOL);
      expect(Math.max(...carriers)).toBeLessThan(bodyPool(geometry, list, plan.layout.frames.length));
      // The hide read no more of the list than its pools.
      expect(list.asked).toBeLessThanOrEqual(Math.max(LOCATOR_POOL, BODY_POOL_FACTOR * plan.layout.frames.length));
      for (const f of carriers) embedInFrame(plan, f, frames[f]);
      const read = async (i: number) => frames[i];
      const back = await revealFromFrames('pools', geometry, read, { kdfSets: LIGHT, pools: list });
      expect(back.message).toBe(payload.message);
      expect(back.files[0].bytes).toEqual(bytes);
      await expect(revealFromFrames('pools', geometry, read, { kdfSets: LIGHT })).rejects.toBeInstanceOf(NothingFoundError);
    });
  }

  it('refuse frame ranges, which only the lossless copy can honour', async () => {
    const settings = { ...DEFAULT_HIDE_SETTINGS, frames: { kind: 'ranges' as const, ranges: [{ start: 0, count: 10 }] } };
    await expect(planHide({ message: 'x', files: [] }, 'pw', g, settings, { kdfSets: LIGHT, pools: cheapestFirst })).rejects.toBeInstanceOf(UnsupportedInputError);
  });
});
