/**
 * Parameter sets and slice headers written by hand, for what no encoder at
 * hand makes: 12- and 14-bit samples, 4:0:0 above 8 bits, crops on every
 * side in 4:4:4, deblocking left on with a chroma QP offset. A stream of
 * such headers with every picture written by the I_PCM writer is a valid
 * H.264 stream FFmpeg decodes.
 */
import { BitWriter, rbspToNal } from '../src/media/formats/h264/index.ts';

export interface SyntheticSpsOptions {
  readonly profileIdc?: number;
  readonly chromaFormatIdc: number;
  readonly bitDepth: number;
  readonly widthInMbs: number;
  readonly heightInMbs: number;
  /** frame_crop_*_offset, in crop units. */
  readonly crop?: { left: number; right: number; top: number; bottom: number };
  readonly log2MaxFrameNum?: number;
  readonly log2MaxPocLsb?: number;
}

/** An SPS NAL unit: High 4:4:4 Predictive by default (every chroma format, 8 to 14 bits), POC type 0, no VUI. */
export function syntheticSps(o: SyntheticSpsOptions): Uint8Array {
  const w = new BitWriter();
  const profile = o.profileIdc ?? 244;
  w.u(8, profile);
  w.u(8, 0); // constraint flags
  w.u(8, 51); // level_idc
  w.ue(0); // seq_parameter_set_id
  if (profile >= 100) {
    w.ue(o.chromaFormatIdc);
    if (o.chromaFormatIdc === 3) w.u(1, 0); // separate_colour_plane_flag
    w.ue(o.bitDepth - 8);
    w.ue(o.bitDepth - 8);
    w.u(1, 0); // qpprime_y_zero_transform_bypass_flag
    w.u(1, 0); // seq_scaling_matrix_present_flag
  }
  w.ue((o.log2MaxFrameNum ?? 4) - 4);
  w.ue(0); // pic_order_cnt_type
  w.ue((o.log2MaxPocLsb ?? 8) - 4);
  w.ue(1); // max_num_ref_frames
  w.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  w.ue(o.widthInMbs - 1);
  w.ue(o.heightInMbs - 1);
  w.u(1, 1); // frame_mbs_only_flag
  w.u(1, 1); // direct_8x8_inference_flag
  if (o.crop) {
    w.u(1, 1);
    w.ue(o.crop.left);
    w.ue(o.crop.right);
    w.ue(o.crop.top);
    w.ue(o.crop.bottom);
  } else {
    w.u(1, 0);
  }
  w.u(1, 0); // vui_parameters_present_flag
  w.trailingBits();
  return rbspToNal(0x67, w.view());
}

export interface SyntheticPpsOptions {
  readonly cabac: boolean;
  readonly deblockingFilterControlPresent: boolean;
  readonly chromaQpIndexOffset?: number;
  readonly picInitQpMinus26?: number;
  /** Writes the High-profile tail (transform_8x8_mode_flag and the rest). */
  readonly highTail?: boolean;
}

export function syntheticPps(o: SyntheticPpsOptions): Uint8Array {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.u(1, o.cabac ? 1 : 0);
  w.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.u(1, 0); // weighted_pred_flag
  w.u(2, 0); // weighted_bipred_idc
  w.se(o.picInitQpMinus26 ?? 0);
  w.se(0); // pic_init_qs_minus26
  w.se(o.chromaQpIndexOffset ?? 0);
  w.u(1, o.deblockingFilterControlPresent ? 1 : 0);
  w.u(1, 0); // constrained_intra_pred_flag
  w.u(1, 0); // redundant_pic_cnt_present_flag
  if (o.highTail ?? true) {
    w.u(1, 0); // transform_8x8_mode_flag
    w.u(1, 0); // pic_scaling_matrix_present_flag
    w.se(o.chromaQpIndexOffset ?? 0); // second_chroma_qp_index_offset
  }
  w.trailingBits();
  return rbspToNal(0x68, w.view());
}

export interface SyntheticSliceOptions {
  readonly idr: boolean;
  readonly nalRefIdc: number;
  readonly frameNum: number;
  readonly pocLsb: number;
  readonly log2MaxFrameNum?: number;
  readonly log2MaxPocLsb?: number;
  readonly deblockingFilterControlPresent: boolean;
  readonly cabac: boolean;
}

/**
 * The start of a P (or, for IDR, I) slice NAL unit with these reference
 * fields: enough for the slice header parser, which is all the carrier
 * writer reads of the picture it replaces.
 */
export function syntheticSliceHeader(o: SyntheticSliceOptions): Uint8Array {
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(o.idr ? 7 : 5); // I for an IDR picture, P otherwise
  w.ue(0); // pic_parameter_set_id
  w.u(o.log2MaxFrameNum ?? 4, o.frameNum);
  if (o.idr) w.ue(0); // idr_pic_id
  w.u(o.log2MaxPocLsb ?? 8, o.pocLsb);
  if (!o.idr) {
    w.u(1, 0); // num_ref_idx_active_override_flag
    w.u(1, 0); // ref_pic_list_modification_flag_l0
  }
  if (o.nalRefIdc !== 0) {
    if (o.idr) {
      w.u(1, 0); // no_output_of_prior_pics_flag
      w.u(1, 0); // long_term_reference_flag
    } else {
      w.u(1, 0); // adaptive_ref_pic_marking_mode_flag
    }
  }
  if (o.cabac && !o.idr) w.ue(0); // cabac_init_idc
  w.se(0); // slice_qp_delta
  if (o.deblockingFilterControlPresent) {
    w.ue(0); // disable_deblocking_filter_idc
    w.se(0); // slice_alpha_c0_offset_div2
    w.se(0); // slice_beta_offset_div2
  }
  w.trailingBits();
  return rbspToNal((o.nalRefIdc << 5) | (o.idr ? 5 : 1), w.view());
}
