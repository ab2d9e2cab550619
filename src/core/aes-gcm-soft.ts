/**
 * AES-GCM in plain TypeScript (AES per FIPS-197, GCM per NIST SP 800-38D),
 * restricted to what VidStega uses: 96-bit nonces and full 128-bit tags.
 *
 * Why this exists: the format lets a person choose 128, 192 or 256-bit AES,
 * and Chromium's WebCrypto refuses 192-bit AES keys ("192-bit AES keys are not
 * supported") while Firefox, Safari and Node accept them. Without a fallback a
 * video hidden with AES-192 elsewhere could not be opened in Chrome or Edge,
 * and Chrome users could not hide with AES-192 at all. {@link deriveAesKey}
 * in seal.ts therefore uses this class only when the platform's WebCrypto
 * refuses a key size; everything else still goes through WebCrypto.
 *
 * Implementation notes: AES uses the classic 32-bit T-tables, GHASH uses
 * Shoup's 4-bit table method; both are computed at load / key setup rather
 * than typed in, and pinned by the FIPS-197 and GCM-spec vectors in the tests.
 * Table lookups indexed by secret data are not cache-timing safe; that is an
 * accepted trade-off for a fallback that runs locally on the user's own data,
 * where an attacker able to measure cache timing already has the machine.
 */

// ---------------------------------------------------------------------------
// AES tables, generated once from GF(2^8) arithmetic (FIPS-197 §4, §5.1.1).

const SBOX = new Uint8Array(256);
/** Te0[x] = column (2·S[x], S[x], S[x], 3·S[x]) as a big-endian word; Te1..Te3 are its byte rotations. */
const TE0 = new Uint32Array(256);
const TE1 = new Uint32Array(256);
const TE2 = new Uint32Array(256);
const TE3 = new Uint32Array(256);

(function initAesTables(): void {
  // exp/log tables over GF(2^8) with generator 3, for multiplicative inverses.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // x·3 = x·2 ⊕ x, reduced by the AES polynomial
    x &= 0xff;
  }
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]) % 255];
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff; // affine transform
    SBOX[a] = s ^ 0x63;
  }
  for (let a = 0; a < 256; a++) {
    const s = SBOX[a];
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x11b : 0)) & 0xff;
    const s3 = s2 ^ s;
    const w = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0;
    TE0[a] = w;
    TE1[a] = ((w >>> 8) | (w << 24)) >>> 0;
    TE2[a] = ((w >>> 16) | (w << 16)) >>> 0;
    TE3[a] = ((w >>> 24) | (w << 8)) >>> 0;
  }
})();

/** FIPS-197 key expansion into 4·(Nr+1) big-endian round-key words. */
function expandKey(key: Uint8Array): { rk: Uint32Array; rounds: number } {
  const nk = key.length / 4;
  const rounds = nk + 6;
  const total = 4 * (rounds + 1);
  const rk = new Uint32Array(total);
  for (let i = 0; i < nk; i++) {
    rk[i] = ((key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3]) >>> 0;
  }
  let rcon = 1;
  for (let i = nk; i < total; i++) {
    let t = rk[i - 1];
    if (i % nk === 0) {
      t = (t << 8) | (t >>> 24); // RotWord
      t = (SBOX[t >>> 24] << 24) | (SBOX[(t >>> 16) & 0xff] << 16) | (SBOX[(t >>> 8) & 0xff] << 8) | SBOX[t & 0xff];
      t ^= rcon << 24;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0)) & 0xff;
    } else if (nk > 6 && i % nk === 4) {
      t = (SBOX[t >>> 24] << 24) | (SBOX[(t >>> 16) & 0xff] << 16) | (SBOX[(t >>> 8) & 0xff] << 8) | SBOX[t & 0xff];
    }
    rk[i] = (rk[i - nk] ^ t) >>> 0;
  }
  return { rk, rounds };
}

/**
 * One AES block encryption (FIPS-197 Cipher) of the big-endian words
 * i0..i3 under the round keys `rk`, written to `o`. T-table rounds: each
 * table lookup does SubBytes, ShiftRows and MixColumns for one byte.
 */
function aesBlock(rk: Uint32Array, rounds: number, i0: number, i1: number, i2: number, i3: number, o: Uint32Array): void {
  let s0 = i0 ^ rk[0];
  let s1 = i1 ^ rk[1];
  let s2 = i2 ^ rk[2];
  let s3 = i3 ^ rk[3];
  let k = 4;
  for (let r = 1; r < rounds; r++) {
    const t0 = TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 0xff] ^ TE2[(s2 >>> 8) & 0xff] ^ TE3[s3 & 0xff] ^ rk[k];
    const t1 = TE0[s1 >>> 24] ^ TE1[(s2 >>> 16) & 0xff] ^ TE2[(s3 >>> 8) & 0xff] ^ TE3[s0 & 0xff] ^ rk[k + 1];
    const t2 = TE0[s2 >>> 24] ^ TE1[(s3 >>> 16) & 0xff] ^ TE2[(s0 >>> 8) & 0xff] ^ TE3[s1 & 0xff] ^ rk[k + 2];
    const t3 = TE0[s3 >>> 24] ^ TE1[(s0 >>> 16) & 0xff] ^ TE2[(s1 >>> 8) & 0xff] ^ TE3[s2 & 0xff] ^ rk[k + 3];
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
    k += 4;
  }
  // Last round: SubBytes and ShiftRows, no MixColumns.
  o[0] = ((SBOX[s0 >>> 24] << 24) | (SBOX[(s1 >>> 16) & 0xff] << 16) | (SBOX[(s2 >>> 8) & 0xff] << 8) | SBOX[s3 & 0xff]) ^ rk[k];
  o[1] = ((SBOX[s1 >>> 24] << 24) | (SBOX[(s2 >>> 16) & 0xff] << 16) | (SBOX[(s3 >>> 8) & 0xff] << 8) | SBOX[s0 & 0xff]) ^ rk[k + 1];
  o[2] = ((SBOX[s2 >>> 24] << 24) | (SBOX[(s3 >>> 16) & 0xff] << 16) | (SBOX[(s0 >>> 8) & 0xff] << 8) | SBOX[s1 & 0xff]) ^ rk[k + 2];
  o[3] = ((SBOX[s3 >>> 24] << 24) | (SBOX[(s0 >>> 16) & 0xff] << 16) | (SBOX[(s1 >>> 8) & 0xff] << 8) | SBOX[s2 & 0xff]) ^ rk[k + 3];
}

/**
 * Encrypts one 16-byte block with raw AES (no mode) under a 16, 24 or 32-byte
 * key. Exposed so the FIPS-197 known-answer tests can pin the block cipher on
 * its own; the app itself only uses {@link SoftAesGcm}. Throws RangeError for
 * a bad key or block size.
 */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array<ArrayBuffer> {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError('AES key must be 16, 24 or 32 bytes');
  if (block.length !== 16) throw new RangeError('AES block must be 16 bytes');
  const { rk, rounds } = expandKey(key);
  const o = new Uint32Array(4);
  aesBlock(rk, rounds, readWord(block, 0), readWord(block, 4), readWord(block, 8), readWord(block, 12), o);
  const out = new Uint8Array(16);
  for (let k = 0; k < 4; k++) writeWord(out, 4 * k, o[k]);
  rk.fill(0);
  return out;
}

// ---------------------------------------------------------------------------
// GHASH helpers. GCM's bit order: bit 0 of a block is the MSB of byte 0, and
// multiplying by x is a right shift, folding the dropped bit back as 0xE1 in
// the top byte (x^128 = 1 + x + x^2 + x^7).

/**
 * REDUCE4[r]: what multiplying by x^4 adds to the top word when the four bits
 * shifted out of the bottom are `r` (everything else is a plain right shift).
 */
const REDUCE4 = new Uint32Array(16);
(function initReduce(): void {
  for (let r = 0; r < 16; r++) {
    let v0 = 0;
    let v3 = r;
    for (let k = 0; k < 4; k++) {
      const drop = v3 & 1;
      v3 >>>= 1; // only the low nibble was set, so nothing crosses words but the fold
      v0 = (v0 >>> 1) ^ (drop ? 0xe1000000 : 0);
    }
    REDUCE4[r] = v0 >>> 0;
  }
})();

/** A 96-bit IV and a 128-bit tag: the only GCM parameters this class supports. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-GCM with a 128, 192 or 256-bit key, in pure TypeScript.
 *
 * Used by `deriveAesKey` (seal.ts) only when the platform's WebCrypto refuses
 * the key size, which in practice means 192-bit keys in Chromium. Output is
 * byte-for-byte what WebCrypto's AES-GCM produces with a 96-bit IV and a
 * 128-bit tag, so data sealed by either opens with the other.
 *
 * The instance keeps only the expanded key schedule and GHASH table, not the
 * key bytes it was given, so the caller may wipe those right away. Methods are
 * synchronous and reuse per-instance scratch state, which is safe because
 * JavaScript never interleaves two synchronous calls on one instance.
 */
export class SoftAesGcm {
  readonly #rk: Uint32Array;
  readonly #rounds: number;
  /** M[n] = n·H for each 4-bit n (n's MSB is the x^0 coefficient), 4 words per entry. */
  readonly #m = new Uint32Array(64);
  /** Block cipher output scratch, so encrypting a block allocates nothing. */
  readonly #out = new Uint32Array(4);
  /** GHASH accumulator. */
  readonly #y = new Uint32Array(4);

  /**
   * Expands `key` (16, 24 or 32 bytes). Throws RangeError for any other
   * length. Does not keep a reference to `key`.
   */
  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
      throw new RangeError('AES key must be 16, 24 or 32 bytes');
    }
    const { rk, rounds } = expandKey(key);
    this.#rk = rk;
    this.#rounds = rounds;
    // H = E_K(0^128); M[8] = H, M[4] = H·x, M[2] = H·x^2, M[1] = H·x^3, the rest by linearity.
    this.#encryptBlock(0, 0, 0, 0);
    const m = this.#m;
    let h0 = this.#out[0];
    let h1 = this.#out[1];
    let h2 = this.#out[2];
    let h3 = this.#out[3];
    for (let n = 8; n >= 1; n >>= 1) {
      m[4 * n] = h0;
      m[4 * n + 1] = h1;
      m[4 * n + 2] = h2;
      m[4 * n + 3] = h3;
      const drop = h3 & 1;
      h3 = ((h3 >>> 1) | (h2 << 31)) >>> 0;
      h2 = ((h2 >>> 1) | (h1 << 31)) >>> 0;
      h1 = ((h1 >>> 1) | (h0 << 31)) >>> 0;
      h0 = ((h0 >>> 1) ^ (drop ? 0xe1000000 : 0)) >>> 0;
    }
    for (const n of [3, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]) {
      const hi = 1 << (31 - Math.clz32(n)); // highest set bit of n
      const lo = n ^ hi;
      for (let k = 0; k < 4; k++) m[4 * n + k] = m[4 * hi + k] ^ m[4 * lo + k];
    }
    this.#out.fill(0);
  }

  /**
   * Encrypts and authenticates `plaintext` with the 12-byte `nonce`,
   * authenticating `aad` too. Returns ciphertext followed by the 16-byte tag.
   * Throws RangeError if the nonce is not 12 bytes. The nonce must never
   * repeat under one key.
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array<ArrayBuffer> {
    if (nonce.length !== NONCE_BYTES) throw new RangeError(`GCM nonce must be ${NONCE_BYTES} bytes`);
    const n0 = readWord(nonce, 0);
    const n1 = readWord(nonce, 4);
    const n2 = readWord(nonce, 8);
    const out = new Uint8Array(plaintext.length + TAG_BYTES);
    this.#ctr(n0, n1, n2, plaintext, out);
    this.#tag(n0, n1, n2, aad, out.subarray(0, plaintext.length), out, plaintext.length);
    return out;
  }

  /**
   * Checks and decrypts `ciphertextWithTag` (ciphertext followed by the
   * 16-byte tag) under the 12-byte `nonce` and `aad`. Returns the plaintext,
   * or null if the tag does not match (wrong key, nonce or AAD, tampering) or
   * the sizes are wrong. The tag is compared in constant time and checked
   * before anything is decrypted. Never throws.
   */
  open(nonce: Uint8Array, ciphertextWithTag: Uint8Array, aad?: Uint8Array): Uint8Array<ArrayBuffer> | null {
    try {
      if (nonce.length !== NONCE_BYTES || ciphertextWithTag.length < TAG_BYTES) return null;
      const ctLen = ciphertextWithTag.length - TAG_BYTES;
      const ct = ciphertextWithTag.subarray(0, ctLen);
      const n0 = readWord(nonce, 0);
      const n1 = readWord(nonce, 4);
      const n2 = readWord(nonce, 8);
      const expected = new Uint8Array(TAG_BYTES);
      this.#tag(n0, n1, n2, aad, ct, expected, 0);
      let diff = 0;
      for (let i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ ciphertextWithTag[ctLen + i];
      if (diff !== 0) return null;
      const pt = new Uint8Array(ctLen);
      this.#ctr(n0, n1, n2, ct, pt);
      return pt;
    } catch {
      return null;
    }
  }

  /** AES-encrypts one block given as four big-endian words into `#out`. */
  #encryptBlock(i0: number, i1: number, i2: number, i3: number): void {
    aesBlock(this.#rk, this.#rounds, i0, i1, i2, i3, this.#out);
  }

  /**
   * GCTR from inc32(J0): XORs `input` with E_K(nonce ‖ ctr) for ctr = 2, 3, …
   * (counter 1 is reserved for the tag mask) into `output`.
   */
  #ctr(n0: number, n1: number, n2: number, input: Uint8Array, output: Uint8Array): void {
    const o = this.#out;
    let ctr = 2;
    for (let off = 0; off < input.length; off += 16) {
      this.#encryptBlock(n0, n1, n2, ctr);
      ctr = (ctr + 1) >>> 0; // inc32: the low 32 bits wrap, the nonce part never changes
      const end = Math.min(16, input.length - off);
      for (let j = 0; j < end; j++) output[off + j] = input[off + j] ^ ((o[j >>> 2] >>> (24 - 8 * (j & 3))) & 0xff);
    }
    o.fill(0);
  }

  /**
   * Writes the GCM tag over `aad` and `ct` to `dst[at..at+16]`:
   * GHASH_H(A ‖ pad ‖ C ‖ pad ‖ len(A)·8 ‖ len(C)·8) ⊕ E_K(J0), J0 = nonce ‖ 1.
   */
  #tag(n0: number, n1: number, n2: number, aad: Uint8Array | undefined, ct: Uint8Array, dst: Uint8Array, at: number): void {
    const y = this.#y;
    y.fill(0);
    const aadLen = aad ? aad.length : 0;
    if (aad) this.#ghashPadded(aad);
    this.#ghashPadded(ct);
    const aadBits = aadLen * 8;
    const ctBits = ct.length * 8;
    this.#ghashBlock(
      Math.floor(aadBits / 0x100000000),
      aadBits >>> 0,
      Math.floor(ctBits / 0x100000000),
      ctBits >>> 0,
    );
    this.#encryptBlock(n0, n1, n2, 1);
    const o = this.#out;
    for (let k = 0; k < 4; k++) writeWord(dst, at + 4 * k, y[k] ^ o[k]);
    y.fill(0);
    o.fill(0);
  }

  /** Feeds `data` to GHASH, zero-padding its last partial block. */
  #ghashPadded(data: Uint8Array): void {
    const full = data.length & ~15;
    for (let off = 0; off < full; off += 16) {
      this.#ghashBlock(readWord(data, off), readWord(data, off + 4), readWord(data, off + 8), readWord(data, off + 12));
    }
    if (full < data.length) {
      const w = [0, 0, 0, 0];
      for (let j = full; j < data.length; j++) w[(j - full) >>> 2] |= data[j] << (24 - 8 * ((j - full) & 3));
      this.#ghashBlock(w[0] >>> 0, w[1] >>> 0, w[2] >>> 0, w[3] >>> 0);
    }
  }

  /** Y ← (Y ⊕ X)·H, by Shoup's 4-bit method: Horner over the 32 nibbles of Y ⊕ X, last first. */
  #ghashBlock(x0: number, x1: number, x2: number, x3: number): void {
    const y = this.#y;
    const m = this.#m;
    y[0] ^= x0;
    y[1] ^= x1;
    y[2] ^= x2;
    y[3] ^= x3;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let w = 3; w >= 0; w--) {
      const word = y[w];
      for (let shift = 0; shift < 32; shift += 4) {
        // Z ← Z·x^4 (a 4-bit right shift, folding the dropped nibble back), then Z ⊕= nibble·H.
        const r = z3 & 0xf;
        z3 = (z3 >>> 4) | (z2 << 28);
        z2 = (z2 >>> 4) | (z1 << 28);
        z1 = (z1 >>> 4) | (z0 << 28);
        z0 = (z0 >>> 4) ^ REDUCE4[r];
        const n = 4 * ((word >>> shift) & 0xf);
        z0 ^= m[n];
        z1 ^= m[n + 1];
        z2 ^= m[n + 2];
        z3 ^= m[n + 3];
      }
    }
    y[0] = z0;
    y[1] = z1;
    y[2] = z2;
    y[3] = z3;
  }
}

function readWord(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

function writeWord(b: Uint8Array, off: number, w: number): void {
  b[off] = w >>> 24;
  b[off + 1] = w >>> 16;
  b[off + 2] = w >>> 8;
  b[off + 3] = w;
}
