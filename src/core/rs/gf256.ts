/**
 * Arithmetic in the Galois field GF(2^8).
 *
 * - Field polynomial (primitive): x^8 + x^4 + x^3 + x^2 + 1 = 0x11d.
 * - Generator (primitive element): alpha = 2.
 * - Generator base / first consecutive root (fcr) used by the Reed-Solomon
 *   code built on this field: 0, i.e. the code's generator polynomial has the
 *   roots alpha^0 .. alpha^(nsym-1).
 *
 * This is the same field and convention as ZXing's `GenericGF.QR_CODE_FIELD_256`
 * (primitive 0x011d, generatorBase 0) and Python `reedsolo` defaults
 * (prim=0x11d, generator=2, fcr=0), so our codewords are byte-compatible with both.
 *
 * Tables are module-level typed arrays built once at import. Addition in the
 * field is XOR, so there are no add/sub helpers.
 */

/** Primitive polynomial of the field, x^8 + x^4 + x^3 + x^2 + 1. */
export const GF_PRIMITIVE = 0x11d;
/** Primitive element alpha used to build the exp/log tables. */
export const GF_GENERATOR = 2;
/** First consecutive root of the RS generator polynomial (alpha^0). */
export const RS_FCR = 0;

/**
 * GF_EXP[i] = alpha^i. Doubled to 512 entries so that GF_EXP[log a + log b]
 * needs no `% 255` (the sum of two logs is at most 508).
 */
export const GF_EXP = new Uint8Array(512);
/** GF_LOG[a] = log_alpha(a) for a in 1..255. GF_LOG[0] is meaningless (0). */
export const GF_LOG = new Uint8Array(256);
/** GF_INV[a] = a^-1 for a in 1..255; GF_INV[0] = 0 (never used as a value). */
export const GF_INV = new Uint8Array(256);
/**
 * Full 64 KiB multiplication table: GF_MUL[(a << 8) | b] = a * b.
 * One load per product and zero needs no special case, which is what the
 * decoder's inner loops want; 64 KiB stays resident in L2.
 */
export const GF_MUL = new Uint8Array(65536);

(function buildTables(): void {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1; // multiply by alpha = 2
    if (x & 0x100) x ^= GF_PRIMITIVE;
  }
  for (let i = 255; i < 512; i++) GF_EXP[i] = GF_EXP[i - 255];
  for (let a = 1; a < 256; a++) GF_INV[a] = GF_EXP[255 - GF_LOG[a]];
  for (let a = 1; a < 256; a++) {
    const la = GF_LOG[a];
    const row = a << 8;
    for (let b = 1; b < 256; b++) GF_MUL[row | b] = GF_EXP[la + GF_LOG[b]];
  }
})();

/** Product a * b in GF(2^8). */
export function gfMul(a: number, b: number): number {
  return GF_MUL[((a & 255) << 8) | (b & 255)];
}

/** Quotient a / b in GF(2^8); throws RangeError when b = 0. */
export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('gfDiv: division by zero');
  if (a === 0) return 0;
  return GF_EXP[GF_LOG[a] + 255 - GF_LOG[b]];
}

/** Multiplicative inverse of a (a != 0). */
export function gfInv(a: number): number {
  if (a === 0) throw new RangeError('gfInv: zero has no inverse');
  return GF_INV[a];
}

/** alpha^e for any integer e (negative allowed). */
export function gfAlphaPow(e: number): number {
  return GF_EXP[((e % 255) + 255) % 255];
}

/** a^e for a in GF(2^8), e >= 0. */
export function gfPow(a: number, e: number): number {
  if (e === 0) return 1;
  if (a === 0) return 0;
  return GF_EXP[(GF_LOG[a] * e) % 255];
}
