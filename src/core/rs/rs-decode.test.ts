import { describe, expect, it } from 'vitest';
import { GenericGF, ReedSolomonDecoder, ReedSolomonEncoder } from '@zxing/library';
import { rsEncodeBlock } from './rs-encode.ts';
import { RsDecodeFailure, RsDecoder, getRsDecoder } from './rs-decode.ts';
import { gfAlphaPow, gfMul } from './gf256.ts';
import { mulberry32 } from '../../../test-support/seeded-random.ts';


type Rnd = () => number;
const int = (rnd: Rnd, n: number): number => Math.floor(rnd() * n);

function randomCodeword(rnd: Rnd, n: number, nsym: number): Uint8Array {
  const c = new Uint8Array(n);
  for (let i = 0; i < n - nsym; i++) c[i] = int(rnd, 256);
  rsEncodeBlock(c, 0, n - nsym, nsym);
  return c;
}

/** `count` distinct positions in 0..n-1. */
function positions(rnd: Rnd, n: number, count: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + int(rnd, n - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count);
}

/** Corrupt each position with a non-zero error value. */
function corrupt(rnd: Rnd, c: Uint8Array, pos: number[]): void {
  for (const p of pos) c[p] ^= 1 + int(rnd, 255);
}

/** Independent validity check: all syndromes c(alpha^j) zero, by plain Horner. */
function isCodeword(c: Uint8Array, nsym: number): boolean {
  for (let j = 0; j < nsym; j++) {
    const a = gfAlphaPow(j);
    let s = 0;
    for (let i = 0; i < c.length; i++) s = gfMul(s, a) ^ c[i];
    if (s !== 0) return false;
  }
  return true;
}

describe('RS decoder: interoperates with zxing', () => {
  // zxing-js (JavaScript port of ZXing, the most widely deployed QR /
  // Reed-Solomon implementation), same field and fcr as Python reedsolo.
  const field = GenericGF.QR_CODE_FIELD_256;
  const zxEnc = new ReedSolomonEncoder(field);
  const zxDec = new ReedSolomonDecoder(field);
  for (const nsym of [16, 32, 64]) {
    it(`RS(255, ${255 - nsym}): zxing corrects our codewords, we correct zxing's`, () => {
      const rnd = mulberry32(nsym * 7 + 1);
      const t = nsym >> 1;
      const dec = new RsDecoder(nsym);
      for (let trial = 0; trial < 30; trial++) {
        // Ours -> corrupt -> zxing.
        const ours = randomCodeword(rnd, 255, nsym);
        const received = Int32Array.from(ours);
        for (const p of positions(rnd, 255, int(rnd, t + 1))) received[p] ^= 1 + int(rnd, 255);
        zxDec.decode(received, nsym);
        expect(Array.from(received)).toEqual(Array.from(ours));

        // zxing -> corrupt -> ours.
        const theirs = new Int32Array(255);
        for (let i = 0; i < 255 - nsym; i++) theirs[i] = int(rnd, 256);
        zxEnc.encode(theirs, nsym);
        const bytes = Uint8Array.from(theirs);
        corrupt(rnd, bytes, positions(rnd, 255, int(rnd, t + 1)));
        dec.decode(bytes, 0, 255);
        expect(Array.from(bytes)).toEqual(Array.from(theirs));
      }
    });
  }
});

describe('RS decoder: seeded random round trips within correction power', () => {
  const configs: Array<[number, number[]]> = [
    [16, [17, 40, 100, 255]],
    [32, [33, 40, 128, 255]],
    [64, [65, 100, 255]],
    [2, [3, 50, 255]],
    [7, [20, 255]],
  ];
  for (const [nsym, lengths] of configs) {
    it(`nsym ${nsym}: errors, erasures and mixes with 2e + f <= nsym`, () => {
      const rnd = mulberry32(1000 + nsym);
      const dec = getRsDecoder(nsym);
      const t = nsym >> 1;
      for (const n of lengths) {
        const trials = 40;
        for (let trial = 0; trial < trials; trial++) {
          const original = randomCodeword(rnd, n, nsym);
          // errors only, 0..t
          let c = original.slice();
          corrupt(rnd, c, positions(rnd, n, Math.min(n, trial % (t + 1))));
          dec.decode(c, 0, n);
          expect(c).toEqual(original);

          // erasures only, 0..nsym (some erased bytes left intact on purpose)
          const f = trial % (nsym + 1);
          const er = positions(rnd, n, f);
          c = original.slice();
          for (const p of er) if (rnd() < 0.8) c[p] = int(rnd, 256);
          dec.decode(c, 0, n, Int32Array.from(er));
          expect(c).toEqual(original);

          // mix: f erasures plus e errors elsewhere, 2e + f <= nsym
          const f2 = int(rnd, nsym + 1);
          const e2 = int(rnd, ((nsym - f2) >> 1) + 1);
          const all = positions(rnd, n, Math.min(n, f2 + e2));
          c = original.slice();
          corrupt(rnd, c, all);
          dec.decode(c, 0, n, Int32Array.from(all.slice(0, f2)));
          expect(c).toEqual(original);
        }
      }
    });
  }

  it('codeword at an offset in a larger buffer, bytes around it untouched', () => {
    const rnd = mulberry32(5);
    const c = randomCodeword(rnd, 255, 32);
    const buf = new Uint8Array(300).fill(0x5a);
    buf.set(c, 20);
    for (const p of positions(rnd, 255, 16)) buf[20 + p] ^= 0x33;
    expect(getRsDecoder(32).decode(buf, 20, 255)).toBe(16);
    expect(buf.subarray(20, 275)).toEqual(c);
    expect(buf[19]).toBe(0x5a);
    expect(buf[275]).toBe(0x5a);
  });

  it('rejects more erasures than parity bytes, and out-of-range erasure positions', () => {
    const rnd = mulberry32(6);
    const c = randomCodeword(rnd, 100, 16);
    c[0] ^= 1;
    const dec = getRsDecoder(16);
    expect(() => dec.decode(c, 0, 100, Int32Array.from(positions(rnd, 100, 17)))).toThrow(RsDecodeFailure);
    expect(() => dec.decode(c, 0, 100, [100])).toThrow(RsDecodeFailure);
  });
});

describe('RS decoder: beyond correction power', () => {
  it('nsym 32, t+1..2t errors: failure reported (>= 99%), never a non-codeword', () => {
    // Past t errors RS can mathematically land on another valid codeword
    // (miscorrection); that is rare and the AES-GCM tag of the layer above
    // rejects it. What must never happen is returning a non-codeword.
    const nsym = 32;
    const t = 16;
    const rnd = mulberry32(99);
    const dec = getRsDecoder(nsym);
    let failures = 0;
    let miscorrections = 0;
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const n = trial % 2 === 0 ? 255 : 60 + int(rnd, 195);
      const original = randomCodeword(rnd, n, nsym);
      const c = original.slice();
      corrupt(rnd, c, positions(rnd, n, t + 1 + int(rnd, t)));
      const before = c.slice();
      try {
        dec.decode(c, 0, n);
        expect(isCodeword(c, nsym)).toBe(true);
        expect(c).not.toEqual(original);
        miscorrections++;
      } catch (err) {
        expect(err).toBeInstanceOf(RsDecodeFailure);
        expect(c).toEqual(before); // left as given
        failures++;
      }
    }
    expect(failures + miscorrections).toBe(trials);
    expect(failures / trials).toBeGreaterThanOrEqual(0.99);
  });

  it('errors + erasures beyond 2e + f <= nsym, and up to nsym random errors: never a non-codeword', () => {
    const rnd = mulberry32(77);
    for (const nsym of [16, 64]) {
      const dec = getRsDecoder(nsym);
      // Miscorrection gets likely as erasures eat the redundancy (with f = nsym
      // any word "decodes"), so the failure rate is only asserted for f <= nsym/2.
      let failures = 0;
      let lowF = 0;
      const trials = 400;
      for (let trial = 0; trial < trials; trial++) {
        const n = 255;
        const original = randomCodeword(rnd, n, nsym);
        const c = original.slice();
        const f = int(rnd, nsym + 1);
        const minE = Math.floor((nsym - f) / 2) + 1; // smallest e with 2e + f > nsym
        const e = minE + int(rnd, Math.max(1, nsym - minE));
        const all = positions(rnd, n, Math.min(n, f + e));
        corrupt(rnd, c, all);
        try {
          dec.decode(c, 0, n, Int32Array.from(all.slice(0, f)));
          expect(isCodeword(c, nsym)).toBe(true);
          expect(c).not.toEqual(original);
        } catch (err) {
          expect(err).toBeInstanceOf(RsDecodeFailure);
          if (2 * f <= nsym) failures++;
        }
        if (2 * f <= nsym) lowF++;
      }
      expect(failures / lowF).toBeGreaterThan(0.95);
    }
  });
});
