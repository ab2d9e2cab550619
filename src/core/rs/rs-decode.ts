/**
 * Reed-Solomon decoding with errors and erasures over GF(2^8) (code: see
 * rs-encode.ts; field: see gf256.ts; first consecutive root 0).
 *
 * Conventions: codeword c[0..n-1], c[0] is the highest degree coefficient, so
 * byte index i has locator X = alpha^(n-1-i). Syndromes S_j = c(alpha^j),
 * j = 0..nsym-1.
 *
 * Steps:
 *  1. Remainder check: c(x) mod g(x) equals (recomputed parity) XOR (received
 *     parity). Zero means every syndrome is zero (g has the nsym distinct
 *     roots alpha^j), so a clean codeword costs one encoder pass.
 *  2. Syndromes from the nsym-byte remainder (S_j = rem(alpha^j), since
 *     g(alpha^j) = 0), much cheaper than evaluating the whole codeword.
 *  3. Berlekamp-Massey initialised with the erasure locator (Blahut's
 *     errors-and-erasures form) gives the errata locator Lambda(x).
 *  4. Chien search for the roots of Lambda among the n positions of the
 *     codeword; Forney's formula for the magnitudes (fcr = 0:
 *     Y = X * Omega(X^-1) / Lambda'(X^-1), Omega = S * Lambda mod x^nsym).
 *  5. Checks, so that failure is reported rather than wrong data returned:
 *     2e + f <= nsym, deg Lambda = L = number of roots found inside the
 *     codeword, no zero magnitude at a non-erased position, and finally the
 *     corrected word is re-checked to be a codeword (remainder zero). Beyond
 *     the correction power RS can still, rarely, land on a *different* valid
 *     codeword (mathematically unavoidable); the authenticated encryption
 *     above this layer (AES-GCM) catches that.
 */
import { GF_EXP as GF_EXP_, GF_INV as GF_INV_, GF_LOG as GF_LOG_, GF_MUL as GF_MUL_ } from './gf256.ts';
import { assertNsym, getRsEncoder, type RsEncoder } from './rs-encode.ts';

// Local aliases of the field tables: module loaders that rewrite imports
// (Vitest, CommonJS interop) turn each use of an imported binding into a
// property or getter access, which costs a lot in the hot loops.
const GF_EXP = GF_EXP_;
const GF_INV = GF_INV_;
const GF_LOG = GF_LOG_;
const GF_MUL = GF_MUL_;

/** A codeword is damaged beyond what its parity can repair. */
export class RsDecodeFailure extends Error {
  constructor(message = 'Reed-Solomon: codeword is beyond repair') {
    super(message);
    this.name = 'RsDecodeFailure';
  }
}

/**
 * Decoder for one nsym, with preallocated scratch so decoding allocates
 * nothing (except the error object on failure). Not re-entrant.
 */
export class RsDecoder {
  /** Number of parity bytes. */
  readonly nsym: number;
  private readonly encoder: RsEncoder;
  /** Remainder c(x) mod g(x), highest degree first. */
  private readonly rem: Uint8Array;
  /** Syndromes S_0..S_{nsym-1}. */
  private readonly synd: Uint8Array;
  // Polynomials, lowest degree first. Sized 2*nsym+2: B is shifted by x at
  // every BM step and must not overflow before the degree checks reject it.
  private readonly lambda: Uint8Array;
  private readonly prev: Uint8Array;
  private readonly tmp: Uint8Array;
  private readonly omega: Uint8Array;
  /** Chien search running terms. */
  private readonly chien: Uint8Array;
  /** Row offsets into GF_MUL of alpha^-j, for the Chien step. */
  private readonly chienStep: Int32Array;
  /** Positions (byte indices) found by the Chien search and their magnitudes. */
  private readonly errPos: Int32Array;
  private readonly errMag: Uint8Array;
  /** 1 at erased byte indices of the codeword being decoded; cleared after. */
  private readonly erasedMark: Uint8Array;

  constructor(nsym: number) {
    assertNsym(nsym);
    this.nsym = nsym;
    this.encoder = getRsEncoder(nsym);
    this.rem = new Uint8Array(nsym);
    this.synd = new Uint8Array(nsym);
    const polyLen = 2 * nsym + 2;
    this.lambda = new Uint8Array(polyLen);
    this.prev = new Uint8Array(polyLen);
    this.tmp = new Uint8Array(polyLen);
    this.omega = new Uint8Array(nsym + 1);
    this.chien = new Uint8Array(nsym + 1);
    this.chienStep = new Int32Array(nsym + 1);
    for (let j = 0; j <= nsym; j++) this.chienStep[j] = GF_EXP[(255 - (j % 255)) % 255] << 8;
    this.errPos = new Int32Array(nsym + 1);
    this.errMag = new Uint8Array(nsym + 1);
    this.erasedMark = new Uint8Array(256);
  }

  /**
   * Correct the codeword buf[off .. off + n) in place (n = data + nsym bytes,
   * nsym < n <= 255). `erasures` lists byte indices (0..n-1, relative to
   * `off`, no duplicates) known to be damaged; only the first `erasureCount`
   * entries are read. Corrects e errors and f erasures when 2e + f <= nsym.
   *
   * @returns the number of bytes changed.
   * @throws RsDecodeFailure if the codeword cannot be repaired; the buffer is
   *   then left exactly as it was given.
   */
  decode(buf: Uint8Array, off: number, n: number, erasures?: ArrayLike<number>, erasureCount?: number): number {
    const f = erasures ? (erasureCount ?? erasures.length) : 0;
    const r = this.tryDecode(buf, off, n, erasures, f);
    if (r < 0) throw new RsDecodeFailure();
    return r;
  }

  /**
   * Same as `decode` but returns -1 instead of throwing on failure, for
   * callers that handle failure in bulk.
   */
  tryDecode(buf: Uint8Array, off: number, n: number, erasures: ArrayLike<number> | undefined, erasureCount: number): number {
    const nsym = this.nsym;
    if (!(n > nsym && n <= 255) || off < 0 || off + n > buf.length) {
      throw new RangeError(`Reed-Solomon: bad codeword length ${n} for nsym ${nsym}`);
    }
    const k = n - nsym;
    if (this.isCodeword(buf, off, k)) return 0; // fast path: all syndromes zero

    const f = erasures ? erasureCount : 0;
    if (f > nsym) return -1;

    // Syndromes S_j = rem(alpha^j), Horner over the nsym remainder bytes.
    const rem = this.rem;
    const synd = this.synd;
    for (let j = 0; j < nsym; j++) {
      const a = GF_EXP[j] << 8;
      let s = 0;
      for (let i = 0; i < nsym; i++) s = GF_MUL[a | s] ^ rem[i];
      synd[j] = s;
    }

    // Erasure locator Gamma(x) = prod (1 + X_k x), used to start BM.
    const lambda = this.lambda;
    const mark = this.erasedMark;
    lambda.fill(0);
    lambda[0] = 1;
    let degL = 0; // degree bound of lambda
    let ok = true;
    for (let e = 0; e < f; e++) {
      const pos = erasures![e];
      if (!(pos >= 0 && pos < n) || mark[pos] !== 0) { ok = false; break; } // out of range or duplicate
      mark[pos] = 1;
      const X = GF_EXP[n - 1 - pos] << 8;
      degL++;
      for (let i = degL; i >= 1; i--) lambda[i] ^= GF_MUL[X | lambda[i - 1]];
    }
    const result = ok ? this.solve(buf, off, n, f, degL) : -1;
    for (let e = 0; e < f; e++) {
      const pos = erasures![e];
      if (pos >= 0 && pos < n) mark[pos] = 0;
    }
    return result;
  }

  /** True if buf[off .. off + k + nsym) is a codeword; leaves the remainder in `rem`. */
  private isCodeword(buf: Uint8Array, off: number, k: number): boolean {
    const enc = this.encoder;
    enc.remainder(buf, off, k);
    const rem = this.rem;
    const nsym = this.nsym;
    const p = off + k;
    let any = 0;
    for (let b = 0; b < nsym; b++) {
      const v = enc.registerByte(b) ^ buf[p + b];
      rem[b] = v;
      any |= v;
    }
    return any === 0;
  }

  /**
   * BM from the erasure locator already in `lambda` (degree f), then Chien,
   * Forney, apply and verify. Returns the number of bytes changed or -1.
   */
  private solve(buf: Uint8Array, off: number, n: number, f: number, degGamma: number): number {
    const nsym = this.nsym;
    const synd = this.synd;
    const lambda = this.lambda;
    const prev = this.prev; // B(x)
    const tmp = this.tmp;
    const polyLen = lambda.length;
    prev.fill(0);
    for (let i = 0; i <= degGamma; i++) prev[i] = lambda[i];
    let degLam = degGamma; // degree bound of lambda
    let degB = degGamma; // degree bound of B
    let L = f;

    // Berlekamp-Massey with erasures (Blahut): for r = f+1 .. nsym (1-based),
    // discrepancy D = sum_i lambda_i S_{r-1-i} (0-based S); on a length change
    // (2L <= r + f - 1) L becomes r + f - L and B the old lambda / D.
    for (let r = f; r < nsym; r++) {
      let d = 0;
      const top = degLam < r ? degLam : r;
      for (let i = 0; i <= top; i++) {
        const li = lambda[i];
        if (li !== 0) d ^= GF_MUL[(li << 8) | synd[r - i]];
      }
      if (d === 0) {
        // B <- x B
        if (degB + 1 >= polyLen) return -1;
        for (let i = degB + 1; i >= 1; i--) prev[i] = prev[i - 1];
        prev[0] = 0;
        degB++;
        continue;
      }
      const dRow = d << 8;
      // T = lambda - D x B  (into tmp)
      const degT = degLam > degB + 1 ? degLam : degB + 1;
      if (degT >= polyLen) return -1;
      tmp[0] = lambda[0];
      for (let i = 1; i <= degT; i++) tmp[i] = lambda[i] ^ GF_MUL[dRow | prev[i - 1]];
      if (2 * L <= r + f) {
        // Length change: B <- lambda / D, L <- r + 1 + f - L.
        const inv = GF_INV[d] << 8;
        for (let i = 0; i <= degLam; i++) prev[i] = GF_MUL[inv | lambda[i]];
        for (let i = degLam + 1; i <= degB + 1 && i < polyLen; i++) prev[i] = 0;
        degB = degLam;
        L = r + 1 + f - L;
      } else {
        // B <- x B
        for (let i = degB + 1; i >= 1; i--) prev[i] = prev[i - 1];
        prev[0] = 0;
        degB++;
      }
      for (let i = 0; i <= degT; i++) lambda[i] = tmp[i];
      degLam = degT;
    }

    // e errors + f erasures: L = e + f and we need 2e + f <= nsym.
    if (2 * L - f > nsym) return -1;
    while (degLam > 0 && lambda[degLam] === 0) degLam--;
    if (degLam !== L || L === 0) return -1;

    // Chien search: Lambda(alpha^-p) for p = 0..n-1, p = n-1-i for byte i.
    // Running terms t_j = lambda_j * alpha^(-j p), stepped by alpha^-j.
    const chien = this.chien;
    const step = this.chienStep;
    const errPos = this.errPos;
    const found = L <= 16 ? chienSearch16(lambda, L, n, errPos) : chienSearch(lambda, chien, step, L, n, errPos);
    if (found !== L) return -1;

    // Omega(x) = S(x) Lambda(x) mod x^nsym; only degrees < L are needed.
    const omega = this.omega;
    for (let m = 0; m < L; m++) {
      let s = 0;
      for (let i = 0; i <= m; i++) {
        const li = lambda[i];
        if (li !== 0) s ^= GF_MUL[(li << 8) | synd[m - i]];
      }
      omega[m] = s;
    }

    // Forney: Y = X * Omega(X^-1) / Lambda'(X^-1).
    const errMag = this.errMag;
    const mark = this.erasedMark;
    for (let e = 0; e < L; e++) {
      const pos = errPos[e];
      const p = n - 1 - pos;
      const xInv = GF_EXP[(255 - p) % 255] << 8;
      let om = 0;
      for (let m = L - 1; m >= 0; m--) om = GF_MUL[xInv | om] ^ omega[m];
      // Lambda'(x) = sum over odd i of lambda_i x^(i-1): Horner in x^2.
      const x2 = GF_MUL[xInv | (xInv >> 8)] << 8;
      let der = 0;
      const topOdd = (L & 1) === 1 ? L : L - 1;
      for (let i = topOdd; i >= 1; i -= 2) der = GF_MUL[x2 | der] ^ lambda[i];
      if (der === 0) return -1;
      let y = om === 0 ? 0 : GF_EXP[GF_LOG[om] + 255 - GF_LOG[der]];
      if (y !== 0) y = GF_EXP[GF_LOG[y] + p];
      // A zero magnitude at a position nobody told us was erased means the
      // locator is inconsistent with the syndromes: reject.
      if (y === 0 && mark[pos] === 0) return -1;
      errMag[e] = y;
    }

    for (let e = 0; e < L; e++) buf[off + errPos[e]] ^= errMag[e];
    if (!this.isCodeword(buf, off, n - nsym)) {
      for (let e = 0; e < L; e++) buf[off + errPos[e]] ^= errMag[e]; // undo
      return -1;
    }
    let changed = 0;
    for (let e = 0; e < L; e++) if (errMag[e] !== 0) changed++;
    return changed;
  }
}

/**
 * Chien search, generic degree: roots of lambda (degree L) among the byte
 * positions 0..n-1, written to errPos; returns how many were found (stops at L).
 */
function chienSearch(lambda: Uint8Array, chien: Uint8Array, step: Int32Array, L: number, n: number, errPos: Int32Array): number {
  for (let j = 0; j <= L; j++) chien[j] = lambda[j];
  let found = 0;
  for (let p = 0; p < n; p++) {
    let v = chien[0];
    for (let j = 1; j <= L; j++) {
      const t = chien[j];
      v ^= t;
      chien[j] = GF_MUL[step[j] | t];
    }
    if (v === 0) {
      errPos[found++] = n - 1 - p;
      if (found === L) break;
    }
  }
  return found;
}

/** alpha^-j << 8, row offsets into GF_MUL for the Chien steps. */
const CHIEN_STEP = new Int32Array(17);
for (let j = 0; j <= 16; j++) CHIEN_STEP[j] = GF_EXP[(255 - j) % 255] << 8;

/**
 * Chien search for degree <= 16 (up to 16 errors + erasures, e.g. t = 16 for
 * nsym = 32): the running terms live in locals instead of an array, about
 * twice as fast. Terms above L are zero and stay zero (0 * c = 0).
 */
function chienSearch16(lambda: Uint8Array, L: number, n: number, errPos: Int32Array): number {
  const M = GF_MUL;
  const t0 = lambda[0];
  let t1 = 1 <= L ? lambda[1] : 0;
  let t2 = 2 <= L ? lambda[2] : 0;
  let t3 = 3 <= L ? lambda[3] : 0;
  let t4 = 4 <= L ? lambda[4] : 0;
  let t5 = 5 <= L ? lambda[5] : 0;
  let t6 = 6 <= L ? lambda[6] : 0;
  let t7 = 7 <= L ? lambda[7] : 0;
  let t8 = 8 <= L ? lambda[8] : 0;
  let t9 = 9 <= L ? lambda[9] : 0;
  let t10 = 10 <= L ? lambda[10] : 0;
  let t11 = 11 <= L ? lambda[11] : 0;
  let t12 = 12 <= L ? lambda[12] : 0;
  let t13 = 13 <= L ? lambda[13] : 0;
  let t14 = 14 <= L ? lambda[14] : 0;
  let t15 = 15 <= L ? lambda[15] : 0;
  let t16 = 16 <= L ? lambda[16] : 0;
  const s1 = CHIEN_STEP[1];
  const s2 = CHIEN_STEP[2];
  const s3 = CHIEN_STEP[3];
  const s4 = CHIEN_STEP[4];
  const s5 = CHIEN_STEP[5];
  const s6 = CHIEN_STEP[6];
  const s7 = CHIEN_STEP[7];
  const s8 = CHIEN_STEP[8];
  const s9 = CHIEN_STEP[9];
  const s10 = CHIEN_STEP[10];
  const s11 = CHIEN_STEP[11];
  const s12 = CHIEN_STEP[12];
  const s13 = CHIEN_STEP[13];
  const s14 = CHIEN_STEP[14];
  const s15 = CHIEN_STEP[15];
  const s16 = CHIEN_STEP[16];
  let found = 0;
  for (let p = 0; p < n; p++) {
    const v = t0 ^ t1 ^ t2 ^ t3 ^ t4 ^ t5 ^ t6 ^ t7 ^ t8 ^ t9 ^ t10 ^ t11 ^ t12 ^ t13 ^ t14 ^ t15 ^ t16;
    t1 = M[s1 | t1];
    t2 = M[s2 | t2];
    t3 = M[s3 | t3];
    t4 = M[s4 | t4];
    t5 = M[s5 | t5];
    t6 = M[s6 | t6];
    t7 = M[s7 | t7];
    t8 = M[s8 | t8];
    t9 = M[s9 | t9];
    t10 = M[s10 | t10];
    t11 = M[s11 | t11];
    t12 = M[s12 | t12];
    t13 = M[s13 | t13];
    t14 = M[s14 | t14];
    t15 = M[s15 | t15];
    t16 = M[s16 | t16];
    if (v === 0) {
      errPos[found++] = n - 1 - p;
      if (found === L) break;
    }
  }
  return found;
}

const decoderCache = new Map<number, RsDecoder>();

/** Shared decoder for nsym (scratch is allocated once per nsym). */
export function getRsDecoder(nsym: number): RsDecoder {
  let d = decoderCache.get(nsym);
  if (!d) {
    d = new RsDecoder(nsym);
    decoderCache.set(nsym, d);
  }
  return d;
}
