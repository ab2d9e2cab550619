/**
 * Systematic Reed-Solomon encoding over GF(2^8) (field: see gf256.ts).
 *
 * Code RS(n, k), n <= 255, nsym = n - k parity bytes. Generator polynomial
 * g(x) = prod_{i=0}^{nsym-1} (x - alpha^i)   (first consecutive root 0).
 * Codeword = data bytes followed by the nsym parity bytes, first byte = highest
 * degree coefficient; parity = data(x) * x^nsym mod g(x). Shortened codes
 * (n < 255) are the full code with leading zero data bytes left out, which
 * costs nothing here because leading zeros leave the remainder register at 0.
 *
 * Speed: a byte-at-a-time LFSR does nsym table multiplies per data byte, too
 * slow for our 200 MB/s target. Since the remainder is linear over GF(2), we
 * use the "slicing-by-4" technique known from CRCs: four input bytes at once,
 * the register held as 32-bit words (4 parity bytes per word), and four
 * precomputed tables A_j[x] (j = 0..3) giving the register contribution of
 * value x entering at lane j. Per 4 data bytes that is 4 * nsym/4 word loads
 * and XORs and a shift by exactly one word.
 */
import { GF_EXP as GF_EXP_, GF_MUL as GF_MUL_ } from './gf256.ts';

// Local aliases of the field tables: module loaders that rewrite imports
// (Vitest, CommonJS interop) turn each use of an imported binding into a
// property or getter access, which costs a lot in the hot loops.
const GF_EXP = GF_EXP_;
const GF_MUL = GF_MUL_;

/** Check nsym is a usable parity count for a code over GF(2^8). */
export function assertNsym(nsym: number): void {
  if (!Number.isInteger(nsym) || nsym < 1 || nsym > 254) {
    throw new RangeError(`Reed-Solomon: nsym must be an integer in 1..254, got ${nsym}`);
  }
}

const generatorCache = new Map<number, Uint8Array>();

/**
 * The generator polynomial g(x) = prod_{i=0}^{nsym-1} (x - alpha^i), highest
 * degree first (g[0] = 1, length nsym + 1). Cached per nsym; do not mutate.
 */
export function rsGeneratorPoly(nsym: number): Uint8Array {
  assertNsym(nsym);
  let g = generatorCache.get(nsym);
  if (g) return g;
  g = new Uint8Array(nsym + 1);
  g[0] = 1;
  // Multiply by (x + alpha^i) in turn; len = current number of coefficients.
  for (let i = 0, len = 1; i < nsym; i++, len++) {
    const root = GF_EXP[i] << 8;
    // new[j] = old[j] + root * old[j-1], walking down to keep it in place.
    for (let j = len; j >= 1; j--) g[j] ^= GF_MUL[root | g[j - 1]];
  }
  generatorCache.set(nsym, g);
  return g;
}

/**
 * Systematic encoder for one nsym. Holds the slicing tables and a scratch
 * register, so encoding allocates nothing. Not re-entrant (one register);
 * fine in JS where a call runs to completion.
 */
export class RsEncoder {
  /** Number of parity bytes. */
  readonly nsym: number;
  /** Register width in 32-bit words: ceil(nsym / 4). */
  private readonly words: number;
  /** Four tables A_0..A_3, each 256 rows of `words` words. */
  private readonly table: Uint32Array;
  /** Remainder register, byte b of the register in word b>>2 at bits 8*(b&3). */
  private readonly reg: Uint32Array;

  constructor(nsym: number) {
    assertNsym(nsym);
    this.nsym = nsym;
    const words = (nsym + 3) >> 2;
    this.words = words;
    this.reg = new Uint32Array(words);
    this.table = buildSliceTables(rsGeneratorPoly(nsym), words);
  }

  /**
   * Compute the nsym parity bytes of data[dataOff .. dataOff + k) and write
   * them to parity[parityOff .. parityOff + nsym). k may be 0..255 - nsym
   * (k < 255 - nsym is a shortened code). The areas may be adjacent (the usual
   * data-then-parity layout) but must not overlap.
   */
  encodeInto(data: Uint8Array, dataOff: number, k: number, parity: Uint8Array, parityOff: number): void {
    this.remainder(data, dataOff, k);
    const r = this.reg;
    const nsym = this.nsym;
    for (let b = 0; b < nsym; b++) parity[parityOff + b] = (r[b >> 2] >>> ((b & 3) << 3)) & 255;
  }

  /**
   * Run the register over data[dataOff .. dataOff + k); on return the register
   * holds data(x) * x^nsym mod g(x) (see `registerByte`). Used by the decoder
   * as a fast syndrome check.
   */
  remainder(data: Uint8Array, dataOff: number, k: number): void {
    const r = this.reg;
    const T = this.table;
    const W = this.words;
    const T1 = 256 * W;
    const T2 = 512 * W;
    const T3 = 768 * W;
    const last = W - 1;
    r.fill(0);
    if (k <= 0) return;
    // Pretend the data is preceded by `lead` zeros so it splits into whole
    // groups of 4; leading zeros do not change the remainder. The register is
    // 0 at the start, so the first group's lane values are just the data.
    const lead = (4 - (k & 3)) & 3;
    let i = dataOff - lead;
    {
      const x0 = lead > 0 ? 0 : data[i];
      const x1 = lead > 1 ? 0 : data[i + 1];
      const x2 = lead > 2 ? 0 : data[i + 2];
      const x3 = data[i + 3];
      const b0 = x0 * W;
      const b1 = T1 + x1 * W;
      const b2 = T2 + x2 * W;
      const b3 = T3 + x3 * W;
      for (let w = 0; w < W; w++) r[w] = T[b0 + w] ^ T[b1 + w] ^ T[b2 + w] ^ T[b3 + w];
      i += 4;
    }
    const end = dataOff + k;
    // Register widths of our standard parity counts (16, 32, 64) get an
    // unrolled loop holding the register in locals (the generic loop below
    // loads and stores the register array for every word: about 1.6x slower).
    // The unrolled loops read their table from a module-level constant array,
    // which V8 optimises better than a table passed in (measured ~15% on
    // RS(255,223)). That array is shared by all encoders of the same width and
    // is reloaded (a 16-64 KiB copy) when a different one runs; in practice
    // one nsym is in use at a time.
    if (W === 8) {
      if (loaded8 !== this) { TABLE8.set(T); loaded8 = this; }
      remainderLoop8(r, data, i, end);
    } else if (W === 4) {
      if (loaded4 !== this) { TABLE4.set(T); loaded4 = this; }
      remainderLoop4(r, data, i, end);
    } else if (W === 16) {
      if (loaded16 !== this) { TABLE16.set(T); loaded16 = this; }
      remainderLoop16(r, data, i, end);
    } else {
      for (; i < end; i += 4) {
        const r0 = r[0];
        const b0 = ((r0 & 255) ^ data[i]) * W;
        const b1 = T1 + (((r0 >>> 8) & 255) ^ data[i + 1]) * W;
        const b2 = T2 + (((r0 >>> 16) & 255) ^ data[i + 2]) * W;
        const b3 = T3 + ((r0 >>> 24) ^ data[i + 3]) * W;
        let w = 0;
        for (; w < last; w++) r[w] = r[w + 1] ^ T[b0 + w] ^ T[b1 + w] ^ T[b2 + w] ^ T[b3 + w];
        r[last] = T[b0 + last] ^ T[b1 + last] ^ T[b2 + last] ^ T[b3 + last];
      }
    }
  }

  /** Byte b (0 = highest degree) of the register after `remainder`. */
  registerByte(b: number): number {
    return (this.reg[b >> 2] >>> ((b & 3) << 3)) & 255;
  }
}

/**
 * Build the slicing-by-4 tables. When nsym is not a multiple of 4 we use the
 * generator g(x) * x^pad (pad = 4*words - nsym): its remainder is ours times
 * x^pad, i.e. our parity followed by `pad` zero bytes, so the first nsym
 * register bytes are still the parity.
 */
function buildSliceTables(g: Uint8Array, words: number): Uint32Array {
  const width = words * 4;
  // Padded generator, highest degree first, length width + 1.
  const gp = new Uint8Array(width + 1);
  gp.set(g);
  const table = new Uint32Array(4 * 256 * words);
  const s = new Uint8Array(width);
  for (let lane = 0; lane < 4; lane++) {
    for (let x = 1; x < 256; x++) {
      // Contribution of value x at register byte `lane` after 4 LFSR steps
      // with zero input: the state-update is linear, so these four tables
      // XOR together to give the update for any 4 lane values.
      s.fill(0);
      s[lane] = x;
      for (let step = 0; step < 4; step++) {
        const fb = s[0] << 8;
        for (let b = 0; b < width - 1; b++) s[b] = s[b + 1] ^ GF_MUL[fb | gp[b + 1]];
        s[width - 1] = GF_MUL[fb | gp[width]];
      }
      const base = (lane * 256 + x) * words;
      for (let b = 0; b < width; b++) table[base + (b >> 2)] |= s[b] << ((b & 3) << 3);
    }
  }
  return table;
}

/** Slicing tables of the 13..16 parity-byte encoder currently loaded (see `remainder`). */
const TABLE4 = new Uint32Array(4096);
let loaded4: RsEncoder | null = null;

/** Unrolled register update for a 4-word register, reading TABLE4. */
function remainderLoop4(r: Uint32Array, data: Uint8Array, start: number, end: number): void {
  const T = TABLE4;
  let r0 = r[0] | 0; let r1 = r[1] | 0; let r2 = r[2] | 0; let r3 = r[3] | 0;
  for (let i = start; i < end; i += 4) {
    const b0 = ((r0 & 255) ^ data[i]) << 2;
    const b1 = 1024 + ((((r0 >>> 8) & 255) ^ data[i + 1]) << 2);
    const b2 = 2048 + ((((r0 >>> 16) & 255) ^ data[i + 2]) << 2);
    const b3 = 3072 + (((r0 >>> 24) ^ data[i + 3]) << 2);
    r0 = r1 ^ T[b0] ^ T[b1] ^ T[b2] ^ T[b3];
    r1 = r2 ^ T[b0 + 1] ^ T[b1 + 1] ^ T[b2 + 1] ^ T[b3 + 1];
    r2 = r3 ^ T[b0 + 2] ^ T[b1 + 2] ^ T[b2 + 2] ^ T[b3 + 2];
    r3 = T[b0 + 3] ^ T[b1 + 3] ^ T[b2 + 3] ^ T[b3 + 3];
  }
  r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3;
}

/** Slicing tables of the 29..32 parity-byte encoder currently loaded (see `remainder`). */
const TABLE8 = new Uint32Array(8192);
let loaded8: RsEncoder | null = null;

/** Unrolled register update for a 8-word register, reading TABLE8. */
function remainderLoop8(r: Uint32Array, data: Uint8Array, start: number, end: number): void {
  const T = TABLE8;
  let r0 = r[0] | 0; let r1 = r[1] | 0; let r2 = r[2] | 0; let r3 = r[3] | 0; let r4 = r[4] | 0; let r5 = r[5] | 0; let r6 = r[6] | 0; let r7 = r[7] | 0;
  for (let i = start; i < end; i += 4) {
    const b0 = ((r0 & 255) ^ data[i]) << 3;
    const b1 = 2048 + ((((r0 >>> 8) & 255) ^ data[i + 1]) << 3);
    const b2 = 4096 + ((((r0 >>> 16) & 255) ^ data[i + 2]) << 3);
    const b3 = 6144 + (((r0 >>> 24) ^ data[i + 3]) << 3);
    r0 = r1 ^ T[b0] ^ T[b1] ^ T[b2] ^ T[b3];
    r1 = r2 ^ T[b0 + 1] ^ T[b1 + 1] ^ T[b2 + 1] ^ T[b3 + 1];
    r2 = r3 ^ T[b0 + 2] ^ T[b1 + 2] ^ T[b2 + 2] ^ T[b3 + 2];
    r3 = r4 ^ T[b0 + 3] ^ T[b1 + 3] ^ T[b2 + 3] ^ T[b3 + 3];
    r4 = r5 ^ T[b0 + 4] ^ T[b1 + 4] ^ T[b2 + 4] ^ T[b3 + 4];
    r5 = r6 ^ T[b0 + 5] ^ T[b1 + 5] ^ T[b2 + 5] ^ T[b3 + 5];
    r6 = r7 ^ T[b0 + 6] ^ T[b1 + 6] ^ T[b2 + 6] ^ T[b3 + 6];
    r7 = T[b0 + 7] ^ T[b1 + 7] ^ T[b2 + 7] ^ T[b3 + 7];
  }
  r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4; r[5] = r5; r[6] = r6; r[7] = r7;
}

/** Slicing tables of the 61..64 parity-byte encoder currently loaded (see `remainder`). */
const TABLE16 = new Uint32Array(16384);
let loaded16: RsEncoder | null = null;

/** Unrolled register update for a 16-word register, reading TABLE16. */
function remainderLoop16(r: Uint32Array, data: Uint8Array, start: number, end: number): void {
  const T = TABLE16;
  let r0 = r[0] | 0; let r1 = r[1] | 0; let r2 = r[2] | 0; let r3 = r[3] | 0; let r4 = r[4] | 0; let r5 = r[5] | 0; let r6 = r[6] | 0; let r7 = r[7] | 0; let r8 = r[8] | 0; let r9 = r[9] | 0; let r10 = r[10] | 0; let r11 = r[11] | 0; let r12 = r[12] | 0; let r13 = r[13] | 0; let r14 = r[14] | 0; let r15 = r[15] | 0;
  for (let i = start; i < end; i += 4) {
    const b0 = ((r0 & 255) ^ data[i]) << 4;
    const b1 = 4096 + ((((r0 >>> 8) & 255) ^ data[i + 1]) << 4);
    const b2 = 8192 + ((((r0 >>> 16) & 255) ^ data[i + 2]) << 4);
    const b3 = 12288 + (((r0 >>> 24) ^ data[i + 3]) << 4);
    r0 = r1 ^ T[b0] ^ T[b1] ^ T[b2] ^ T[b3];
    r1 = r2 ^ T[b0 + 1] ^ T[b1 + 1] ^ T[b2 + 1] ^ T[b3 + 1];
    r2 = r3 ^ T[b0 + 2] ^ T[b1 + 2] ^ T[b2 + 2] ^ T[b3 + 2];
    r3 = r4 ^ T[b0 + 3] ^ T[b1 + 3] ^ T[b2 + 3] ^ T[b3 + 3];
    r4 = r5 ^ T[b0 + 4] ^ T[b1 + 4] ^ T[b2 + 4] ^ T[b3 + 4];
    r5 = r6 ^ T[b0 + 5] ^ T[b1 + 5] ^ T[b2 + 5] ^ T[b3 + 5];
    r6 = r7 ^ T[b0 + 6] ^ T[b1 + 6] ^ T[b2 + 6] ^ T[b3 + 6];
    r7 = r8 ^ T[b0 + 7] ^ T[b1 + 7] ^ T[b2 + 7] ^ T[b3 + 7];
    r8 = r9 ^ T[b0 + 8] ^ T[b1 + 8] ^ T[b2 + 8] ^ T[b3 + 8];
    r9 = r10 ^ T[b0 + 9] ^ T[b1 + 9] ^ T[b2 + 9] ^ T[b3 + 9];
    r10 = r11 ^ T[b0 + 10] ^ T[b1 + 10] ^ T[b2 + 10] ^ T[b3 + 10];
    r11 = r12 ^ T[b0 + 11] ^ T[b1 + 11] ^ T[b2 + 11] ^ T[b3 + 11];
    r12 = r13 ^ T[b0 + 12] ^ T[b1 + 12] ^ T[b2 + 12] ^ T[b3 + 12];
    r13 = r14 ^ T[b0 + 13] ^ T[b1 + 13] ^ T[b2 + 13] ^ T[b3 + 13];
    r14 = r15 ^ T[b0 + 14] ^ T[b1 + 14] ^ T[b2 + 14] ^ T[b3 + 14];
    r15 = T[b0 + 15] ^ T[b1 + 15] ^ T[b2 + 15] ^ T[b3 + 15];
  }
  r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4; r[5] = r5; r[6] = r6; r[7] = r7; r[8] = r8; r[9] = r9; r[10] = r10; r[11] = r11; r[12] = r12; r[13] = r13; r[14] = r14; r[15] = r15;
}

const encoderCache = new Map<number, RsEncoder>();

/** Shared encoder for nsym (tables are built once per nsym). */
export function getRsEncoder(nsym: number): RsEncoder {
  let e = encoderCache.get(nsym);
  if (!e) {
    e = new RsEncoder(nsym);
    encoderCache.set(nsym, e);
  }
  return e;
}

/**
 * Encode one codeword in place: buf[off .. off + k) is the data, the nsym
 * parity bytes are written to buf[off + k .. off + k + nsym). Requires
 * k + nsym <= 255.
 */
export function rsEncodeBlock(buf: Uint8Array, off: number, k: number, nsym: number): void {
  if (k < 0 || k + nsym > 255) throw new RangeError(`Reed-Solomon: codeword length ${k + nsym} exceeds 255`);
  getRsEncoder(nsym).encodeInto(buf, off, k, buf, off + k);
}
