/**
 * Exact body capacity of a video, in O(number of ranges): no enumeration of
 * frames or samples, so a 4K, million-frame video costs the same as a GIF.
 *
 * Capacity in symbols = frames x eligible samples per frame, minus
 * LOCATOR_SAMPLES when the locator's frame f0 is among the body's frames and
 * luma is eligible (the body skips the locator's samples). This is exactly the
 * number of slots {@link bodyLayout} accepts.
 *
 * {@link payloadCapacity} adds the Reed-Solomon and GCM overheads: it is the
 * figure a person sees.
 */
import type { VideoGeometry } from './geometry.ts';
import { planeSize } from './geometry.ts';
import { rsMaxDataLength } from './rs/index.ts';
import { GCM_TAG_BYTES } from './seal.ts';
import { mergeRanges, type FrameChoice } from './frame-ranges.ts';
import { LOCATOR_SAMPLES, eligibleSamplesPerFrame, type PlaneMask } from './sample-order.ts';

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
): number {
  void bitsPerSample; // a slot holds one symbol whatever its width; kept for a uniform signature
  if (g.planes.length === 0 || planeSize(g.planes[0]) < LOCATOR_SAMPLES || !(g.frameCount >= 1)) return 0;
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
  return frameTotal * perFrame - (lumaEligible && f0Included ? LOCATOR_SAMPLES : 0);
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
): number {
  return Math.floor((symbolCapacity(g, planeMask, bitsPerSample, frames, locatorFrame) * bitsPerSample) / 8);
}


/**
 * The most payload bytes (the container as stored, after compression) that
 * fit in this video with these settings, every overhead counted: the locator,
 * Reed-Solomon parity and the AES-GCM tag. O(number of ranges): cheap enough
 * for every keystroke.
 */
export function payloadCapacity(
  g: VideoGeometry,
  settings: { readonly planeMask: PlaneMask; readonly bitsPerSample: 1 | 2; readonly parityBytes: number; readonly frames: FrameChoice },
  locatorFrame?: number,
): number {
  const coded = bodyByteCapacity(g, settings.planeMask & ((1 << g.planes.length) - 1), settings.bitsPerSample, settings.frames, locatorFrame);
  return Math.max(0, rsMaxDataLength(coded, settings.parityBytes) - GCM_TAG_BYTES);
}
