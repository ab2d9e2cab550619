/**
 * The video stream's packets as FFmpeg's demuxer lists them (ffprobe
 * `-show_entries packet=pts,size,pos,flags,data_hash -show_data_hash adler32
 * -of csv=p=0`, see src/media/worker/ffmpeg/commands.ts): timestamps and
 * keyframes for planning segments, and, in decode order, where each packet's
 * bytes lie in the file with a checksum of them. With the table a worker
 * reads a segment's compressed frames straight from the `File` and hands
 * them to the browser's own decoder (WebCodecs), checking each against what
 * FFmpeg's demuxer saw.
 */

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

/** The video stream's packets. */
export interface VideoPackets {
  /** Presentation timestamps in the stream's time base, sorted ascending. */
  readonly pts: readonly number[];
  /** Timestamps of keyframes, sorted ascending. */
  readonly keyframes: readonly number[];
  /** Every packet in decode order with where its bytes are, when every line of the listing gives it. */
  readonly table?: PacketTable;
}

/**
 * One listing line: `pts,flags`, or `pts,size,pos,flags,adler32:hash`.
 * Only packet lines match (the core's ffprobe keeps earlier calls' section
 * choices, so stream and format lines can appear too).
 */
const LINE = /^(-?\d+|N\/A),(?:(\d+),(\d+|N\/A),)?([K_][A-Z_]*)(?:,adler32:([0-9a-f]{8}))?\r?$/gm;

/** Reads ffprobe's packet listing. A packet without a timestamp counts for no frame time and leaves no table. */
export function parsePacketListing(csv: string): VideoPackets {
  const rows = [...csv.matchAll(LINE)];
  const n = rows.length;
  const t: PacketTable = { pts: new Float64Array(n), pos: new Float64Array(n), size: new Uint32Array(n), adler: new Uint32Array(n), flags: new Uint8Array(n) };
  let whole = n > 0;
  const pts: number[] = [];
  const keyframes: number[] = [];
  for (const [i, m] of rows.entries()) {
    const p = Number(m[1]);
    const key = m[4][0] === 'K';
    if (Number.isSafeInteger(p)) {
      pts.push(p);
      if (key) keyframes.push(p);
    }
    const pos = Number(m[3]);
    if (!Number.isSafeInteger(p) || m[2] === undefined || !Number.isSafeInteger(pos) || m[5] === undefined) {
      whole = false;
      continue;
    }
    t.pts[i] = p;
    t.pos[i] = pos;
    t.size[i] = Number(m[2]);
    t.adler[i] = parseInt(m[5], 16);
    t.flags[i] = (key ? KEY : 0) | (m[4].includes('D') ? DISCARD : 0);
  }
  pts.sort((a, b) => a - b);
  keyframes.sort((a, b) => a - b);
  return { pts, keyframes, ...(whole ? { table: t } : {}) };
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
