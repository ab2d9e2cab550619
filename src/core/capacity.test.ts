import { describe, expect, it } from 'vitest';
import { bodyByteCapacity, symbolCapacity } from './capacity.ts';
import { PayloadTooLargeError } from './errors.ts';
import { yuvGeometry } from './geometry.ts';
import { LOCATOR_SAMPLES, bodyFrames, bodyLayout } from './sample-order.ts';

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
