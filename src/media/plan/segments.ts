/**
 * Splitting a video into ranges of frames that workers hide in side by side.
 * A range starts at a keyframe, so its worker can seek straight there and
 * decode without the frames before it.
 */
import { lowerBound } from '../../core/sorted.ts';
import { DISCARD, KEY, sliceTable, type PacketTable, type VideoPackets } from './packet-table.ts';
import { floorMicros, type TimeBase } from './time-base.ts';

/** One progress counter per segment, so a hide splits into at most this many. */
export const MAX_SEGMENTS = 64;

/**
 * Parallel segments: one per core, as memory allows (each pair holds an FFV1
 * encoder's heap), and no more than `limit` (JobOptions.maxSegments).
 */
export function segmentCount(width: number, height: number, cores: number, deviceMemoryGiB: number | undefined, limit = MAX_SEGMENTS): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`bad segment limit ${limit}`);
  const perPairMiB = 160 + (width * height * 260) / (1024 * 1024); // ~410 MB at 1080p, ~2.2 GB at 4K
  const budgetMiB = (deviceMemoryGiB ?? 4) * 1024 * 0.5;
  return Math.max(1, Math.min(cores, limit, MAX_SEGMENTS, Math.floor(budgetMiB / perPairMiB)));
}

/** One worker's share of the video. */
export interface Segment {
  /** Timestamp of the segment's first frame (a keyframe, or the video's first), in the stream's time base. */
  readonly startPts: number;
  /** Index of the segment's first frame in the whole video. */
  readonly firstFrame: number;
  /** Frames in the segment, as the packet list counts them. */
  readonly frames: number;
  /** Seek here (`-ss`, relative to the file's start); undefined for the first segment. */
  readonly seekMicros: number | undefined;
  /** Stop after this long (`-t`, from the segment's first frame); undefined for the last. */
  readonly durationMicros: number | undefined;
}

/**
 * Splits the video into at most `count` segments of about equal length, each
 * starting at a keyframe. Segments shorter than `minFrames` are not made: a
 * short clip stays in one piece.
 */
export function planSegments(packets: VideoPackets, tb: TimeBase, startMicros: number, count: number, minFrames = 24): Segment[] {
  const { pts, keyframes } = packets;
  const total = pts.length;
  const cuts: number[] = []; // frame indices where a segment starts (after the first)
  let k = 0;
  for (let s = 1; s < count; s++) {
    const target = Math.round((total * s) / count);
    // The keyframe nearest the target, past the last cut.
    let best: number | undefined;
    for (; k < keyframes.length; k++) {
      const index = lowerBound(pts, keyframes[k]);
      if (index <= (cuts.at(-1) ?? 0)) continue;
      if (best === undefined || Math.abs(index - target) <= Math.abs(best - target)) best = index;
      if (index >= target) break;
    }
    if (best !== undefined && best - (cuts.at(-1) ?? 0) >= minFrames && total - best >= minFrames) cuts.push(best);
  }
  const starts = [0, ...cuts];
  return starts.map((first, i) => {
    const next = starts[i + 1];
    const startPts = pts[first];
    return {
      startPts,
      firstFrame: first,
      frames: (next ?? total) - first,
      seekMicros: i === 0 ? undefined : floorMicros(startPts, tb) - startMicros,
      // Exact difference first, then rounded down: the next segment's first frame is always cut off.
      durationMicros: next === undefined ? undefined : floorMicros(pts[next] - startPts, tb),
    };
  });
}

/** One segment's packets in decode order, and the timestamps of its frames in presentation order. */
export interface SegmentPackets extends PacketTable {
  /** Sorted: the order frames come out of the decoder. */
  readonly framePts: Float64Array;
}

/**
 * The packets of `segments[i]`, when they can be decoded on their own and
 * give exactly the segment's frames: the segment starts at a keyframe packet,
 * no frame of it comes from a packet outside its run of packets (a closed
 * group of pictures), and nothing is marked for discarding. Undefined
 * otherwise: that segment is left to FFmpeg's decoder, which handles all of it.
 */
export function segmentPackets(t: PacketTable, segments: readonly Segment[], i: number, sortedPts: readonly number[]): SegmentPackets | undefined {
  const startOf = (s: Segment) => {
    for (let k = 0; k < t.pts.length; k++) if (t.pts[k] === s.startPts && t.flags[k] & KEY) return k;
    return -1;
  };
  const seg = segments[i];
  const start = startOf(seg);
  const end = i + 1 < segments.length ? startOf(segments[i + 1]) : t.pts.length;
  if (start < 0 || end < 0 || end <= start || end - start !== seg.frames) return undefined;
  const slice = sliceTable(t, start, end);
  if (slice.flags.some((f) => f & DISCARD)) return undefined;
  const framePts = slice.pts.slice().sort();
  for (let k = 0; k < seg.frames; k++) if (framePts[k] !== sortedPts[seg.firstFrame + k]) return undefined;
  return { ...slice, framePts };
}
