import { describe, expect, it } from 'vitest';
import { Xorshift } from './prng.ts';
import { indexOfSorted, lowerBound } from './sorted.ts';

/** The definition, by a linear scan: the first index in [lo, hi) whose value is >= v. */
function linearLowerBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  for (let i = lo; i < hi; i++) if (a[i] >= v) return i;
  return hi;
}

describe('lowerBound', () => {
  it('gives the first index not below the value, at the ends and between', () => {
    const a = [2, 4, 4, 4, 9];
    expect(lowerBound(a, 0)).toBe(0);
    expect(lowerBound(a, 2)).toBe(0);
    expect(lowerBound(a, 3)).toBe(1);
    expect(lowerBound(a, 4)).toBe(1); // the first of a run of equal values
    expect(lowerBound(a, 5)).toBe(4);
    expect(lowerBound(a, 9)).toBe(4);
    expect(lowerBound(a, 10)).toBe(5);
    expect(lowerBound([], 1)).toBe(0);
  });

  it('searches only [lo, hi) when given', () => {
    const a = Uint32Array.of(1, 3, 5, 7, 9, 11);
    expect(lowerBound(a, 0, 2, 5)).toBe(2);
    expect(lowerBound(a, 8, 2, 5)).toBe(4);
    expect(lowerBound(a, 100, 2, 5)).toBe(5);
    expect(lowerBound(a, 100, 3, 3)).toBe(3);
  });

  it('agrees with a linear scan on random sorted lists, typed and plain, with values past 2^32', () => {
    const rng = new Xorshift(0x50f7);
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.nextU32() % 70;
      const plain = Array.from({ length: n }, () => (rng.nextU32() % 50) * 2 ** (trial % 3 === 0 ? 20 : 0)).sort((x, y) => x - y);
      const typed = Float64Array.from(plain);
      for (let q = 0; q < 30; q++) {
        const v = plain.length > 0 && q % 2 === 0 ? plain[rng.nextU32() % plain.length] + (q % 4 === 0 ? 0.5 : 0) : rng.nextU32() % 120;
        const lo = n > 0 ? rng.nextU32() % (n + 1) : 0;
        const hi = lo + (n - lo > 0 ? rng.nextU32() % (n - lo + 1) : 0);
        expect(lowerBound(plain, v)).toBe(linearLowerBound(plain, v));
        expect(lowerBound(typed, v)).toBe(linearLowerBound(typed, v));
        expect(lowerBound(plain, v, lo, hi)).toBe(linearLowerBound(plain, v, lo, hi));
      }
    }
  });
});

describe('indexOfSorted', () => {
  it('finds present values and says -1 for absent ones', () => {
    const a = Uint32Array.of(0, 5, 5, 8, 4294967295);
    expect(indexOfSorted(a, 0)).toBe(0);
    expect(indexOfSorted(a, 5)).toBe(1);
    expect(indexOfSorted(a, 8)).toBe(3);
    expect(indexOfSorted(a, 4294967295)).toBe(4);
    for (const v of [-1, 1, 4, 6, 9, 4294967294, 2 ** 32]) expect(indexOfSorted(a, v)).toBe(-1);
    expect(indexOfSorted(new Uint32Array(0), 0)).toBe(-1);
  });

  it('finds every element of a long list and nothing between them', () => {
    const a = new Uint32Array(10_000);
    for (let i = 0; i < a.length; i++) a[i] = 3 * i + 1;
    for (let i = 0; i < a.length; i++) {
      expect(indexOfSorted(a, 3 * i + 1)).toBe(i);
      expect(indexOfSorted(a, 3 * i + 2)).toBe(-1);
    }
  });
});
