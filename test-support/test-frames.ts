/**
 * Real frames for the steganalysis tests, without native tools: the raw
 * foreman frames of the shared corpus (never lossy-coded, no decoder needed)
 * and the first frames of the test fixtures, decoded by the ffmpeg.wasm core
 * in their own pixel format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yuvGeometry, type FramePlanes, type VideoGeometry } from '../src/core/geometry.ts';
import { rawFrameBytes } from '../src/core/geometry.ts';
import { planesOfRawFrame } from '../src/media/plan/pixel-formats.ts';
import { probeInfo } from '../src/media/worker/ffmpeg/ffprobe.ts';
import { run, type FFmpegCore } from './ffmpeg-node.ts';

export const FIXTURES = join(import.meta.dirname, '../test-fixtures');
export const CORPUS = join(import.meta.dirname, '../../shared/videos');

export interface TestFrames {
  readonly geometry: VideoGeometry;
  readonly frames: FramePlanes[];
}

/** The two raw 352x288 4:2:0 foreman frames of the shared corpus. */
export function foremanFrames(): TestFrames {
  const g = yuvGeometry(352, 288, '420', 2);
  const bytes = new Uint8Array(readFileSync(join(CORPUS, 'foreman_cif_2frames.yuv')));
  const size = rawFrameBytes(g);
  return { geometry: g, frames: [0, 1].map((i) => planesOfRawFrame(g, bytes.subarray(i * size, (i + 1) * size))) };
}

/** The first `count` frames of a fixture video, decoded by the wasm core, unrotated, in the video's pixel format. */
export function fixtureFrames(core: FFmpegCore & { log: string[] }, name: string, count: number): TestFrames {
  const input = `/${name}`;
  core.FS.writeFile(input, new Uint8Array(readFileSync(join(FIXTURES, name))));
  const info = probeInfo(core, input);
  run(core, ['-noautorotate', '-i', input, '-map', '0:v:0', '-frames:v', String(count), '-fps_mode', 'passthrough', '-f', 'rawvideo', '/frames.raw']);
  const raw = core.FS.readFile('/frames.raw');
  core.FS.unlink('/frames.raw');
  core.FS.unlink(input);
  const size = rawFrameBytes(info.geometry);
  const n = Math.floor(raw.length / size);
  const g = { ...info.geometry, frameCount: n };
  const frames: FramePlanes[] = [];
  for (let i = 0; i < n; i++) frames.push(planesOfRawFrame(g, raw.slice(i * size, (i + 1) * size)));
  return { geometry: g, frames };
}
