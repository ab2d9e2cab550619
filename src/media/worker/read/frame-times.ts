/**
 * Where each frame of a video starts, and so how many frames it has: the one
 * way the engine counts a file's frames (the joiner counting what it wrote,
 * the reveal and the comparison opening a video). VidStega's FFV1 in
 * Matroska lists every frame in its index, read from a few kilobytes; any
 * other file is listed packet by packet.
 */
import type { ByteSource } from '../../formats/byte-source.ts';
import { cueIndex } from '../../formats/matroska/cues.ts';
import { parseTimeBase, type TimeBase } from '../../plan/time-base.ts';
import type { Core } from '../ffmpeg/core-types.ts';
import { probePackets } from '../ffmpeg/ffprobe.ts';

export interface FrameTimes {
  /** Each frame's start, in `tb` units, ascending. */
  readonly pts: readonly number[];
  readonly tb: TimeBase;
}

/** The frame times of `file`, mounted in `core` at `input`; `codec`, `container` and `timeBase` as ffprobe reports them. */
export function frameTimes(core: Core, file: ByteSource, input: string, stream: { codec: string; container: string; timeBase: string }): FrameTimes {
  if (stream.codec === 'ffv1' && stream.container.includes('matroska')) {
    const index = cueIndex(file);
    if (index && index.times.length > 0) {
      const g = gcd(index.timecodeScaleNs, 1e9);
      return { pts: index.times, tb: { num: index.timecodeScaleNs / g, den: 1e9 / g } };
    }
  }
  return { pts: probePackets(core, input).pts, tb: parseTimeBase(stream.timeBase) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
