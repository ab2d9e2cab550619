import { describe, expect, it } from 'vitest';
import { GF_EXP, GF_LOG, gfAlphaPow, gfDiv, gfInv, gfMul, gfPow } from './gf256.ts';

/** Carry-less multiply reduced by 0x11d: the definition, for checking the tables. */
function slowMul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
    b >>= 1;
  }
  return r;
}

describe('GF(2^8), 0x11d, alpha = 2', () => {
  it('alpha generates the whole multiplicative group', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 255; i++) seen.add(GF_EXP[i]);
    expect(seen.size).toBe(255);
    expect(GF_EXP[255]).toBe(1);
    expect(GF_EXP[8]).toBe(0x1d); // alpha^8 = x^4 + x^3 + x^2 + 1
    for (let a = 1; a < 256; a++) expect(GF_EXP[GF_LOG[a]]).toBe(a);
  });

  it('multiplication table matches the definition; inverse and division agree', () => {
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        if (gfMul(a, b) !== slowMul(a, b)) throw new Error(`mul ${a} ${b}`);
      }
      if (a) {
        expect(gfMul(a, gfInv(a))).toBe(1);
        expect(gfDiv(gfMul(a, 77), 77)).toBe(a);
      }
    }
    expect(gfPow(2, 300)).toBe(gfAlphaPow(300));
    expect(gfAlphaPow(-1)).toBe(gfInv(2));
    expect(() => gfDiv(1, 0)).toThrow(RangeError);
  });
});
