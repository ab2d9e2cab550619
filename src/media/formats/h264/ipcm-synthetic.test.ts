/**
 * The writer and reader over every chroma format and bit depth H.264 has
 * (8 to 14 bits; x264 stops at 10), under hand-written parameter sets:
 * streams made only of carriers, decoded by FFmpeg and read back by the
 * reader. Then the reader against damaged and foreign input, and the
 * writer's refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlaneSamples } from '../../../core/geometry.ts';
import { loadFFmpegCore } from '../../../../test-support/ffmpeg-node.ts';
import { decodeStream, type Core } from '../../../../test-support/h264-streams.ts';
import { syntheticPps, syntheticSliceHeader, syntheticSps } from '../../../../test-support/h264-synthetic.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import {
  IpcmPictureReader,
  IpcmPictureWriter,
  ParameterSets,
  joinAnnexB,
  joinLengthPrefixed,
  readCarrierSample,
  readSliceHeader,
  visibleGeometry,
  type SequenceParameterSet,
  type SliceHeader,
} from './index.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

interface Variant {
  readonly chromaFormatIdc: number;
  readonly bitDepth: number;
  readonly cabac: boolean;
  /** false: deblocking stays on (the PPS gives no way to turn it off); PCM's qP of 0 must keep it from filtering. */
  readonly deblockingControl: boolean;
  readonly chromaQpIndexOffset: number;
}

/** The three pictures of a synthetic stream: IDR, a reference picture, a non-reference one. */
const PICTURES = [
  { idr: true, nalRefIdc: 3, frameNum: 0, pocLsb: 0 },
  { idr: false, nalRefIdc: 2, frameNum: 1, pocLsb: 2 },
  { idr: false, nalRefIdc: 0, frameNum: 2, pocLsb: 4 },
];

interface Synthetic {
  readonly params: ParameterSets;
  readonly sps: SequenceParameterSet;
  readonly headers: SliceHeader[];
  readonly nals: { sps: Uint8Array; pps: Uint8Array };
}

function synthetic(v: Variant): Synthetic {
  const sps = syntheticSps({ chromaFormatIdc: v.chromaFormatIdc, bitDepth: v.bitDepth, widthInMbs: 4, heightInMbs: 3, crop: { left: 1, right: 2, top: 1, bottom: 1 } });
  const pps = syntheticPps({ cabac: v.cabac, deblockingFilterControlPresent: v.deblockingControl, chromaQpIndexOffset: v.chromaQpIndexOffset });
  const params = ParameterSets.from([sps, pps]);
  const headers = PICTURES.map((p) => readSliceHeader(syntheticSliceHeader({ ...p, cabac: v.cabac, deblockingFilterControlPresent: v.deblockingControl }), params));
  return { params, sps: headers[0].sps, headers, nals: { sps, pps } };
}

/**
 * Seeded planes. Dense: random with many zeros and maxima (emulation
 * prevention in the byte loop, every bit of the packing). Sparse: non-zero
 * samples with a 0, 0, x <= 3 now and then (emulation prevention in the bulk
 * scan: 8-bit samples are the bytes themselves).
 */
function randomPlanes(sps: SequenceParameterSet, seed: number, sparse = false): PlaneSamples[] {
  const rnd = mulberry32(seed);
  return visibleGeometry(sps).planes.map((p, i) => {
    const depth = i === 0 ? sps.bitDepthLuma : sps.bitDepthChroma;
    const a = depth === 8 ? new Uint8Array(p.width * p.height) : new Uint16Array(p.width * p.height);
    for (let k = 0; k < a.length; k++) {
      const r = rnd();
      if (sparse) a[k] = 1 + Math.floor(r * (2 ** depth - 1));
      else a[k] = r < 0.15 ? 0 : r < 0.25 ? 2 ** depth - 1 : Math.floor(rnd() * 2 ** depth);
    }
    if (sparse) {
      for (let k = Math.floor(rnd() * 100); k + 2 < a.length; k += 100 + Math.floor(rnd() * 200)) {
        a[k] = 0;
        a[k + 1] = 0;
        a[k + 2] = Math.floor(rnd() * 4);
      }
    }
    return a;
  });
}

function bytesOf(p: PlaneSamples): Buffer {
  return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

function pixFmt(chromaFormatIdc: number, bitDepth: number): string {
  const layout = chromaFormatIdc === 2 ? '422' : chromaFormatIdc === 3 ? '444' : '420';
  return `yuv${layout}p${bitDepth === 8 ? '' : `${bitDepth}le`}`;
}

const VARIANTS: Variant[] = [];
for (const bitDepth of [8, 9, 12, 14]) {
  for (const chromaFormatIdc of [0, 1, 2, 3]) {
    for (const cabac of [false, true]) {
      const k = VARIANTS.length;
      VARIANTS.push({ chromaFormatIdc, bitDepth, cabac, deblockingControl: k % 3 !== 0, chromaQpIndexOffset: k % 2 ? 12 : -4 });
    }
  }
}

describe('carriers of every chroma format and bit depth decode exactly in FFmpeg', () => {
  for (const v of VARIANTS) {
    const name = `4:${['0:0', '2:0', '2:2', '4:4'][v.chromaFormatIdc]} ${v.bitDepth}-bit ${v.cabac ? 'CABAC' : 'CAVLC'}, deblocking ${v.deblockingControl ? 'disabled' : 'on'}, chroma QP offset ${v.chromaQpIndexOffset}`;
    it(name, () => {
      const s = synthetic(v);
      const g = visibleGeometry(s.sps);
      const writer = new IpcmPictureWriter();
      const reader = new IpcmPictureReader();
      const pictures = s.headers.map((h, i) => {
        const planes = randomPlanes(s.sps, 100 * v.bitDepth + 10 * v.chromaFormatIdc + i, i === 1);
        const nals = writer.write(h, planes).map((n) => n.slice());
        // The reader, on the carrier alone.
        const back = reader.read(nals, s.params, g);
        expect(back?.map(bytesOf)).toEqual(planes.map(bytesOf));
        return { planes, nals };
      });
      const stream = joinAnnexB([s.nals.sps, s.nals.pps, ...pictures.flatMap((p) => p.nals)]);
      const sampleBytes = v.bitDepth > 8 ? 2 : 1;
      const lumaBytes = g.planes[0].width * g.planes[0].height * sampleBytes;
      const chroma = v.chromaFormatIdc === 0 ? { width: Math.ceil(g.planes[0].width / 2), height: Math.ceil(g.planes[0].height / 2) } : g.planes[1];
      const chromaBytes = chroma.width * chroma.height * sampleBytes;
      const out = decodeStream(core, stream, pixFmt(v.chromaFormatIdc, v.bitDepth), lumaBytes + 2 * chromaBytes, true);
      expect(out.messages).toEqual([]);
      expect(out.frames.length).toBe(3);
      out.frames.forEach((f, i) => {
        const planes = pictures[i].planes;
        expect(Buffer.from(f.subarray(0, lumaBytes)).equals(bytesOf(planes[0])), `frame ${i} luma`).toBe(true);
        if (v.chromaFormatIdc !== 0) {
          expect(Buffer.from(f.subarray(lumaBytes)).equals(Buffer.concat([bytesOf(planes[1]), bytesOf(planes[2])])), `frame ${i} chroma`).toBe(true);
        } else {
          // 4:0:0 decodes with neutral chroma.
          const neutral = new (v.bitDepth > 8 ? Uint16Array : Uint8Array)(2 * chroma.width * chroma.height).fill(2 ** (v.bitDepth - 1));
          expect(Buffer.from(f.subarray(lumaBytes)).equals(bytesOf(neutral))).toBe(true);
        }
      });
    });
  }
});

describe('the reader answers undefined for anything but a whole, intact I_PCM picture, and never throws', () => {
  const cavlc = synthetic({ chromaFormatIdc: 1, bitDepth: 8, cabac: false, deblockingControl: true, chromaQpIndexOffset: 0 });
  const cabac = synthetic({ chromaFormatIdc: 1, bitDepth: 10, cabac: true, deblockingControl: true, chromaQpIndexOffset: 0 });
  const g8 = visibleGeometry(cavlc.sps);
  const g10 = visibleGeometry(cabac.sps);
  const writer = new IpcmPictureWriter();
  const carrier = (s: Synthetic, maxNalBytes?: number) => writer.write(s.headers[2], randomPlanes(s.sps, 5), { maxNalBytes }).map((n) => n.slice());
  const reader = new IpcmPictureReader();

  it('a picture of several slices: every slice needed once, in order', () => {
    for (const [s, g] of [[cavlc, g8], [cabac, g10]] as const) {
      const slices = carrier(s, 1600);
      expect(slices.length).toBeGreaterThanOrEqual(3);
      expect(reader.read(slices, s.params, g)).toBeDefined();
      expect(reader.read(slices.slice(0, -1), s.params, g)).toBeUndefined();
      expect(reader.read([slices[0], ...slices.slice(2)], s.params, g)).toBeUndefined();
      expect(reader.read([slices[0], slices[2], slices[1], ...slices.slice(3)], s.params, g)).toBeUndefined();
      expect(reader.read([...slices, slices.at(-1)!], s.params, g)).toBeUndefined();
    }
  });

  it('another geometry, or another bit depth, is not this picture', () => {
    const slices = carrier(cavlc);
    expect(reader.read(slices, cavlc.params, { bitDepth: 8, planes: [{ width: 64, height: 48 }, { width: 32, height: 24 }, { width: 32, height: 24 }] })).toBeUndefined();
    expect(reader.read(slices, cavlc.params, { ...g8, bitDepth: 10 })).toBeUndefined();
    expect(reader.read(slices, cavlc.params, { bitDepth: 8, planes: [g8.planes[0]] })).toBeUndefined();
  });

  it('a changed mb_type, a truncated slice, a set forbidden bit', () => {
    for (const [s, g] of [[cavlc, g8], [cabac, g10]] as const) {
      const [slice] = carrier(s);
      expect(reader.read([slice], s.params, g)).toBeDefined();
      expect(reader.read([slice.subarray(0, slice.length - 40)], s.params, g)).toBeUndefined();
      expect(reader.read([slice.subarray(0, slice.length - 1)], s.params, g)).toBeUndefined();
      const forbidden = slice.slice();
      forbidden[0] |= 0x80;
      expect(reader.read([forbidden], s.params, g)).toBeUndefined();
    }
    // CAVLC: macroblock 1's mb_type 25 (0000 1101 0) made 24 (0000 1100 1).
    const [slice] = carrier(cavlc);
    const mbBytes = 384;
    const at = slice.indexOf(0x0d, 1 + 4 + mbBytes - 2);
    const damaged = slice.slice();
    damaged[at] = 0x0c;
    damaged[at + 1] = 0x80;
    expect(reader.read([damaged], cavlc.params, g8)).toBeUndefined();
  });

  it('survives random bytes, random bit flips and cuts of real carriers (seeded)', () => {
    const rnd = mulberry32(99);
    let planes = 0;
    let nothing = 0;
    for (let trial = 0; trial < 800; trial++) {
      const [s, g] = trial % 2 ? [cavlc, g8] : [cabac, g10];
      let nals: Uint8Array[];
      const kind = trial % 4;
      if (kind === 0) {
        // Random bytes behind a slice NAL header.
        const n = 1 + Math.floor(rnd() * 2000);
        const b = new Uint8Array(n);
        for (let i = 0; i < n; i++) b[i] = rnd() < 0.3 ? 0 : Math.floor(rnd() * 256);
        b[0] = rnd() < 0.5 ? 0x65 : 0x01;
        nals = [b];
      } else {
        const slices = carrier(s, kind === 2 ? 2000 : undefined);
        nals = slices.map((x) => x.slice());
        const target = nals[Math.floor(rnd() * nals.length)];
        const flips = 1 + Math.floor(rnd() * 4);
        for (let f = 0; f < flips; f++) {
          // Mostly in the headers and macroblock prefixes, where a flip changes the syntax.
          const pos = rnd() < 0.6 ? Math.floor(rnd() * Math.min(24, target.length)) : Math.floor(rnd() * target.length);
          target[pos] ^= 1 << Math.floor(rnd() * 8);
        }
        if (rnd() < 0.3) nals[0] = nals[0].subarray(0, Math.floor(rnd() * nals[0].length));
        if (kind === 3) {
          // Damaged parameter sets sent in band, ahead of an intact carrier.
          const ps = [s.nals.sps.slice(), s.nals.pps.slice()];
          for (const p of ps) p[1 + Math.floor(rnd() * (p.length - 1))] ^= 1 << Math.floor(rnd() * 8);
          nals = [...ps, ...carrier(s)];
        }
      }
      const got = reader.read(nals, s.params, g);
      if (got) planes++;
      else nothing++;
      // The sample form, with a random length size, must not throw either.
      expect(() => readCarrierSample(joinLengthPrefixed(nals.filter((n) => n.length), 4), 4, s.params, g)).not.toThrow();
    }
    // Flips inside samples keep a valid all-I_PCM picture; flips in syntax do not.
    expect(planes).toBeGreaterThan(0);
    expect(nothing).toBeGreaterThan(200);
  });

  it('a sample whose length prefixes do not frame it', () => {
    const sample = joinLengthPrefixed(carrier(cavlc), 4);
    expect(readCarrierSample(sample, 4, cavlc.params, g8)).toBeDefined();
    expect(readCarrierSample(sample.subarray(0, sample.length - 3), 4, cavlc.params, g8)).toBeUndefined();
    expect(readCarrierSample(sample, 2, cavlc.params, g8)).toBeUndefined();
  });
});

describe('the writer refuses what it cannot write', () => {
  const s = synthetic({ chromaFormatIdc: 1, bitDepth: 10, cabac: true, deblockingControl: true, chromaQpIndexOffset: 0 });
  const writer = new IpcmPictureWriter();
  it('planes of the wrong size, count or type, and samples beyond the bit depth', () => {
    const planes = randomPlanes(s.sps, 1);
    expect(() => writer.write(s.headers[0], planes.slice(0, 2))).toThrow(RangeError);
    expect(() => writer.write(s.headers[0], [planes[0].subarray(1), planes[1], planes[2]])).toThrow(RangeError);
    expect(() => writer.write(s.headers[0], [new Uint8Array(planes[0].length), planes[1], planes[2]])).toThrow(RangeError);
    const over = planes.map((p) => p.slice());
    over[2][17] = 1024;
    expect(() => writer.write(s.headers[0], over)).toThrow(/bit depth/);
  });
  it('a NAL size limit below one macroblock', () => {
    expect(() => writer.write(s.headers[0], randomPlanes(s.sps, 2), { maxNalBytes: 400 })).toThrow(/does not fit/);
  });
});
