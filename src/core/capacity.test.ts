import { describe, expect, it } from 'vitest';
import { STEALTH_DENSITY, V2_LOCATOR_COVER } from './adaptive-format.ts';
import { bodyByteCapacity, payloadCapacity, stealthCapacity, symbolCapacity } from './capacity.ts';
import { PayloadTooLargeError } from './errors.ts';
import { yuvGeometry } from './geometry.ts';
import { LOCATOR_SAMPLES, bodyFrames, bodyLayout } from './sample-order.ts';
import { DEFAULT_HIDE_SETTINGS } from './settings.ts';

describe('capacity', () => {
  const g = yuvGeometry(64, 48, '420', 10); // Y 3072, U 768, V 768

  it('counts eligible samples over all frames minus the locator in automatic mode', () => {
    expect(symbolCapacity(g, 0b111, 1)).toBe(10 * 4608 - LOCATOR_SAMPLES);
    expect(symbolCapacity(g, 0b001, 1)).toBe(10 * 3072 - LOCATOR_SAMPLES);
    // Chroma only: the locator (in luma) takes nothing from the body.
    expect(symbolCapacity(g, 0b110, 2)).toBe(10 * 1536);
    expect(symbolCapacity(g, 0b010, 1, { kind: 'auto' })).toBe(10 * 768);
    // Mask bits past the geometry's planes are ignored.
    expect(symbolCapacity(g, 0b1111, 1)).toBe(symbolCapacity(g, 0b111, 1));
    expect(symbolCapacity(g, 0, 1)).toBe(0);
  });

  it('converts symbols to whole bytes', () => {
    const s1 = symbolCapacity(g, 0b111, 1);
    expect(bodyByteCapacity(g, 0b111, 1)).toBe(Math.floor(s1 / 8));
    expect(bodyByteCapacity(g, 0b111, 2)).toBe(Math.floor((s1 * 2) / 8));
    // 10 * 768 symbols of 2 bits = 1920 bytes.
    expect(bodyByteCapacity(g, 0b010, 2)).toBe(1920);
  });

  it('handles ranges: merged, exact with the locator frame, conservative without', () => {
    const frames = { kind: 'ranges', ranges: [{ start: 2, count: 3 }, { start: 4, count: 2 }, { start: 8, count: 1 }] } as const;
    // Frames 2..5 and 8: 5 frames.
    expect(symbolCapacity(g, 0b111, 1, frames)).toBe(5 * 4608 - LOCATOR_SAMPLES);
    expect(symbolCapacity(g, 0b111, 1, frames, 3)).toBe(5 * 4608 - LOCATOR_SAMPLES);
    expect(symbolCapacity(g, 0b111, 1, frames, 7)).toBe(5 * 4608);
    expect(symbolCapacity(g, 0b111, 1, frames, 8)).toBe(5 * 4608 - LOCATOR_SAMPLES);
    expect(symbolCapacity(g, 0b110, 1, frames)).toBe(5 * 1536);
  });

  it('is exactly what a body layout accepts', () => {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    for (const f0 of [0, 5, 9]) {
      for (const mask of [0b111, 0b001, 0b110]) {
        for (const sel of [{ kind: 'auto', frameCount: 10 }, { kind: 'ranges', ranges: [{ start: 4, count: 3 }] }] as const) {
          const cap = symbolCapacity(g, mask, 1, sel.kind === 'auto' ? { kind: 'auto' } : sel, f0);
          const frames = bodyFrames(seed, f0, g, sel);
          expect(() => bodyLayout(frames, g, mask, 1, cap, f0)).not.toThrow();
          expect(() => bodyLayout(frames, g, mask, 1, cap + 1, f0)).toThrow(PayloadTooLargeError);
        }
      }
    }
  });

  it('is zero when frames cannot hold the locator', () => {
    expect(symbolCapacity(yuvGeometry(32, 32, '444', 100), 0b111, 2)).toBe(0);
    expect(bodyByteCapacity(yuvGeometry(32, 32, '444', 100), 0b110, 2)).toBe(0);
  });
});

describe('capacity of format v2 and the stealth budget', () => {
  const g = yuvGeometry(320, 240, '420', 10); // 115,200 eligible samples per frame
  const adaptive = { ...DEFAULT_HIDE_SETTINGS };
  const matching = { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const };
  /** Container bytes in `coded` body bytes at standard error correction (RS(255, 223)), less the GCM tag. */
  const stored = (coded: number) => Math.floor(coded / 255) * 223 + Math.max(0, (coded % 255) - 32) - 16;

  it('full capacity: one bit per slot, less the v2 locator cover in f0; 2 bits per sample counts only for v1', () => {
    expect(payloadCapacity(g, adaptive)).toBe(stored(Math.floor((10 * 115_200 - V2_LOCATOR_COVER) / 8)));
    expect(payloadCapacity(g, matching)).toBe(stored(Math.floor((10 * 115_200 - LOCATOR_SAMPLES) / 8)));
    expect(payloadCapacity(g, { ...adaptive, bitsPerSample: 2 })).toBe(payloadCapacity(g, adaptive));
    expect(payloadCapacity(g, { ...matching, bitsPerSample: 2 })).toBe(stored(Math.floor(((10 * 115_200 - LOCATOR_SAMPLES) * 2) / 8)));
  });

  it('the stealth budget: STEALTH_DENSITY coded bits per eligible sample of every frame it may use', () => {
    const perFrame = Math.floor(115_200 * STEALTH_DENSITY); // 2304 bits
    expect(stealthCapacity(g, adaptive)).toBe(stored(Math.floor((10 * perFrame) / 8)));
    expect(stealthCapacity(g, { ...adaptive, planeMask: 0b001 })).toBe(stored(Math.floor((10 * Math.floor(76_800 * STEALTH_DENSITY)) / 8)));
    // Frame ranges: the frames inside the video count, merged.
    const ranges = { ...adaptive, frames: { kind: 'ranges' as const, ranges: [{ start: 2, count: 3 }, { start: 4, count: 2 }, { start: 8, count: 5 }] } };
    expect(stealthCapacity(g, ranges)).toBe(stored(Math.floor((6 * perFrame) / 8)));
    // Never above the full capacity, and none for v1 modes, which no budget keeps hard to detect.
    const tiny = yuvGeometry(100, 80, 'gray', 1); // the budget per frame would pass what the v2 locator leaves
    expect(stealthCapacity(tiny, { ...adaptive, density: 'full' })).toBeLessThanOrEqual(payloadCapacity(tiny, adaptive));
    expect(stealthCapacity(g, matching)).toBeNull();
    expect(stealthCapacity(g, { ...matching, mode: 'replacement' })).toBeNull();
    expect(stealthCapacity(yuvGeometry(64, 48, '420', 10), adaptive)).toBe(0); // too small for the v2 locator
  });
});
