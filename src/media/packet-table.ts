/**
 * The video stream's packets in the order the file stores them (decode
 * order): timestamp, byte position and size in the file, keyframe and discard
 * flags, and a checksum of the bytes. With it a worker reads a segment's
 * compressed frames straight from the `File` and hands them to the browser's
 * own decoder (WebCodecs), checking each against what FFmpeg's demuxer saw.
 */
import type { Segment } from './segments.ts';

export interface PacketTable {
  /** Presentation timestamps in the stream's time base. */
  readonly pts: Float64Array;
  /** Byte offset of each packet's data in the file. */
  readonly pos: Float64Array;
  readonly size: Uint32Array;
  /** Adler-32 of each packet's data. */
  readonly adler: Uint32Array;
  /** Bit 0: keyframe; bit 1: to be decoded but not shown (an edit list's discard). */
  readonly flags: Uint8Array;
}

export const KEY = 1;
export const DISCARD = 2;

/**
 * Reads `ffprobe -show_entries packet=pts,size,pos,flags,data_hash
 * -show_data_hash adler32 -of csv=p=0` lines. Undefined when any packet
 * lacks a timestamp or a position: such a file is decoded by FFmpeg alone.
 */
export function parsePacketTable(csv: string): PacketTable | undefined {
  const rows = [...csv.matchAll(/^(-?\d+|N\/A),(\d+),(\d+|N\/A),([K_][A-Z_]*),adler32:([0-9a-f]{8})\r?$/gm)];
  const n = rows.length;
  const t: PacketTable = {
    pts: new Float64Array(n),
    pos: new Float64Array(n),
    size: new Uint32Array(n),
    adler: new Uint32Array(n),
    flags: new Uint8Array(n),
  };
  for (const [i, m] of rows.entries()) {
    const pts = Number(m[1]);
    const pos = Number(m[3]);
    if (!Number.isSafeInteger(pts) || !Number.isSafeInteger(pos)) return undefined;
    t.pts[i] = pts;
    t.pos[i] = pos;
    t.size[i] = Number(m[2]);
    t.adler[i] = parseInt(m[5], 16);
    t.flags[i] = (m[4][0] === 'K' ? KEY : 0) | (m[4].includes('D') ? DISCARD : 0);
  }
  return t;
}

/** One segment's packets in decode order, and the timestamps of its frames in presentation order. */
export interface SegmentPackets extends PacketTable {
  /** Sorted: the order frames come out of the decoder. */
  readonly framePts: Float64Array;
}

/** Packets `start` to `end` (exclusive) of the table. */
export function sliceTable(t: PacketTable, start: number, end: number): PacketTable {
  return {
    pts: t.pts.slice(start, end),
    pos: t.pos.slice(start, end),
    size: t.size.slice(start, end),
    adler: t.adler.slice(start, end),
    flags: t.flags.slice(start, end),
  };
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

/** Adler-32, as FFmpeg's `adler32` data hash reports it. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + 5552); // the most bytes before b can overflow 2^32
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
