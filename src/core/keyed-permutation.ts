/**
 * A keyed pseudo-random permutation of `[0, n)` whose i-th element costs O(1)
 * (docs/FORMAT.md, "Where samples go").
 *
 * Why not shuffle an index array: a 4K frame has 12 million samples and a video
 * a million frames; the locator needs only 1888 positions and a short message a
 * few thousand. A Feistel network gives any single element directly, with no
 * table, so the first k positions cost O(k) whatever the video's size.
 *
 * Construction: a balanced Feistel network on 2h bits (h = ceil(log2(n) / 2),
 * at least 1), so its domain 4^h is the smallest power of 4 that is >= n, hence
 * < 4n. A Feistel network is a bijection of its domain whatever its round
 * function; cycle walking (re-encrypting while the value is >= n) restricts it
 * to a bijection of `[0, n)`, with fewer than 4 steps expected.
 *
 * The round function is murmur3's 32-bit finalizer (fmix32) of the half XOR a
 * round key, plus the key: a full-avalanche 32-bit mix built from Math.imul, so
 * it stays in 32-bit integer arithmetic. Halves are at most 26 bits (n <= 2^52),
 * so they fit in 32-bit integers; the two halves are joined with arithmetic
 * (hi * 2^h + lo), since JavaScript bit operators stop at 32 bits.
 *
 * This is a keyed shuffle, not a block cipher with a security proof: the key
 * (an Argon2id or HKDF output) is what an attacker lacks, and the format's
 * secrecy rests on AES-GCM, not on the order being unguessable.
 */

/** Feistel rounds. Six rounds of a full-avalanche mix are well past what pseudo-randomness needs (Luby-Rackoff: 4). */
export const FEISTEL_ROUNDS = 6;

/** Largest n a permutation handles: halves must fit in 26 bits and values stay exact doubles. */
export const MAX_PERMUTATION_SIZE = 2 ** 52;

/** murmur3 fmix32: a bijective 32-bit mix where every input bit affects every output bit. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Round keys for a seed and tweak, `FEISTEL_ROUNDS` 32-bit words.
 *
 * Every key depends on all 8 words of the seed and on the tweak (a chained mix
 * runs over all of them first), and key i also takes seed word i directly, so
 * the 192 bits of round keys keep the seed's entropy rather than a 32-bit
 * digest of it. The tweak (a frame index, or a fixed value for frame orders)
 * lets one seed give independent permutations.
 *
 * @param seed 32 bytes.
 * @param tweak an integer in [0, 2^32).
 * @param out where to write; a new array when omitted.
 */
export function deriveRoundKeys(seed: Uint8Array, tweak: number, out: Uint32Array = new Uint32Array(FEISTEL_ROUNDS)): Uint32Array {
  if (seed.length !== 32) throw new RangeError(`permutation seed must be 32 bytes, got ${seed.length}`);
  if (!Number.isInteger(tweak) || tweak < 0 || tweak > 0xffffffff) throw new RangeError(`bad permutation tweak ${tweak}`);
  if (out.length < FEISTEL_ROUNDS) throw new RangeError('round key buffer too small');
  const w = (i: number) => (seed[4 * i] | (seed[4 * i + 1] << 8) | (seed[4 * i + 2] << 16) | (seed[4 * i + 3] << 24)) >>> 0;
  // Absorb the tweak and all seed words into one chained state.
  let h = fmix32((tweak ^ 0x243f6a88) >>> 0);
  for (let j = 0; j < 8; j++) h = fmix32((h ^ w(j)) + 0x9e3779b9);
  // Squeeze one key per round, each also keyed by a seed word directly.
  for (let i = 0; i < FEISTEL_ROUNDS; i++) {
    h = fmix32((h + Math.imul(i + 1, 0x9e3779b9) + tweak) ^ w(i));
    out[i] = (h ^ w((i + 6) & 7)) >>> 0;
  }
  return out;
}

/**
 * A keyed pseudo-random permutation of `[0, n)` for 1 <= n <= 2^52.
 *
 * `at(i)` is the i-th element of the permutation: distinct i in `[0, n)` give
 * distinct values in `[0, n)`. Same seed, n and tweak give the same order on
 * every platform (pure integer arithmetic).
 */
export class KeyedPermutation {
  /** Size of the permuted range. */
  readonly n: number;
  /** Bits per Feistel half. */
  readonly halfBits: number;
  private readonly half: number; // 2^halfBits
  private readonly mask: number; // 2^halfBits - 1
  /** Round keys as signed 32-bit integers (the round function's arithmetic is 32-bit). */
  private readonly keys: Int32Array;

  /**
   * @param seed 32 bytes of key.
   * @param n size of the range, an integer in [1, 2^52].
   * @param tweak an integer in [0, 2^32): distinct tweaks give independent orders from one seed.
   */
  constructor(seed: Uint8Array, n: number, tweak = 0) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PERMUTATION_SIZE) throw new RangeError(`bad permutation size ${n}`);
    this.n = n;
    // Smallest h >= 1 with 4^h >= n: the domain is then under 4n, so cycle walking takes < 4 steps on average.
    let h = 1;
    while (4 ** h < n) h++;
    this.halfBits = h;
    this.half = 2 ** h;
    this.mask = this.half - 1; // h <= 26: fits a 32-bit integer
    this.keys = Int32Array.from(deriveRoundKeys(seed, tweak));
  }

  /**
   * The i-th element of the permutation. `i` must be an integer in `[0, n)`
   * (not checked: this is the hot path). Allocates nothing.
   */
  at(i: number): number {
    return walk(i, this.n, this.halfBits, this.half, this.mask, this.keys);
  }

  /**
   * Writes the first `count` elements (`at(0) .. at(count - 1)`) into `out`,
   * so `n` must be at most 2^32: a frame's hundreds of thousands of
   * positions in one tight loop.
   */
  prefix(count: number, out: Uint32Array): void {
    if (this.n > 2 ** 32) throw new RangeError(`a permutation of ${this.n} values does not fit 32-bit positions`);
    if (!Number.isInteger(count) || count < 0 || count > this.n || out.length < count) throw new RangeError(`bad prefix length ${count}`);
    const { n, halfBits, half, mask, keys } = this;
    for (let i = 0; i < count; i++) out[i] = walk(i, n, halfBits, half, mask, keys);
  }
}

/**
 * Feistel rounds from x, repeated while the result is >= n (cycle walking:
 * the chain from x < n returns below n). L, R -> R, L ^ F(R), with F the
 * round function: fmix32 of the half XOR the key, plus the key. Halves stay
 * under 2^26, so XOR and masks are exact 32-bit operations.
 */
function walk(x: number, n: number, h: number, half: number, mask: number, keys: Int32Array): number {
  do {
    // Up to 2^30 the split is a shift; above, division (exact: half is a power of two).
    let l = h <= 15 ? x >>> h : Math.floor(x / half);
    let r = h <= 15 ? x & mask : x - l * half;
    for (let k = 0; k < FEISTEL_ROUNDS; k++) {
      const key = keys[k];
      let z = r ^ key;
      z ^= z >>> 16;
      z = Math.imul(z, 0x85ebca6b);
      z ^= z >>> 13;
      z = Math.imul(z, 0xc2b2ae35);
      z ^= z >>> 16;
      const t = l ^ ((z + key) & mask);
      l = r;
      r = t;
    }
    x = h <= 15 ? ((l << h) | r) >>> 0 : l * half + r;
  } while (x >= n);
  return x;
}

