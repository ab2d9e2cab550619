/**
 * Frame ranges: the one place that validates and merges a person's choice of
 * frames, for settings, layout, capacity and the locator alike.
 */
import { UnsupportedInputError } from './errors.ts';

/** Frames `start .. start + count - 1`. */
export interface FrameRange {
  readonly start: number;
  readonly count: number;
}

/** Which frames carry the body, as a person chooses it: automatic, or their own ranges. */
export type FrameChoice = { readonly kind: 'auto' } | { readonly kind: 'ranges'; readonly ranges: readonly FrameRange[] };

/** Which frames carry the body, as the locator record stores it. */
export type FrameSelection =
  /** The first `frameCount` frames of the keyed body frame order. */
  | { readonly kind: 'auto'; readonly frameCount: number }
  /** Explicit ranges: ascending, disjoint and not touching (see {@link mergeRanges}). */
  | { readonly kind: 'ranges'; readonly ranges: readonly FrameRange[] };

/** Ranges sorted by start with overlapping or touching ones merged. O(r log r). */
export function mergeRanges(ranges: readonly FrameRange[]): FrameRange[] {
  const sorted = ranges.filter((r) => r.count > 0).map((r) => ({ start: r.start, count: r.count })).sort((a, b) => a.start - b.start);
  const out: { start: number; count: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.start + last.count) {
      last.count = Math.max(last.count, r.start + r.count - last.start);
    } else out.push(r);
  }
  return out;
}

/** Throws, in plain words, unless every range is non-empty and inside a video of `frameCount` frames. */
export function checkRanges(ranges: readonly FrameRange[], frameCount: number): void {
  if (ranges.length === 0) throw new UnsupportedInputError('Choose at least one frame, or let VidStega choose.');
  for (const r of ranges) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.count) || r.start < 0 || r.count < 1 || r.start + r.count > frameCount) {
      throw new UnsupportedInputError(
        `Frames ${r.start}-${r.start + r.count - 1} are not all in this video, which has frames 0-${frameCount - 1}.`,
      );
    }
  }
}
