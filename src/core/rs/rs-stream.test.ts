import { describe, expect, it } from 'vitest';
import { RsDecodeFailure, rsDecodeInterleaved, rsEncodeInterleaved, rsEncodedLength, rsMaxDataLength } from './index.ts';
import { deinterleave, interleave } from './interleave.ts';
import { mulberry32 } from '../../../test-support/seeded-random.ts';

const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
function randomBytes(rnd: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = int(rnd, 256);
  return b;
}

describe('interleave', () => {
  it('byte i of codeword j goes to i * count + j, and back', () => {
    // 3 codewords: lengths 5, 4, 4 (one long codeword first).
    const src = Uint8Array.from([0, 1, 2, 3, 4, 10, 11, 12, 13, 20, 21, 22, 23]);
    const dst = new Uint8Array(13);
    interleave(src, dst, 3, 4, 1);
    expect(Array.from(dst)).toEqual([0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23, 4]);
    const back = new Uint8Array(13);
    deinterleave(dst, back, 3, 4, 1);
    expect(back).toEqual(src);
  });
});

describe('rs-stream', () => {
  it('rsEncodedLength', () => {
    expect(rsEncodedLength(0, 32)).toBe(0);
    expect(rsEncodedLength(1, 32)).toBe(33);
    expect(rsEncodedLength(223, 32)).toBe(255);
    expect(rsEncodedLength(224, 32)).toBe(255 + 33);
    expect(rsEncodedLength(1000, 0)).toBe(1000);
  });

  for (const nsym of [0, 16, 32, 64]) {
    it(`nsym ${nsym}: round trips for edge lengths, and repairs bursts of (codewords * t) bytes`, () => {
      const rnd = mulberry32(nsym + 3);
      const k = 255 - nsym;
      const t = nsym >> 1;
      for (const len of [0, 1, 2, k - 1, k, k + 1, 2 * k + 3, 10 * k + 7]) {
        const data = randomBytes(rnd, len);
        const coded = rsEncodeInterleaved(data, nsym);
        expect(coded.length).toBe(rsEncodedLength(len, nsym));
        expect(rsDecodeInterleaved(coded, len, nsym)).toEqual(data);
        if (nsym === 0 || len === 0) continue;

        const count = Math.ceil(len / k);
        // Unknown-error bursts of count * t bytes at several places, ends included.
        const burst = Math.min(coded.length, count * t);
        for (const start of [0, coded.length - burst, int(rnd, coded.length - burst + 1)]) {
          const bad = coded.slice();
          for (let i = start; i < start + burst; i++) bad[i] ^= 1 + int(rnd, 255);
          expect(rsDecodeInterleaved(bad, len, nsym)).toEqual(data);
        }
        // Flagged as erasures, twice as long a burst is repaired.
        const eBurst = Math.min(coded.length, count * nsym);
        const start = int(rnd, coded.length - eBurst + 1);
        const bad = coded.slice();
        const mask = new Uint8Array(coded.length);
        for (let i = start; i < start + eBurst; i++) {
          bad[i] = int(rnd, 256);
          mask[i] = 1;
        }
        expect(rsDecodeInterleaved(bad, len, nsym, mask)).toEqual(data);
        // One more unknown error per codeword than it can take is reported.
        if (burst < coded.length) {
          const worse = coded.slice();
          for (let i = 0; i < count * (t + 1) && i < coded.length; i++) worse[i] ^= 1 + int(rnd, 255);
          try {
            const out = rsDecodeInterleaved(worse, len, nsym);
            expect(out).not.toEqual(data); // a miscorrection, which AES-GCM catches above
          } catch (err) {
            expect(err).toBeInstanceOf(RsDecodeFailure);
          }
        }
      }
    });
  }

  it('rsMaxDataLength is exact', () => {
    for (const nsym of [0, 2, 16, 32, 64, 254]) {
      for (let L = 0; L < 3000; L++) {
        const d = rsMaxDataLength(L, nsym);
        expect(rsEncodedLength(d, nsym)).toBeLessThanOrEqual(L);
        expect(rsEncodedLength(d + 1, nsym)).toBeGreaterThan(L);
      }
      const big = 123_456_789;
      const d = rsMaxDataLength(big, nsym);
      expect(rsEncodedLength(d, nsym)).toBeLessThanOrEqual(big);
      expect(rsEncodedLength(d + 1, nsym)).toBeGreaterThan(big);
    }
  });

  it('wrong coded length is a decode failure; bad arguments are RangeErrors', () => {
    const coded = rsEncodeInterleaved(new Uint8Array(10), 16);
    expect(() => rsDecodeInterleaved(coded.subarray(1), 10, 16)).toThrow(RsDecodeFailure);
    expect(() => rsDecodeInterleaved(coded, 10, 16, new Uint8Array(3))).toThrow(RangeError);
    expect(() => rsEncodeInterleaved(new Uint8Array(1), 255)).toThrow(RangeError);
    expect(() => rsEncodedLength(-1, 16)).toThrow(RangeError);
  });

  it('fuzz: random garbage only ever throws RsDecodeFailure (or decodes)', () => {
    const rnd = mulberry32(4242);
    const nsyms = [16, 32, 64, 2];
    let decoded = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const nsym = nsyms[trial & 3];
      const len = int(rnd, 300);
      let codedLen = rsEncodedLength(len, nsym);
      if (trial % 50 === 0) codedLen += int(rnd, 5) - 2; // occasionally the wrong length
      const coded = randomBytes(rnd, Math.max(0, codedLen));
      let mask: Uint8Array | undefined;
      if (trial % 3 === 0) {
        mask = new Uint8Array(coded.length);
        const density = rnd() * 0.3;
        for (let i = 0; i < mask.length; i++) mask[i] = rnd() < density ? 1 : 0;
      }
      try {
        const out = rsDecodeInterleaved(coded, len, nsym, mask);
        expect(out.length).toBe(len);
        decoded++;
      } catch (err) {
        if (!(err instanceof RsDecodeFailure)) throw err;
      }
    }
    expect(decoded).toBeGreaterThan(0); // length 0 decodes trivially
  });
});
