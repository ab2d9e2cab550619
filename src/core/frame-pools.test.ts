/**
 * Frames listed cheapest first (an H.264 video's carrier pictures): the keyed
 * choices keep to a prefix of the list, the round trip holds, and the layout
 * of every other video is the one format v1 has always had.
 */
import { describe, expect, it } from 'vitest';
import { NothingFoundError, UnsupportedInputError } from './errors.ts';
import { yuvGeometry, type PlaneSamples, type VideoGeometry } from './geometry.ts';
import type { KdfParams } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { BODY_POOL_FACTOR, bodyFrames, bodyPool, LOCATOR_POOL, locatorFrame, locatorPool } from './sample-order.ts';
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

describe('cheapest-first frame pools', () => {
  const g = yuvGeometry(96, 64, '420', 300);
  const seed = new Uint8Array(32).map((_, i) => i * 13 + 1);

  it('keep the locator among the first frames and the body among a prefix four times its size', () => {
    expect(locatorPool(g, 'cheapest-first')).toBe(LOCATOR_POOL);
    expect(bodyPool(g, 'cheapest-first', 3)).toBe(LOCATOR_POOL);
    expect(bodyPool(g, 'cheapest-first', 20)).toBe(20 * BODY_POOL_FACTOR);
    expect(bodyPool(g, 'cheapest-first', 200)).toBe(300);
    for (let s = 0; s < 64; s++) {
      const k = seed.map((b) => b ^ s);
      expect(locatorFrame(k, g, 'cheapest-first')).toBeLessThan(LOCATOR_POOL);
      const body = bodyFrames(k, 0, g, { kind: 'auto', frameCount: 20 }, 'cheapest-first');
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
    ['format v2', DEFAULT_HIDE_SETTINGS, yuvGeometry(128, 96, '420', 300)],
    ['format v1', { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const }, g],
  ] as const) {
    it(`hide and reveal byte-exact, and a reveal laid out for every frame finds nothing (${version})`, async () => {
      const frames = video(geometry, 7);
      const bytes = new Uint8Array(4000).map((_, i) => (i * 7919) & 255);
      const payload = { message: 'cheap frames first', files: [{ name: 'x.bin', type: '', bytes }] };
      const plan = await planHide(payload, 'pools', geometry, settings, { kdfSets: LIGHT, pools: 'cheapest-first' });
      const carriers = framesToEmbed(plan);
      expect(plan.formatVersion).toBe(version === 'format v2' ? 2 : 1);
      expect(plan.locatorFrame).toBeLessThan(LOCATOR_POOL);
      expect(Math.max(...carriers)).toBeLessThan(bodyPool(geometry, 'cheapest-first', plan.layout.frames.length));
      for (const f of carriers) embedInFrame(plan, f, frames[f]);
      const read = async (i: number) => frames[i];
      const back = await revealFromFrames('pools', geometry, read, { kdfSets: LIGHT, pools: 'cheapest-first' });
      expect(back.message).toBe(payload.message);
      expect(back.files[0].bytes).toEqual(bytes);
      await expect(revealFromFrames('pools', geometry, read, { kdfSets: LIGHT })).rejects.toBeInstanceOf(NothingFoundError);
    });
  }

  it('refuse frame ranges, which only the lossless copy can honour', async () => {
    const settings = { ...DEFAULT_HIDE_SETTINGS, frames: { kind: 'ranges' as const, ranges: [{ start: 0, count: 10 }] } };
    await expect(planHide({ message: 'x', files: [] }, 'pw', g, settings, { kdfSets: LIGHT, pools: 'cheapest-first' })).rejects.toBeInstanceOf(UnsupportedInputError);
  });
});
