/**
 * I_PCM carriers, end to end, through the real ffmpeg.wasm core: x264
 * streams of every kind the library supports; unreferenced pictures
 * rewritten as I_PCM carriers holding the decoded frame with about 30% of
 * its visible samples moved by +-1; the rebuilt stream decoded again, FFmpeg
 * checking it as hard as it can. The carrier frames must come out exactly as
 * written, every other frame byte for byte as before, FFmpeg must say
 * nothing, and the reader must give back exactly the carrier planes from the
 * carrier access units and nothing from any other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FramePlanes, PlaneSamples } from '../../../core/geometry.ts';
import { loadFFmpegCore } from '../../../../test-support/ffmpeg-node.ts';
import { toPocType1 } from '../../../../test-support/h264-poc-type1.ts';
import { decodeStream, encodeStream, type Core, type StreamSpec } from '../../../../test-support/h264-streams.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import {
  IpcmPictureReader,
  IpcmPictureWriter,
  ParameterSets,
  PictureOrderCounter,
  describeAccessUnit,
  groupAccessUnits,
  isUnreferenced,
  joinAnnexB,
  joinLengthPrefixed,
  outputOrder,
  readCarrierSample,
  replaceVclNals,
  splitAnnexB,
  splitLengthPrefixed,
  streamCarrierSupport,
  visibleGeometry,
  writeCarrierSample,
  type AccessUnitInfo,
  type IpcmWriteOptions,
  type VisibleGeometry,
} from './index.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

/** A stream cut into access units and described, with its output order. */
interface ParsedStream {
  readonly params: ParameterSets;
  readonly aus: Uint8Array[][];
  readonly infos: AccessUnitInfo[];
  /** Decode index of each output frame. */
  readonly order: number[];
  readonly geometry: VisibleGeometry;
}

function parse(stream: Uint8Array): ParsedStream {
  const params = new ParameterSets();
  const aus = groupAccessUnits(splitAnnexB(stream), params);
  const described = new ParameterSets();
  const infos = aus.map((au) => describeAccessUnit(au, described));
  const poc = new PictureOrderCounter();
  const order = outputOrder(infos.map((i) => poc.next(i.slices[0])));
  return { params, aus, infos, order, geometry: visibleGeometry(infos[0].slices[0].sps) };
}

function frameBytes(g: VisibleGeometry): number {
  let n = 0;
  for (const p of g.planes) n += p.width * p.height;
  return n * (g.bitDepth > 8 ? 2 : 1);
}

/**
 * Bytes of a decoded frame: a monochrome picture comes out of FFmpeg's
 * decoder with two neutral 4:2:0 chroma planes after its luma.
 */
function decodedFrameBytes(g: VisibleGeometry): number {
  if (g.planes.length > 1) return frameBytes(g);
  const { width, height } = g.planes[0];
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** A carrier's expected decoded frame: its planes, and neutral chroma for a monochrome one. */
function expectedRaw(planes: FramePlanes, g: VisibleGeometry): Uint8Array {
  const raw = rawOf(planes);
  if (g.planes.length > 1) return raw;
  const out = new Uint8Array(decodedFrameBytes(g)).fill(128);
  out.set(raw);
  return out;
}

/** A raw frame's planes (copies). */
function planesOf(raw: Uint8Array, g: VisibleGeometry): PlaneSamples[] {
  const out: PlaneSamples[] = [];
  let off = 0;
  for (const p of g.planes) {
    const n = p.width * p.height;
    if (g.bitDepth > 8) {
      out.push(new Uint16Array(raw.slice(off, off + 2 * n).buffer));
      off += 2 * n;
    } else {
      out.push(raw.slice(off, off + n));
      off += n;
    }
  }
  return out;
}

function rawOf(planes: FramePlanes): Uint8Array {
  const parts = planes.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Moves about `fraction` of the samples by +-1 (seeded; +1 at 0, -1 at the maximum). */
function changeSamples(planes: PlaneSamples[], bitDepth: number, fraction: number, seed: number): number {
  const rnd = mulberry32(seed);
  const max = 2 ** bitDepth - 1;
  let changed = 0;
  for (const p of planes) {
    for (let i = 0; i < p.length; i++) {
      if (rnd() >= fraction) continue;
      const v = p[i];
      p[i] = v === 0 ? 1 : v === max ? max - 1 : rnd() < 0.5 ? v - 1 : v + 1;
      changed++;
    }
  }
  return changed;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function samePlanes(a: FramePlanes | undefined, b: FramePlanes): boolean {
  return a !== undefined && a.length === b.length && a.every((p, i) => sameBytes(rawOf([p]), rawOf([b[i]])));
}

/** Unreferenced pictures in decode order. */
function unreferenced(infos: AccessUnitInfo[]): number[] {
  return infos.map((info, i) => (isUnreferenced(info, infos[i + 1]) ? i : -1)).filter((i) => i >= 0);
}

interface CarrierRun {
  readonly source: ParsedStream;
  readonly carriers: Map<number, PlaneSamples[]>;
  readonly rebuilt: Uint8Array;
  readonly sourceFrames: Uint8Array[];
  readonly messages: string[];
  readonly decoded: Uint8Array[];
}

/**
 * Writes carriers on the given decode indices of `stream`, rebuilds it and
 * decodes it strictly.
 */
function writeCarriers(stream: Uint8Array, pixFmt: string, pick: (p: ParsedStream) => number[], options: IpcmWriteOptions = {}, seed = 1): CarrierRun {
  const source = parse(stream);
  const fb = decodedFrameBytes(source.geometry);
  const src = decodeStream(core, stream, pixFmt, fb, true);
  expect(src.messages).toEqual([]);
  expect(src.frames.length).toBe(source.aus.length);
  const outputIndex = new Map(source.order.map((d, o) => [d, o]));
  const writer = new IpcmPictureWriter();
  const carriers = new Map<number, PlaneSamples[]>();
  const aus = source.aus.slice();
  for (const d of pick(source)) {
    const planes = planesOf(src.frames[outputIndex.get(d)!], source.geometry);
    const changed = changeSamples(planes, source.geometry.bitDepth, 0.3, seed + d);
    expect(changed).toBeGreaterThan(0.25 * frameBytes(source.geometry) / (source.geometry.bitDepth > 8 ? 2 : 1));
    const slices = writer.write(source.infos[d].slices[0], planes, options);
    if (options.maxNalBytes) for (const s of slices) expect(s.length).toBeLessThanOrEqual(options.maxNalBytes);
    // The writer's views are valid until its next write: copy them into the rebuilt unit now.
    aus[d] = replaceVclNals(aus[d], slices.map((s) => s.slice()));
    carriers.set(d, planes);
  }
  const rebuilt = joinAnnexB(aus.flat());
  const out = decodeStream(core, rebuilt, pixFmt, fb, true);
  return { source, carriers, rebuilt, sourceFrames: src.frames, messages: out.messages, decoded: out.frames };
}

/** Every check of a carrier run whose carriers are all unreferenced. */
function expectExact(runResult: CarrierRun): void {
  const { source, carriers, sourceFrames, messages, decoded } = runResult;
  expect(messages).toEqual([]);
  expect(decoded.length).toBe(sourceFrames.length);
  for (let o = 0; o < decoded.length; o++) {
    const d = source.order[o];
    const expected = carriers.has(d) ? expectedRaw(carriers.get(d)!, source.geometry) : sourceFrames[o];
    expect(sameBytes(decoded[o], expected), `output frame ${o} (decode ${d}${carriers.has(d) ? ', carrier' : ''})`).toBe(true);
  }
  // The reader, on the rebuilt stream's own access units: the carriers' planes, and nothing from any other picture.
  const rebuilt = parse(runResult.rebuilt);
  expect(rebuilt.aus.length).toBe(source.aus.length);
  const reader = new IpcmPictureReader();
  for (let d = 0; d < rebuilt.aus.length; d++) {
    const got = reader.read(rebuilt.aus[d], rebuilt.params, rebuilt.geometry);
    if (carriers.has(d)) {
      expect(samePlanes(got, carriers.get(d)!), `reader on carrier ${d}`).toBe(true);
      const sample = joinLengthPrefixed(rebuilt.aus[d], 4);
      expect(samePlanes(readCarrierSample(sample, 4, rebuilt.params, rebuilt.geometry, { reader }), carriers.get(d)!)).toBe(true);
    } else {
      expect(got, `reader on non-carrier ${d}`).toBeUndefined();
    }
  }
}

interface Case extends StreamSpec {
  readonly name: string;
  /** The decoder's own pixel format when it is not the encoder's. */
  readonly decodePixFmt?: string;
  /** Expected SPS facts, to be sure the encoder made what the case is about. */
  readonly expect: { profileIdc: number; cabac: boolean; chromaFormatIdc: number; bitDepth: number; slicesPerPicture?: number; cropped?: boolean };
}

const CASES: Case[] = [
  { name: 'Baseline, CAVLC, GOP 10', size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-profile:v', 'baseline', '-g', '10'], expect: { profileIdc: 66, cabac: false, chromaFormatIdc: 1, bitDepth: 8 } },
  {
    name: 'High, CABAC, B-frames, b-pyramid, weighted prediction',
    size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-profile:v', 'high', '-bf', '3', '-x264-params', 'b-pyramid=normal:weightp=2:weightb=1'],
    expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 1, bitDepth: 8 },
  },
  { name: 'High, GOP 30 without B-frames', size: '320x240', seconds: 2, pixFmt: 'yuv420p', x264: ['-bf', '0', '-g', '30'], expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 1, bitDepth: 8 } },
  { name: 'Baseline, 4 slices per picture', size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-profile:v', 'baseline', '-slices', '4', '-g', '10'], expect: { profileIdc: 66, cabac: false, chromaFormatIdc: 1, bitDepth: 8, slicesPerPicture: 4 } },
  { name: 'High, 4 slices per picture', size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-slices', '4'], expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 1, bitDepth: 8, slicesPerPicture: 4 } },
  { name: 'High 4:2:2', size: '320x240', seconds: 1, pixFmt: 'yuv422p', x264: [], expect: { profileIdc: 122, cabac: true, chromaFormatIdc: 2, bitDepth: 8 } },
  { name: 'High 4:4:4, CABAC', size: '320x240', seconds: 1, pixFmt: 'yuv444p', x264: [], expect: { profileIdc: 244, cabac: true, chromaFormatIdc: 3, bitDepth: 8 } },
  { name: 'High 4:4:4, CAVLC', size: '320x240', seconds: 1, pixFmt: 'yuv444p', x264: ['-x264-params', 'cabac=0'], expect: { profileIdc: 244, cabac: false, chromaFormatIdc: 3, bitDepth: 8 } },
  { name: 'High 10, 4:2:0', size: '320x240', seconds: 1, pixFmt: 'yuv420p10le', x264: [], expect: { profileIdc: 110, cabac: true, chromaFormatIdc: 1, bitDepth: 10 } },
  { name: 'High 4:2:2 10-bit, CAVLC', size: '320x240', seconds: 1, pixFmt: 'yuv422p10le', x264: ['-x264-params', 'cabac=0'], expect: { profileIdc: 122, cabac: false, chromaFormatIdc: 2, bitDepth: 10 } },
  { name: 'High 4:4:4 10-bit', size: '320x240', seconds: 1, pixFmt: 'yuv444p10le', x264: [], expect: { profileIdc: 244, cabac: true, chromaFormatIdc: 3, bitDepth: 10 } },
  // FFmpeg decodes 4:0:0 H.264 as yuvj420p with neutral chroma; the carrier holds the luma plane.
  { name: 'monochrome 4:0:0', size: '320x240', seconds: 1, pixFmt: 'gray', decodePixFmt: 'yuvj420p', x264: [], expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 0, bitDepth: 8 } },
  { name: 'a size that is not a multiple of 16 (302x174)', size: '302x174', seconds: 1, pixFmt: 'yuv420p', x264: [], expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 1, bitDepth: 8, cropped: true } },
  {
    name: 'cropping on all four sides (h264_metadata)',
    size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-bf', '2'], bsf: 'h264_metadata=crop_left=6:crop_right=10:crop_top=4:crop_bottom=2',
    expect: { profileIdc: 100, cabac: true, chromaFormatIdc: 1, bitDepth: 8, cropped: true },
  },
];

describe('I_PCM carriers on unreferenced pictures decode exactly, and change nothing else', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const stream = encodeStream(core, c);
      const run = writeCarriers(stream, c.decodePixFmt ?? c.pixFmt, (p) => {
        const u = unreferenced(p.infos);
        // The first, one in the middle, and the last: the last picture of the stream is always unreferenced.
        return [...new Set([u[0], u[u.length >> 1], u[u.length - 1]])];
      });
      const sps = run.source.infos[0].slices[0].sps;
      expect(sps.profileIdc).toBe(c.expect.profileIdc);
      expect(run.source.infos[0].slices[0].pps.cabac).toBe(c.expect.cabac);
      expect(sps.chromaFormatIdc).toBe(c.expect.chromaFormatIdc);
      expect(sps.bitDepthLuma).toBe(c.expect.bitDepth);
      if (c.expect.slicesPerPicture) expect(run.source.infos[1].slices.length).toBe(c.expect.slicesPerPicture);
      if (c.expect.cropped) expect(sps.crop.width * sps.crop.height).toBeLessThan(sps.codedWidth * sps.codedHeight);
      expect(streamCarrierSupport(run.source.params, 4)).toEqual({ supported: true });
      expect(run.carriers.size).toBeGreaterThanOrEqual(2);
      expectExact(run);
    });
  }
});

describe('picture order count type 1', () => {
  for (const [name, x] of [
    ['CAVLC', ['-bf', '1', '-x264-params', 'cabac=0']],
    ['CABAC, B-pyramid', ['-bf', '3', '-x264-params', 'b-pyramid=normal']],
  ] as const) {
    it(`carriers copy delta_pic_order_cnt[0] (${name})`, () => {
      const stream = toPocType1(core, encodeStream(core, { size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: [...x] }));
      const run = writeCarriers(stream, 'yuv420p', (p) => {
        const u = unreferenced(p.infos);
        return [u[0], u[u.length >> 1], u[u.length - 1]];
      });
      expect(run.source.infos[0].slices[0].sps.picOrderCntType).toBe(1);
      expect([...run.carriers.keys()].some((d) => run.source.infos[d].slices[0].deltaPicOrderCnt0 !== 0)).toBe(true);
      expectExact(run);
    });
  }
});

describe('referenced pictures and the reference state', () => {
  it('a referenced carrier with memory management operations keeps the decoder state: strict decode clean, carrier exact, earlier frames untouched', () => {
    const stream = encodeStream(core, { size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-bf', '3', '-x264-params', 'b-pyramid=normal'] });
    let picked = -1;
    const run = writeCarriers(stream, 'yuv420p', (p) => {
      picked = p.infos.findIndex((i) => i.nalRefIdc !== 0 && !i.idr && (i.slices[0].decRefPicMarking?.operations.length ?? 0) > 0);
      return [picked];
    });
    expect(picked).toBeGreaterThan(0);
    // The operations are really there: x264's B-pyramid references drop each other with MMCO 1.
    expect(run.source.infos[picked].slices[0].decRefPicMarking!.operations.map((o) => o.operation)).toContain(1);
    expect(run.messages).toEqual([]);
    expect(run.decoded.length).toBe(run.sourceFrames.length);
    for (let o = 0; o < run.decoded.length; o++) {
      const d = run.source.order[o];
      if (d === picked) expect(sameBytes(run.decoded[o], rawOf(run.carriers.get(d)!))).toBe(true);
      else if (d < picked) expect(sameBytes(run.decoded[o], run.sourceFrames[o]), `frame decoded before the carrier (${d})`).toBe(true);
    }
  });

  it('the last picture before each IDR picture is unreferenced: carriers there change no other frame', () => {
    const stream = encodeStream(core, { size: '320x240', seconds: 2, pixFmt: 'yuv420p', x264: ['-bf', '0', '-g', '20', '-keyint_min', '20'] });
    const run = writeCarriers(stream, 'yuv420p', (p) => p.infos.map((i, d) => (d > 0 && i.idr ? d - 1 : -1)).filter((d) => d >= 0));
    expect(run.carriers.size).toBeGreaterThanOrEqual(2);
    for (const d of run.carriers.keys()) expect(run.source.infos[d].nalRefIdc).not.toBe(0);
    expectExact(run);
  });
});

describe('slices split to a NAL size limit', () => {
  const split = (name: string, spec: StreamSpec, maxNalBytes: number, minSlices: number) =>
    it(name, () => {
      const stream = encodeStream(core, spec);
      const run = writeCarriers(stream, spec.pixFmt, (p) => unreferenced(p.infos).slice(-2), { maxNalBytes });
      const rebuilt = parse(run.rebuilt);
      for (const d of run.carriers.keys()) expect(rebuilt.infos[d].slices.length).toBeGreaterThanOrEqual(minSlices);
      expectExact(run);
    });
  // 20000 bytes hold 52 macroblocks of 4:2:0: slices start in the middle of macroblock rows, which changes CABAC's ctxIdxInc.
  split('CAVLC, 20000-byte slices', { size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-profile:v', 'baseline'] }, 20000, 6);
  split('CABAC, 20000-byte slices', { size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: [] }, 20000, 6);
  split('CABAC 4:4:4 10-bit, 7000-byte slices', { size: '320x240', seconds: 1, pixFmt: 'yuv444p10le', x264: [] }, 7000, 40);

  it('a 2-byte NAL length: writeCarrierSample keeps every slice under 65536 bytes', () => {
    const stream = encodeStream(core, { size: '320x240', seconds: 1, pixFmt: 'yuv444p10le', x264: [] });
    const source = parse(stream);
    const fb = decodedFrameBytes(source.geometry);
    const src = decodeStream(core, stream, 'yuv444p10le', fb, true);
    const d = unreferenced(source.infos).at(-1)!;
    const o = source.order.indexOf(d);
    const planes = planesOf(src.frames[o], source.geometry);
    changeSamples(planes, 10, 0.3, 7);
    const sample = writeCarrierSample(joinLengthPrefixed(source.aus[d], 2), 2, source.params, planes);
    const nals = splitLengthPrefixed(sample, 2);
    const slices = nals.filter((n) => n[0] % 32 === 1 || n[0] % 32 === 5);
    // 300 macroblocks of 960 bytes: at least five slices.
    expect(slices.length).toBeGreaterThanOrEqual(5);
    expect(readCarrierSample(sample, 2, source.params, source.geometry)).toSatisfy((p: FramePlanes | undefined) => samePlanes(p, planes));
    const aus = source.aus.slice();
    aus[d] = nals;
    const out = decodeStream(core, joinAnnexB(aus.flat()), 'yuv444p10le', fb, true);
    expect(out.messages).toEqual([]);
    expect(sameBytes(out.frames[o], rawOf(planes))).toBe(true);
  });
});

describe('streams that cannot carry', () => {
  it('refuses an interlaced (MBAFF) stream with a plain reason, and the writer will not write one', () => {
    const stream = encodeStream(core, { size: '320x240', seconds: 0.3, pixFmt: 'yuv420p', x264: ['-flags', '+ildct+ilme', '-x264-params', 'weightp=0'] });
    const source = parse(stream);
    const sps = source.infos[0].slices[0].sps;
    expect(sps.frameMbsOnly).toBe(false);
    expect(sps.mbAdaptiveFrameField).toBe(true);
    const support = streamCarrierSupport(source.params, 4);
    expect(support.supported).toBe(false);
    expect(!support.supported && support.reason).toMatch(/^This video is interlaced/);
    const planes = visibleGeometry(sps).planes.map((p) => new Uint8Array(p.width * p.height));
    expect(() => new IpcmPictureWriter().write(source.infos.at(-1)!.slices[0], planes)).toThrow(/interlaced/);
  });

  it('refuses a 1-byte NAL length: no raw macroblock fits', () => {
    const source = parse(encodeStream(core, { size: '64x64', seconds: 0.1, pixFmt: 'yuv420p', x264: [] }));
    const support = streamCarrierSupport(source.params, 1);
    expect(support.supported).toBe(false);
    expect(!support.supported && support.reason).toMatch(/1-byte lengths/);
    expect(streamCarrierSupport(source.params, 2)).toEqual({ supported: true });
  });
});
