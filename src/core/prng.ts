/**
 * A tiny, fast, seeded pseudo-random generator for LSB matching's coin flips
 * (whether a sample moves up or down). It decides nothing the extractor needs,
 * so it needs no cross-platform spec; seed it from `crypto.getRandomValues` so
 * the flips are not predictable from the data.
 *
 * xorshift128 (Marsaglia 2003): four 32-bit words of state, period 2^128 - 1.
 */
export class Xorshift {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  /**
   * @param seed 16 bytes (or more; the first 16 are used) of random state, or
   *   a 32-bit integer for reproducible tests.
   */
  constructor(seed: Uint8Array | number) {
    let s: number[];
    if (typeof seed === 'number') {
      // Spread one integer over four words with splitmix-style steps.
      let v = seed >>> 0;
      s = [];
      for (let i = 0; i < 4; i++) {
        v = (v + 0x9e3779b9) >>> 0;
        let z = v;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        s.push((z ^ (z >>> 16)) >>> 0);
      }
    } else {
      if (seed.length < 16) throw new RangeError('Xorshift seed must be at least 16 bytes');
      s = [0, 1, 2, 3].map((i) => (seed[4 * i] | (seed[4 * i + 1] << 8) | (seed[4 * i + 2] << 16) | (seed[4 * i + 3] << 24)) >>> 0);
    }
    // The all-zero state is xorshift's one fixed point.
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 0x6a09e667;
    [this.x, this.y, this.z, this.w] = s;
  }

  /** The next 32 random bits as an unsigned integer. Allocates nothing. */
  nextU32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8));
    return this.w >>> 0;
  }
}
