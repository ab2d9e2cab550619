/**
 * Splitting a video into ranges of frames that workers hide in side by side.
 * A range starts at a keyframe, so its worker can seek straight there and
 * decode without the frames before it. Times are exact integers: packet
 * timestamps in the stream's time base, and microseconds for FFmpeg options.
 */
import { parsePacketTable, type PacketTable } from './packet-table.ts';

/** The video stream's packets, as ffprobe lists them. */
export interface VideoPackets {
  /** Presentation timestamps in the stream's time base, sorted ascending. */
  readonly pts: readonly number[];
  /** Timestamps of keyframes, sorted ascending. */
  readonly keyframes: readonly number[];
  /** Every packet in decode order with where its bytes are, when the listing gives it. */
  readonly table?: PacketTable;
}

/**
 * Parses `ffprobe -select_streams v:0 -show_entries packet=pts,flags -of csv=p=0`,
 * or the fuller listing of {@link videoPacketArgs} (which adds size, position and an Adler-32).
 */
export function parseVideoPackets(csv: string): VideoPackets {
  const pts: number[] = [];
  const keyframes: number[] = [];
  // Only packet lines. (The core's ffprobe keeps earlier calls' section
  // choices, so stream and format lines can appear too.)
  for (const m of csv.matchAll(/^(-?\d+),(?:\d+,(?:\d+|N\/A),)?([K_][A-Z_]*)(?:,adler32:[0-9a-f]{8})?\r?$/gm)) {
    const v = Number(m[1]);
    if (!Number.isSafeInteger(v)) continue;
    pts.push(v);
    if (m[2].startsWith('K')) keyframes.push(v);
  }
  const table = csv.includes(',adler32:') ? parsePacketTable(csv) : undefined;
  pts.sort((a, b) => a - b);
  keyframes.sort((a, b) => a - b);
  return { pts, keyframes, ...(table && table.pts.length === pts.length ? { table } : {}) };
}

export function videoPacketArgs(input: string, output: string): string[] {
  return ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,size,pos,flags,data_hash', '-show_data_hash', 'adler32', '-of', 'csv=p=0', '-o', output, input];
}

/** A time base such as "1/30000". */
export interface TimeBase {
  readonly num: number;
  readonly den: number;
}

export function parseTimeBase(tb: string): TimeBase {
  const [num, den] = tb.split('/').map(Number);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) throw new Error(`bad time base ${tb}`);
  return { num, den };
}

/** `pts` in microseconds, rounded down (exact integer arithmetic). */
export function floorMicros(pts: number, tb: TimeBase): number {
  const us = (BigInt(pts) * BigInt(tb.num) * 1_000_000n) / BigInt(tb.den);
  // BigInt division truncates toward zero; floor for negative times.
  const exact = BigInt(pts) * BigInt(tb.num) * 1_000_000n === us * BigInt(tb.den);
  return Number(pts < 0 && !exact ? us - 1n : us);
}

/** `pts` in milliseconds, rounded to nearest, halves away from zero: as FFmpeg rescales into Matroska's time base. */
export function roundMillis(pts: number, tb: TimeBase): number {
  const num = BigInt(pts) * BigInt(tb.num) * 1000n;
  const den = BigInt(tb.den);
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return Number(neg ? -q : q);
}

/** Microseconds as the decimal seconds FFmpeg parses exactly, e.g. 3003000 → "3.003000". */
export function microsToSeconds(us: number): string {
  const sign = us < 0 ? '-' : '';
  const a = Math.abs(us);
  return `${sign}${Math.floor(a / 1e6)}.${String(a % 1e6).padStart(6, '0')}`;
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

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
