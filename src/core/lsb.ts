/**
 * Least-significant-bit embedding and extraction on a frame's planes, and
 * symbol packing (docs/FORMAT.md, "Body").
 *
 * A sample carries a symbol of `bitsPerSample` bits in its value mod 2^bps.
 * Two ways to get it there:
 * - **LSB matching** (default): move the value by the smallest step that
 *   gives the right residue, in a random direction when two are equally
 *   small. Unlike replacement it leaves no "pairs of values" histogram
 *   artefact, which is what the classic chi-square and RS steganalysis detect.
 * - **LSB replacement**: overwrite the low bits. Smallest possible change,
 *   easier to detect.
 * The extractor only reads `value & mask`, so both modes read the same way.
 *
 * Samples are addressed by their index in the frame's eligible index space
 * ({@link EligibleSpace}); hot loops allocate nothing.
 */
import type { FramePlanes } from './geometry.ts';
import type { Xorshift } from './prng.ts';
import type { EligibleSpace } from './sample-order.ts';

/** How symbols are written into samples. */
export type EmbedMode = 'matching' | 'replacement';

/**
 * Writes `symbols[0 .. count)` into the samples at eligible indices
 * `sampleIndices[0 .. count)` of one frame, in place.
 *
 * Matching, 1 bit: when the LSB differs, +1 or -1 at random; +1 at 0 and -1 at
 * maxValue. Matching, 2 bits: with d = (symbol - value) mod 4, d = 1 -> +1,
 * d = 3 -> -1, d = 2 -> +2 or -2 at random; when the move would leave
 * [0, maxValue] the equivalent move the other way: -3 for d = 1 at maxValue,
 * +3 for d = 3 at 0, the in-range direction for d = 2. maxValue is
 * 2^bitDepth - 1 >= 255, so the other way always fits.
 *
 * @param planes the frame's planes, in geometry order (Uint8Array for 8-bit, Uint16Array above).
 * @param space the eligible index space `sampleIndices` refer to.
 * @param symbols one symbol per entry, each < 2^bitsPerSample.
 * @param maxValue 2^bitDepth - 1.
 * @param rng coin flips for matching's direction.
 * @returns the number of samples whose value changed.
 */
export function embedSymbols(
  planes: FramePlanes,
  space: EligibleSpace,
  sampleIndices: Uint32Array,
  symbols: Uint8Array,
  count: number,
  bitsPerSample: 1 | 2,
  mode: EmbedMode,
  maxValue: number,
  rng: Xorshift,
): number {
  if (count > sampleIndices.length || count > symbols.length) throw new RangeError('embedSymbols: count exceeds the buffers');
  const m = (1 << bitsPerSample) - 1;
  const np = space.planeCount;
  const starts = space.starts;
  const ids = space.planes;
  const matching = mode === 'matching';
  let changed = 0;
  let coins = 0; // buffered random bits, so one nextU32() serves 32 coin flips
  let coinsLeft = 0;
  for (let j = 0; j < count; j++) {
    const e = sampleIndices[j];
    let p = 0;
    while (p + 1 < np && e >= starts[p + 1]) p++;
    const arr = planes[ids[p]];
    const k = e - starts[p];
    const v = arr[k];
    const s = symbols[j] & m;
    if ((v & m) === s) continue;
    let nv: number;
    if (!matching) {
      nv = (v & ~m) | s;
    } else if (bitsPerSample === 1) {
      if (v === 0) nv = 1;
      else if (v >= maxValue) nv = v - 1;
      else {
        if (coinsLeft === 0) {
          coins = rng.nextU32();
          coinsLeft = 32;
        }
        nv = coins & 1 ? v + 1 : v - 1;
        coins >>>= 1;
        coinsLeft--;
      }
    } else {
      const d = (s - v) & 3;
      if (d === 1) nv = v + 1 <= maxValue ? v + 1 : v - 3;
      else if (d === 3) nv = v >= 1 ? v - 1 : v + 3;
      else {
        // d === 2: both directions are 2 away; pick at random unless one leaves the range.
        if (v < 2) nv = v + 2;
        else if (v + 2 > maxValue) nv = v - 2;
        else {
          if (coinsLeft === 0) {
            coins = rng.nextU32();
            coinsLeft = 32;
          }
          nv = coins & 1 ? v + 2 : v - 2;
          coins >>>= 1;
          coinsLeft--;
        }
      }
    }
    arr[k] = nv;
    changed++;
  }
  return changed;
}

/**
 * Reads `count` symbols (value mod 2^bitsPerSample) from the samples at
 * eligible indices `sampleIndices[0 .. count)` into `out`. Allocates nothing.
 */
export function extractSymbols(
  planes: FramePlanes,
  space: EligibleSpace,
  sampleIndices: Uint32Array,
  count: number,
  bitsPerSample: 1 | 2,
  out: Uint8Array,
): void {
  if (count > sampleIndices.length || count > out.length) throw new RangeError('extractSymbols: count exceeds the buffers');
  const m = (1 << bitsPerSample) - 1;
  const np = space.planeCount;
  const starts = space.starts;
  const ids = space.planes;
  for (let j = 0; j < count; j++) {
    const e = sampleIndices[j];
    let p = 0;
    while (p + 1 < np && e >= starts[p + 1]) p++;
    out[j] = planes[ids[p]][e - starts[p]] & m;
  }
}

/**
 * Splits bytes into symbols of `bitsPerSample` bits, most significant bit
 * first, into `out` (length >= bytes.length * 8 / bps).
 * @returns the number of symbols written.
 */
export function bytesToSymbols(bytes: Uint8Array, bitsPerSample: 1 | 2, out: Uint8Array): number {
  const per = 8 / bitsPerSample;
  const n = bytes.length * per;
  if (out.length < n) throw new RangeError('bytesToSymbols: output too small');
  const m = (1 << bitsPerSample) - 1;
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    for (let shift = 8 - bitsPerSample; shift >= 0; shift -= bitsPerSample) out[o++] = (b >>> shift) & m;
  }
  return n;
}

/**
 * Joins symbols of `bitsPerSample` bits, most significant bit first, into
 * bytes in `out` (length >= ceil(symbols.length * bps / 8)); a final partial
 * byte is zero padded.
 * @returns the number of bytes written.
 */
export function symbolsToBytes(symbols: Uint8Array, bitsPerSample: 1 | 2, out: Uint8Array): number {
  const per = 8 / bitsPerSample;
  const n = Math.ceil(symbols.length / per);
  if (out.length < n) throw new RangeError('symbolsToBytes: output too small');
  const m = (1 << bitsPerSample) - 1;
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let j = 0; j < per; j++) {
      const k = i * per + j;
      b = (b << bitsPerSample) | (k < symbols.length ? symbols[k] & m : 0);
    }
    out[i] = b;
  }
  return n;
}
