/**
 * Synthetic embeddings at known rates, for the steganalysis tests and the
 * calibration script (scripts/calibrate-analysis.ts): random message bits
 * written into a copy of a frame's planes, each plane at the same rate.
 *
 * Positions are a uniformly random set of exactly k samples, as the first k
 * elements of the hide's keyed permutation are (drawn here by selection
 * sampling, Knuth's Algorithm S: one pass, in ascending order, far cheaper
 * than k Feistel walks at high rates); bits go in through the core's own
 * `embedSymbols`, so "LSB matching" means exactly what a hide writes. Every
 * run with the same seed writes the same samples.
 */
import type { FramePlanes, PlaneGeometry, PlaneSamples } from '../src/core/geometry.ts';
import { embedSymbols, type EmbedMode } from '../src/core/lsb.ts';
import { Xorshift } from '../src/core/prng.ts';
import { eligibleSpace } from '../src/core/sample-order.ts';

/** The shape of the frame an embedder writes into. */
export interface FrameShape {
  readonly planes: readonly PlaneGeometry[];
  readonly bitDepth: number;
}

/**
 * An embedding to measure: cover planes + rate + seed -> stego planes. The
 * cover is left as it was; `rate` is message bits per sample of each plane
 * (1 = one bit in every sample). Another embedding (an adaptive one, say) is
 * measured by the calibration script the same way once it implements this.
 */
export interface Embedder {
  /** Short name for tables, e.g. "LSB matching". */
  readonly name: string;
  embed(cover: FramePlanes, shape: FrameShape, rate: number, seed: number): FramePlanes;
}

/** Exactly `count` distinct positions of `[0, n)`, uniformly at random, ascending (Algorithm S). */
function randomPositions(n: number, count: number, rng: Xorshift, out: Uint32Array): void {
  let chosen = 0;
  for (let i = 0; i < n && chosen < count; i++) {
    // Take i with probability (still needed) / (still left).
    if (rng.nextU32() * (n - i) < (count - chosen) * 4294967296) out[chosen++] = i;
  }
}

function copyPlane(p: PlaneSamples): PlaneSamples {
  return p.slice();
}

function randomBits(n: number, rng: Xorshift): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 32) {
    let w = rng.nextU32();
    for (let j = i; j < Math.min(n, i + 32); j++, w >>>= 1) out[j] = w & 1;
  }
  return out;
}

/**
 * Writes round(rate * samples) random bits into each plane of `planes`, in
 * place: at keyed-random positions, or at the first samples in raster order
 * when `sequential`.
 */
export function embedAtRate(planes: FramePlanes, shape: FrameShape, rate: number, seed: number, mode: EmbedMode, sequential = false): void {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`bad rate ${rate}`);
  const rng = new Xorshift(seed ^ 0x5bd1e995);
  const maxValue = 2 ** shape.bitDepth - 1;
  shape.planes.forEach((g, p) => {
    const n = g.width * g.height;
    const count = Math.round(rate * n);
    if (count === 0) return;
    const positions = new Uint32Array(count);
    if (sequential) for (let i = 0; i < count; i++) positions[i] = i;
    else randomPositions(n, count, rng, positions);
    const space = eligibleSpace({ frameCount: 1, bitDepth: shape.bitDepth, planes: [g] }, 1);
    embedSymbols([planes[p]], space, positions, randomBits(count, rng), count, 1, mode, maxValue, rng);
  });
}

/** The cover's planes copied, then written at `rate` by LSB matching or replacement. */
export function embedCopy(cover: FramePlanes, shape: FrameShape, rate: number, seed: number, mode: EmbedMode, sequential = false): PlaneSamples[] {
  const out = cover.map(copyPlane);
  embedAtRate(out, shape, rate, seed, mode, sequential);
  return out;
}

/** LSB matching (±1 at random) at keyed-random positions: VidStega's default. */
export const lsbMatching: Embedder = {
  name: 'LSB matching',
  embed: (cover, shape, rate, seed) => embedCopy(cover, shape, rate, seed, 'matching'),
};

/** LSB replacement at keyed-random positions. */
export const lsbReplacement: Embedder = {
  name: 'LSB replacement',
  embed: (cover, shape, rate, seed) => embedCopy(cover, shape, rate, seed, 'replacement'),
};

/** LSB replacement from the first sample on, in raster order (what simple tools do). */
export const sequentialReplacement: Embedder = {
  name: 'sequential LSB replacement',
  embed: (cover, shape, rate, seed) => embedCopy(cover, shape, rate, seed, 'replacement', true),
};
