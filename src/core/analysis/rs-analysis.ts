/**
 * RS analysis (Fridrich, Goljan and Du, "Reliable detection of LSB
 * steganography in color and grayscale images", 2001): an estimate of the
 * share of samples carrying an LSB-replacement message.
 *
 * Samples are taken in groups of four, along rows and along columns (no
 * overlap), with the mask M = [0 1 1 0]. A group is Regular when flipping
 * its masked samples makes it noisier (the discrimination function
 * f = sum of |x[i+1] - x[i]| grows), Singular when it gets smoother. F1 flips
 * 2k <-> 2k+1, F-1 flips 2k <-> 2k-1. In a natural plane R_M ~ R_-M and
 * S_M ~ S_-M; LSB replacement pulls R_M and S_M together while R_-M and S_-M
 * drift apart. Counting the same four numbers again on the plane with every
 * LSB flipped gives the quadratic whose root is the message length:
 *
 *   2(d1 + d0) z^2 + (d-0 - d-1 - d1 - 3 d0) z + d0 - d-0 = 0,  p = z / (z - 1/2)
 *
 * with d0 = R_M - S_M, d-0 = R_-M - S_-M on the plane and d1, d-1 the same
 * on the flipped plane (the root of smaller magnitude). Works on any bit
 * depth; F-1 may step one below 0, which only enters f.
 */
import type { PlaneSamples } from '../geometry.ts';

/** Counts of one RS pass, as shares of the groups. */
export interface RsCounts {
  /** Groups counted. */
  readonly groups: number;
  readonly rM: number;
  readonly sM: number;
  readonly rMinusM: number;
  readonly sMinusM: number;
  /** The same, on the plane with every LSB flipped. */
  readonly rMFlipped: number;
  readonly sMFlipped: number;
  readonly rMinusMFlipped: number;
  readonly sMinusMFlipped: number;
}

/** Result of {@link rsAnalysis}. */
export interface RsResult extends RsCounts {
  /** Estimated share of samples carrying message bits (0 = none, 1 = every sample), clamped to [-1, 2]. */
  readonly rate: number;
}

/** F-1: 2k <-> 2k-1, i.e. (x + 1) XOR 1, minus 1. */
function flipMinus(x: number): number {
  return ((x + 1) ^ 1) - 1;
}

// Slots of the count array classify() fills.
const R_M = 0;
const S_M = 1;
const R_N = 2;
const S_N = 3;
const R_MF = 4;
const S_MF = 5;
const R_NF = 6;
const S_NF = 7;

/** Classifies one group (a, b, c, d) under M and -M, on the plane and on its LSB-flipped twin, into `n`. */
function classify(n: Float64Array, a: number, b: number, c: number, d: number): void {
  const f0 = Math.abs(b - a) + Math.abs(c - b) + Math.abs(d - c);
  const b1 = b ^ 1;
  const c1 = c ^ 1;
  const fm = Math.abs(b1 - a) + Math.abs(c1 - b1) + Math.abs(d - c1);
  if (fm > f0) n[R_M]++;
  else if (fm < f0) n[S_M]++;
  const bn = flipMinus(b);
  const cn = flipMinus(c);
  const fn = Math.abs(bn - a) + Math.abs(cn - bn) + Math.abs(d - cn);
  if (fn > f0) n[R_N]++;
  else if (fn < f0) n[S_N]++;
  // The flipped plane: every sample XOR 1; F_M there flips b and c back.
  const a1 = a ^ 1;
  const d1 = d ^ 1;
  const g0 = Math.abs(b1 - a1) + Math.abs(c1 - b1) + Math.abs(d1 - c1);
  const gm = Math.abs(b - a1) + Math.abs(c - b) + Math.abs(d1 - c);
  if (gm > g0) n[R_MF]++;
  else if (gm < g0) n[S_MF]++;
  const bn1 = flipMinus(b1);
  const cn1 = flipMinus(c1);
  const gn = Math.abs(bn1 - a1) + Math.abs(cn1 - bn1) + Math.abs(d1 - cn1);
  if (gn > g0) n[R_NF]++;
  else if (gn < g0) n[S_NF]++;
}

/** Counts R and S over row groups and column groups of a `width` x `height` plane. */
export function rsCounts(samples: PlaneSamples, width: number, height: number): RsCounts {
  if (samples.length < width * height) throw new RangeError('rsCounts: plane smaller than its size');
  const n = new Float64Array(8);
  let groups = 0;
  const w4 = width - (width % 4);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < w4; x += 4) {
      const i = row + x;
      classify(n, samples[i], samples[i + 1], samples[i + 2], samples[i + 3]);
    }
    groups += w4 >> 2;
  }
  // Column groups, four rows at a time, read row by row for the cache.
  const h4 = height - (height % 4);
  for (let y = 0; y < h4; y += 4) {
    const r0 = y * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let x = 0; x < width; x++) classify(n, samples[r0 + x], samples[r1 + x], samples[r2 + x], samples[r3 + x]);
    groups += width;
  }
  const g = groups > 0 ? groups : 1;
  return {
    groups,
    rM: n[R_M] / g,
    sM: n[S_M] / g,
    rMinusM: n[R_N] / g,
    sMinusM: n[S_N] / g,
    rMFlipped: n[R_MF] / g,
    sMFlipped: n[S_MF] / g,
    rMinusMFlipped: n[R_NF] / g,
    sMinusMFlipped: n[S_NF] / g,
  };
}

/** The message length from RS counts (the quadratic above); NaN when the counts are degenerate. */
export function rsRate(c: RsCounts): number {
  const d0 = c.rM - c.sM;
  const d1 = c.rMFlipped - c.sMFlipped;
  const dn0 = c.rMinusM - c.sMinusM;
  const dn1 = c.rMinusMFlipped - c.sMinusMFlipped;
  const qa = 2 * (d1 + d0);
  const qb = dn0 - dn1 - d1 - 3 * d0;
  const qc = d0 - dn0;
  let z: number;
  if (Math.abs(qa) < 1e-12) {
    if (Math.abs(qb) < 1e-12) return Number.NaN;
    z = -qc / qb;
  } else {
    // Sampling noise can push a near-zero message's discriminant just below 0: the double root is the best reading then.
    const s = Math.sqrt(Math.max(0, qb * qb - 4 * qa * qc));
    const z1 = (-qb + s) / (2 * qa);
    const z2 = (-qb - s) / (2 * qa);
    z = Math.abs(z1) < Math.abs(z2) ? z1 : z2;
  }
  const p = z / (z - 0.5);
  // Near a full message z nears 1/2 and the estimate runs off to infinity: nothing past [-1, 2] means more than "all".
  return p < -1 ? -1 : p > 2 ? 2 : p;
}

/**
 * RS analysis of one plane: the estimated share of its samples that carry
 * LSB-replacement message bits, with the group counts behind it.
 */
export function rsAnalysis(samples: PlaneSamples, width: number, height: number): RsResult {
  const counts = rsCounts(samples, width, height);
  return { ...counts, rate: rsRate(counts) };
}
