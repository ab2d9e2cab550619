import { describe, expect, it } from 'vitest';
import { yuvGeometry } from './geometry.ts';
import { bytesToSymbols, embedSymbols, extractSymbols, symbolsToBytes } from './lsb.ts';
import { Xorshift } from './prng.ts';
import { eligibleSpace } from './sample-order.ts';

/** One plane of `n` samples as a single-plane space (index = sample). */
function flat(n: number) {
  return eligibleSpace({ frameCount: 1, bitDepth: 8, planes: [{ width: n, height: 1 }] }, 1);
}

function randomSymbols(n: number, bps: 1 | 2, rng: Xorshift): Uint8Array {
  const s = new Uint8Array(n);
  for (let i = 0; i < n; i++) s[i] = rng.nextU32() & ((1 << bps) - 1);
  return s;
}

function iota(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

describe('LSB embedding', () => {
  for (const [bitDepth, maxValue] of [
    [8, 255],
    [10, 1023],
  ] as const) {
    for (const bps of [1, 2] as const) {
      for (const mode of ['matching', 'replacement'] as const) {
        it(`${mode}, ${bps} bit(s), ${bitDepth}-bit: round trips, stays in range, moves little`, () => {
          const rng = new Xorshift(bitDepth * 10 + bps + (mode === 'matching' ? 0 : 100));
          const n = 20_000;
          const plane = bitDepth === 8 ? new Uint8Array(n) : new Uint16Array(n);
          for (let i = 0; i < n; i++) plane[i] = rng.nextU32() % (maxValue + 1);
          // Plenty of range ends.
          for (let i = 0; i < 2000; i++) plane[i] = i % 2 ? 0 : maxValue;
          for (let i = 2000; i < 3000; i++) plane[i] = [0, 1, 2, 3, maxValue - 3, maxValue - 2, maxValue - 1, maxValue][i % 8];
          const before = plane.slice();
          const symbols = randomSymbols(n, bps, rng);
          const space = flat(n);
          const changed = embedSymbols([plane], space, iota(n), symbols, n, bps, mode, maxValue, rng);
          const out = new Uint8Array(n);
          extractSymbols([plane], space, iota(n), n, bps, out);
          expect(Array.from(out)).toEqual(Array.from(symbols));
          let diffCount = 0;
          const m = (1 << bps) - 1;
          for (let i = 0; i < n; i++) {
            const v = before[i];
            const w = plane[i];
            expect(w).toBeGreaterThanOrEqual(0);
            expect(w).toBeLessThanOrEqual(maxValue);
            if (v !== w) diffCount++;
            const d = Math.abs(w - v);
            if (mode === 'replacement') {
              expect(w & ~m).toBe(v & ~m);
            } else if (bps === 1) {
              expect(d).toBeLessThanOrEqual(1);
            } else if (d > 2) {
              // The documented exception: 3 at the range ends.
              expect(d).toBe(3);
              expect(v === 0 || v === maxValue).toBe(true);
            }
          }
          expect(changed).toBe(diffCount);
        });
      }
    }
  }

  it('matching, 1 bit, changes about half the samples and goes both ways', () => {
    const rng = new Xorshift(7);
    const n = 100_000;
    const plane = new Uint8Array(n);
    for (let i = 0; i < n; i++) plane[i] = 1 + (rng.nextU32() % 253);
    const before = plane.slice();
    const changed = embedSymbols([plane], flat(n), iota(n), randomSymbols(n, 1, rng), n, 1, 'matching', 255, rng);
    expect(changed / n).toBeGreaterThan(0.48);
    expect(changed / n).toBeLessThan(0.52);
    let up = 0;
    for (let i = 0; i < n; i++) if (plane[i] > before[i]) up++;
    expect(up / changed).toBeGreaterThan(0.47);
    expect(up / changed).toBeLessThan(0.53);
  });

  it('matching at 0 and maxValue moves into the range, as documented', () => {
    const rng = new Xorshift(1);
    const space = flat(1);
    const idx = iota(1);
    const one = (v: number, s: number, bps: 1 | 2, max: number) => {
      const p = max > 255 ? Uint16Array.of(v) : Uint8Array.of(v);
      embedSymbols([p], space, idx, Uint8Array.of(s), 1, bps, 'matching', max, rng);
      return p[0];
    };
    for (const max of [255, 1023]) {
      expect(one(0, 1, 1, max)).toBe(1);
      expect(one(max, 0, 1, max)).toBe(max - 1);
      expect(one(0, 0, 1, max)).toBe(0);
      expect(one(max, 1, 1, max)).toBe(max);
      // 2 bits: d = 1 at max -> -3; d = 3 at 0 -> +3; d = 2 -> in-range direction.
      expect(one(max, 0, 2, max)).toBe(max - 3);
      expect(one(0, 3, 2, max)).toBe(3);
      expect(one(0, 2, 2, max)).toBe(2);
      expect(one(1, 3, 2, max)).toBe(3);
      expect(one(max, 1, 2, max)).toBe(max - 2);
      expect(one(max - 1, 0, 2, max)).toBe(max - 2 - 1); // residue 2 -> 0: d = 2, up would leave the range
      expect(one(0, 1, 2, max)).toBe(1);
      expect(one(max, 2, 2, max)).toBe(max - 1);
    }
  });

  it('replacement sets the low bits and nothing else', () => {
    const rng = new Xorshift(3);
    const p = Uint8Array.of(0b10110110, 0b10110111, 255, 0);
    embedSymbols([p], flat(4), iota(4), Uint8Array.of(1, 0, 2, 3), 4, 2, 'replacement', 255, rng);
    expect(Array.from(p)).toEqual([0b10110101, 0b10110100, 0b11111110, 3]);
  });

  it('maps eligible indices to the right planes', () => {
    const g = yuvGeometry(4, 2, '420', 1); // Y 8, U 2, V 2
    const planes = [new Uint8Array(8), new Uint8Array(2), new Uint8Array(2)];
    const rng = new Xorshift(4);
    // Chroma only: eligible 0,1 = U, 2,3 = V.
    const space = eligibleSpace(g, 0b110);
    expect(space.size).toBe(4);
    embedSymbols(planes, space, Uint32Array.of(0, 3), Uint8Array.of(1, 1), 2, 1, 'replacement', 255, rng);
    expect(Array.from(planes[1])).toEqual([1, 0]);
    expect(Array.from(planes[2])).toEqual([0, 1]);
    expect(planes[0].every((v) => v === 0)).toBe(true);
    const all = eligibleSpace(g, 0b111);
    embedSymbols(planes, all, Uint32Array.of(7, 8, 11), Uint8Array.of(1, 1, 0), 3, 1, 'replacement', 255, rng);
    expect(planes[0][7]).toBe(1);
    expect(planes[1][0]).toBe(1);
    expect(planes[2][1]).toBe(0);
  });
});

describe('symbol packing', () => {
  it('packs MSB first and round trips', () => {
    const bytes = Uint8Array.of(0b10110010, 0xff, 0x00, 0x5a);
    const s1 = new Uint8Array(32);
    expect(bytesToSymbols(bytes, 1, s1)).toBe(32);
    expect(Array.from(s1.subarray(0, 8))).toEqual([1, 0, 1, 1, 0, 0, 1, 0]);
    const s2 = new Uint8Array(16);
    expect(bytesToSymbols(bytes, 2, s2)).toBe(16);
    expect(Array.from(s2.subarray(0, 4))).toEqual([2, 3, 0, 2]);
    for (const [s, bps] of [
      [s1, 1],
      [s2, 2],
    ] as const) {
      const back = new Uint8Array(4);
      expect(symbolsToBytes(s, bps, back)).toBe(4);
      expect(Array.from(back)).toEqual(Array.from(bytes));
    }
    // Partial last byte is zero padded.
    const out = new Uint8Array(1);
    expect(symbolsToBytes(Uint8Array.of(1, 1, 1), 1, out)).toBe(1);
    expect(out[0]).toBe(0b11100000);
  });
});
