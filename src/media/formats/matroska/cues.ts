/**
 * Frame times of a Matroska file from its index (Cues), read without
 * touching the clusters. VidStega writes FFV1 with every frame a keyframe,
 * and Matroska muxers (FFmpeg's, mkvmerge's) index every video keyframe, so
 * the cue points are the frames: a reveal learns the frame count and where
 * each frame starts from a few kilobytes of the file, however long it is.
 */
import type { ByteSource } from '../byte-source.ts';

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
} as const;

interface Element {
  id: number;
  /** Offset of the element's data. */
  data: number;
  size: number;
  /** Offset just past the element. */
  end: number;
}

function readVint(b: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } | undefined {
  if (at >= b.length || b[at] === 0) return undefined;
  const length = Math.clz32(b[at]) - 23;
  if (at + length > b.length) return undefined;
  let value = keepMarker ? b[at] : b[at] & (0xff >> length);
  for (let k = 1; k < length; k++) value = value * 256 + b[at + k];
  return { value, length };
}

function readElement(b: Uint8Array, at: number): Element | undefined {
  const id = readVint(b, at, true);
  if (!id) return undefined;
  const size = readVint(b, at + id.length, false);
  if (!size) return undefined;
  const data = at + id.length + size.length;
  return { id: id.value, data, size: size.value, end: data + size.value };
}

function readUint(b: Uint8Array, e: Element): number {
  let v = 0;
  for (let k = e.data; k < e.end; k++) v = v * 256 + b[k];
  return v;
}

function* children(b: Uint8Array, from: number, to: number): Generator<Element> {
  for (let at = from; at < to; ) {
    const e = readElement(b, at);
    if (!e || e.end > to) return;
    yield e;
    at = e.end;
  }
}

/**
 * Where the file's Segment says it ends, in bytes from the start; undefined
 * when the file is not Matroska or the Segment's size is unknown (as a live
 * recording writes it). A file shorter than this was cut short.
 */
export function matroskaSegmentEnd(file: ByteSource): number | undefined {
  const head = file.read(0, Math.min(file.size, 4096));
  const ebml = readElement(head, 0);
  if (!ebml || ebml.id !== ID.EBML) return undefined;
  const segment = readElement(head, ebml.end);
  if (!segment || segment.id !== ID.Segment) return undefined;
  const sizeLength = segment.data - ebml.end - 4; // the Segment's ID is 4 bytes
  if (segment.size === 2 ** (7 * sizeLength) - 1) return undefined; // all ones: unknown size
  return segment.end;
}

export interface CueIndex {
  /** Cue times of the first video track, ascending, in timecode units. */
  readonly times: number[];
  /** Nanoseconds per timecode unit (1,000,000: milliseconds, FFmpeg's choice). */
  readonly timecodeScaleNs: number;
}

/** The first video track's cue times; undefined when the file is not Matroska or has no index in its seek head. */
export function cueIndex(file: ByteSource): CueIndex | undefined {
  const head = file.read(0, Math.min(file.size, 256 * 1024));
  const ebml = readElement(head, 0);
  if (!ebml || ebml.id !== ID.EBML) return undefined;
  const segment = readElement(head, ebml.end);
  if (!segment || segment.id !== ID.Segment) return undefined;
  let cuesAt: number | undefined;
  let timecodeScaleNs = 1_000_000;
  let videoTrack: number | undefined;
  for (const e of children(head, segment.data, head.length)) {
    if (e.id === ID.SeekHead) {
      for (const seek of children(head, e.data, e.end)) {
        let id = 0;
        let pos: number | undefined;
        for (const f of children(head, seek.data, seek.end)) {
          if (f.id === ID.SeekID) id = readUint(head, f);
          if (f.id === ID.SeekPosition) pos = readUint(head, f);
        }
        if (seek.id === ID.Seek && id === ID.Cues && pos !== undefined) cuesAt = segment.data + pos;
      }
    } else if (e.id === ID.Info) {
      for (const f of children(head, e.data, e.end)) if (f.id === ID.TimecodeScale) timecodeScaleNs = readUint(head, f);
    } else if (e.id === ID.Tracks) {
      for (const t of children(head, e.data, e.end)) {
        let number: number | undefined;
        let type: number | undefined;
        for (const f of children(head, t.data, t.end)) {
          if (f.id === ID.TrackNumber) number = readUint(head, f);
          if (f.id === ID.TrackType) type = readUint(head, f);
        }
        if (t.id === ID.TrackEntry && type === 1 && videoTrack === undefined) videoTrack = number;
      }
    }
  }
  if (cuesAt === undefined || videoTrack === undefined) return undefined;
  if (cuesAt + 16 > file.size) return undefined;
  const cues = readElement(file.read(cuesAt, 16), 0);
  if (!cues || cues.id !== ID.Cues) return undefined;
  if (cuesAt + cues.end > file.size) return undefined;
  const body = file.read(cuesAt + cues.data, cues.size);
  const times: number[] = [];
  for (const point of children(body, 0, body.length)) {
    if (point.id !== ID.CuePoint) continue;
    let time: number | undefined;
    let ours = false;
    for (const f of children(body, point.data, point.end)) {
      if (f.id === ID.CueTime) time = readUint(body, f);
      if (f.id === ID.CueTrackPositions) {
        for (const g of children(body, f.data, f.end)) if (g.id === ID.CueTrack && readUint(body, g) === videoTrack) ours = true;
      }
    }
    if (ours && time !== undefined) times.push(time);
  }
  times.sort((a, b) => a - b);
  return { times, timecodeScaleNs };
}
