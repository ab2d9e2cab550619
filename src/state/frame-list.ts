/**
 * Reads the frames a person types, like "0-99, 150, 200-250": frame numbers
 * count from 0 and both ends of a range are included. Checking the frames
 * against a video is the core's job (`checkFrameChoice`); this only reads the
 * text, with plain messages for what it cannot read.
 */
import type { FrameRange } from '../core/frame-ranges.ts';

export type FrameListResult = { readonly ok: true; readonly ranges: FrameRange[] } | { readonly ok: false; readonly error: string };

const SINGLE = /^(\d+)$/;
const RANGE = /^(\d+)\s*[-–—]\s*(\d+)$/;

function shown(part: string): string {
  return part.length > 20 ? `${part.slice(0, 17)}...` : part;
}

/** Parses a frame list; the ranges come back in the order typed (the core merges overlaps). */
export function parseFrameList(text: string): FrameListResult {
  const parts = text
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) return { ok: false, error: 'Type the frames to use, like 0-99, 150, 200-250, or choose automatic.' };
  const ranges: FrameRange[] = [];
  for (const part of parts) {
    const single = SINGLE.exec(part);
    const range = single ? undefined : RANGE.exec(part);
    if (!single && !range) {
      return { ok: false, error: `“${shown(part)}” is not a frame number or a range like 10-20. Separate frames and ranges with commas.` };
    }
    const start = Number(single ? single[1] : range![1]);
    const end = Number(single ? single[1] : range![2]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
      return { ok: false, error: `“${shown(part)}” is far beyond any video's frames.` };
    }
    if (end < start) {
      return { ok: false, error: `In “${part}” the first frame comes after the last. Write the lower number first, like ${end}-${start}.` };
    }
    ranges.push({ start, count: end - start + 1 });
  }
  return { ok: true, ranges };
}

/** Writes ranges back as text, e.g. "0-99, 150". */
export function formatFrameList(ranges: readonly FrameRange[]): string {
  return ranges.map((r) => (r.count === 1 ? `${r.start}` : `${r.start}-${r.start + r.count - 1}`)).join(', ');
}
