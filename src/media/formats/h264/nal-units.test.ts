/**
 * NAL framing and emulation prevention: known vectors, the fast escaper and
 * unescaper against a byte-by-byte rendering of 7.3.1 / 7.4.1 on seeded
 * zero-heavy data, piecewise escaping equal to whole, Annex B and length
 * prefixes.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import {
  EmulationPreventionWriter,
  H264SyntaxError,
  joinAnnexB,
  joinLengthPrefixed,
  maxEscapedLength,
  nalRefIdc,
  nalToRbsp,
  nalUnitType,
  rbspToNal,
  removeEmulationPrevention,
  splitAnnexB,
  splitLengthPrefixed,
} from './index.ts';

/** 7.4.1, one byte at a time: a 0x03 before any byte <= 3 that follows two zeros; one after a final zero. */
function escapeSlowly(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros === 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  if (out.length && out[out.length - 1] === 0) out.push(3);
  return Uint8Array.from(out);
}

/** 7.3.1, one byte at a time: at each position, 00 00 03 gives 00 00 and skips the 03. */
function unescapeSlowly(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < nal.length; i++) {
    if (i + 2 < nal.length && nal[i] === 0 && nal[i + 1] === 0 && nal[i + 2] === 3) {
      out.push(0, 0);
      i += 2;
    } else {
      out.push(nal[i]);
    }
  }
  return Uint8Array.from(out);
}

function escape(rbsp: Uint8Array): Uint8Array {
  const w = new EmulationPreventionWriter();
  const out = new Uint8Array(maxEscapedLength(rbsp.length));
  return out.slice(0, w.finish(out, w.write(rbsp, 0, rbsp.length, out, 0)));
}

function unescape(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.length);
  return out.slice(0, removeEmulationPrevention(nal, 0, nal.length, out));
}

/**
 * Seeded bytes in stretches of three kinds: mostly zeros and small values
 * (the patterns emulation prevention is about), random bytes, and no zeros
 * at all; so both the bulk scan and the byte loop for dense zeros run, and
 * switch between each other.
 */
function zeroHeavy(n: number, seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const kind = Math.floor(rnd() * 3);
    const len = Math.min(n - i, 1 + Math.floor(rnd() * 1500));
    for (let k = 0; k < len; k++, i++) {
      const r = rnd();
      if (kind === 0) out[i] = r < 0.5 ? 0 : r < 0.8 ? Math.floor(rnd() * 4) : Math.floor(rnd() * 256);
      else if (kind === 1) out[i] = Math.floor(r * 256);
      else out[i] = 1 + Math.floor(r * 255);
    }
  }
  return out;
}

describe('emulation prevention', () => {
  it('known vectors', () => {
    const cases: [number[], number[]][] = [
      [[0, 0, 0], [0, 0, 3, 0, 3]],
      [[0, 0, 1], [0, 0, 3, 1]],
      [[0, 0, 2, 5], [0, 0, 3, 2, 5]],
      [[0, 0, 3], [0, 0, 3, 3]],
      [[0, 0, 4], [0, 0, 4]],
      [[0, 0, 0, 0, 0, 0], [0, 0, 3, 0, 0, 3, 0, 0, 3]],
      [[1, 0, 0, 1, 0, 0, 2], [1, 0, 0, 3, 1, 0, 0, 3, 2]],
      [[0, 0, 3, 0, 0, 3], [0, 0, 3, 3, 0, 0, 3, 3]],
    ];
    for (const [rbsp, nal] of cases) {
      expect([...escape(Uint8Array.from(rbsp))], `escape ${rbsp}`).toEqual(nal);
      expect([...unescape(Uint8Array.from(nal))].slice(0, rbsp.length), `unescape ${nal}`).toEqual(rbsp);
    }
  });

  it('the fast paths agree with the byte-by-byte rules, and undo each other (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rbsp = zeroHeavy(1 + (seed * 137) % 9000, seed);
      const nal = escape(rbsp);
      expect(Buffer.from(nal).equals(Buffer.from(escapeSlowly(rbsp))), `seed ${seed}`).toBe(true);
      // Never 00 00 00, 00 00 01 or 00 00 02 (7.4.1); 00 00 03 only as the inserted bytes.
      for (let i = 0; i + 2 < nal.length; i++) {
        if (nal[i] === 0 && nal[i + 1] === 0) expect(nal[i + 2]).toBeGreaterThanOrEqual(3);
      }
      const back = unescape(nal);
      expect(Buffer.from(back).equals(Buffer.from(unescapeSlowly(nal)))).toBe(true);
      // A final 03 after a trailing zero goes away only up to that zero.
      expect(Buffer.from(back.subarray(0, rbsp.length)).equals(Buffer.from(rbsp))).toBe(true);
    }
  });

  it('escaping in pieces gives the same bytes as escaping at once', () => {
    const rnd = mulberry32(11);
    for (let t = 0; t < 100; t++) {
      const rbsp = zeroHeavy(2000, 1000 + t);
      const whole = escape(rbsp);
      const w = new EmulationPreventionWriter();
      const out = new Uint8Array(maxEscapedLength(rbsp.length));
      let at = 0;
      let pos = 0;
      while (at < rbsp.length) {
        const n = Math.min(rbsp.length - at, Math.floor(rnd() * 50));
        pos = w.write(rbsp, at, at + n, out, pos);
        at += n;
      }
      pos = w.finish(out, pos);
      expect(Buffer.from(out.subarray(0, pos)).equals(Buffer.from(whole))).toBe(true);
    }
  });

  it('a NAL unit and its RBSP', () => {
    const rbsp = Uint8Array.of(0, 0, 1, 0x80);
    const nal = rbspToNal(0x65, rbsp);
    expect([...nal]).toEqual([0x65, 0, 0, 3, 1, 0x80]);
    expect([nalUnitType(nal), nalRefIdc(nal)]).toEqual([5, 3]);
    expect([...nalToRbsp(nal)]).toEqual([...rbsp]);
  });
});

describe('framing', () => {
  const a = Uint8Array.of(0x67, 1, 2);
  const b = Uint8Array.of(0x68, 0, 0, 3, 1);
  const c = Uint8Array.of(0x65, 0xff);

  it('Annex B: three- and four-byte start codes, leading and trailing zeros', () => {
    const stream = Uint8Array.of(0, 0, 0, 0, 1, ...a, 0, 0, 1, ...b, 0, 0, 0, 0, 0, 1, ...c, 0, 0);
    expect(splitAnnexB(stream).map((n) => [...n])).toEqual([[...a], [...b], [...c]]);
    expect(splitAnnexB(joinAnnexB([a, b, c])).map((n) => [...n])).toEqual([[...a], [...b], [...c]]);
    expect(splitAnnexB(Uint8Array.of(1, 2, 3))).toEqual([]);
  });

  it('length prefixes of 1, 2 and 4 bytes', () => {
    for (const size of [1, 2, 4]) {
      const sample = joinLengthPrefixed([a, b, c], size);
      expect(sample.length).toBe(3 * size + a.length + b.length + c.length);
      expect(splitLengthPrefixed(sample, size).map((n) => [...n])).toEqual([[...a], [...b], [...c]]);
    }
    expect([...joinLengthPrefixed([new Uint8Array(300)], 2).subarray(0, 2)]).toEqual([1, 44]);
    expect(() => joinLengthPrefixed([new Uint8Array(256)], 1)).toThrow(RangeError);
    expect(() => splitLengthPrefixed(Uint8Array.of(0, 0, 0, 5, 1, 2), 4)).toThrow(H264SyntaxError);
    expect(() => splitLengthPrefixed(Uint8Array.of(0, 0, 0, 0), 4)).toThrow(H264SyntaxError);
    expect(() => splitLengthPrefixed(Uint8Array.of(0, 0), 3)).toThrow(RangeError);
  });
});
