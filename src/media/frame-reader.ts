/**
 * A video opened for reading single frames by their index, in their own
 * pixel format: the reveal's and the before/after comparison's one way in.
 *
 * Where each frame starts: VidStega's FFV1 in Matroska has every frame in its
 * index, read from a few kilobytes; anything else (the original, a MOV, a
 * remux without an index) is counted packet by packet. A frame is then one
 * seek and one decode (FFV1 frames stand alone).
 */
import type { FramePlanes } from '../core/geometry.ts';
import { createDeviceFile } from './emscripten-devices.ts';
import type { FFmpegCore } from './ffmpeg-core-types.ts';
import { mountInput } from './input-mount.ts';
import { cueIndex } from './matroska-cues.ts';
import { planesOfRawFrame, rawFrameBytes } from './pixel-formats.ts';
import { parseProbe, type VideoInfo } from './probe.ts';
import { probeJson, probePackets } from './probe-run.ts';
import { readFrameArgs } from './reveal-commands.ts';
import { parseTimeBase, type TimeBase } from './segments.ts';

export interface FrameReader {
  /** What is inside, with the frame count from the frame times. */
  readonly info: VideoInfo;
  /** Where the video is mounted in the core. */
  readonly input: string;
  /** Each frame's start, in `tb` units, in order. */
  readonly pts: readonly number[];
  readonly tb: TimeBase;
  /** Frame `i`'s planes; valid until this reader's next call. */
  readFrame(i: number): FramePlanes;
}

/** Mounts `file` at `dir` in `core` and opens it for reading frames. */
export async function openFrameReader(core: FFmpegCore, file: Blob, dir = '/input'): Promise<FrameReader> {
  const input = mountInput(core, file, dir);
  // No packet count here: the frame times below give it, from the index when there is one.
  const json = probeJson(core, input, false);
  const { pts, tb } = await frameTimes(core, file, input, parseProbe(json, 1));
  const info = parseProbe(json, pts.length);
  const frameBytes = rawFrameBytes(info.geometry);
  // Each frame lands straight in this buffer (MEMFS would grow a file by copying).
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  const device = `${dir}.raw`;
  try {
    core.FS.unlink(device);
  } catch {
    // first reader of this directory in this core
  }
  createDeviceFile(core, device, {
    seekable: false,
    write: (bytes) => {
      if (filled + bytes.length > frameBytes) return false;
      frame.set(bytes, filled);
      filled += bytes.length;
      return true;
    },
  });
  return {
    info,
    input,
    pts,
    tb,
    readFrame(i: number): FramePlanes {
      filled = 0;
      const rc = core.exec(...readFrameArgs(input, device, pts[i], tb, info.startMicros));
      core.reset();
      if (rc !== 0 || filled !== frameBytes) throw new Error(`Frame ${i} of this video could not be read. The file may be damaged.`);
      return planesOfRawFrame(info.geometry, frame);
    },
  };
}

async function frameTimes(core: FFmpegCore, file: Blob, input: string, info: VideoInfo): Promise<{ pts: readonly number[]; tb: TimeBase }> {
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
