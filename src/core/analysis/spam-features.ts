/**
 * Second-order SPAM features (Pevný, Bas and Fridrich, "Steganalysis by
 * subtractive pixel adjacency matrix", 2010): the Markov transition
 * probabilities of differences between neighbouring samples, truncated to
 * [-T, T] with T = 3, along the eight directions of the grid.
 *
 * For a direction, D_k = x(p_k) - x(p_k+1) along a line of samples, and
 * M(u | v, w) = P(D_k+2 = u | D_k+1 = v, D_k = w): (2T+1)^3 = 343 values.
 * Features 0 .. 342 average the four straight directions (left, right, up,
 * down), 343 .. 685 the four diagonals. A ±1 change to a sample breaks the
 * runs of zero and small differences that smooth content has, which moves
 * these probabilities; a linear classifier reads the move
 * (./residual-detector.ts).
 *
 * Each reversed direction's counts follow from its forward twin's (the triple
 * (w, v, u) read backwards is (-u, -v, -w)), so one pass counts four
 * directions. Differences are truncated through a table; all counting is
 * integer work in preallocated buffers.
 */
import type { PlaneSamples } from '../geometry.ts';

/** Truncation threshold T. */
export const SPAM_T = 3;
/** Values a truncated difference takes, 2T + 1. */
const Q = 2 * SPAM_T + 1;
const Q2 = Q * Q;
/** Transition probabilities per direction, (2T + 1)^3. */
export const SPAM_BLOCK = Q * Q2;
/** Features per plane: straight directions, then diagonals. */
export const SPAM_FEATURES = 2 * SPAM_BLOCK;

/** Tables from a difference (offset by 2^bitDepth - 1) to its truncated value + T, per bit depth. */
const truncationTables = new Map<number, Uint8Array>();

function truncationTable(bitDepth: number): Uint8Array {
  let t = truncationTables.get(bitDepth);
  if (!t) {
    const max = (1 << bitDepth) - 1;
    t = new Uint8Array(2 * max + 1);
    for (let i = 0; i < t.length; i++) {
      const d = i - max;
      t[i] = (d < -SPAM_T ? -SPAM_T : d > SPAM_T ? SPAM_T : d) + SPAM_T;
    }
    truncationTables.set(bitDepth, t);
  }
  return t;
}

/**
 * Computes SPAM features plane after plane with reusable buffers (they grow
 * to the widest plane seen).
 */
export class SpamExtractor {
  /** Joint counts of difference triples: horizontal, vertical, diagonal, anti-diagonal. */
  private readonly counts = new Float64Array(4 * SPAM_BLOCK);
  private rows = new Uint8Array(0);
  private width = 0;

  private ensureWidth(width: number): void {
    if (width <= this.width) return;
    this.width = width;
    // One row of horizontal differences, then three-row rings of vertical, diagonal and anti-diagonal ones.
    this.rows = new Uint8Array(10 * width);
  }

  /**
   * The 686 features of one `width` x `height` plane of `bitDepth`-bit
   * samples, written to `out` (a new array when omitted). A plane with fewer
   * than four samples along a direction contributes no triples in it; its
   * transition probabilities read 0.
   */
  extract(samples: PlaneSamples, width: number, height: number, bitDepth: number, out = new Float64Array(SPAM_FEATURES)): Float64Array {
    if (samples.length < width * height) throw new RangeError('SpamExtractor: plane smaller than its size');
    if (out.length < SPAM_FEATURES) throw new RangeError('SpamExtractor: output too small');
    this.ensureWidth(width);
    const lut = truncationTable(bitDepth);
    const off = (1 << bitDepth) - 1;
    const c = this.counts;
    c.fill(0);
    const rows = this.rows;
    const w = width;
    const H = 0;
    const V = w;
    const D = 4 * w;
    const A = 7 * w;
    const vBase = SPAM_BLOCK;
    const dBase = 2 * SPAM_BLOCK;
    const aBase = 3 * SPAM_BLOCK;
    for (let y = 0; y < height; y++) {
      const row = y * w;
      // Horizontal: differences along the row, then their triples.
      for (let x = 0; x + 1 < w; x++) rows[H + x] = lut[samples[row + x] - samples[row + x + 1] + off];
      for (let x = 0; x + 3 < w; x++) c[rows[H + x] * Q2 + rows[H + x + 1] * Q + rows[H + x + 2]]++;
      if (y + 1 >= height) break;
      // Differences between this row and the next, into ring slot y % 3.
      const slot = (y % 3) * w;
      const next = row + w;
      const v = V + slot;
      const d = D + slot;
      const a = A + slot;
      for (let x = 0; x < w; x++) rows[v + x] = lut[samples[row + x] - samples[next + x] + off];
      for (let x = 0; x + 1 < w; x++) rows[d + x] = lut[samples[row + x] - samples[next + x + 1] + off];
      for (let x = 1; x < w; x++) rows[a + x] = lut[samples[row + x] - samples[next + x - 1] + off];
      if (y < 2) continue;
      // Triples over difference rows y-2, y-1, y.
      const s0 = ((y - 2) % 3) * w;
      const s1 = ((y - 1) % 3) * w;
      const v0 = V + s0;
      const v1 = V + s1;
      for (let x = 0; x < w; x++) c[vBase + rows[v0 + x] * Q2 + rows[v1 + x] * Q + rows[v + x]]++;
      const d0 = D + s0;
      const d1 = D + s1;
      for (let x = 0; x + 3 < w; x++) c[dBase + rows[d0 + x] * Q2 + rows[d1 + x + 1] * Q + rows[d + x + 2]]++;
      const a0 = A + s0;
      const a1 = A + s1;
      for (let x = 3; x < w; x++) c[aBase + rows[a0 + x] * Q2 + rows[a1 + x - 1] * Q + rows[a + x - 2]]++;
    }
    out.fill(0, 0, SPAM_FEATURES);
    for (let dir = 0; dir < 4; dir++) {
      const base = dir * SPAM_BLOCK;
      const target = dir < 2 ? 0 : SPAM_BLOCK;
      // Forward: P(u | w, v) = N[w, v, u] / sum_u N[w, v, .]
      for (let wv = 0; wv < Q2; wv++) {
        let total = 0;
        for (let u = 0; u < Q; u++) total += c[base + wv * Q + u];
        if (total === 0) continue;
        const inv = 0.25 / total;
        for (let u = 0; u < Q; u++) out[target + wv * Q + u] += c[base + wv * Q + u] * inv;
      }
      // Reversed: the triple (w, v, u) backwards is (Q-1-u, Q-1-v, Q-1-w).
      for (let wi = 0; wi < Q; wi++) {
        for (let vi = 0; vi < Q; vi++) {
          let total = 0;
          for (let u = 0; u < Q; u++) total += c[base + (Q - 1 - u) * Q2 + (Q - 1 - vi) * Q + (Q - 1 - wi)];
          if (total === 0) continue;
          const inv = 0.25 / total;
          for (let u = 0; u < Q; u++) out[target + wi * Q2 + vi * Q + u] += c[base + (Q - 1 - u) * Q2 + (Q - 1 - vi) * Q + (Q - 1 - wi)] * inv;
        }
      }
    }
    return out;
  }
}
