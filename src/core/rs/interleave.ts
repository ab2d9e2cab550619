/**
 * Block interleaver for a run of Reed-Solomon codewords.
 *
 * Layout of the codewords before interleaving: `count` codewords stored one
 * after the other; the first `longCount` are `shortLen + 1` bytes long, the
 * rest `shortLen` bytes (all the same length when longCount = 0).
 *
 * Interleaved order is column by column: byte i of codeword j goes to
 * position i * count + j. Because only the *first* codewords are one byte
 * longer, the last, partial column (i = shortLen) holds codewords
 * 0..longCount-1 and is simply the tail of the output, so that single formula
 * holds for every byte. Consecutive bytes of any codeword are therefore
 * exactly `count` positions apart everywhere: a burst of b damaged bytes hits
 * each codeword at most ceil(b / count) times.
 */

/** Offset of codeword j in the contiguous (non-interleaved) layout. */
export function codewordOffset(j: number, shortLen: number, longCount: number): number {
  return j * shortLen + (j < longCount ? j : longCount);
}

function checkLayout(src: Uint8Array, dst: Uint8Array, count: number, shortLen: number, longCount: number): void {
  if (!(count >= 0 && shortLen >= 0 && longCount >= 0 && longCount <= count)) {
    throw new RangeError('interleave: bad layout');
  }
  const total = count * shortLen + longCount;
  if (src.length < total || dst.length < total) throw new RangeError('interleave: buffer too small');
}

/**
 * Interleave: src holds the codewords contiguously, dst receives them column
 * by column (byte i of codeword j at i * count + j). src and dst must differ.
 */
export function interleave(src: Uint8Array, dst: Uint8Array, count: number, shortLen: number, longCount: number): void {
  checkLayout(src, dst, count, shortLen, longCount);
  for (let j = 0; j < count; j++) {
    const base = codewordOffset(j, shortLen, longCount);
    const len = j < longCount ? shortLen + 1 : shortLen;
    for (let i = 0, o = j; i < len; i++, o += count) dst[o] = src[base + i];
  }
}

/** Inverse of `interleave`: src is interleaved, dst receives contiguous codewords. */
export function deinterleave(src: Uint8Array, dst: Uint8Array, count: number, shortLen: number, longCount: number): void {
  checkLayout(src, dst, count, shortLen, longCount);
  for (let j = 0; j < count; j++) {
    const base = codewordOffset(j, shortLen, longCount);
    const len = j < longCount ? shortLen + 1 : shortLen;
    for (let i = 0, o = j; i < len; i++, o += count) dst[base + i] = src[o];
  }
}
