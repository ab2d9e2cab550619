/**
 * Content-adaptive, minimal-change embedding in one frame: a syndrome-trellis
 * code (`stc/`) chooses which of the frame's keyed sample positions change,
 * minimising the total embedding cost (`embedding-cost.ts`), and each change
 * is ±1 (LSB matching). The reveal reads the positions' least significant
 * bits and multiplies by H: it needs the positions (from the password) and
 * the message length, never the costs.
 *
 * Standalone functions over (planes, positions, message bits); the format
 * does not use them yet.
 *
 * **±1.** Where the code flips a bit, the sample moves by +1 or -1 at random
 * (+1 at 0, -1 at the maximum). HILL's cost is the same for both directions,
 * so neither side is cheaper; a random sign keeps the histogram free of the
 * pairs artefact of LSB replacement.
 *
 * **Wet samples.** Positions listed as wet keep their value whatever the
 * message (cost +Infinity in the trellis). A decoy payload embedded with the
 * first payload's positions wet never disturbs the first: the first's
 * extractor reads exactly the bits it read before (wet-paper coding).
 *
 * Positions are indices in the frame's eligible index space (the eligible
 * planes concatenated, `sample-order.ts`) and must be distinct.
 */
import type { FramePlanes } from './geometry.ts';
import type { Xorshift } from './prng.ts';
import type { EligibleSpace } from './sample-order.ts';
import { StcEmbedder, stcExtract, stcParams, type StcParams } from './stc/index.ts';

/** How an adaptive embedding went. */
export interface AdaptiveEmbedResult {
  /** Samples changed (each by ±1). */
  readonly changed: number;
  /** Their total cost. */
  readonly cost: number;
}

/** Options of {@link AdaptiveEmbedder.embed}. */
export interface AdaptiveEmbedOptions {
  /** 2^bitDepth - 1. */
  readonly maxValue: number;
  /** Coin flips for the ±1 direction. */
  readonly rng: Xorshift;
  /** Eligible indices that must not change, sorted ascending (for example a first payload's positions). */
  readonly wet?: Uint32Array | null;
}

/**
 * Embeds and extracts with one code, reusing its buffers (trellis path,
 * gathered bits and costs) from frame to frame. Not re-entrant.
 */
export class AdaptiveEmbedder {
  readonly params: StcParams;
  private readonly stc: StcEmbedder;
  private cover = new Uint8Array(0);
  private stego = new Uint8Array(0);
  private rho = new Float32Array(0);

  constructor(params: StcParams = stcParams()) {
    this.params = params;
    this.stc = new StcEmbedder(params);
  }

  private ensure(n: number): void {
    if (this.cover.length < n) {
      this.cover = new Uint8Array(n);
      this.stego = new Uint8Array(n);
      this.rho = new Float32Array(n);
    }
  }

  /**
   * Embeds `message` (one bit per entry) into the samples at `positions`,
   * in place, changing the cheapest samples under `costs`.
   *
   * @param planes the frame's planes, in geometry order.
   * @param space the eligible index space `positions` refer to.
   * @param costs per-plane costs, in the order of `planes` (as `HillCost.frame` gives them);
   *   only the eligible planes are read.
   * @param positions n distinct eligible indices: the cover, in code order.
   * @param message m <= n bits.
   * @throws StcInfeasibleError when the wet positions leave no solution; the planes are then unchanged.
   */
  embed(
    planes: FramePlanes,
    space: EligibleSpace,
    costs: readonly Float32Array[],
    positions: Uint32Array,
    message: Uint8Array,
    options: AdaptiveEmbedOptions,
  ): AdaptiveEmbedResult {
    const n = positions.length;
    this.ensure(n);
    const cover = this.cover.subarray(0, n);
    const stego = this.stego.subarray(0, n);
    const rho = this.rho.subarray(0, n);
    const np = space.planeCount;
    const starts = space.starts;
    const ids = space.planes;
    const wet = options.wet ?? null;
    const wetMax = wet && wet.length > 0 ? wet[wet.length - 1] : -1;
    for (let j = 0; j < n; j++) {
      const e = positions[j];
      let p = 0;
      while (p + 1 < np && e >= starts[p + 1]) p++;
      const k = e - starts[p];
      cover[j] = planes[ids[p]][k] & 1;
      rho[j] = wet && e <= wetMax && containsSorted(wet, e) ? Infinity : costs[ids[p]][k];
    }
    // Throws before any sample changes.
    const result = this.stc.embed(cover, rho, message, stego);

    const { maxValue, rng } = options;
    let coins = 0; // buffered random bits: one nextU32() serves 32 directions
    let coinsLeft = 0;
    for (let j = 0; j < n; j++) {
      if (stego[j] === cover[j]) continue;
      const e = positions[j];
      let p = 0;
      while (p + 1 < np && e >= starts[p + 1]) p++;
      const arr = planes[ids[p]];
      const k = e - starts[p];
      const v = arr[k];
      if (v === 0) arr[k] = 1;
      else if (v >= maxValue) arr[k] = v - 1;
      else {
        if (coinsLeft === 0) {
          coins = rng.nextU32();
          coinsLeft = 32;
        }
        arr[k] = coins & 1 ? v + 1 : v - 1;
        coins >>>= 1;
        coinsLeft--;
      }
    }
    return { changed: result.changes, cost: result.cost };
  }

  /**
   * The `messageBits` bits carried by the samples at `positions`: H times
   * their least significant bits. Needs no costs.
   *
   * @param out receives messageBits bits (a new array when omitted).
   */
  extract(planes: FramePlanes, space: EligibleSpace, positions: Uint32Array, messageBits: number, out?: Uint8Array): Uint8Array {
    const n = positions.length;
    this.ensure(n);
    const bits = this.cover.subarray(0, n);
    gatherLsbs(planes, space, positions, bits);
    return stcExtract(bits, messageBits, this.params, out);
  }
}

/** Least significant bits of the samples at `positions`, into `out`. */
function gatherLsbs(planes: FramePlanes, space: EligibleSpace, positions: Uint32Array, out: Uint8Array): void {
  const np = space.planeCount;
  const starts = space.starts;
  const ids = space.planes;
  for (let j = 0; j < positions.length; j++) {
    const e = positions[j];
    let p = 0;
    while (p + 1 < np && e >= starts[p + 1]) p++;
    out[j] = planes[ids[p]][e - starts[p]] & 1;
  }
}

function containsSorted(a: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** {@link AdaptiveEmbedder.embed} with a fresh embedder (tests, one-off use). */
export function embedAdaptive(
  planes: FramePlanes,
  space: EligibleSpace,
  costs: readonly Float32Array[],
  positions: Uint32Array,
  message: Uint8Array,
  options: AdaptiveEmbedOptions & { readonly params?: StcParams },
): AdaptiveEmbedResult {
  return new AdaptiveEmbedder(options.params).embed(planes, space, costs, positions, message, options);
}

/** {@link AdaptiveEmbedder.extract} with a fresh extractor. */
export function extractAdaptive(
  planes: FramePlanes,
  space: EligibleSpace,
  positions: Uint32Array,
  messageBits: number,
  params: StcParams = stcParams(),
): Uint8Array {
  const bits = new Uint8Array(positions.length);
  gatherLsbs(planes, space, positions, bits);
  return stcExtract(bits, messageBits, params);
}
