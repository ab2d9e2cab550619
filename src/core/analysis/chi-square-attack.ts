/**
 * Westfeld and Pfitzmann's chi-square attack ("Attacks on steganographic
 * systems", 2000): LSB replacement turns each pair of values (2k, 2k+1) into
 * a pair of equal frequencies, which natural sample histograms never have.
 *
 * The statistic is theirs: over the pairs whose expected count
 * e = (h[2k] + h[2k+1]) / 2 reaches {@link MIN_EXPECTED}, the sum of
 * (h[2k] - e)^2 / e, read against a chi-square distribution with one degree
 * of freedom fewer than the pairs counted. The p-value is its upper tail:
 * near 1 when the pairs are equalised (a plane fully written by LSB
 * replacement, where the sum is about half its degrees of freedom), near 0
 * for a natural plane.
 *
 * Along the scan, the p-value over growing prefixes of the plane (raster
 * order) catches sequential embedding: it stays near 1 while the prefix is
 * inside the embedded part and falls once natural samples dominate. LSB
 * matching and keyed-random positions leave the pairs as they were, so both
 * readings stay near 0 for them.
 *
 * Works on any bit depth (2^bitDepth histogram bins).
 */
import type { PlaneSamples } from '../geometry.ts';
import { chiSquareSurvival } from './chi-square-distribution.ts';

/** Pairs with a smaller expected count are left out, as the chi-square test requires. */
export const MIN_EXPECTED = 5;

/** Along the scan, a prefix counts as embedded while its p-value is at least this. */
export const SEQUENTIAL_P = 0.5;

/** Fewest samples in the first prefix of a scan: below this the test has too few counts to mean anything. */
export const MIN_SCAN_PREFIX = 2048;

/**
 * The Westfeld-Pfitzmann p-value of a histogram of 2^bitDepth bins:
 * near 1 when its pairs of values are equalised. NaN when fewer than two
 * pairs have enough counts.
 */
export function chiSquareHistogramP(histogram: Uint32Array | Float64Array, bins: number): number {
  let stat = 0;
  let pairs = 0;
  for (let k = 0; k + 1 < bins; k += 2) {
    const even = histogram[k];
    const e = (even + histogram[k + 1]) * 0.5;
    if (e < MIN_EXPECTED) continue;
    const d = even - e;
    stat += (d * d) / e;
    pairs++;
  }
  if (pairs < 2) return Number.NaN;
  return chiSquareSurvival(stat, pairs - 1);
}

/** Result of {@link chiSquareScan}. */
export interface ChiSquareScan {
  /** p-value of the whole plane. */
  readonly p: number;
  /**
   * Share of the plane, from its first sample in raster order, over which the
   * p-value of every prefix stays at least {@link SEQUENTIAL_P}: an estimate
   * of the length of a sequentially embedded message, 0 when even the first
   * prefix reads natural.
   */
  readonly sequentialFraction: number;
  /** Checkpoints actually used (fewer than asked for on small planes). */
  readonly steps: number;
}

/**
 * Reusable buffers for one bit depth and scan resolution, so analysing frame
 * after frame allocates nothing.
 */
export class ChiSquareScanner {
  readonly bins: number;
  private readonly histogram: Uint32Array;
  /** p-value of each prefix of the last scan; entries past `steps` are stale. */
  readonly prefixP: Float64Array;

  /**
   * @param bitDepth bits per sample (8 to 16).
   * @param maxSteps prefixes per scan at most (the plane is cut into this many equal parts).
   */
  constructor(bitDepth: number, maxSteps = 100) {
    if (!Number.isInteger(bitDepth) || bitDepth < 1 || bitDepth > 16) throw new RangeError(`bad bit depth ${bitDepth}`);
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`bad step count ${maxSteps}`);
    this.bins = 1 << bitDepth;
    this.histogram = new Uint32Array(this.bins);
    this.prefixP = new Float64Array(maxSteps);
  }

  /** The whole plane's p-value only. */
  p(samples: PlaneSamples): number {
    const h = this.histogram;
    h.fill(0);
    const mask = this.bins - 1;
    for (let i = 0; i < samples.length; i++) h[samples[i] & mask]++;
    return chiSquareHistogramP(h, this.bins);
  }

  /** The p-value of the whole plane and along the scan (`prefixP[0 .. steps)`). */
  scan(samples: PlaneSamples): ChiSquareScan {
    const n = samples.length;
    const h = this.histogram;
    h.fill(0);
    const mask = this.bins - 1;
    const steps = Math.max(1, Math.min(this.prefixP.length, Math.floor(n / MIN_SCAN_PREFIX)));
    let start = 0;
    let sequential = 0;
    let inside = true;
    let p = Number.NaN;
    for (let s = 0; s < steps; s++) {
      const end = s === steps - 1 ? n : Math.floor((n * (s + 1)) / steps);
      for (let i = start; i < end; i++) h[samples[i] & mask]++;
      start = end;
      p = chiSquareHistogramP(h, this.bins);
      this.prefixP[s] = p;
      if (inside) {
        // A prefix without enough counts says nothing either way.
        if (p >= SEQUENTIAL_P) sequential = (s + 1) / steps;
        else if (p < SEQUENTIAL_P) inside = false;
      }
    }
    return { p, sequentialFraction: sequential, steps };
  }
}
