/**
 * The shape of a hide, independent of where its steps run: plan the payload
 * for the video's frame count, run every segment (decode → change the frames
 * that carry data → FFV1), check that the segments cover the video exactly,
 * then join them. The browser runs segments in parallel workers; the Node
 * tests run the same steps one after another.
 *
 * Packet counts are not always frame counts (VP8 hidden frames, edit lists).
 * The segments report the frames they really had; when that differs from the
 * plan, the hide runs again laid out over the true count, which the segments
 * have now measured. Nothing half-right is ever written as the result.
 */
import { VidStegaError } from '../../core/errors.ts';
import type { VideoGeometry } from '../../core/geometry.ts';
import type { HidePlan } from '../../core/stego.ts';
import type { Segment } from './segments.ts';
import { roundMillis, type TimeBase } from './time-base.ts';

/** What one segment's run reports. */
export interface SegmentOutcome {
  readonly frames: number;
}

export interface HideRun<T extends SegmentOutcome> {
  readonly segments: readonly Segment[];
  readonly outcomes: readonly T[];
  readonly plan: HidePlan;
}

/**
 * Runs the segments with a plan for the video's frame count, and again over
 * the measured count when the packet list was wrong about it.
 */
export async function runSegments<T extends SegmentOutcome>(
  geometry: VideoGeometry,
  segments: readonly Segment[],
  planFor: (g: VideoGeometry) => Promise<HidePlan>,
  runAll: (segments: readonly Segment[], plan: HidePlan) => Promise<T[]>,
): Promise<HideRun<T>> {
  let current = segments;
  for (let attempt = 0; attempt < 2; attempt++) {
    const frameCount = current.reduce((n, s) => n + s.frames, 0);
    const plan = await planFor({ ...geometry, frameCount });
    const outcomes = await runAll(current, plan);
    checkFramesFound(outcomes);
    if (outcomes.every((o, i) => o.frames === current[i].frames)) return { segments: current, outcomes, plan };
    // Same cuts, true counts.
    let first = 0;
    current = current.map((s, i) => {
      const next = { ...s, firstFrame: first, frames: outcomes[i].frames };
      first += outcomes[i].frames;
      return next;
    });
  }
  throw new VidStegaError('unsupported-input', { reason: 'The frames of this video could not be counted the same way twice. Try again, or convert the video to H.264 first.' });
}

function checkFramesFound(outcomes: readonly SegmentOutcome[]): void {
  for (const [i, o] of outcomes.entries()) {
    if (o.frames === 0) throw new VidStegaError('video-damaged', { what: `A part of this video (part ${i + 1}) had no frames that could be decoded` });
  }
}

/**
 * Milliseconds from each segment's first frame to the next one's, as the
 * encoded segments store them (Matroska counts milliseconds): what the joiner needs.
 */
export function segmentDurationsMs(segments: readonly Segment[], tb: TimeBase): number[] {
  return segments.slice(0, -1).map((s, i) => roundMillis(segments[i + 1].startPts, tb) - roundMillis(s.startPts, tb));
}
