/**
 * Sample Pair Analysis (Dumitrescu, Wu and Wang, "Detection of LSB
 * steganography via sample pair analysis", 2003): an estimate of the share
 * of samples carrying an LSB-replacement message, from pairs of adjacent
 * samples (u, v), horizontal and vertical.
 *
 * Pairs fall in trace sets C_m, m = floor(v/2) - floor(u/2). Within C_m, LSB
 * replacement only moves a pair between its four members (u, v even or odd),
 * with probabilities set by the share q = p/2 of samples it flips. The one
 * assumption about the cover is the classic one: a difference v - u = 2m+1
 * is as likely from an even u as from an odd u. Writing that for every m and
 * summing, folded about m = 0 (the unfolded sum telescopes to nothing),
 * leaves one quadratic in x = 1 - p:
 *
 *   (|W| + |Z|) x^2 + 2 L x + (|W| - |Z|) = 0
 *
 * where Z counts pairs with u = v, W pairs in C_0 with u != v (so W + Z is
 * C_0), and L = sum over m >= 1 minus sum over m <= -1 of
 * (#pairs with u even, v odd) - (#pairs with u odd, v even) in C_m. The root
 * nearer x = 1 gives p. This is DWW's estimator, counted in one pass with
 * integer operations; it works on any bit depth.
 */
import type { PlaneSamples } from '../geometry.ts';

/** Trace-set counts behind the estimate. */
export interface SpaCounts {
  readonly pairs: number;
  /** Pairs with u = v. */
  readonly z: number;
  /** Pairs in C_0 with u != v. */
  readonly w: number;
  /** Folded sum of (even, odd) minus (odd, even) pairs outside C_0. */
  readonly l: number;
}

/** Adds pair (u, v) to `acc`: [z, w, l]. */
function countPair(acc: Float64Array, u: number, v: number): void {
  const m = (v >> 1) - (u >> 1);
  if (m === 0) {
    if (u === v) acc[0]++;
    else acc[1]++;
    return;
  }
  const s = (v & 1) - (u & 1); // +1: u even, v odd; -1: u odd, v even; 0: same parity
  acc[2] += m > 0 ? s : -s;
}

/** Counts over every horizontal and vertical pair of adjacent samples. */
export function spaCounts(samples: PlaneSamples, width: number, height: number): SpaCounts {
  if (samples.length < width * height) throw new RangeError('spaCounts: plane smaller than its size');
  const acc = new Float64Array(3);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const last = row + width - 1;
    for (let i = row; i < last; i++) countPair(acc, samples[i], samples[i + 1]);
    if (y + 1 < height) for (let i = row; i <= last; i++) countPair(acc, samples[i], samples[i + width]);
  }
  const pairs = height * (width - 1) + (height - 1) * width;
  return { pairs, z: acc[0], w: acc[1], l: acc[2] };
}

/** The message length from SPA counts; NaN when no pair is in C_0. */
export function spaRate(c: SpaCounts): number {
  const a = c.w + c.z;
  if (a === 0) return Number.NaN;
  const b = 2 * c.l;
  const k = c.w - c.z;
  // Sampling noise can push a near-zero message's discriminant just below 0: the double root is the best reading then.
  const s = Math.sqrt(Math.max(0, b * b - 4 * a * k));
  const x1 = (-b + s) / (2 * a);
  const x2 = (-b - s) / (2 * a);
  const x = Math.abs(1 - x1) < Math.abs(1 - x2) ? x1 : x2;
  return 1 - x;
}

/** Sample Pair Analysis of one plane: the estimated share of its samples that carry LSB-replacement message bits. */
export function samplePairAnalysis(samples: PlaneSamples, width: number, height: number): number {
  return spaRate(spaCounts(samples, width, height));
}
