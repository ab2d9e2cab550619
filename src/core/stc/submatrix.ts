/**
 * The submatrix Ĥ of a syndrome-trellis code: h rows, w columns, each column
 * an h-bit integer (bit r = row r). The parity-check matrix H repeats Ĥ along
 * its diagonal, one row down per message bit (see `code.ts`).
 *
 * Where the columns come from: a seeded generator, so any (h, w) has a
 * submatrix with no table to ship, plus a short table of seeds chosen by
 * measured embedding efficiency for the sizes VidStega uses. Random
 * submatrices whose first and last rows are all ones are within a few percent
 * of the best known ones (Filler, Judas, Fridrich 2011, section 5.2); picking
 * the best of a few seeds on a fixed test recovers part of the rest. The
 * generator and the table are part of the code's definition: the extractor
 * must build the same H, so neither may change without a new format.
 *
 * Every column has bit 0 set (each column of a block can fix that block's
 * message bit) and bit h - 1 set (each column reaches the whole constraint
 * length, which is what gives a trellis of height h its full strength).
 * Columns within a submatrix are distinct while there are enough distinct
 * such columns (w <= 2^(h-2)); past that they repeat.
 */

/** Largest constraint height: states are 2^h and path storage 2^h bits per cover bit. */
export const STC_MAX_HEIGHT = 20;

/**
 * Seeds for {@link stcSubmatrix}, by height then width (index w - 1). A
 * missing entry (other heights, widths over 20) means seed 0. Chosen by
 * `scripts/stc-submatrix-seeds.ts`: for each (h, w), the seed among the
 * first 32 (h <= 8) or 16 whose code changes the fewest samples on a fixed
 * cover at relative payload 1/w with uniform costs. Seeds differ by up to 7%
 * in efficiency (h = 7, w = 2: 3.77 to 4.05 bits per change); on other
 * covers the table changes about 1% fewer samples than seed 0, which
 * happens to be a good one (`npm run bench -- stc`).
 */
const SEED_TABLE: Readonly<Record<number, readonly number[]>> = {
  7: [0, 11, 10, 8, 18, 27, 30, 7, 23, 7, 20, 23, 13, 9, 13, 22, 5, 24, 30, 21],
  8: [0, 21, 0, 17, 26, 0, 30, 31, 13, 16, 6, 6, 30, 7, 23, 17, 25, 4, 15, 25],
  9: [0, 6, 5, 1, 12, 11, 11, 0, 10, 0, 6, 9, 0, 5, 4, 1, 13, 13, 0, 6],
  10: [0, 2, 2, 5, 8, 10, 13, 5, 0, 14, 1, 12, 7, 11, 10, 9, 7, 6, 10, 6],
};

/** splitmix32-style integer mix: the generator's only source of bits. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The columns of a submatrix generated from `seed`: w integers of h bits,
 * bits 0 and h - 1 set, the middle bits pseudo-random, distinct when
 * w <= 2^(h-2). Pure integer arithmetic: the same on every platform.
 */
export function generateSubmatrix(height: number, width: number, seed: number): Uint32Array {
  checkSize(height, width);
  const cols = new Uint32Array(width);
  const fixed = height === 1 ? 1 : 1 | (1 << (height - 1));
  const middleBits = Math.max(0, height - 2);
  const middleMask = (1 << middleBits) - 1;
  // A bitmap of the columns taken (2^h bits): distinctness in O(1) per column.
  const taken = width <= 2 ** middleBits ? new Uint8Array(1 << height) : null;
  let state = mix32((seed ^ Math.imul(height, 0x27d4eb2f) ^ Math.imul(width, 0x165667b1)) >>> 0);
  for (let c = 0; c < width; c++) {
    for (;;) {
      state = mix32(state);
      const col = (fixed | ((state & middleMask) << 1)) >>> 0;
      if (taken) {
        if (taken[col]) continue;
        taken[col] = 1;
      }
      cols[c] = col;
      break;
    }
  }
  return cols;
}

/** The seed {@link stcSubmatrix} uses for (h, w). */
export function submatrixSeed(height: number, width: number): number {
  return SEED_TABLE[height]?.[width - 1] ?? 0;
}

const cache = new Map<number, Uint32Array>();

/**
 * The submatrix of the code for constraint height h and width w (the block
 * width, ceil or floor of n / m). Memoised; do not modify the result.
 */
export function stcSubmatrix(height: number, width: number): Uint32Array {
  checkSize(height, width);
  const key = height * 0x100000000 + width;
  let cols = cache.get(key);
  if (!cols) {
    cols = generateSubmatrix(height, width, submatrixSeed(height, width));
    cache.set(key, cols);
  }
  return cols;
}

function checkSize(height: number, width: number): void {
  if (!Number.isInteger(height) || height < 1 || height > STC_MAX_HEIGHT) throw new RangeError(`bad constraint height ${height}`);
  if (!Number.isInteger(width) || width < 1 || width > 0xffffffff) throw new RangeError(`bad submatrix width ${width}`);
}
