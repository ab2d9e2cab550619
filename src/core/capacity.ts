/**
 * Exact body capacity of a video, in O(number of ranges): no enumeration of
 * frames or samples, so a 4K, million-frame video costs the same as a GIF.
 *
 * Capacity in symbols = frames x eligible samples per frame, minus the
 * locator's luma samples (LOCATOR_SAMPLES in format v1, V2_LOCATOR_COVER in
 * v2) when the locator's frame f0 is among the body's frames and luma is
 * eligible (the body skips the locator's samples). This is exactly the
 * number of slots {@link bodyLayout} accepts.
 *
 * {@link payloadCapacity} adds the Reed-Solomon and GCM overheads: it is the
 * figure a person sees. {@link stealthCapacity} is the part of it that stays
 * within the stealth budget.
 */
import type { VideoGeometry } from './geometry.ts';
import { planeSize } from './geometry.ts';
import { rsEncodedLength, rsMaxDataLength } from './rs/index.ts';
import { GCM_TAG_BYTES } from './seal.ts';
import { mergeRanges, type FrameChoice } from './frame-ranges.ts';
import { LOCATOR_SAMPLES, autoFrameCount, densityLimit, eligibleSamplesPerFrame, symbolsForBytes, type PlaneMask } from './sample-order.ts';
import { STEALTH_DENSITY, V2_LOCATOR_COVER } from './adaptive-format.ts';
import { effectiveBitsPerSample, type Density, type EmbeddingMode } from './settings.ts';

/**
 * Body symbols (slots) a video holds.
 *
 * Automatic selection may use every frame, so f0 is always among them. For
 * ranges, f0 depends on the password: pass `locatorFrame` for the exact
 * figure; without it f0 is assumed to be in the ranges, so the figure is exact
 * or LOCATOR_SAMPLES symbols under, never over.
 *
 * Returns 0 when the luma plane cannot hold the locator (nothing can be
 * hidden) or no eligible plane exists. Ranges are merged; ones outside the
 * video are clipped to it (validation is the caller's: `checkFrameChoice`).
 */
export function symbolCapacity(
  g: VideoGeometry,
  planeMask: PlaneMask,
  bitsPerSample: 1 | 2,
  frames: FrameChoice = { kind: 'auto' },
  locatorFrame?: number,
  locatorSamples: number = LOCATOR_SAMPLES,
): number {
  void bitsPerSample; // a slot holds one symbol whatever its width; kept for a uniform signature
  if (g.planes.length === 0 || planeSize(g.planes[0]) < locatorSamples || !(g.frameCount >= 1)) return 0;
  const perFrame = eligibleSamplesPerFrame(g, planeMask);
  if (perFrame === 0) return 0;
  let frameTotal: number;
  let f0Included: boolean;
  if (frames.kind === 'auto') {
    frameTotal = g.frameCount;
    f0Included = true;
  } else {
    frameTotal = 0;
    f0Included = locatorFrame === undefined;
    for (const r of mergeRanges(frames.ranges)) {
      const start = Math.max(0, r.start);
      const end = Math.min(g.frameCount, r.start + r.count);
      if (end <= start) continue;
      frameTotal += end - start;
      if (locatorFrame !== undefined && locatorFrame >= start && locatorFrame < end) f0Included = true;
    }
    if (frameTotal === 0) return 0;
  }
  const lumaEligible = (planeMask & 1) !== 0;
  return frameTotal * perFrame - (lumaEligible && f0Included ? locatorSamples : 0);
}

/** Frames the body may use: all of them (automatic), or the ranges' frames inside the video. */
function framesAvailable(g: VideoGeometry, frames: FrameChoice): number {
  if (frames.kind === 'auto') return g.frameCount >= 1 ? g.frameCount : 0;
  let total = 0;
  for (const r of mergeRanges(frames.ranges)) total += Math.max(0, Math.min(g.frameCount, r.start + r.count) - Math.max(0, r.start));
  return total;
}

/**
 * Coded body bytes (after RS, before LSB) a video holds:
 * floor(symbolCapacity * bitsPerSample / 8). Same arguments and caveats as
 * {@link symbolCapacity}.
 */
export function bodyByteCapacity(
  g: VideoGeometry,
  planeMask: PlaneMask,
  bitsPerSample: 1 | 2,
  frames: FrameChoice = { kind: 'auto' },
  locatorFrame?: number,
  locatorSamples: number = LOCATOR_SAMPLES,
): number {
  return Math.floor((symbolCapacity(g, planeMask, bitsPerSample, frames, locatorFrame, locatorSamples) * bitsPerSample) / 8);
}

/** What the capacity figures read of a hide's settings. */
export interface CapacitySettings {
  readonly mode: EmbeddingMode;
  readonly planeMask: PlaneMask;
  readonly bitsPerSample: 1 | 2;
  readonly parityBytes: number;
  readonly frames: FrameChoice;
  /** Absent means `stealth`. */
  readonly density?: Density;
}

/** The container bytes (as stored) that `codedBytes` of body hold after Reed-Solomon and the GCM tag. */
function storedBytesIn(codedBytes: number, parityBytes: number): number {
  return Math.max(0, rsMaxDataLength(codedBytes, parityBytes) - GCM_TAG_BYTES);
}


/**
 * The most payload bytes (the container as stored, after compression) that
 * fit in this video with these settings, every overhead counted: the locator,
 * Reed-Solomon parity and the AES-GCM tag: the video's full capacity, which
 * density `full` may use. O(number of ranges): cheap enough for every
 * keystroke.
 */
export function payloadCapacity(g: VideoGeometry, settings: CapacitySettings, locatorFrame?: number): number {
  const adaptive = settings.mode === 'adaptive';
  const coded = bodyByteCapacity(
    g,
    settings.planeMask & ((1 << g.planes.length) - 1),
    effectiveBitsPerSample(settings),
    settings.frames,
    locatorFrame,
    adaptive ? V2_LOCATOR_COVER : LOCATOR_SAMPLES,
  );
  return storedBytesIn(coded, settings.parityBytes);
}

/**
 * The stealth budget: the most payload bytes (the container as stored) that
 * adaptive embedding hides with no frame above STEALTH_DENSITY coded bits
 * per eligible sample, every overhead counted; never more than
 * {@link payloadCapacity}. This is what density `stealth` accepts, exactly.
 * Null for LSB matching and replacement: residual steganalysis detects them
 * even at 0.05 bits per sample, so no budget keeps them hard to detect.
 * O(number of ranges).
 */
export function stealthCapacity(g: VideoGeometry, settings: CapacitySettings, locatorFrame?: number): number | null {
  if (settings.mode !== 'adaptive') return null;
  const planeMask = settings.planeMask & ((1 << g.planes.length) - 1);
  const full = payloadCapacity(g, settings, locatorFrame);
  const perFrame = eligibleSamplesPerFrame(g, planeMask);
  if (full === 0 || perFrame === 0) return 0;
  // N frames hold ceil(bits / N) <= limit each exactly when bits <= N · limit.
  const bits = framesAvailable(g, settings.frames) * densityLimit(perFrame, STEALTH_DENSITY);
  return Math.min(full, storedBytesIn(Math.floor(bits / 8), settings.parityBytes));
}

/**
 * What a hide with these settings accepts: the stealth budget with adaptive
 * embedding and density `stealth` (the default), the full capacity
 * otherwise. The figure the capacity meter compares a payload with.
 */
export function acceptedCapacity(g: VideoGeometry, settings: CapacitySettings, locatorFrame?: number): number {
  const full = payloadCapacity(g, settings, locatorFrame);
  if ((settings.density ?? 'stealth') !== 'stealth') return full;
  const budget = stealthCapacity(g, settings, locatorFrame);
  return budget === null ? full : Math.min(full, budget);
}

/**
 * The automatic body frame count of a payload of `storedBytes` (the
 * container as stored): format v2 fills frames up to the stealth budget,
 * v1 up to AUTO_DENSITY; all frames when that is not enough. The hide
 * records it; the meter counts carrier pictures with it.
 */
export function autoBodyFrames(g: VideoGeometry, settings: CapacitySettings, storedBytes: number): number {
  const planeMask = settings.planeMask & ((1 << g.planes.length) - 1);
  const bitsPerSample = effectiveBitsPerSample(settings);
  const symbols = symbolsForBytes(rsEncodedLength(storedBytes + GCM_TAG_BYTES, settings.parityBytes), bitsPerSample);
  return settings.mode === 'adaptive'
    ? autoFrameCount(g, planeMask, 1, symbols, STEALTH_DENSITY, V2_LOCATOR_COVER)
    : autoFrameCount(g, planeMask, bitsPerSample, symbols);
}
