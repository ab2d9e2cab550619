import { describe, expect, it } from 'vitest';
import { FEISTEL_ROUNDS, KeyedPermutation, deriveRoundKeys } from './keyed-permutation.ts';

function seedOf(k: number): Uint8Array {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = (k * 131 + i * 17 + 7) & 255;
  return s;
}

function isBijection(p: KeyedPermutation): boolean {
  const seen = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const v = p.at(i);
    if (!Number.isInteger(v) || v < 0 || v >= p.n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

function prefix(p: KeyedPermutation, k: number): number[] {
  return Array.from({ length: Math.min(k, p.n) }, (_, i) => p.at(i));
}

describe('KeyedPermutation', () => {
  it('is a bijection of [0, n) for every n up to 700 and many up to 5000', () => {
    const ns: number[] = [];
    for (let n = 1; n <= 700; n++) ns.push(n);
    // Primes, powers of 2 and 4, their neighbours.
    ns.push(997, 1009, 1021, 1024, 1025, 1023, 2039, 2048, 2049, 3001, 4093, 4095, 4096, 4097, 4999, 5000);
    const seed = crypto.getRandomValues(new Uint8Array(32));
    for (const n of ns) {
      for (const tweak of [0, 7, 0xffffffff]) {
        expect(isBijection(new KeyedPermutation(seed, n, tweak)), `n=${n} tweak=${tweak}`).toBe(true);
      }
    }
  });

  it('is deterministic for a seed, n and tweak', () => {
    const a = new KeyedPermutation(seedOf(1), 100_000, 3);
    const b = new KeyedPermutation(seedOf(1), 100_000, 3);
    expect(prefix(a, 50)).toEqual(prefix(b, 50));
  });

  it('gives different orders for different seeds and tweaks', () => {
    const n = 1_000_000;
    const base = prefix(new KeyedPermutation(seedOf(1), n, 0), 20);
    expect(prefix(new KeyedPermutation(seedOf(2), n, 0), 20)).not.toEqual(base);
    expect(prefix(new KeyedPermutation(seedOf(1), n, 1), 20)).not.toEqual(base);
    // One flipped seed bit changes the order too.
    const s = seedOf(1);
    s[31] ^= 1;
    expect(prefix(new KeyedPermutation(s, n, 0), 20)).not.toEqual(base);
    // Tweaks 0..99 (frame indices) give 100 distinct first elements' sequences.
    const firsts = new Set<string>();
    for (let t = 0; t < 100; t++) firsts.add(prefix(new KeyedPermutation(seedOf(1), n, t), 4).join(','));
    expect(firsts.size).toBe(100);
  });

  it('derives round keys that depend on every seed word and the tweak', () => {
    const k = deriveRoundKeys(seedOf(5), 0);
    expect(k.length).toBe(FEISTEL_ROUNDS);
    for (let byte = 0; byte < 32; byte += 4) {
      const s = seedOf(5);
      s[byte] ^= 0x80;
      const k2 = deriveRoundKeys(s, 0);
      for (let i = 0; i < FEISTEL_ROUNDS; i++) expect(k2[i]).not.toBe(k[i]);
    }
    expect(Array.from(deriveRoundKeys(seedOf(5), 1))).not.toEqual(Array.from(k));
    expect(() => deriveRoundKeys(new Uint8Array(31), 0)).toThrow(RangeError);
  });

  it('handles n = 2^40 and 2^52: integer values below n, distinct over the first 100k', () => {
    for (const n of [2 ** 40, 2 ** 52, 2 ** 52 - 3, 2 ** 41 + 1]) {
      const p = new KeyedPermutation(seedOf(9), n, 42);
      const seen = new Set<number>();
      for (let i = 0; i < 100_000; i++) {
        const v = p.at(i);
        if (!Number.isInteger(v) || v < 0 || v >= n) throw new Error(`bad value ${v} for n=${n}`);
        seen.add(v);
      }
      expect(seen.size).toBe(100_000);
      // Values spread over the whole range, not only its low part.
      let maxSeen = 0;
      for (const v of seen) maxSeen = Math.max(maxSeen, v);
      expect(maxSeen).toBeGreaterThan(n * 0.99);
      // The last index works too.
      expect(p.at(n - 1)).toBeLessThan(n);
    }
  });

  it('spreads the first elements evenly (chi-square sanity)', () => {
    const buckets = 64;
    const n = 1000 * buckets;
    for (let trial = 0; trial < 5; trial++) {
      const p = new KeyedPermutation(seedOf(100 + trial), n, trial);
      const counts = new Array<number>(buckets).fill(0);
      for (let i = 0; i < 1000; i++) counts[Math.floor(p.at(i) / 1000)]++;
      const expected = 1000 / buckets;
      const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
      // 63 degrees of freedom: mean 63, sd ~11.2. 130 is ~6 sd out.
      expect(chi2).toBeLessThan(130);
    }
  });

  it('rejects bad sizes and tweaks', () => {
    expect(() => new KeyedPermutation(seedOf(1), 0)).toThrow(RangeError);
    expect(() => new KeyedPermutation(seedOf(1), 2 ** 52 + 1)).toThrow(RangeError);
    expect(() => new KeyedPermutation(seedOf(1), 1.5)).toThrow(RangeError);
    expect(() => new KeyedPermutation(seedOf(1), 10, -1)).toThrow(RangeError);
    expect(() => new KeyedPermutation(seedOf(1), 10, 2 ** 32)).toThrow(RangeError);
    expect(new KeyedPermutation(seedOf(1), 1).at(0)).toBe(0);
  });
});

describe('the order is part of the format', () => {
  it('gives the same values it always has (videos hidden earlier must still reveal)', () => {
    const pinned: [n: number, seed: number, tweak: number, at: [number, number][]][] = [
      [1000, 3, 77, [[0, 730], [1, 912], [2, 349], [3, 437], [500, 728], [999, 178]]],
      [7_372_800, 9, 0, [[0, 1663754], [1, 5216910], [2, 6755705], [3, 4809725], [3686400, 6629975], [7372799, 637911]]],
      [2 ** 31 + 5, 4, 0xffffffff, [[0, 511447364], [1, 290776076], [1073741826, 919250469], [2147483652, 51276245]]],
      [2 ** 44 + 3, 2, 12345, [[0, 16177013411233], [3, 8600791666186], [17592186044418, 12313796041669]]],
      [2 ** 52, 7, 1, [[0, 943199996876780], [2251799813685248, 1907110609600242], [4503599627370495, 2338156087490723]]],
    ];
    for (const [n, seed, tweak, at] of pinned) {
      const p = new KeyedPermutation(seedOf(seed), n, tweak);
      for (const [i, v] of at) expect(p.at(i)).toBe(v);
    }
  });
});

describe('KeyedPermutation.writeRange', () => {
  it('writes exactly the values of at(start .. start+count-1), for frame-sized and huge ranges', () => {
    // 1 and 5: tiny; 7,372,800: a 1440p 4:2:2 frame (h = 12); 4^15: the largest size with round tables; above: the at() path.
    for (const [n, start, count] of [
      [1, 0, 1],
      [5, 0, 5],
      [1000, 0, 1000],
      [1000, 37, 900],
      [7_372_800, 0, 100_000],
      [7_372_800, 5000, 9000],
      [4 ** 15, 0, 40_000],
      [4 ** 15 + 1, 0, 5000],
      [2 ** 32, 7, 5000],
    ]) {
      for (const tweak of [0, 77, 0xffffffff]) {
        const p = new KeyedPermutation(seedOf(n % 251), n, tweak);
        const out = new Uint32Array(count + 3).fill(0xdeadbeef);
        p.writeRange(start, count, out, 1);
        const want = Array.from({ length: count }, (_, i) => p.at(start + i));
        expect(Array.from(out.subarray(1, count + 1))).toEqual(want);
        expect(out[0]).toBe(0xdeadbeef); // nothing written before the offset
        expect(out[count + 1]).toBe(0xdeadbeef); // nor past the range
      }
    }
  });

  it('follows setTweak: the same values as a permutation made with that tweak', () => {
    const n = 3_110_400; // a 1080p 4:2:0 frame
    const p = new KeyedPermutation(seedOf(4), n, 0);
    const out = new Uint32Array(5000);
    for (const tweak of [9, 10, 9, 0xffffffff, 0]) {
      p.setTweak(tweak);
      expect(p.tweak).toBe(tweak);
      p.writeRange(0, out.length, out); // long enough for the round tables, which must follow the tweak
      const fresh = new KeyedPermutation(seedOf(4), n, tweak);
      expect(Array.from(out.subarray(0, 50))).toEqual(Array.from({ length: 50 }, (_, i) => fresh.at(i)));
      expect(out[4999]).toBe(fresh.at(4999));
      expect(p.at(123)).toBe(fresh.at(123));
    }
    expect(() => p.setTweak(-1)).toThrow(RangeError);
    expect(() => p.setTweak(2 ** 32)).toThrow(RangeError);
  });

  it('refuses a range past the permutation or the buffer', () => {
    const p = new KeyedPermutation(seedOf(3), 100);
    expect(() => p.writeRange(0, 101, new Uint32Array(200))).toThrow(RangeError);
    expect(() => p.writeRange(50, 51, new Uint32Array(200))).toThrow(RangeError);
    expect(() => p.writeRange(0, 50, new Uint32Array(49))).toThrow(RangeError);
    expect(() => p.writeRange(0, 50, new Uint32Array(60), 11)).toThrow(RangeError);
    expect(() => p.writeRange(0, -1, new Uint32Array(10))).toThrow(RangeError);
    expect(() => p.writeRange(-1, 1, new Uint32Array(10))).toThrow(RangeError);
    // Values past 2^32 would not fit the output.
    expect(() => new KeyedPermutation(seedOf(3), 2 ** 32 + 1).writeRange(0, 1, new Uint32Array(1))).toThrow(RangeError);
  });
});
