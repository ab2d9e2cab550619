/**
 * Bit reading and writing: Exp-Golomb codes against Table 9-2 and 9.1.1,
 * seeded round trips, bit-range copies at every alignment, more_rbsp_data,
 * and reads past the end.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { BitReader, BitWriter, H264SyntaxError } from './index.ts';

function bits(w: BitWriter): string {
  const pad = (8 - (w.bitPosition & 7)) & 7;
  const n = w.bitPosition;
  for (let i = 0; i < pad; i++) w.bit(0);
  return [...w.view()].map((b) => b.toString(2).padStart(8, '0')).join('').slice(0, n);
}

function fromBits(s: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(s.length / 8));
  for (let i = 0; i < s.length; i++) if (s[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

describe('Exp-Golomb codes', () => {
  // Table 9-2 (ue) and Table 9-3 (se).
  const ue: [number, string][] = [[0, '1'], [1, '010'], [2, '011'], [3, '00100'], [6, '00111'], [7, '0001000'], [25, '000011010'], [254, '000000011111111']];
  const se: [number, string][] = [[0, '1'], [1, '010'], [-1, '011'], [2, '00100'], [-2, '00101'], [3, '00110'], [-3, '00111']];

  it('ue(v) and se(v) write the table codes', () => {
    for (const [v, code] of ue) {
      const w = new BitWriter();
      w.ue(v);
      expect(bits(w), `ue(${v})`).toBe(code);
    }
    for (const [v, code] of se) {
      const w = new BitWriter();
      w.se(v);
      expect(bits(w), `se(${v})`).toBe(code);
    }
  });

  it('ue(v) and se(v) read them', () => {
    for (const [v, code] of ue) expect(new BitReader(fromBits(code)).ue()).toBe(v);
    for (const [v, code] of se) expect(Object.is(new BitReader(fromBits(code)).se(), v)).toBe(true);
  });

  it('round trips of seeded values up to 2^32 - 2, mixed with fixed-width fields', () => {
    const rnd = mulberry32(3);
    const w = new BitWriter(4);
    const ops: [string, number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(rnd() * 4);
      if (k === 0) {
        const v = Math.floor(rnd() ** 4 * 0xfffffffe);
        w.ue(v);
        ops.push(['ue', v, 0]);
      } else if (k === 1) {
        const v = Math.floor((rnd() - 0.5) * 2 ** 20);
        w.se(v);
        ops.push(['se', v === 0 ? 0 : v, 0]);
      } else {
        const n = Math.floor(rnd() * 33);
        const v = n === 0 ? 0 : Math.floor(rnd() * 2 ** n);
        w.u(n, v);
        ops.push(['u', v, n]);
      }
    }
    w.trailingBits();
    const r = new BitReader(w.view());
    for (const [op, v, n] of ops) expect(op === 'ue' ? r.ue() : op === 'se' ? r.se() : r.u(n)).toBe(v);
    expect(r.moreRbspData()).toBe(false);
    expect(r.position).toBe(r.stopBitPosition());
  });
});

describe('BitWriter', () => {
  it('copies bit ranges at every source and destination alignment', () => {
    const rnd = mulberry32(5);
    const src = Uint8Array.from({ length: 40 }, () => Math.floor(rnd() * 256));
    const srcBits = [...src].map((b) => b.toString(2).padStart(8, '0')).join('');
    for (let lead = 0; lead < 8; lead++) {
      for (let start = 0; start < 16; start++) {
        for (const len of [0, 1, 7, 8, 9, 100]) {
          const w = new BitWriter(2);
          for (let i = 0; i < lead; i++) w.bit(1);
          w.copyBits(src, start, len);
          expect(bits(w)).toBe('1'.repeat(lead) + srcBits.slice(start, start + len));
        }
      }
    }
  });

  it('aligns with ones or zeros, refuses values that do not fit', () => {
    const w = new BitWriter();
    w.u(3, 5);
    w.align(1);
    w.u(1, 0);
    w.align(0);
    expect([...w.view()]).toEqual([0b10111111, 0]);
    expect(() => w.u(3, 8)).toThrow(RangeError);
    expect(() => w.ue(-1)).toThrow(RangeError);
    expect(() => w.ue(2 ** 32 - 1)).toThrow(RangeError);
  });
});

describe('BitReader', () => {
  it('more_rbsp_data looks for the last 1 bit, and trailing zero bytes do not count', () => {
    const r = new BitReader(Uint8Array.of(0b10110000, 0b01000000, 0, 0));
    expect(r.stopBitPosition()).toBe(9);
    r.u(8);
    expect(r.moreRbspData()).toBe(true);
    r.u1();
    expect(r.moreRbspData()).toBe(false);
    expect(new BitReader(new Uint8Array(3)).moreRbspData()).toBe(false);
  });

  it('a read past the end, an over-long code or an out-of-range value is an H264SyntaxError', () => {
    expect(() => new BitReader(Uint8Array.of(0xff)).u(9)).toThrow(H264SyntaxError);
    expect(() => new BitReader(new Uint8Array(8)).ue()).toThrow(H264SyntaxError);
    expect(() => new BitReader(Uint8Array.of(0b00111000)).ueMax(5, 'x')).toThrow(/x = 6 is out of range/);
    const r = new BitReader(Uint8Array.of(0xab, 0xcd), 4, 1);
    expect(r.bitsLeft).toBe(4);
    expect(r.u(4)).toBe(0xb);
    expect(() => r.u1()).toThrow(H264SyntaxError);
  });

  it('u(32) reads the full unsigned range', () => {
    expect(new BitReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).u(32)).toBe(0xffffffff);
    expect(new BitReader(Uint8Array.of(0x80, 0, 0, 1)).u(32)).toBe(0x80000001);
  });
});
