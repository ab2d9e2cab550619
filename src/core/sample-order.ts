/**
 * Where the locator and the body go in a video (docs/FORMAT.md, "Where samples
 * go", "Locator", "Body"): which frames, which samples of each frame, and which
 * body symbol lands in which slot. Everything here is a pure function of a
 * seed and the video's geometry, so the extractor recomputes it from the
 * password alone.
 *
 * Index spaces:
 * - a frame's *eligible index space* is its eligible planes' samples
 *   concatenated in plane order, each plane row-major ({@link EligibleSpace});
 *   luma, when eligible, comes first, so a luma sample's eligible index is its
 *   index in the luma plane;
 * - a *slot* is a position in a frame's keyed sample order σ_f, not counting
 *   locator samples;
 * - *symbol* i is the i-th group of `bitsPerSample` bits of the coded body,
 *   most significant bit first.
 *
 * Every order is a {@link KeyedPermutation}, so the first k positions cost O(k)
 * whatever the video's size; nothing here enumerates a frame or a video.
 */
import { PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import { planeSize, type VideoGeometry } from './geometry.ts';
import { KeyedPermutation } from './keyed-permutation.ts';
import { checkRanges, mergeRanges, type FrameSelection } from './frame-ranges.ts';
import { indexOfSorted } from './sorted.ts';

/** Bytes of the locator after Reed-Solomon: one RS(236, 172) codeword. */
export const LOCATOR_BYTES = 236;
/** Luma samples holding the locator, one bit each. */
export const LOCATOR_SAMPLES = LOCATOR_BYTES * 8; // 1888
/** Automatic frame choice keeps at most this share of a frame's eligible samples carrying body symbols. */
export const AUTO_DENSITY = 1 / 8;

/**
 * Tweak of the frame orders (π_locator with the locator seed, π_body with the
 * body seed). Per-frame sample orders use tweak = frame index, and a video has
 * fewer than 2^32 - 1 frames, so this never collides with a frame's tweak.
 */
export const FRAME_ORDER_TWEAK = 0xffffffff;

/** Bit p set = plane p (0 = Y, 1 = U, 2 = V, 3 = alpha) may carry body symbols. */
export type PlaneMask = number;

export type { FrameSelection } from './frame-ranges.ts';

/** Samples of one frame in the planes of `planeMask` (bits beyond the geometry's planes are ignored). */
export function eligibleSamplesPerFrame(g: VideoGeometry, planeMask: PlaneMask): number {
  let n = 0;
  for (let p = 0; p < g.planes.length; p++) if (planeMask & (1 << p)) n += planeSize(g.planes[p]);
  return n;
}

/**
 * A frame's eligible index space: the eligible planes concatenated in plane
 * order. Precomputed once per video so mapping an index to (plane, offset) is
 * a scan of at most 4 starts.
 */
export interface EligibleSpace {
  /** Eligible samples per frame. */
  readonly size: number;
  /** Number of eligible planes. */
  readonly planeCount: number;
  /** Plane index (into the frame's planes) of each eligible plane, in order. */
  readonly planes: Uint8Array;
  /** Start of each eligible plane in the eligible index space, then `size` (length planeCount + 1). */
  readonly starts: Float64Array;
  /** Start of each eligible plane among all of a frame's samples, every plane concatenated in plane order (length planeCount). */
  readonly frameStarts: Float64Array;
}

/** The eligible index space of a geometry under a plane mask. */
export function eligibleSpace(g: VideoGeometry, planeMask: PlaneMask): EligibleSpace {
  const planes: number[] = [];
  const starts: number[] = [];
  const frameStarts: number[] = [];
  let size = 0;
  let frameAt = 0;
  for (let p = 0; p < g.planes.length; p++) {
    const n = planeSize(g.planes[p]);
    if (planeMask & (1 << p)) {
      planes.push(p);
      starts.push(size);
      frameStarts.push(frameAt);
      size += n;
    }
    frameAt += n;
  }
  starts.push(size);
  // Sample indices travel in Uint32Arrays.
  if (frameAt > 0xffffffff) throw new UnsupportedInputError("This video's frames are too large to process.");
  return { size, planeCount: planes.length, planes: Uint8Array.from(planes), starts: Float64Array.from(starts), frameStarts: Float64Array.from(frameStarts) };
}

function lumaSize(g: VideoGeometry): number {
  return g.planes.length > 0 ? planeSize(g.planes[0]) : 0;
}

/** Throws the plain "too small" error when the luma plane cannot hold a locator of `samples` luma samples. */
function checkLocatorFits(g: VideoGeometry, samples: number): void {
  const y = lumaSize(g);
  if (y < samples) {
    const p = g.planes[0];
    throw new UnsupportedInputError(
      `This video's frames are too small to hide anything in this way (${p ? `${p.width}x${p.height}` : 'no picture'}; ` +
        `at least ${samples} pixels per frame are needed).`,
    );
  }
}

/** Whether the luma plane holds a locator of `samples` luma samples. */
export function locatorFits(g: VideoGeometry, samples: number = LOCATOR_SAMPLES): boolean {
  return lumaSize(g) >= samples;
}

function checkFrameCount(g: VideoGeometry): void {
  if (!Number.isInteger(g.frameCount) || g.frameCount < 1 || g.frameCount >= FRAME_ORDER_TWEAK) {
    throw new UnsupportedInputError('This video has no frames VidStega can use.');
  }
}

/**
 * Frames listed cheapest first and found as they are asked for: an H.264
 * video's carrier candidates (src/media/plan/carriers.ts), which the hide and
 * the reveal list the same way from the video alone, reading no more of it
 * than the choices below need.
 */
export interface CandidateFrames {
  /** How many frames the list holds among its first `limit` (fewer only when the video has no more). */
  count(limit: number): number;
}

/**
 * Which frames the keyed choices pick from. `all`: every frame of the video
 * (the lossless copy, format v1 as it always was). A `CandidateFrames` list:
 * the choices keep to a prefix of it, so a hide decodes a little and a
 * reveal reads a little, while the password still decides which frames carry
 * data: the locator among the first {@link LOCATOR_POOL}, the body's N frames
 * among the first max({@link LOCATOR_POOL}, {@link BODY_POOL_FACTOR} × N).
 * The frame indices are positions in the list.
 */
export type FramePools = 'all' | CandidateFrames;

/** Frames the locator may be in when frames are listed cheapest first. */
export const LOCATOR_POOL = 16;
/** Times the body's frame count that the body's frames are chosen from, when frames are listed cheapest first. */
export const BODY_POOL_FACTOR = 4;

/** How many frames the locator's frame is chosen from. */
export function locatorPool(g: VideoGeometry, pools: FramePools): number {
  return pools === 'all' ? g.frameCount : Math.min(g.frameCount, pools.count(LOCATOR_POOL));
}

/** How many frames the body's `n` frames are chosen from. */
export function bodyPool(g: VideoGeometry, pools: FramePools, n: number): number {
  return pools === 'all' ? g.frameCount : Math.min(g.frameCount, pools.count(Math.max(LOCATOR_POOL, BODY_POOL_FACTOR * n)));
}

/** The locator's frame f0 = π_locator(0), over the frames of its pool. */
export function locatorFrame(seed: Uint8Array, g: VideoGeometry, pools: FramePools = 'all'): number {
  checkFrameCount(g);
  const pool = locatorPool(g, pools);
  if (pool < 1) throw new UnsupportedInputError('No picture of this video can carry data without changing others.');
  return new KeyedPermutation(seed, pool, FRAME_ORDER_TWEAK).at(0);
}

/**
 * The locator's luma sample indices in frame f0, in order:
 * σ_locator,f0(0 .. count - 1) over the luma plane. Format v1 reads the
 * first LOCATOR_SAMPLES, one bit each; format v2 codes the same bits over a
 * longer prefix of the same order (src/core/adaptive-format.ts), so one
 * read of f0 serves both. Throws {@link UnsupportedInputError} when the luma
 * plane is too small.
 *
 * @param frame f0 when already known (saves recomputing it).
 * @param count how many positions (LOCATOR_SAMPLES for format v1).
 */
export function locatorPositions(seed: Uint8Array, g: VideoGeometry, frame = locatorFrame(seed, g), count: number = LOCATOR_SAMPLES): Uint32Array {
  checkLocatorFits(g, count);
  const out = new Uint32Array(count);
  new KeyedPermutation(seed, lumaSize(g), frame).writeRange(0, count, out);
  return out;
}

/**
 * Automatic frame count N: the smallest N whose busiest frame carries at most
 * `density` of its eligible samples (ceil(symbols / N) <= max(1, floor(S ·
 * density)), S = eligible samples per frame; format v1 uses AUTO_DENSITY,
 * 1/8), raised if needed until N frames hold the symbols at full density
 * (the locator frame may be among them and loses `locatorSamples` slots when
 * luma is eligible), capped at all frames. When even all frames are not
 * enough, returns `frameCount`: capacity is checked elsewhere. The extractor
 * never calls this: the locator stores N.
 */
export function autoFrameCount(
  g: VideoGeometry,
  planeMask: PlaneMask,
  bitsPerSample: 1 | 2,
  symbolCount: number,
  density: number = AUTO_DENSITY,
  locatorSamples: number = LOCATOR_SAMPLES,
): number {
  void bitsPerSample; // symbols already account for bits per sample; kept so callers pass the full setting
  checkFrameCount(g);
  const s = eligibleSamplesPerFrame(g, planeMask);
  if (s === 0 || symbolCount <= 0) return 1;
  const perFrame = densityLimit(s, density);
  let n = Math.ceil(symbolCount / perFrame);
  const locatorSlots = planeMask & 1 ? locatorSamples : 0;
  n = Math.max(n, Math.ceil((symbolCount + locatorSlots) / s));
  return Math.min(Math.max(n, 1), g.frameCount);
}

/** The most symbols a frame of `samples` eligible samples carries at `density`: max(1, floor(samples · density)). */
export function densityLimit(samples: number, density: number): number {
  return Math.max(1, Math.floor(samples * density));
}

/**
 * The body's frames L, ascending. Automatic: the first N elements of
 * π_body (body seed, FRAME_ORDER_TWEAK), sorted. Ranges: their union, sorted,
 * without duplicates. Throws {@link UnsupportedInputError} for frames outside
 * the video.
 *
 * @param locatorFrame f0. The frame choice does not depend on it (f0 may be
 *   among the body's frames: it then holds fewer slots); it is only checked to
 *   be a frame of the video.
 */
export function bodyFrames(bodySeed: Uint8Array, locatorFrame: number, g: VideoGeometry, selection: FrameSelection, pools: FramePools = 'all'): Uint32Array {
  checkFrameCount(g);
  const fc = g.frameCount;
  if (!Number.isInteger(locatorFrame) || locatorFrame < 0 || locatorFrame >= fc) throw new RangeError(`bad locator frame ${locatorFrame}`);
  if (selection.kind === 'auto') {
    const n = selection.frameCount;
    if (!Number.isInteger(n) || n < 1 || n > fc) {
      throw new UnsupportedInputError(`Cannot use ${n} frames of a video that has ${fc}.`);
    }
    const out = new Uint32Array(n);
    const pool = bodyPool(g, pools, n);
    if (pool < n) throw new UnsupportedInputError(`Cannot use ${n} frames of a video that has ${pool}.`);
    new KeyedPermutation(bodySeed, pool, FRAME_ORDER_TWEAK).writeRange(0, n, out);
    return out.sort();
  }
  if (pools !== 'all') throw new UnsupportedInputError('Chosen frame ranges need the lossless copy: choose it under Output, or let VidStega choose the frames.');
  const ranges = selection.ranges;
  checkRanges(ranges, fc);
  const merged = mergeRanges(ranges);
  let total = 0;
  for (const r of merged) total += r.count;
  const out = new Uint32Array(total);
  let k = 0;
  for (const r of merged) for (let f = r.start; f < r.start + r.count; f++) out[k++] = f;
  return out;
}

/** Everything needed to place or find the body's symbols. */
export interface BodyLayout {
  /** Ascending frame indices L carrying the body. */
  readonly frames: Uint32Array;
  readonly bitsPerSample: 1 | 2;
  readonly planeMask: PlaneMask;
  /** Symbols of the coded body (bytes * 8 / bitsPerSample). */
  readonly symbolCount: number;
  /** The locator's frame f0. */
  readonly locatorFrame: number;
  /** Whether luma is eligible (the body then skips the locator's samples in f0). */
  readonly lumaEligible: boolean;
  /** Eligible samples per frame, S. */
  readonly slotsPerFrame: number;
  /** Slots f0 loses to the locator: its luma samples (LOCATOR_SAMPLES in v1) when f0 is in L and luma is eligible, else 0. */
  readonly locatorSlots: number;
  /** Index of f0 in `frames`, or -1 when f0 carries no body. */
  readonly locatorListIndex: number;
  /** The eligible index space of every frame. */
  readonly space: EligibleSpace;
}

/** Symbols in `bytes` coded body bytes. */
export function symbolsForBytes(bytes: number, bitsPerSample: 1 | 2): number {
  return (bytes * 8) / bitsPerSample;
}

/**
 * The body's layout. Throws {@link PayloadTooLargeError} (bytes needed,
 * bytes available) when the symbols do not fit the frames, so a wrong or
 * hostile length never yields out-of-range slots.
 *
 * @param frames from {@link bodyFrames}: ascending, distinct, in range.
 * @param locatorSamples luma samples of the locator in f0, which the body
 *   skips (LOCATOR_SAMPLES in format v1, its coded cover in v2).
 */
export function bodyLayout(
  frames: Uint32Array,
  g: VideoGeometry,
  planeMask: PlaneMask,
  bitsPerSample: 1 | 2,
  symbolCount: number,
  locatorFrame: number,
  locatorSamples: number = LOCATOR_SAMPLES,
): BodyLayout {
  if (bitsPerSample !== 1 && bitsPerSample !== 2) throw new RangeError(`bad bits per sample ${bitsPerSample}`);
  if (!Number.isInteger(symbolCount) || symbolCount < 0) throw new RangeError(`bad symbol count ${symbolCount}`);
  if (frames.length === 0) throw new UnsupportedInputError('Choose at least one frame, or let VidStega choose.');
  const space = eligibleSpace(g, planeMask);
  const lumaEligible = (planeMask & 1) !== 0 && g.planes.length > 0;
  const locatorListIndex = indexOfSorted(frames, locatorFrame);
  const locatorSlots = lumaEligible && locatorListIndex >= 0 ? locatorSamples : 0;
  const capacity = frames.length * space.size - locatorSlots;
  if (symbolCount > capacity) {
    throw new PayloadTooLargeError(Math.ceil((symbolCount * bitsPerSample) / 8), Math.floor((Math.max(0, capacity) * bitsPerSample) / 8));
  }
  return {
    frames,
    bitsPerSample,
    planeMask,
    symbolCount,
    locatorFrame,
    lumaEligible,
    slotsPerFrame: space.size,
    locatorSlots,
    locatorListIndex,
    space,
  };
}

/**
 * The body symbols of one frame, in slot order: slots 0 .. count1-1 hold
 * symbols `first1 + j * stride1`, then slots count1 .. count-1 hold
 * `first2 + j * stride2`. Two arithmetic progressions describe any frame, so
 * callers loop without per-symbol closures or index tables.
 */
export interface FrameSymbolPlan {
  /** Video frame index L[listIndex]. */
  readonly frameIndex: number;
  /** Slots used in this frame (count1 + count2). */
  readonly count: number;
  readonly first1: number;
  readonly stride1: number;
  readonly count1: number;
  readonly first2: number;
  readonly stride2: number;
  readonly count2: number;
}

/**
 * Which symbols land in frame L[listIndex] (FORMAT.md, "Body"). Phase 1:
 * symbol i goes to L[i mod N], slot floor(i / N), for the first N * S0
 * symbols (S0 = S - locatorSlots, the slots of the shortest frame). Phase 2,
 * once f0 is full: the remaining symbols go round-robin over the other N - 1
 * frames, in ascending order, from slot S0. Without locator slots phase 2 is
 * empty and this is the plain round-robin. O(1).
 */
export function frameSymbolPlan(layout: BodyLayout, listIndex: number): FrameSymbolPlan {
  const n = layout.frames.length;
  if (!Number.isInteger(listIndex) || listIndex < 0 || listIndex >= n) throw new RangeError(`bad frame list index ${listIndex}`);
  const s0 = layout.slotsPerFrame - layout.locatorSlots;
  const total = layout.symbolCount;
  const phase1 = Math.min(total, n * s0);
  const count1 = listIndex < phase1 ? Math.floor((phase1 - 1 - listIndex) / n) + 1 : 0;
  let first2 = 0;
  let stride2 = 0;
  let count2 = 0;
  const k0 = layout.locatorListIndex;
  if (layout.locatorSlots > 0 && listIndex !== k0 && total > n * s0) {
    const rest = total - n * s0;
    const k = listIndex < k0 ? listIndex : listIndex - 1; // position among the frames other than f0
    stride2 = n - 1;
    first2 = n * s0 + k;
    count2 = k < rest ? Math.floor((rest - 1 - k) / stride2) + 1 : 0;
  }
  return { frameIndex: layout.frames[listIndex], count: count1 + count2, first1: listIndex, stride1: n, count1, first2, stride2, count2 };
}

/**
 * The body's keyed sample order σ_body,f for the frames of one layout: slot s
 * of frame f is sample `σ_body,f(s)` over the eligible planes, skipping the
 * locator's samples in f0 when luma is eligible. What depends only on the
 * layout (the permutation's size, the locator's samples as a bit set) is
 * worked out once, in the constructor; a frame then costs its positions
 * only, and nothing is allocated per frame. Not thread-safe and not plain
 * data: each worker builds its own from the layout.
 */
export class BodySlotOrder {
  /** Eligible samples per frame: the permutation's size. */
  readonly size: number;
  readonly #sigma: KeyedPermutation;
  readonly #locatorFrame: number;
  /** Bit e set = eligible sample e holds a locator bit (luma is first in the space). Null when luma is not eligible. */
  readonly #locatorSamples: Uint32Array | null;
  readonly #locatorCount: number;

  /**
   * @param bodySeed the body-order seed (32 bytes).
   * @param layout the body's layout, for its eligible space and locator frame.
   * @param locatorPositions the locator's luma sample indices (any order).
   */
  constructor(bodySeed: Uint8Array, layout: BodyLayout, locatorPositions: Uint32Array) {
    this.size = layout.space.size;
    this.#locatorFrame = layout.locatorFrame;
    this.#sigma = new KeyedPermutation(bodySeed, this.size, 0);
    if (layout.lumaEligible && locatorPositions.length > 0) {
      const bits = new Uint32Array(Math.ceil(this.size / 32));
      for (let i = 0; i < locatorPositions.length; i++) {
        const e = locatorPositions[i];
        if (!(e < this.size)) throw new RangeError(`locator sample ${e} is outside the frame`);
        bits[e >>> 5] |= 1 << (e & 31);
      }
      let count = 0;
      for (let i = 0; i < bits.length; i++) {
        let w = bits[i];
        for (; w !== 0; w &= w - 1) count++;
      }
      this.#locatorSamples = bits;
      this.#locatorCount = count;
    } else {
      this.#locatorSamples = null;
      this.#locatorCount = 0;
    }
  }

  /**
   * Writes the eligible sample indices of slots 0 .. slotCount-1 of frame
   * `frameIndex` into `out`: σ_body,f (tweak = frameIndex) in order, without
   * the locator's samples when the frame is f0. O(slotCount).
   */
  slots(frameIndex: number, slotCount: number, out: Uint32Array): void {
    const bits = frameIndex === this.#locatorFrame ? this.#locatorSamples : null;
    const room = this.size - (bits ? this.#locatorCount : 0);
    if (!Number.isInteger(slotCount) || slotCount < 0 || slotCount > room || out.length < slotCount) {
      throw new RangeError(`slot count ${slotCount} out of range`);
    }
    if (slotCount === 0) return;
    const sigma = this.#sigma;
    sigma.setTweak(frameIndex);
    if (!bits) {
      sigma.writeRange(0, slotCount, out);
      return;
    }
    // The next elements of σ go after the slots filled so far; the locator's
    // samples among them are dropped, and the gap they leave is filled the same way.
    let filled = 0;
    let next = 0;
    while (filled < slotCount) {
      const want = slotCount - filled;
      sigma.writeRange(next, want, out, filled);
      next += want;
      let kept = filled;
      for (let j = filled; j < filled + want; j++) {
        const e = out[j];
        if ((bits[e >>> 5] >>> (e & 31)) & 1) continue;
        out[kept++] = e;
      }
      filled = kept;
    }
  }
}

/**
 * Copies the symbols of a frame's plan out of the coded body bytes (MSB
 * first) into `out[0 .. plan.count)`. Symbols beyond the body read as 0.
 * Allocates nothing.
 */
export function gatherSymbols(body: Uint8Array, bitsPerSample: 1 | 2, plan: FrameSymbolPlan, out: Uint8Array): void {
  const per = 8 / bitsPerSample; // symbols per byte
  const m = (1 << bitsPerSample) - 1;
  let o = 0;
  for (let phase = 0; phase < 2; phase++) {
    let i = phase === 0 ? plan.first1 : plan.first2;
    const stride = phase === 0 ? plan.stride1 : plan.stride2;
    const count = phase === 0 ? plan.count1 : plan.count2;
    for (let j = 0; j < count; j++, i += stride) {
      // Symbol indices can pass 2^32 in long videos: divide, don't shift.
      const b = Math.floor(i / per);
      const shift = (per - 1 - (i - b * per)) * bitsPerSample;
      out[o++] = b < body.length ? (body[b] >>> shift) & m : 0;
    }
  }
}

/**
 * Writes a frame's extracted symbols (`symbols[0 .. plan.count)`) back into
 * their places in the coded body bytes (MSB first). Symbols past the body's
 * end are dropped. Allocates nothing.
 */
export function scatterSymbols(symbols: Uint8Array, bitsPerSample: 1 | 2, plan: FrameSymbolPlan, body: Uint8Array): void {
  const per = 8 / bitsPerSample;
  const m = (1 << bitsPerSample) - 1;
  let o = 0;
  for (let phase = 0; phase < 2; phase++) {
    let i = phase === 0 ? plan.first1 : plan.first2;
    const stride = phase === 0 ? plan.stride1 : plan.stride2;
    const count = phase === 0 ? plan.count1 : plan.count2;
    for (let j = 0; j < count; j++, i += stride) {
      const b = Math.floor(i / per);
      const sym = symbols[o++];
      if (b >= body.length) continue;
      const shift = (per - 1 - (i - b * per)) * bitsPerSample;
      body[b] = (body[b] & ~(m << shift)) | ((sym & m) << shift);
    }
  }
}
