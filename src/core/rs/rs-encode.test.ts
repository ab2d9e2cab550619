import { describe, expect, it } from 'vitest';
import { GenericGF, ReedSolomonEncoder } from '@zxing/library';
import { getRsEncoder, rsEncodeBlock, rsGeneratorPoly } from './rs-encode.ts';
import { gfAlphaPow, gfMul } from './gf256.ts';
import { mulberry32 } from '../../../test-support/seeded-random.ts';


function parityOf(data: number[], nsym: number): number[] {
  const buf = new Uint8Array(data.length + nsym);
  buf.set(data);
  rsEncodeBlock(buf, 0, data.length, nsym);
  return Array.from(buf.subarray(data.length));
}

describe('RS encoder: published known-answer vectors', () => {
  // ISO/IEC 18004:2015 (QR Code), Annex I "Symbol encoding example": "01234567"
  // in version 1-M. Data codewords and the 10 error correction codewords as
  // printed there. Cross-checked against @zxing/library before adding.
  it('ISO/IEC 18004 Annex I, "01234567" 1-M', () => {
    const data = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
    expect(parityOf(data, 10)).toEqual([0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
  });

  // thonky.com QR Code Tutorial, "Error Correction Coding": "HELLO WORLD" in
  // version 1-M (https://www.thonky.com/qr-code-tutorial/error-correction-coding).
  // Also cross-checked against @zxing/library.
  it('thonky.com QR tutorial, "HELLO WORLD" 1-M', () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(parityOf(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });
});

describe('RS encoder: generator polynomial', () => {
  it('g(x) has the roots alpha^0 .. alpha^(nsym-1)', () => {
    for (const nsym of [2, 3, 16, 17, 32, 64, 254]) {
      const g = rsGeneratorPoly(nsym);
      expect(g.length).toBe(nsym + 1);
      for (let j = 0; j < nsym; j++) {
        const a = gfAlphaPow(j);
        let v = 0;
        for (let i = 0; i < g.length; i++) v = gfMul(v, a) ^ g[i];
        expect(v).toBe(0);
      }
    }
  });
});

// Byte compatibility with @zxing/library: the JavaScript port of ZXing, the
// most widely deployed QR / Reed-Solomon implementation. Its QR_CODE_FIELD_256
// uses the same field (0x11d, alpha = 2) and first consecutive root 0 as the
// Python `reedsolo` defaults the old server used, so equal bytes here mean we
// stay compatible with both.
describe('RS encoder: byte-compatible with zxing QR_CODE_FIELD_256', () => {
  const zx = new ReedSolomonEncoder(GenericGF.QR_CODE_FIELD_256);
  const rnd = mulberry32(1234);
  const cases: Array<[number, number]> = [
    [255, 32], [255, 16], [255, 64], [40, 16], [100, 32], [65, 64], [200, 3], [30, 2], [255, 254], [17, 13],
  ];
  for (const [n, nsym] of cases) {
    it(`RS(${n}, ${n - nsym}) parity equals zxing`, () => {
      for (let trial = 0; trial < 20; trial++) {
        const k = n - nsym;
        const ours = new Uint8Array(n);
        const theirs = new Int32Array(n);
        for (let i = 0; i < k; i++) theirs[i] = ours[i] = (rnd() * 256) | 0;
        rsEncodeBlock(ours, 0, k, nsym);
        zx.encode(theirs, nsym);
        expect(Array.from(ours)).toEqual(Array.from(theirs));
      }
    });
  }

  it('encodeInto writes only the parity area, at any offsets', () => {
    const enc = getRsEncoder(32);
    const data = new Uint8Array(300).map((_, i) => (i * 37) & 255);
    const out = new Uint8Array(100).fill(0xaa);
    enc.encodeInto(data, 7, 223, out, 50);
    const ref = new Uint8Array(255);
    ref.set(data.subarray(7, 230));
    rsEncodeBlock(ref, 0, 223, 32);
    expect(Array.from(out.subarray(50, 82))).toEqual(Array.from(ref.subarray(223)));
    expect(out[49]).toBe(0xaa);
    expect(out[82]).toBe(0xaa);
  });
});
