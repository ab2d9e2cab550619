/**
 * Where each frame of a video starts, for reading single frames by index.
 * VidStega's FFV1 in Matroska has every frame in its index, read from a few
 * kilobytes; anything else (the original, a MOV, a remux without an index)
 * is counted packet by packet.
 */
import type { FFmpegCore } from './ffmpeg-core-types.ts';
import { cueIndex } from './matroska-cues.ts';
import type { VideoInfo } from './probe.ts';
import { probePackets } from './probe-run.ts';
import { parseTimeBase, type TimeBase } from './segments.ts';

export interface FrameTimes {
  /** Each frame's start, in `tb` units, in order. */
  readonly pts: readonly number[];
  readonly tb: TimeBase;
}

/** Frame times of `file`, mounted at `input` in `core`. */
export async function frameTimes(core: FFmpegCore, file: Blob, input: string, info: VideoInfo): Promise<FrameTimes> {
  if (info.video.codec === 'ffv1' && info.container.includes('matroska')) {
    const index = await cueIndex(file);
    if (index && index.times.length > 0) {
      const g = gcd(index.timecodeScaleNs, 1e9);
      return { pts: index.times, tb: { num: index.timecodeScaleNs / g, den: 1e9 / g } };
    }
  }
  return { pts: probePackets(core, input).pts, tb: parseTimeBase(info.video.timeBase) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
