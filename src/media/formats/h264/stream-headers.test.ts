/**
 * The parsers against FFmpeg's own reading of the same streams: every SPS,
 * PPS and slice header field as FFmpeg's trace_headers filter logs it (value
 * and bit position), the access units as FFmpeg's parser cuts the stream,
 * and the visible size as ffprobe reports it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFFmpegCore } from '../../../../test-support/ffmpeg-node.ts';
import { encodeStream, probeStream, traceHeaders, type Core, type StreamSpec, type TracedUnit } from '../../../../test-support/h264-streams.ts';
import {
  NalType,
  ParameterSets,
  describeAccessUnit,
  groupAccessUnits,
  nalUnitType,
  parsePps,
  parseSps,
  splitAnnexB,
  visibleGeometry,
  type PictureParameterSet,
  type SequenceParameterSet,
  type SliceHeader,
} from './index.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

const CQM4 = Array.from({ length: 16 }, (_, i) => 16 + i).join(',');
const CQM8 = Array.from({ length: 64 }, (_, i) => 16 + (i % 20)).join(',');

/** Streams, each with what it must contain for its checks to mean something. */
const STREAMS: Record<string, StreamSpec & { has: (sps: SequenceParameterSet, slices: SliceHeader[]) => void }> = {
  'baseline, access unit delimiters': {
    size: '320x240', seconds: 0.5, pixFmt: 'yuv420p', x264: ['-profile:v', 'baseline', '-g', '6', '-x264-params', 'aud=1'],
    has: (sps, slices) => {
      expect(sps.picOrderCntType).toBe(2);
      expect(slices.filter((h) => h.idr).length).toBeGreaterThanOrEqual(2);
    },
  },
  'high, B-pyramid, weighted prediction': {
    size: '320x240', seconds: 1, pixFmt: 'yuv420p', x264: ['-bf', '3', '-x264-params', 'b-pyramid=normal:weightp=2:weightb=1:ref=4'],
    has: (sps, slices) => {
      expect(sps.picOrderCntType).toBe(0);
      expect(slices.some((h) => h.hasPredWeightTable)).toBe(true);
      expect(slices.some((h) => (h.decRefPicMarking?.operations.length ?? 0) > 0)).toBe(true);
      expect(slices.some((h) => h.sliceKind === 1 && h.nalRefIdc !== 0)).toBe(true);
      expect(slices.some((h) => h.sliceKind === 1 && h.nalRefIdc === 0)).toBe(true);
    },
  },
  'high, 4 slices, deblocking offsets': {
    size: '320x240', seconds: 0.5, pixFmt: 'yuv420p', x264: ['-slices', '4', '-deblock', '-2:1'],
    has: (_, slices) => {
      expect(slices.some((h) => h.firstMbInSlice > 0)).toBe(true);
      expect(slices.every((h) => h.sliceAlphaC0OffsetDiv2 === -2 && h.sliceBetaOffsetDiv2 === 1)).toBe(true);
    },
  },
  '4:4:4 10-bit CAVLC, custom scaling matrices': {
    size: '176x144', seconds: 0.5, pixFmt: 'yuv444p10le',
    // x264 sends custom matrices in the PPS; with 4:4:4 and the 8x8 transform that is 12 coded lists.
    x264: ['-x264-params', `cabac=0:cqm4=${CQM4}:cqm8=${CQM8}`],
    has: (sps, slices) => {
      expect([slices[0].pps.picScalingMatrixPresent, slices[0].pps.transform8x8Mode]).toEqual([true, true]);
      expect([sps.chromaFormatIdc, sps.bitDepthLuma, slices[0].pps.cabac]).toEqual([3, 10, false]);
    },
  },
  '4:2:2 with a crop on every side': {
    size: '320x240', seconds: 0.5, pixFmt: 'yuv422p', x264: [], bsf: 'h264_metadata=crop_left=4:crop_right=6:crop_top=2:crop_bottom=8',
    has: (sps) => expect(sps.frameCropOffsets.left * sps.frameCropOffsets.top).toBeGreaterThan(0),
  },
  'interlaced (MBAFF)': {
    size: '320x240', seconds: 0.3, pixFmt: 'yuv420p', x264: ['-flags', '+ildct+ilme', '-x264-params', 'weightp=0'],
    has: (sps, slices) => {
      expect([sps.frameMbsOnly, sps.mbAdaptiveFrameField]).toEqual([false, true]);
      expect(slices.every((h) => h.mbaffFrame)).toBe(true);
    },
  },
  'full range, colour description, HRD': {
    size: '200x120', seconds: 0.5, pixFmt: 'yuv420p',
    x264: ['-color_range', 'pc', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-x264-params', 'nal-hrd=vbr:vbv-maxrate=500:vbv-bufsize=1000'],
    has: (sps) => {
      expect(sps.vui?.videoFullRange).toBe(true);
      expect(sps.vui?.colourPrimaries).toBe(1);
      expect(sps.vui?.nalHrd?.cpbCount).toBe(1);
      // 500 kbit/s as the HRD's value and scale can say it.
      expect(sps.vui?.nalHrd?.bitRate[0]).toBe((7811 + 1) * 2 ** 6);
    },
  },
};

/** The value FFmpeg traced for `name`, or `absent` when it was not in the bitstream. */
function traced(u: TracedUnit, name: string, absent = 0, i = 0): number {
  return u.get(name, i)?.value ?? absent;
}

function expectSps(s: SequenceParameterSet, u: TracedUnit): void {
  expect(s.profileIdc).toBe(traced(u, 'profile_idc'));
  expect(s.levelIdc).toBe(traced(u, 'level_idc'));
  expect(s.constraintFlags >> 7).toBe(traced(u, 'constraint_set0_flag'));
  expect((s.constraintFlags >> 4) & 1).toBe(traced(u, 'constraint_set3_flag'));
  expect(s.id).toBe(traced(u, 'seq_parameter_set_id'));
  expect(s.chromaFormatIdc).toBe(traced(u, 'chroma_format_idc', 1));
  expect(s.bitDepthLuma).toBe(traced(u, 'bit_depth_luma_minus8') + 8);
  expect(s.bitDepthChroma).toBe(traced(u, 'bit_depth_chroma_minus8') + 8);
  expect(s.scalingMatrixPresent).toBe(traced(u, 'seq_scaling_matrix_present_flag') === 1);
  expect(s.log2MaxFrameNum).toBe(traced(u, 'log2_max_frame_num_minus4') + 4);
  expect(s.picOrderCntType).toBe(traced(u, 'pic_order_cnt_type'));
  if (s.picOrderCntType === 0) expect(s.log2MaxPicOrderCntLsb).toBe(traced(u, 'log2_max_pic_order_cnt_lsb_minus4') + 4);
  expect(s.maxNumRefFrames).toBe(traced(u, 'max_num_ref_frames'));
  expect(s.picWidthInMbs).toBe(traced(u, 'pic_width_in_mbs_minus1') + 1);
  expect(s.picHeightInMapUnits).toBe(traced(u, 'pic_height_in_map_units_minus1') + 1);
  expect(s.frameMbsOnly).toBe(traced(u, 'frame_mbs_only_flag') === 1);
  expect(s.mbAdaptiveFrameField).toBe(traced(u, 'mb_adaptive_frame_field_flag') === 1);
  expect(s.direct8x8Inference).toBe(traced(u, 'direct_8x8_inference_flag') === 1);
  expect(s.frameCropOffsets).toEqual({
    left: traced(u, 'frame_crop_left_offset'),
    right: traced(u, 'frame_crop_right_offset'),
    top: traced(u, 'frame_crop_top_offset'),
    bottom: traced(u, 'frame_crop_bottom_offset'),
  });
  const v = s.vui!;
  expect(v.complete).toBe(true);
  expect(v.aspectRatioIdc).toBe(u.get('aspect_ratio_idc')?.value);
  expect(v.videoFullRange === undefined ? undefined : Number(v.videoFullRange)).toBe(u.get('video_full_range_flag')?.value);
  expect(v.colourPrimaries).toBe(u.get('colour_primaries')?.value);
  expect(v.matrixCoefficients).toBe(u.get('matrix_coefficients')?.value);
  expect(v.numUnitsInTick).toBe(u.get('num_units_in_tick')?.value);
  expect(v.timeScale).toBe(u.get('time_scale')?.value);
  if (u.get('cpb_cnt_minus1')) {
    expect(v.nalHrd?.cpbCount).toBe(traced(u, 'cpb_cnt_minus1') + 1);
    expect(v.nalHrd?.bitRate[0]).toBe((traced(u, 'bit_rate_value_minus1[0]') + 1) * 2 ** (6 + traced(u, 'bit_rate_scale')));
    expect(v.nalHrd?.cpbSize[0]).toBe((traced(u, 'cpb_size_value_minus1[0]') + 1) * 2 ** (4 + traced(u, 'cpb_size_scale')));
    expect(v.nalHrd?.cpbRemovalDelayLength).toBe(traced(u, 'cpb_removal_delay_length_minus1') + 1);
    expect(v.nalHrd?.dpbOutputDelayLength).toBe(traced(u, 'dpb_output_delay_length_minus1') + 1);
  } else {
    expect(v.nalHrd).toBeUndefined();
  }
  expect(v.picStructPresent).toBe(traced(u, 'pic_struct_present_flag') === 1);
  expect(v.bitstreamRestriction?.maxNumReorderFrames).toBe(u.get('max_num_reorder_frames')?.value);
  expect(v.bitstreamRestriction?.maxDecFrameBuffering).toBe(u.get('max_dec_frame_buffering')?.value);
}

function expectPps(p: PictureParameterSet, u: TracedUnit): void {
  expect(p.id).toBe(traced(u, 'pic_parameter_set_id'));
  expect(p.spsId).toBe(traced(u, 'seq_parameter_set_id'));
  expect(p.cabac).toBe(traced(u, 'entropy_coding_mode_flag') === 1);
  expect(p.bottomFieldPicOrderInFramePresent).toBe(traced(u, 'bottom_field_pic_order_in_frame_present_flag') === 1);
  expect(p.numSliceGroups).toBe(traced(u, 'num_slice_groups_minus1') + 1);
  expect(p.numRefIdxL0DefaultActive).toBe(traced(u, 'num_ref_idx_l0_default_active_minus1') + 1);
  expect(p.numRefIdxL1DefaultActive).toBe(traced(u, 'num_ref_idx_l1_default_active_minus1') + 1);
  expect(p.weightedPred).toBe(traced(u, 'weighted_pred_flag') === 1);
  expect(p.weightedBipredIdc).toBe(traced(u, 'weighted_bipred_idc'));
  expect(p.picInitQp).toBe(traced(u, 'pic_init_qp_minus26') + 26);
  expect(p.chromaQpIndexOffset).toBe(traced(u, 'chroma_qp_index_offset'));
  expect(p.deblockingFilterControlPresent).toBe(traced(u, 'deblocking_filter_control_present_flag') === 1);
  expect(p.redundantPicCntPresent).toBe(traced(u, 'redundant_pic_cnt_present_flag') === 1);
  expect(p.transform8x8Mode).toBe(traced(u, 'transform_8x8_mode_flag') === 1);
  expect(p.picScalingMatrixPresent).toBe(traced(u, 'pic_scaling_matrix_present_flag') === 1);
  expect(p.secondChromaQpIndexOffset).toBe(traced(u, 'second_chroma_qp_index_offset', p.chromaQpIndexOffset));
}

/** Traced bit positions count the NAL header byte; the parser's count from the RBSP after it. */
const HEADER_BITS = 8;

function expectSlice(h: SliceHeader, u: TracedUnit): void {
  expect(h.nalRefIdc).toBe(traced(u, 'nal_ref_idc'));
  expect(h.nalUnitType).toBe(traced(u, 'nal_unit_type'));
  expect(h.firstMbInSlice).toBe(traced(u, 'first_mb_in_slice'));
  expect(h.sliceType).toBe(traced(u, 'slice_type'));
  expect(h.ppsId).toBe(traced(u, 'pic_parameter_set_id'));
  expect(h.frameNum).toBe(traced(u, 'frame_num'));
  expect(h.fieldPic).toBe(traced(u, 'field_pic_flag') === 1);
  expect(h.bottomField).toBe(traced(u, 'bottom_field_flag') === 1);
  expect(h.idrPicId).toBe(traced(u, 'idr_pic_id'));
  expect(h.picOrderCntLsb).toBe(traced(u, 'pic_order_cnt_lsb'));
  expect(h.deltaPicOrderCntBottom).toBe(traced(u, 'delta_pic_order_cnt_bottom'));
  expect(h.directSpatialMvPred).toBe(traced(u, 'direct_spatial_mv_pred_flag') === 1);
  if (u.get('num_ref_idx_active_override_flag')?.value === 1) {
    expect(h.numRefIdxL0Active).toBe(traced(u, 'num_ref_idx_l0_active_minus1') + 1);
    if (h.sliceKind === 1) expect(h.numRefIdxL1Active).toBe(traced(u, 'num_ref_idx_l1_active_minus1') + 1);
  }
  expect([...h.refPicListModificationL0, ...h.refPicListModificationL1]).toEqual(u.all('modification_of_pic_nums_idc').map((e) => e.value).filter((v) => v !== 3));
  expect(h.hasPredWeightTable).toBe(u.get('luma_log2_weight_denom') !== undefined);
  const m = h.decRefPicMarking;
  const markingStart = u.get('no_output_of_prior_pics_flag') ?? u.get('adaptive_ref_pic_marking_mode_flag');
  if (h.nalRefIdc === 0) {
    expect(m).toBeUndefined();
    expect(markingStart).toBeUndefined();
  } else {
    expect(m!.rbspBitOffset).toBe(markingStart!.bit - HEADER_BITS);
    expect(m!.operations.map((o) => o.operation)).toEqual(u.all('memory_management_control_operation').map((e) => e.value).filter((v) => v !== 0));
    expect(m!.operations.filter((o) => o.operation === 1).map((o) => o.differenceOfPicNumsMinus1)).toEqual(u.all('difference_of_pic_nums_minus1').map((e) => e.value));
    // The copied bits end where the next syntax element begins, and are the traced bits.
    const next = u.get('cabac_init_idc') ?? u.get('slice_qp_delta')!;
    expect(m!.rbspBitOffset + m!.bitLength).toBe(next.bit - HEADER_BITS);
    const tracedBits = u.elements.filter((e) => e.bit >= markingStart!.bit && e.bit < next.bit).map((e) => e.bits).join('');
    let copied = '';
    for (let i = 0; i < m!.bitLength; i++) copied += (m!.bits[i >> 3] >> (7 - (i & 7))) & 1;
    expect(copied).toBe(tracedBits);
  }
  expect(h.cabacInitIdc).toBe(traced(u, 'cabac_init_idc'));
  expect(h.sliceQpDelta).toBe(traced(u, 'slice_qp_delta'));
  expect(h.disableDeblockingFilterIdc).toBe(traced(u, 'disable_deblocking_filter_idc'));
  expect(h.sliceAlphaC0OffsetDiv2).toBe(traced(u, 'slice_alpha_c0_offset_div2'));
  expect(h.sliceBetaOffsetDiv2).toBe(traced(u, 'slice_beta_offset_div2'));
  // The header ends where the last traced header element ends (slice data's alignment bits are not header).
  const header = u.elements.filter((e) => e.name !== 'cabac_alignment_one_bit');
  const last = header[header.length - 1];
  expect(h.headerBitLength).toBe(last.bit + last.bits.length - HEADER_BITS);
}

describe('SPS, PPS and slice headers, field by field, as FFmpeg reads them', () => {
  for (const [name, spec] of Object.entries(STREAMS)) {
    it(name, () => {
      const stream = encodeStream(core, spec);
      const params = new ParameterSets();
      const aus = groupAccessUnits(splitAnnexB(stream), params);
      const { packets } = traceHeaders(core, stream);
      // FFmpeg's parser cuts the stream into the same access units.
      expect(aus.length).toBe(packets.length);
      const described = new ParameterSets();
      const all: SliceHeader[] = [];
      for (let i = 0; i < aus.length; i++) {
        const units = packets[i];
        const sps = aus[i].filter((n) => nalUnitType(n) === NalType.sps);
        const pps = aus[i].filter((n) => nalUnitType(n) === NalType.pps);
        const spsTrace = units.filter((u) => u.kind === 'Sequence Parameter Set');
        const ppsTrace = units.filter((u) => u.kind === 'Picture Parameter Set');
        expect(sps.length).toBe(spsTrace.length);
        expect(pps.length).toBe(ppsTrace.length);
        sps.forEach((n, k) => expectSps(parseSps(n), spsTrace[k]));
        pps.forEach((n, k) => expectPps(parsePps(n, (id) => params.sps(id)), ppsTrace[k]));
        const info = describeAccessUnit(aus[i], described);
        const sliceTrace = units.filter((u) => u.kind === 'Slice Header');
        expect(info.slices.length).toBe(sliceTrace.length);
        info.slices.forEach((h, k) => expectSlice(h, sliceTrace[k]));
        all.push(...info.slices);
      }
      expect(all.length).toBeGreaterThanOrEqual(aus.length);
      spec.has(all[0].sps, all);

      // The visible size and chroma format, as ffprobe reports them.
      const sps = described.all().sps[0];
      const probe = probeStream(core, stream);
      const g = visibleGeometry(sps);
      expect(`${g.planes[0].width}x${g.planes[0].height}`).toBe(`${probe.width}x${probe.height}`);
      if (!spec.bsf) expect(`${g.planes[0].width}x${g.planes[0].height}`).toBe(spec.size);
    });
  }

  it('the crop rectangle in luma and chroma samples (4:2:2, a crop on every side)', () => {
    const stream = encodeStream(core, STREAMS['4:2:2 with a crop on every side']);
    const sps = parseSps(splitAnnexB(stream).find((n) => nalUnitType(n) === NalType.sps)!);
    // h264_metadata takes luma samples; 4:2:2 crops in units of 2 horizontally, 1 vertically.
    expect(sps.frameCropOffsets).toEqual({ left: 2, right: 3, top: 2, bottom: 8 });
    expect(sps.crop).toEqual({ left: 4, top: 2, width: 310, height: 230 });
    expect(sps.chromaCrop).toEqual({ left: 2, top: 2, width: 155, height: 230 });
    expect([sps.subWidthC, sps.subHeightC, sps.mbWidthC, sps.mbHeightC, sps.chromaArrayType]).toEqual([2, 1, 8, 16, 2]);
    expect([sps.codedWidth, sps.codedHeight, sps.picSizeInMbs]).toEqual([320, 240, 300]);
  });
});
