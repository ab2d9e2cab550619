/**
 * One payload's bits in one frame, both ways: where a hide writes a
 * placement's locator and body symbols into a frame, and how a reveal reads
 * them back (docs/FORMAT.md, "Locator", "Body", and their v2 sections).
 * src/core/stego.ts plans placements and calls these per frame; everything
 * here is synchronous, works on one frame's planes in place, and allocates
 * nothing per frame once its buffers have grown to the frame's size.
 *
 * Format v1: each slot carries one symbol by LSB matching or replacement.
 * Format v2: a frame's m_f message bits are syndrome-trellis coded over its
 * cover (the first n_f slots, src/core/adaptive-format.ts), the hide changing
 * the cheapest samples under HILL's costs of the frame as it came in.
 */
import { AdaptiveEmbedder } from './adaptive-embed.ts';
import { coverLength, HIDE_DRY_FACTOR, V2_LOCATOR_HEIGHT } from './adaptive-format.ts';
import { HillCost } from './embedding-cost.ts';
import type { FramePlanes, VideoGeometry } from './geometry.ts';
import type { FormatVersion } from './locator.ts';
import { embedSymbols, extractSymbols } from './lsb.ts';
import type { Xorshift } from './prng.ts';
import {
  BodySlotOrder,
  eligibleSpace,
  frameSymbolPlan,
  gatherSymbols,
  LOCATOR_SAMPLES,
  scatterSymbols,
  type BodyLayout,
  type EligibleSpace,
  type FrameSymbolPlan,
} from './sample-order.ts';
import { SampleSet } from './sample-set.ts';
import type { EmbeddingMode } from './settings.ts';
import { indexOfSorted } from './sorted.ts';
import { stcParams, stcSyndrome, stcLayout, type StcParams } from './stc/index.ts';

/**
 * Where one payload's reveal reads, and how: what a reveal knows once its
 * locator opened, and what a hide knows of each payload. Plain data.
 */
export interface PlacementShape {
  readonly formatVersion: FormatVersion;
  readonly layout: BodyLayout;
  readonly bodySeed: Uint8Array;
  /**
   * Luma sample indices of the locator in f0, in code order: LOCATOR_SAMPLES
   * (v1, one bit each) or V2_LOCATOR_COVER (v2, its coded cover). The body
   * skips them.
   */
  readonly locatorPositions: Uint32Array;
  /** v2: a frame's cover is min(dry slots, coverWidth · m_f) slots. Unused in v1. */
  readonly coverWidth: number;
  /** v2: constraint height of the body's code. Unused in v1. */
  readonly stcHeight: number;
}

/** One payload of a hide: its shape, and the bits that go there. Plain data: it structured-clones. */
export interface PayloadPlacement extends PlacementShape {
  readonly mode: EmbeddingMode;
  readonly locatorFrame: number;
  /** The sealed, RS-coded locator: LOCATOR_SAMPLES bits, one per entry. */
  readonly locatorBits: Uint8Array;
  /** The RS-coded, encrypted body. */
  readonly body: Uint8Array;
  /** Bytes of the container before compression, and as stored. */
  readonly containerBytes: number;
  readonly storedBytes: number;
}

/** What a frame's embedding needs besides the placement: shared by every placement of a hide. */
export interface FrameContext {
  readonly geometry: VideoGeometry;
  readonly maxValue: number;
  readonly rng: Xorshift;
  /** HILL costs of the frame as it came in (before any change), per plane; null when no v2 placement needs them. */
  readonly costs: readonly Float32Array[] | null;
  /** Samples that must keep their value (everything an earlier payload's reveal reads here), or null. */
  readonly wet: SampleSet | null;
}

/**
 * What every frame of one placement reuses: its slot order (built once from
 * the layout) and scratch buffers. Kept per layout object, so each worker,
 * holding its own structured clone of a plan, builds its own once.
 */
class PlacementWork {
  readonly order: BodySlotOrder;
  #idx = new Uint32Array(0);
  #syms = new Uint8Array(0);

  constructor(
    readonly bodySeed: Uint8Array,
    readonly locatorPositions: Uint32Array,
    layout: BodyLayout,
  ) {
    this.order = new BodySlotOrder(bodySeed, layout, locatorPositions);
  }

  /** Slots 0 .. count-1 of frame `frameIndex`, in a scratch buffer valid until the next call. */
  slots(frameIndex: number, count: number): Uint32Array {
    if (this.#idx.length < count) this.#idx = new Uint32Array(count);
    this.order.slots(frameIndex, count, this.#idx);
    return this.#idx.subarray(0, count);
  }

  /** A scratch buffer for `count` symbols, valid until the next call. */
  symbols(count: number): Uint8Array {
    if (this.#syms.length < count) this.#syms = new Uint8Array(count);
    return this.#syms.subarray(0, count);
  }
}

const workOf = new WeakMap<BodyLayout, PlacementWork>();

function placementWork(p: PlacementShape): PlacementWork {
  let w = workOf.get(p.layout);
  if (!w || w.bodySeed !== p.bodySeed || w.locatorPositions !== p.locatorPositions) {
    w = new PlacementWork(p.bodySeed, p.locatorPositions, p.layout);
    workOf.set(p.layout, w);
  }
  return w;
}

/**
 * This worker's coding tools, shared by every plan and frame (embedding is
 * synchronous, so one set serves them all in turn): HILL's scratch and cost
 * planes, one trellis embedder per constraint height, the least significant
 * bits of a cover, and a sample set for wet samples.
 */
class CodingTools {
  readonly hill = new HillCost();
  #costs: Float32Array[] = [];
  readonly #embedders = new Map<number, AdaptiveEmbedder>();
  #lsbs = new Uint8Array(0);
  #wet: SampleSet | null = null;

  /** HILL costs of every plane of the frame, in buffers valid until the next call. */
  costs(planes: FramePlanes, g: VideoGeometry): readonly Float32Array[] {
    return this.hill.frame(planes, g, this.#costs);
  }

  embedder(height: number): AdaptiveEmbedder {
    let e = this.#embedders.get(height);
    if (!e) {
      e = new AdaptiveEmbedder(stcParams(height));
      this.#embedders.set(height, e);
    }
    return e;
  }

  lsbs(count: number): Uint8Array {
    if (this.#lsbs.length < count) this.#lsbs = new Uint8Array(count);
    return this.#lsbs.subarray(0, count);
  }

  /** An empty sample set for frames of `frameSamples` samples. */
  emptySet(frameSamples: number): SampleSet {
    if (!this.#wet || this.#wet.frameSamples !== frameSamples) this.#wet = new SampleSet(frameSamples);
    else this.#wet.clear();
    return this.#wet;
  }
}

let tools: CodingTools | undefined;

/** The coding tools of this worker. */
export function codingTools(): CodingTools {
  tools ??= new CodingTools();
  return tools;
}

const lumaSpaces = new WeakMap<VideoGeometry, EligibleSpace>();

/** The luma plane as an index space: where the locator's positions live. */
function lumaSpace(g: VideoGeometry): EligibleSpace {
  let s = lumaSpaces.get(g);
  if (!s) {
    s = eligibleSpace(g, 1);
    lumaSpaces.set(g, s);
  }
  return s;
}

/** Whether the placement writes anything into frame `frameIndex`. */
export function placementTouches(p: PayloadPlacement, frameIndex: number): boolean {
  return frameIndex === p.locatorFrame || indexOfSorted(p.layout.frames, frameIndex) >= 0;
}

/** Whether embedding the placement into this frame needs the frame's HILL costs. */
export function placementNeedsCosts(p: PayloadPlacement, frameIndex: number): boolean {
  return p.formatVersion === 2 && placementTouches(p, frameIndex);
}

/**
 * Slots a body frame's reveal reads: its symbols' slots (v1), or its cover
 * (v2). `listIndex` is the frame's place in the layout.
 */
export function readSlotCount(p: PlacementShape, listIndex: number, fp: FrameSymbolPlan): number {
  return p.formatVersion === 2 ? coverLength(p.layout, listIndex, fp, p.coverWidth) : fp.count;
}

/**
 * Writes the placement's locator (when the frame is its f0) and body symbols
 * (when the frame is among its body frames) into the planes, in place.
 * Returns how many samples changed.
 *
 * @throws StcInfeasibleError (v2, with wet samples) when the wet samples leave
 *   the code no solution in this frame; the frame may then be partly written.
 */
export function embedPlacement(p: PayloadPlacement, frameIndex: number, planes: FramePlanes, ctx: FrameContext): number {
  return embedLocatorPart(p, frameIndex, planes, ctx) + embedBodyPart(p, frameIndex, planes, ctx);
}

/** {@link embedPlacement}'s locator part alone: nothing unless the frame is the placement's f0. */
export function embedLocatorPart(p: PayloadPlacement, frameIndex: number, planes: FramePlanes, ctx: FrameContext): number {
  if (frameIndex !== p.locatorFrame) return 0;
  const luma = lumaSpace(ctx.geometry);
  if (p.formatVersion === 1) {
    return embedSymbols(planes, luma, p.locatorPositions, p.locatorBits, LOCATOR_SAMPLES, 1, 'matching', ctx.maxValue, ctx.rng);
  }
  // 1888 bits over 7552 positions: small, so the whole cover stays dry.
  return codingTools()
    .embedder(V2_LOCATOR_HEIGHT)
    .embed(planes, luma, requireCosts(ctx), p.locatorPositions, p.locatorBits, { maxValue: ctx.maxValue, rng: ctx.rng, wet: ctx.wet }).changed;
}

/** {@link embedPlacement}'s body part alone: nothing unless the frame is one of the placement's body frames. */
export function embedBodyPart(p: PayloadPlacement, frameIndex: number, planes: FramePlanes, ctx: FrameContext): number {
  const k = indexOfSorted(p.layout.frames, frameIndex);
  if (k < 0) return 0;
  const fp = frameSymbolPlan(p.layout, k);
  if (fp.count === 0) return 0;
  const w = placementWork(p);
  const bits = w.symbols(fp.count);
  gatherSymbols(p.body, p.layout.bitsPerSample, fp, bits);
  if (p.formatVersion === 1) {
    const mode = p.mode === 'adaptive' ? 'matching' : p.mode;
    return embedSymbols(planes, p.layout.space, w.slots(frameIndex, fp.count), bits, fp.count, p.layout.bitsPerSample, mode, ctx.maxValue, ctx.rng);
  }
  const cover = w.slots(frameIndex, coverLength(p.layout, k, fp, p.coverWidth));
  return codingTools().embedder(p.stcHeight).embed(planes, p.layout.space, requireCosts(ctx), cover, bits, {
    maxValue: ctx.maxValue,
    rng: ctx.rng,
    wet: ctx.wet,
    dryFactor: HIDE_DRY_FACTOR,
  }).changed;
}

function requireCosts(ctx: FrameContext): readonly Float32Array[] {
  if (!ctx.costs) throw new Error('adaptive embedding without costs');
  return ctx.costs;
}

/** The placement's locator cover (luma samples of its f0), added to `set`. */
export function addLocatorSamples(p: PlacementShape, g: VideoGeometry, set: SampleSet): void {
  set.addPositions(lumaSpace(g), p.locatorPositions);
}

/**
 * Every sample the placement's reveal reads in frame `frameIndex` (its
 * locator's cover in f0, its body's read slots in a body frame), added to
 * `set`: what a later payload in the same frame must leave wet.
 */
export function addReadSamples(p: PlacementShape & { readonly locatorFrame: number }, g: VideoGeometry, frameIndex: number, set: SampleSet): void {
  if (frameIndex === p.locatorFrame) addLocatorSamples(p, g, set);
  const k = indexOfSorted(p.layout.frames, frameIndex);
  if (k < 0) return;
  const fp = frameSymbolPlan(p.layout, k);
  const n = readSlotCount(p, k, fp);
  if (n > 0) set.addPositions(p.layout.space, placementWork(p).slots(frameIndex, n), n);
}

/**
 * Reads the body symbols frame `frameIndex` carries into `out[0 .. count)`,
 * in slot order (one bit per entry in v2). RangeError for a frame outside
 * the body.
 */
export function readBodyFrame(p: PlacementShape, frameIndex: number, planes: FramePlanes, out: Uint8Array): FrameSymbolPlan {
  const k = indexOfSorted(p.layout.frames, frameIndex);
  if (k < 0) throw new RangeError(`frame ${frameIndex} carries no body`);
  const fp = frameSymbolPlan(p.layout, k);
  if (out.length < fp.count) throw new RangeError('readBodyFrame: output too small');
  if (fp.count === 0) return fp;
  const w = placementWork(p);
  if (p.formatVersion === 1) {
    extractSymbols(planes, p.layout.space, w.slots(frameIndex, fp.count), fp.count, p.layout.bitsPerSample, out);
    return fp;
  }
  const n = coverLength(p.layout, k, fp, p.coverWidth);
  const lsbs = codingTools().lsbs(n);
  extractSymbols(planes, p.layout.space, w.slots(frameIndex, n), n, 1, lsbs);
  stcSyndrome(stcLayoutFor(n, fp.count, p.stcHeight), lsbs, out);
  return fp;
}

/** The code of a v2 body frame (layouts are cheap: the submatrices are memoised). */
function stcLayoutFor(n: number, m: number, height: number): ReturnType<typeof stcLayout> {
  const params: StcParams = stcParams(height);
  return stcLayout(n, m, params);
}

/** Reads frame `frameIndex`'s body symbols straight into `body` (the reveal's coded body). */
export function readBodyFrameInto(p: PlacementShape, frameIndex: number, planes: FramePlanes, body: Uint8Array): void {
  const k = indexOfSorted(p.layout.frames, frameIndex);
  if (k < 0) throw new RangeError(`frame ${frameIndex} carries no body`);
  const syms = placementWork(p).symbols(frameSymbolPlan(p.layout, k).count);
  const fp = readBodyFrame(p, frameIndex, planes, syms);
  scatterSymbols(syms, p.layout.bitsPerSample, fp, body);
}
