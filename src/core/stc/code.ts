/**
 * The syndrome-trellis code itself (Filler, Judas, Fridrich, "Minimizing
 * additive distortion in steganography using syndrome-trellis codes", IEEE
 * TIFS 2011): which parity-check matrix H maps n cover bits to m message bits,
 * and the extractor, H·y, which is all a reveal computes.
 *
 * ## The matrix
 *
 * Message bit i is row i of H. The cover's n columns are cut into m blocks:
 * block i is columns [floor(i·n/m), floor((i+1)·n/m)), so every block is
 * q = floor(n/m) or q + 1 columns wide, for any n and m (0 < m <= n), and the
 * relative payload α = m/n gives w = ceil(1/α) when n is a multiple of m.
 * Block i holds the submatrix Ĥ(h, width of block i) from `submatrix.ts`, its
 * row r in row i + r of H: a band of height h down the diagonal. Rows past the
 * end of a chunk (below) are cut off, as the paper cuts them at row m.
 *
 * ## Chunks
 *
 * The embedder stores one back-pointer bit per state (2^h) per cover bit, so
 * one trellis over a whole 4K frame would need hundreds of megabytes. The
 * code is therefore cut into independent chunks: chunk k is message bits
 * [k·B, (k+1)·B) with B = max(1, floor(chunkColumns / ceil(n/m))) blocks, and
 * the columns of those blocks. Each chunk is its own STC (the band restarts,
 * cut at the chunk's last row), so H is block-diagonal. A chunk never spans
 * more than `chunkColumns` cover bits (unless one block is wider, below
 * α = 1 / chunkColumns), which bounds the embedder's path storage at
 * `chunkColumns · max(2^h, 32)` bits (8 MiB with {@link stcParams}) whatever
 * the cover's length. The price is the weaker tail of each chunk (its last
 * h - 1 message bits see fewer columns): under 0.1% of the changes at
 * the default sizes (`npm run bench -- stc` measures it).
 *
 * Bits travel as one bit per byte (0 or 1); only bit 0 of each entry is read,
 * so sample values may be passed as they are.
 */
import { stcSubmatrix, STC_MAX_HEIGHT } from './submatrix.ts';

/**
 * Constraint height used unless a caller picks another. Measured
 * (`npm run bench -- stc`): h = 8 and h = 10 change 1% and 4% fewer samples
 * at relative payload 1/2 (5% at 0.05 for h = 10), for 1.9 and 7 times the
 * embedding time (h = 7: about 0.35 µs per cover bit on one core).
 */
export const STC_DEFAULT_HEIGHT = 7;

/**
 * Path storage budget of one chunk, in bits (8 MiB): chunkColumns =
 * STC_PATH_BITS / 2^h, or / 32 below h = 5 (back-pointers are stored in
 * whole 32-bit words).
 */
export const STC_PATH_BITS = 2 ** 26;

/** What defines a code besides n and m. The embedder and the extractor must use the same. */
export interface StcParams {
  /** Constraint height h: 2^h trellis states. */
  readonly height: number;
  /** Most cover bits per chunk (see the module's doc). */
  readonly chunkColumns: number;
}

/** The parameters for height h with the standard chunk size, STC_PATH_BITS / max(2^h, 32) cover bits. */
export function stcParams(height: number = STC_DEFAULT_HEIGHT): StcParams {
  if (!Number.isInteger(height) || height < 1 || height > STC_MAX_HEIGHT) throw new RangeError(`bad constraint height ${height}`);
  return { height, chunkColumns: STC_PATH_BITS / Math.max(32, 2 ** height) };
}

/**
 * The block layout of a code over n cover bits and m message bits. Block i is
 * q + 1 wide when (i·r mod m) + r >= m, else q wide; the embedder and the
 * extractor walk the blocks keeping i·r mod m in one running remainder, so
 * no product i·n is ever formed and any n and m are exact.
 */
export interface StcLayout {
  readonly n: number;
  readonly m: number;
  /** floor(n / m). */
  readonly q: number;
  /** n mod m: how many blocks are q + 1 wide. */
  readonly r: number;
  /** Blocks (message bits) per chunk. */
  readonly chunkBlocks: number;
  /** Submatrix columns of the q-wide and the (q + 1)-wide blocks. */
  readonly narrow: Uint32Array;
  readonly wide: Uint32Array;
}

/**
 * The layout for n cover bits and m message bits; throws RangeError unless
 * 0 < m <= n.
 *
 * @param submatrix the code's submatrices; another source only to compare
 *   candidates (`scripts/stc-submatrix-seeds.ts`). Its columns must be
 *   below 2^h with bit h - 1 set.
 */
export function stcLayout(
  n: number,
  m: number,
  params: StcParams,
  submatrix: (height: number, width: number) => Uint32Array = stcSubmatrix,
): StcLayout {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 40) throw new RangeError(`bad cover length ${n}`);
  if (!Number.isInteger(m) || m < 1 || m > n) throw new RangeError(`message of ${m} bits does not fit a cover of ${n}`);
  if (!Number.isInteger(params.chunkColumns) || params.chunkColumns < 1) throw new RangeError(`bad chunk size ${params.chunkColumns}`);
  const q = Math.floor(n / m);
  const r = n - q * m;
  const widest = r > 0 ? q + 1 : q;
  return {
    n,
    m,
    q,
    r,
    chunkBlocks: Math.max(1, Math.floor(params.chunkColumns / widest)),
    narrow: submatrix(params.height, q),
    // (q + 1)-wide blocks exist only when r > 0; the narrow columns stand in otherwise.
    wide: r > 0 ? submatrix(params.height, q + 1) : submatrix(params.height, q),
  };
}

/**
 * H·y: the m message bits a cover (or stego) of n bits carries. O(n), no
 * costs needed, allocates nothing when `out` is given.
 *
 * @param stego n entries, bit 0 of each is read.
 * @param m message bits to compute (0 <= m <= stego.length).
 * @param out receives m bits (0 or 1).
 */
export function stcExtract(
  stego: ArrayLike<number>,
  m: number,
  params: StcParams = stcParams(),
  out: Uint8Array = new Uint8Array(m),
): Uint8Array {
  if (m === 0) return out;
  if (out.length < m) throw new RangeError('stcExtract: output too small');
  return stcSyndrome(stcLayout(stego.length, m, params), stego, out);
}

/**
 * H·y for the code of `layout` (its n and m): {@link stcExtract} with the
 * layout already built, or built from other submatrices. O(n), allocates
 * nothing.
 *
 * @param out receives layout.m bits (0 or 1).
 */
export function stcSyndrome(layout: StcLayout, stego: ArrayLike<number>, out: Uint8Array): Uint8Array {
  const { m, r, chunkBlocks, narrow, wide } = layout;
  if (stego.length < layout.n || out.length < m) throw new RangeError('stcSyndrome: buffers shorter than the code');
  let acc = 0; // (i·r) mod m
  let j = 0;
  let state = 0;
  let inChunk = 0;
  for (let i = 0; i < m; i++) {
    if (inChunk === chunkBlocks) {
      state = 0;
      inChunk = 0;
    }
    inChunk++;
    acc += r;
    let cols = narrow;
    if (acc >= m) {
      acc -= m;
      cols = wide;
    }
    const width = cols.length;
    for (let c = 0; c < width; c++) if (stego[j++] & 1) state ^= cols[c];
    out[i] = state & 1;
    state >>>= 1;
  }
  return out;
}
