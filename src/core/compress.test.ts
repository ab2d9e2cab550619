import { describe, expect, it } from 'vitest';
import { deflateRaw, inflateRaw } from './compress.ts';
import { DataDamagedError } from './errors.ts';

describe('compress', () => {
  it('round-trips text, random and empty input', async () => {
    const text = new TextEncoder().encode('the quick brown fox '.repeat(500));
    const random = crypto.getRandomValues(new Uint8Array(50_000));
    for (const input of [text, random, new Uint8Array(0)]) {
      const z = await deflateRaw(input);
      expect(Array.from(await inflateRaw(z, input.length))).toEqual(Array.from(input));
    }
    expect((await deflateRaw(text)).length).toBeLessThan(text.length / 10);
  });

  it('stops a zip bomb at maxOutput with DataDamagedError', async () => {
    const bomb = await deflateRaw(new Uint8Array(64 * 1024 * 1024)); // 64 MiB of zeros, ~64 KiB compressed
    expect(bomb.length).toBeLessThan(128 * 1024);
    await expect(inflateRaw(bomb, 1_000_000)).rejects.toBeInstanceOf(DataDamagedError);
    const small = await deflateRaw(new Uint8Array(1001));
    await expect(inflateRaw(small, 1000)).rejects.toBeInstanceOf(DataDamagedError);
    expect((await inflateRaw(small, 1001)).length).toBe(1001);
  });

  it('turns invalid and truncated streams into DataDamagedError', async () => {
    const z = await deflateRaw(new TextEncoder().encode('hello hello hello world '.repeat(50)));
    for (const bad of [new Uint8Array(0), new Uint8Array([0xff, 0xff, 0xff]), z.subarray(0, z.length - 3)]) {
      await expect(inflateRaw(bad, 1e6)).rejects.toBeInstanceOf(DataDamagedError);
    }
    // Random garbage: either inflates to something (bounded) or fails with DataDamagedError only.
    for (let i = 0; i < 200; i++) {
      const junk = crypto.getRandomValues(new Uint8Array(1 + (i % 64)));
      try {
        const out = await inflateRaw(junk, 4096);
        expect(out.length).toBeLessThanOrEqual(4096);
      } catch (e) {
        expect(e).toBeInstanceOf(DataDamagedError);
      }
    }
  });
});
