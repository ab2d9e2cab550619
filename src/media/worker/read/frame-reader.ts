/**
 * A video opened for reading single frames by their index, in their own
 * pixel format: the reveal's and the before/after comparison's one way in.
 * Where each frame starts comes from ./frame-times.ts; a frame is then one
 * seek and one decode (FFV1 frames stand alone).
 */
import { VidStegaError } from '../../../core/errors.ts';
import type { FramePlanes } from '../../../core/geometry.ts';
import { rawFrameBytes } from '../../../core/geometry.ts';
import { planesOfRawFrame } from '../../plan/pixel-formats.ts';
import type { TimeBase } from '../../plan/time-base.ts';
import { parseProbe, type VideoInfo } from '../../plan/video-info.ts';
import { readFrameArgs } from '../ffmpeg/commands.ts';
import type { EngineEnv } from '../env.ts';
import { createDeviceFile } from '../ffmpeg/devices.ts';
import { probeJson } from '../ffmpeg/ffprobe.ts';
import { mountInput } from '../ffmpeg/mounts.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { frameTimes } from './frame-times.ts';
import { checkWholeFile } from './whole-file.ts';

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

/** Mounts `file` at `dir` in the worker's core and opens it for reading frames. */
export async function openFrameReader(env: EngineEnv, file: Blob, dir = '/input'): Promise<FrameReader> {
  checkWholeFile(env.source(file));
  const core = await env.core();
  const input = mountInput(core, file, dir);
  // No packet count here: the frame times below give it, from the index when there is one.
  const json = probeJson(core, input, false);
  const probed = parseProbe(json, 1);
  const { pts, tb } = frameTimes(core, env.source(file), input, { codec: probed.video.codec, container: probed.container, timeBase: probed.video.timeBase });
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
      const rc = runFfmpeg(core, readFrameArgs(input, device, pts[i], tb, info.startMicros));
      if (rc !== 0 || filled !== frameBytes) throw new VidStegaError('video-damaged', { what: `Frame ${i} of this video could not be read` });
      return planesOfRawFrame(info.geometry, frame);
    },
  };
}
