/**
 * Content-adaptive, minimal-change embedding in one frame: a syndrome-trellis
 * code (`stc/`) chooses which of the frame's keyed sample positions change,
 * minimising the total embedding cost (`embedding-cost.ts`), and each change
 * is ±1 (LSB matching). The reveal reads the positions' least significant
 * bits and multiplies by H: it needs the positions (from the password) and
 * the message length, never the costs. Format v2 (src/core/stego.ts) embeds
 * its locator and each body frame this way.
 *
 * **±1.** Where the code flips a bit, the sample moves by +1 or -1 at random
 * (+1 at 0, -1 at the maximum). HILL's cost is the same for both directions,
 * so neither side is cheaper; a random sign keeps the histogram free of the
 * pairs artefact of LSB replacement.
 *
 * **Wet samples.** Samples in the `wet` set keep their value whatever the
 * message (cost +Infinity in the trellis). A decoy payload embedded with the
 * first payload's positions wet never disturbs the first: the first's
 * extractor reads exactly the bits it read before (wet-paper coding).
 *
 * **Only the cheapest dry.** With `dryFactor`, the hide also marks wet every
 * cover position but the cheapest dryFactor × m (ties kept): the changes
 * land among those anyway, and the trellis runs over them only. Should that
 * leave no solution, it embeds again with the whole cover dry.
 *
 * Positions are indices in the frame's eligible index space (the eligible
 * planes concatenated, `sample-order.ts`) and must be distinct.
 */
import type { FramePlanes } from './geometry.ts';
import type { Xorshift } from './prng.ts';
import type { EligibleSpace } from './sample-order.ts';
import type { SampleSet } from './sample-set.ts';
import { StcEmbedder, StcInfeasibleError, stcExtract, stcParams, type StcParams } from './stc/index.ts';

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
  /** Samples that must not change (for example everything a first payload's reveal reads). */
  readonly wet?: SampleSet | null;
  /**
   * Keep only the cheapest ceil(dryFactor × m) cover positions dry (at least;
   * ties are kept), the rest wet. Omitted: every position not in `wet` is dry.
   */
  readonly dryFactor?: number;
}

/** Buckets of the cost histogram: the top 16 bits of a positive Float32 (sign clear), +Infinity at 0x7f80. */
const COST_BUCKETS = 0x8000;

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
  /** The costs' bit patterns, for the histogram. */
  private rhoBits = new Uint32Array(0);
  private readonly histogram = new Uint32Array(COST_BUCKETS);

  constructor(params: StcParams = stcParams()) {
    this.params = params;
    this.stc = new StcEmbedder(params);
  }

  private ensure(n: number): void {
    if (this.cover.length < n) {
      this.cover = new Uint8Array(n);
      this.stego = new Uint8Array(n);
      this.rho = new Float32Array(n);
      this.rhoBits = new Uint32Array(this.rho.buffer);
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
   * @throws StcInfeasibleError when the wet samples leave no solution; the planes are then unchanged.
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
    this.gather(planes, space, costs, positions, options.wet ?? null, cover, rho);
    const dryLimit = options.dryFactor === undefined ? n : Math.ceil(options.dryFactor * message.length);
    // Throws before any sample changes.
    let result;
    if (dryLimit < n && this.keepCheapest(n, dryLimit)) {
      try {
        result = this.stc.embed(cover, rho, message, stego);
      } catch (e) {
        if (!(e instanceof StcInfeasibleError)) throw e;
        this.gather(planes, space, costs, positions, options.wet ?? null, cover, rho);
        result = this.stc.embed(cover, rho, message, stego);
      }
    } else {
      result = this.stc.embed(cover, rho, message, stego);
    }

    const { maxValue, rng } = options;
    const np = space.planeCount;
    const starts = space.starts;
    const ids = space.planes;
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

  /** The cover bits and costs at `positions`; +Infinity for samples in `wet`. */
  private gather(
    planes: FramePlanes,
    space: EligibleSpace,
    costs: readonly Float32Array[],
    positions: Uint32Array,
    wet: SampleSet | null,
    cover: Uint8Array,
    rho: Float32Array,
  ): void {
    const np = space.planeCount;
    const starts = space.starts;
    const frameStarts = space.frameStarts;
    const ids = space.planes;
    const wetBits = wet ? wet.bits : null;
    for (let j = 0; j < positions.length; j++) {
      const e = positions[j];
      let p = 0;
      while (p + 1 < np && e >= starts[p + 1]) p++;
      const k = e - starts[p];
      cover[j] = planes[ids[p]][k] & 1;
      let c = costs[ids[p]][k];
      if (wetBits) {
        const i = frameStarts[p] + k;
        if ((wetBits[i >>> 5] >>> (i & 31)) & 1) c = Infinity;
      }
      rho[j] = c;
    }
  }

  /**
   * Marks wet, in this.rho[0 .. n), every cost above the bucket that holds
   * the `keep`-th cheapest: at least `keep` stay dry, and within 1/128 of the
   * same cost. Positive Float32 values sort as their bit patterns do, so the
   * top 16 bits make a histogram without sorting. Returns whether it marked
   * any.
   */
  private keepCheapest(n: number, keep: number): boolean {
    const bits = this.rhoBits;
    const rho = this.rho;
    const hist = this.histogram;
    hist.fill(0);
    for (let j = 0; j < n; j++) hist[bits[j] >>> 16]++;
    let bucket = 0;
    for (let total = 0; bucket < COST_BUCKETS; bucket++) {
      total += hist[bucket];
      if (total >= keep) break;
    }
    if (bucket >= 0x7f80) return false; // the cheapest `keep` include wet ones already: nothing to gain
    let marked = false;
    for (let j = 0; j < n; j++) {
      if (bits[j] >>> 16 > bucket) {
        rho[j] = Infinity;
        marked = true;
      }
    }
    return marked;
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
