/**
 * A keyed pseudo-random permutation of `[0, n)` whose i-th element costs O(1)
 * (docs/FORMAT.md, "Where samples go").
 *
 * Why not shuffle an index array: a 4K frame has 12 million samples and a video
 * a million frames; the locator needs only 1888 positions and a short message a
 * few thousand. A Feistel network gives any single element directly, with no
 * table of positions, so the first k positions cost O(k) whatever the video's size.
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
 * Speed: a reveal computes a frame's hundreds of thousands of positions for
 * every carrier frame, and that is most of its time per frame. The round
 * function of a half depends on nothing else, and a frame's halves are at
 * most 15 bits, so long ranges ({@link KeyedPermutation.writeRange}) look
 * the rounds up in tables built once per frame and walk the cycles in
 * branch-free passes; the values are the same (pinned in the tests, and
 * checked against format v1's plain implementation).
 *
 * This is a keyed shuffle, not a block cipher with a security proof: the key
 * (an Argon2id or HKDF output) is what an attacker lacks, and the format's
 * secrecy rests on AES-GCM, not on the order being unguessable.
 */

/** Feistel rounds. Six rounds of a full-avalanche mix are well past what pseudo-randomness needs (Luby-Rackoff: 4). */
export const FEISTEL_ROUNDS = 6;

/** Largest n a permutation handles: halves must fit in 26 bits and values stay exact doubles. */
export const MAX_PERMUTATION_SIZE = 2 ** 52;

/**
 * murmur3 fmix32: a bijective 32-bit mix where every input bit affects every
 * output bit. Reads its input mod 2^32 and returns a signed 32-bit integer:
 * every use below reduces mod 2^32 again, so the sign never shows.
 */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * The Feistel round function before masking to a half: fmix32 of the half
 * XOR the key, plus the key. Both the rounds of {@link KeyedPermutation.at}
 * and the round tables of {@link KeyedPermutation.writeRange} come from here.
 */
function roundMix(half: number, key: number): number {
  return fmix32(half ^ key) + key;
}

/** Little-endian 32-bit word i of a seed. */
function seedWord(seed: Uint8Array, i: number): number {
  return (seed[4 * i] | (seed[4 * i + 1] << 8) | (seed[4 * i + 2] << 16) | (seed[4 * i + 3] << 24)) >>> 0;
}

function checkSeed(seed: Uint8Array): void {
  if (seed.length !== 32) throw new RangeError(`permutation seed must be 32 bytes, got ${seed.length}`);
}

function checkTweak(tweak: number): void {
  if (!Number.isInteger(tweak) || tweak < 0 || tweak > 0xffffffff) throw new RangeError(`bad permutation tweak ${tweak}`);
}

/** Round keys of a seed given as its 8 words (see {@link deriveRoundKeys}). */
function roundKeysOfWords(w: Uint32Array, tweak: number, out: Uint32Array | Int32Array): void {
  // Absorb the tweak and all seed words into one chained state.
  let h = fmix32((tweak ^ 0x243f6a88) >>> 0);
  for (let j = 0; j < 8; j++) h = fmix32((h ^ w[j]) + 0x9e3779b9);
  // Squeeze one key per round, each also keyed by a seed word directly.
  for (let i = 0; i < FEISTEL_ROUNDS; i++) {
    h = fmix32((h + Math.imul(i + 1, 0x9e3779b9) + tweak) ^ w[i]);
    out[i] = (h ^ w[(i + 6) & 7]) >>> 0;
  }
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
  checkSeed(seed);
  checkTweak(tweak);
  if (out.length < FEISTEL_ROUNDS) throw new RangeError('round key buffer too small');
  const w = new Uint32Array(8);
  for (let i = 0; i < 8; i++) w[i] = seedWord(seed, i);
  roundKeysOfWords(w, tweak, out);
  return out;
}

/** Largest half width whose joined value (2 * halfBits bits) still fits a positive 32-bit integer. */
const MAX_SHIFT_HALF_BITS = 15;

/** Elements {@link KeyedPermutation.writeRange} walks at a time: the block's pending list is preallocated, once. */
const WALK_BLOCK = 4096;
/** Places in the current block whose value is still outside `[0, n)`, for the next cycle-walking pass. */
const pending = new Uint32Array(WALK_BLOCK);

/**
 * A keyed pseudo-random permutation of `[0, n)` for 1 <= n <= 2^52.
 *
 * `at(i)` is the i-th element of the permutation: distinct i in `[0, n)` give
 * distinct values in `[0, n)`. Same seed, n and tweak give the same order on
 * every platform (pure integer arithmetic).
 *
 * One object serves every tweak of a seed and size ({@link setTweak}): a
 * video's frames each have their own order, and re-keying costs six round
 * keys, not an allocation.
 */
export class KeyedPermutation {
  /** Size of the permuted range. */
  readonly n: number;
  /** Bits per Feistel half. */
  readonly halfBits: number;
  /** 2^halfBits: halfBits <= 26, so it fits a 32-bit integer. */
  readonly #half: number;
  /** 2^halfBits - 1. */
  readonly #mask: number;
  /** The seed as 8 little-endian words, read once. */
  readonly #seedWords = new Uint32Array(8);
  /** Round keys of the current tweak, as signed 32-bit integers (the round function's arithmetic is 32-bit). */
  readonly #keys = new Int32Array(FEISTEL_ROUNDS);
  #tweak = -1;
  /**
   * Round k's values for every half r at `k * 2^halfBits + r`: the round
   * function of the current keys, masked, as a table (halves are at most 15
   * bits where it is used, so a frame's tables are a few kilobytes). Built on
   * the first long range after a re-key, when it costs less than the rounds it
   * saves.
   */
  #tables: Uint16Array | null = null;
  #tablesTweak = -1;

  /**
   * @param seed 32 bytes of key.
   * @param n size of the range, an integer in [1, 2^52].
   * @param tweak an integer in [0, 2^32): distinct tweaks give independent orders from one seed.
   */
  constructor(seed: Uint8Array, n: number, tweak = 0) {
    checkSeed(seed);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PERMUTATION_SIZE) throw new RangeError(`bad permutation size ${n}`);
    this.n = n;
    // Smallest h >= 1 with 4^h >= n: the domain is then under 4n, so cycle walking takes < 4 steps on average.
    let h = 1;
    while (4 ** h < n) h++;
    this.halfBits = h;
    // Shifts, not 2 ** h: small integers, so the hot loops index and mask in 32-bit arithmetic, not in doubles.
    this.#half = 1 << h;
    this.#mask = (1 << h) - 1;
    for (let i = 0; i < 8; i++) this.#seedWords[i] = seedWord(seed, i);
    this.setTweak(tweak);
  }

  /** The tweak the order currently follows. */
  get tweak(): number {
    return this.#tweak;
  }

  /** Switches to the order of another tweak of the same seed and size (another frame's). Allocates nothing. */
  setTweak(tweak: number): void {
    checkTweak(tweak);
    if (tweak === this.#tweak) return;
    roundKeysOfWords(this.#seedWords, tweak, this.#keys);
    this.#tweak = tweak;
  }

  /**
   * The i-th element of the permutation. `i` must be an integer in `[0, n)`
   * (not checked: this is the hot path). Allocates nothing.
   */
  at(i: number): number {
    const n = this.n;
    const h = this.halfBits;
    const half = this.#half;
    const mask = this.#mask;
    const keys = this.#keys;
    const k0 = keys[0];
    const k1 = keys[1];
    const k2 = keys[2];
    const k3 = keys[3];
    const k4 = keys[4];
    const k5 = keys[5];
    let x = i;
    do {
      // Up to 2^30 the split is a shift; above, division (exact: half is a power of two).
      let l = h <= MAX_SHIFT_HALF_BITS ? x >>> h : Math.floor(x / half);
      let r = h <= MAX_SHIFT_HALF_BITS ? x & mask : x - l * half;
      // Six rounds of L, R -> R, L ^ F(R), written without the swaps: after an
      // even number of rounds the halves are back in their places.
      l ^= roundMix(r, k0) & mask;
      r ^= roundMix(l, k1) & mask;
      l ^= roundMix(r, k2) & mask;
      r ^= roundMix(l, k3) & mask;
      l ^= roundMix(r, k4) & mask;
      r ^= roundMix(l, k5) & mask;
      x = l * half + r;
    } while (x >= n); // cycle walking: the chain from i < n returns below n
    return x;
  }

  /**
   * Writes elements `start .. start + count - 1` (`at(start)` onwards) into
   * `out[outOffset ..]`, so `n` must be at most 2^32: a frame's hundreds of
   * thousands of positions. Allocates nothing after the first long range
   * of a permutation.
   *
   * For ranges at least as long as a half's values, the six rounds become
   * six lookups in tables of the round function (built once per tweak), and
   * each block of elements is walked pass by pass: every element one
   * Feistel pass, then again only those still outside `[0, n)`. The passes
   * have no branch to mispredict and their elements do not wait on each
   * other, which is where the time went.
   */
  writeRange(start: number, count: number, out: Uint32Array, outOffset = 0): void {
    const n = this.n;
    if (n > 2 ** 32) throw new RangeError(`a permutation of ${n} values does not fit 32-bit positions`);
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > n) {
      throw new RangeError(`bad range of ${count} elements from ${start}`);
    }
    if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + count > out.length) throw new RangeError('range does not fit the output');
    const h = this.halfBits;
    const half = this.#half;
    if (h > MAX_SHIFT_HALF_BITS || count < half) {
      for (let i = 0; i < count; i++) out[outOffset + i] = this.at(start + i);
      return;
    }
    const t = this.#roundTables();
    const mask = this.#mask;
    const o1 = half;
    const o2 = 2 * half;
    const o3 = 3 * half;
    const o4 = 4 * half;
    const o5 = 5 * half;
    const last = n - 1; // values stay under 2^30: (last - y) >>> 31 is 1 exactly when y >= n
    for (let b = 0; b < count; b += WALK_BLOCK) {
      // Every element of the block starts as its own index, waiting for a pass.
      const first = outOffset + b;
      let waiting = Math.min(WALK_BLOCK, count - b);
      for (let j = 0; j < waiting; j++) {
        out[first + j] = start + b + j;
        pending[j] = first + j;
      }
      while (waiting > 0) {
        let still = 0;
        for (let j = 0; j < waiting; j++) {
          const p = pending[j];
          const x = out[p];
          let l = x >>> h;
          let r = x & mask;
          l ^= t[r];
          r ^= t[o1 + l];
          l ^= t[o2 + r];
          r ^= t[o3 + l];
          l ^= t[o4 + r];
          r ^= t[o5 + l];
          const y = (l << h) | r;
          out[p] = y;
          // Kept for another pass while outside [0, n); the write is harmless otherwise (still <= j).
          pending[still] = p;
          still += (last - y) >>> 31;
        }
        waiting = still;
      }
    }
  }

  /** The round tables of the current keys (see `#tables`), built now if the tweak changed. */
  #roundTables(): Uint16Array {
    const half = this.#half;
    const t = (this.#tables ??= new Uint16Array(FEISTEL_ROUNDS * half));
    if (this.#tablesTweak !== this.#tweak) {
      const mask = this.#mask;
      for (let k = 0; k < FEISTEL_ROUNDS; k++) {
        const key = this.#keys[k];
        const base = k * half;
        for (let r = 0; r < half; r++) t[base + r] = roundMix(r, key) & mask;
      }
      this.#tablesTweak = this.#tweak;
    }
    return t;
  }
}
