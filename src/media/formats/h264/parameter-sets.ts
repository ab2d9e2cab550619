/**
 * Sequence and picture parameter sets (7.3.2.1, 7.3.2.2, Annex E VUI), for
 * every profile: High 4:2:2/4:4:4 and high bit depth, scaling lists, frame
 * cropping, interlace flags, slice groups. With them, the sizes the rest of
 * this library works with (7.4.2.1.1): macroblocks, the coded picture, and
 * the visible (cropped) rectangle in luma and chroma samples.
 */
import { BitReader, H264SyntaxError } from './bit-reader.ts';
import { NalType, nalToRbsp, nalUnitType } from './nal-units.ts';

/** The visible part of the coded picture, in samples of one plane. */
export interface CropRectangle {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface HrdParameters {
  readonly cpbCount: number;
  readonly bitRateScale: number;
  readonly cpbSizeScale: number;
  /** Per schedule: bits per second, CPB size in bits, constant bit rate. */
  readonly bitRate: readonly number[];
  readonly cpbSize: readonly number[];
  readonly cbr: readonly boolean[];
  readonly initialCpbRemovalDelayLength: number;
  readonly cpbRemovalDelayLength: number;
  readonly dpbOutputDelayLength: number;
  readonly timeOffsetLength: number;
}

/** VUI parameters (E.1.1), as far as the SPS carries them. */
export interface VuiParameters {
  readonly aspectRatioIdc?: number;
  readonly sarWidth?: number;
  readonly sarHeight?: number;
  readonly overscanAppropriate?: boolean;
  readonly videoFormat?: number;
  readonly videoFullRange?: boolean;
  readonly colourPrimaries?: number;
  readonly transferCharacteristics?: number;
  readonly matrixCoefficients?: number;
  readonly chromaSampleLocTop?: number;
  readonly chromaSampleLocBottom?: number;
  readonly numUnitsInTick?: number;
  readonly timeScale?: number;
  readonly fixedFrameRate?: boolean;
  readonly nalHrd?: HrdParameters;
  readonly vclHrd?: HrdParameters;
  readonly lowDelayHrd?: boolean;
  readonly picStructPresent?: boolean;
  readonly bitstreamRestriction?: {
    readonly motionVectorsOverPicBoundaries: boolean;
    readonly maxBytesPerPicDenom: number;
    readonly maxBitsPerMbDenom: number;
    readonly log2MaxMvLengthHorizontal: number;
    readonly log2MaxMvLengthVertical: number;
    readonly maxNumReorderFrames: number;
    readonly maxDecFrameBuffering: number;
  };
  /** False when the SPS ended inside the VUI (some encoders truncate it); the fields read before are kept. */
  readonly complete: boolean;
}

/** A sequence parameter set, parsed, with the values derived from it. */
export interface SequenceParameterSet {
  readonly profileIdc: number;
  /** constraint_set0_flag (bit 7) to constraint_set5_flag (bit 2), and the two reserved bits. */
  readonly constraintFlags: number;
  readonly levelIdc: number;
  readonly id: number;
  readonly chromaFormatIdc: number;
  readonly separateColourPlane: boolean;
  readonly bitDepthLuma: number;
  readonly bitDepthChroma: number;
  readonly qpprimeYZeroTransformBypass: boolean;
  readonly scalingMatrixPresent: boolean;
  readonly log2MaxFrameNum: number;
  readonly picOrderCntType: number;
  /** POC type 0. */
  readonly log2MaxPicOrderCntLsb: number;
  /** POC type 1. */
  readonly deltaPicOrderAlwaysZero: boolean;
  readonly offsetForNonRefPic: number;
  readonly offsetForTopToBottomField: number;
  readonly offsetForRefFrame: readonly number[];
  readonly maxNumRefFrames: number;
  readonly gapsInFrameNumAllowed: boolean;
  readonly picWidthInMbs: number;
  readonly picHeightInMapUnits: number;
  readonly frameMbsOnly: boolean;
  readonly mbAdaptiveFrameField: boolean;
  readonly direct8x8Inference: boolean;
  /** frame_crop_*_offset as coded (in crop units, not samples). */
  readonly frameCropOffsets: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  readonly vui?: VuiParameters;

  // Derived (7.4.2.1.1).
  readonly chromaArrayType: number;
  /** Chroma subsampling factors; 1 and 1 without chroma. */
  readonly subWidthC: number;
  readonly subHeightC: number;
  /** Chroma samples of a macroblock; 0 and 0 without chroma. */
  readonly mbWidthC: number;
  readonly mbHeightC: number;
  readonly frameHeightInMbs: number;
  /** Macroblocks in a frame. */
  readonly picSizeInMbs: number;
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** The visible rectangle, luma samples. */
  readonly crop: CropRectangle;
  /** The visible rectangle, chroma samples (the luma one without chroma). */
  readonly chromaCrop: CropRectangle;
  readonly maxFrameNum: number;
  /** Sum of offset_for_ref_frame (POC type 1). */
  readonly expectedDeltaPerPicOrderCntCycle: number;
}

/** A picture parameter set, parsed. */
export interface PictureParameterSet {
  readonly id: number;
  readonly spsId: number;
  /** entropy_coding_mode_flag: CABAC when true, CAVLC when false. */
  readonly cabac: boolean;
  readonly bottomFieldPicOrderInFramePresent: boolean;
  readonly numSliceGroups: number;
  readonly sliceGroupMapType: number;
  /** SliceGroupChangeRate (map types 3 to 5). */
  readonly sliceGroupChangeRate: number;
  readonly numRefIdxL0DefaultActive: number;
  readonly numRefIdxL1DefaultActive: number;
  readonly weightedPred: boolean;
  readonly weightedBipredIdc: number;
  /** 26 + pic_init_qp_minus26. */
  readonly picInitQp: number;
  readonly picInitQs: number;
  readonly chromaQpIndexOffset: number;
  readonly deblockingFilterControlPresent: boolean;
  readonly constrainedIntraPred: boolean;
  readonly redundantPicCntPresent: boolean;
  readonly transform8x8Mode: boolean;
  readonly picScalingMatrixPresent: boolean;
  readonly secondChromaQpIndexOffset: number;
}

/** profile_idc values whose SPS carries chroma_format_idc, bit depths and the scaling matrix flag. */
const CHROMA_INFO_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      const delta = r.seRange(-128, 127, 'delta_scale');
      next = (last + delta + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

function parseHrd(r: BitReader): HrdParameters {
  const cpbCount = r.ueMax(31, 'cpb_cnt_minus1') + 1;
  const bitRateScale = r.u(4);
  const cpbSizeScale = r.u(4);
  const bitRate: number[] = [];
  const cpbSize: number[] = [];
  const cbr: boolean[] = [];
  for (let i = 0; i < cpbCount; i++) {
    bitRate.push((r.ue() + 1) * 2 ** (6 + bitRateScale));
    cpbSize.push((r.ue() + 1) * 2 ** (4 + cpbSizeScale));
    cbr.push(r.flag());
  }
  return {
    cpbCount,
    bitRateScale,
    cpbSizeScale,
    bitRate,
    cpbSize,
    cbr,
    initialCpbRemovalDelayLength: r.u(5) + 1,
    cpbRemovalDelayLength: r.u(5) + 1,
    dpbOutputDelayLength: r.u(5) + 1,
    timeOffsetLength: r.u(5),
  };
}

function parseVui(r: BitReader): VuiParameters {
  const v: { -readonly [K in keyof VuiParameters]: VuiParameters[K] } = { complete: false };
  try {
    if (r.flag()) {
      v.aspectRatioIdc = r.u(8);
      if (v.aspectRatioIdc === 255) {
        v.sarWidth = r.u(16);
        v.sarHeight = r.u(16);
      }
    }
    if (r.flag()) v.overscanAppropriate = r.flag();
    if (r.flag()) {
      v.videoFormat = r.u(3);
      v.videoFullRange = r.flag();
      if (r.flag()) {
        v.colourPrimaries = r.u(8);
        v.transferCharacteristics = r.u(8);
        v.matrixCoefficients = r.u(8);
      }
    }
    if (r.flag()) {
      v.chromaSampleLocTop = r.ueMax(5, 'chroma_sample_loc_type_top_field');
      v.chromaSampleLocBottom = r.ueMax(5, 'chroma_sample_loc_type_bottom_field');
    }
    if (r.flag()) {
      v.numUnitsInTick = r.u(32);
      v.timeScale = r.u(32);
      v.fixedFrameRate = r.flag();
    }
    const nal = r.flag();
    if (nal) v.nalHrd = parseHrd(r);
    const vcl = r.flag();
    if (vcl) v.vclHrd = parseHrd(r);
    if (nal || vcl) v.lowDelayHrd = r.flag();
    v.picStructPresent = r.flag();
    if (r.flag()) {
      v.bitstreamRestriction = {
        motionVectorsOverPicBoundaries: r.flag(),
        maxBytesPerPicDenom: r.ueMax(16, 'max_bytes_per_pic_denom'),
        maxBitsPerMbDenom: r.ueMax(16, 'max_bits_per_mb_denom'),
        log2MaxMvLengthHorizontal: r.ueMax(16, 'log2_max_mv_length_horizontal'),
        log2MaxMvLengthVertical: r.ueMax(16, 'log2_max_mv_length_vertical'),
        maxNumReorderFrames: r.ue(),
        maxDecFrameBuffering: r.ue(),
      };
    }
    v.complete = true;
  } catch (e) {
    if (!(e instanceof H264SyntaxError)) throw e;
  }
  return v;
}

/**
 * Parses a sequence parameter set NAL unit (or, with `isRbsp`, its RBSP
 * without the header byte).
 * @throws H264SyntaxError when it is not a valid SPS.
 */
export function parseSps(nal: Uint8Array, isRbsp = false): SequenceParameterSet {
  if (!isRbsp && nalUnitType(nal) !== NalType.sps) throw new H264SyntaxError('not an SPS NAL unit');
  const r = new BitReader(isRbsp ? nal : nalToRbsp(nal));
  const profileIdc = r.u(8);
  const constraintFlags = r.u(8);
  const levelIdc = r.u(8);
  const id = r.ueMax(31, 'seq_parameter_set_id');
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  let qpprimeYZeroTransformBypass = false;
  let scalingMatrixPresent = false;
  if (CHROMA_INFO_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ueMax(3, 'chroma_format_idc');
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = r.ueMax(6, 'bit_depth_luma_minus8') + 8;
    bitDepthChroma = r.ueMax(6, 'bit_depth_chroma_minus8') + 8;
    qpprimeYZeroTransformBypass = r.flag();
    scalingMatrixPresent = r.flag();
    if (scalingMatrixPresent) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  const log2MaxFrameNum = r.ueMax(12, 'log2_max_frame_num_minus4') + 4;
  const picOrderCntType = r.ueMax(2, 'pic_order_cnt_type');
  let log2MaxPicOrderCntLsb = 0;
  let deltaPicOrderAlwaysZero = false;
  let offsetForNonRefPic = 0;
  let offsetForTopToBottomField = 0;
  const offsetForRefFrame: number[] = [];
  if (picOrderCntType === 0) {
    log2MaxPicOrderCntLsb = r.ueMax(12, 'log2_max_pic_order_cnt_lsb_minus4') + 4;
  } else if (picOrderCntType === 1) {
    deltaPicOrderAlwaysZero = r.flag();
    offsetForNonRefPic = r.seRange(-(2 ** 31) + 1, 2 ** 31 - 1, 'offset_for_non_ref_pic');
    offsetForTopToBottomField = r.seRange(-(2 ** 31) + 1, 2 ** 31 - 1, 'offset_for_top_to_bottom_field');
    const cycle = r.ueMax(255, 'num_ref_frames_in_pic_order_cnt_cycle');
    for (let i = 0; i < cycle; i++) offsetForRefFrame.push(r.seRange(-(2 ** 31) + 1, 2 ** 31 - 1, 'offset_for_ref_frame'));
  }
  const maxNumRefFrames = r.ueMax(16, 'max_num_ref_frames');
  const gapsInFrameNumAllowed = r.flag();
  const picWidthInMbs = r.ueMax(4095, 'pic_width_in_mbs_minus1') + 1;
  const picHeightInMapUnits = r.ueMax(4095, 'pic_height_in_map_units_minus1') + 1;
  const frameMbsOnly = r.flag();
  const mbAdaptiveFrameField = frameMbsOnly ? false : r.flag();
  const direct8x8Inference = r.flag();
  const frameCropOffsets = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.flag()) {
    frameCropOffsets.left = r.ue();
    frameCropOffsets.right = r.ue();
    frameCropOffsets.top = r.ue();
    frameCropOffsets.bottom = r.ue();
  }
  const vui = r.flag() ? parseVui(r) : undefined;

  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const mbWidthC = chromaArrayType === 0 ? 0 : 16 / subWidthC;
  const mbHeightC = chromaArrayType === 0 ? 0 : 16 / subHeightC;
  const frameHeightInMbs = (frameMbsOnly ? 1 : 2) * picHeightInMapUnits;
  const codedWidth = picWidthInMbs * 16;
  const codedHeight = frameHeightInMbs * 16;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
  const cl = cropUnitX * frameCropOffsets.left;
  const cr = cropUnitX * frameCropOffsets.right;
  const ct = cropUnitY * frameCropOffsets.top;
  const cb = cropUnitY * frameCropOffsets.bottom;
  if (cl + cr >= codedWidth || ct + cb >= codedHeight) throw new H264SyntaxError('frame cropping leaves no picture');
  const crop = { left: cl, top: ct, width: codedWidth - cl - cr, height: codedHeight - ct - cb };
  const chromaCrop =
    chromaFormatIdc === 0
      ? crop
      : { left: cl / subWidthC, top: ct / subHeightC, width: crop.width / subWidthC, height: crop.height / subHeightC };
  let expectedDeltaPerPicOrderCntCycle = 0;
  for (const o of offsetForRefFrame) expectedDeltaPerPicOrderCntCycle += o;
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    id,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma,
    bitDepthChroma,
    qpprimeYZeroTransformBypass,
    scalingMatrixPresent,
    log2MaxFrameNum,
    picOrderCntType,
    log2MaxPicOrderCntLsb,
    deltaPicOrderAlwaysZero,
    offsetForNonRefPic,
    offsetForTopToBottomField,
    offsetForRefFrame,
    maxNumRefFrames,
    gapsInFrameNumAllowed,
    picWidthInMbs,
    picHeightInMapUnits,
    frameMbsOnly,
    mbAdaptiveFrameField,
    direct8x8Inference,
    frameCropOffsets,
    vui,
    chromaArrayType,
    subWidthC,
    subHeightC,
    mbWidthC,
    mbHeightC,
    frameHeightInMbs,
    picSizeInMbs: picWidthInMbs * frameHeightInMbs,
    codedWidth,
    codedHeight,
    crop,
    chromaCrop,
    maxFrameNum: 2 ** log2MaxFrameNum,
    expectedDeltaPerPicOrderCntCycle,
  };
}

/**
 * Parses a picture parameter set NAL unit. Its SPS is needed only to count
 * the scaling lists of a PPS with an 8x8 transform and its own matrix, and
 * to check pic_init_qp against the luma bit depth.
 * @throws H264SyntaxError when it is not a valid PPS (or its SPS is needed and missing).
 */
export function parsePps(nal: Uint8Array, spsById: (id: number) => SequenceParameterSet | undefined): PictureParameterSet {
  if (nalUnitType(nal) !== NalType.pps) throw new H264SyntaxError('not a PPS NAL unit');
  const r = new BitReader(nalToRbsp(nal));
  const id = r.ueMax(255, 'pic_parameter_set_id');
  const spsId = r.ueMax(31, 'seq_parameter_set_id');
  const sps = spsById(spsId);
  const cabac = r.flag();
  const bottomFieldPicOrderInFramePresent = r.flag();
  const numSliceGroups = r.ueMax(7, 'num_slice_groups_minus1') + 1;
  let sliceGroupMapType = 0;
  let sliceGroupChangeRate = 0;
  if (numSliceGroups > 1) {
    sliceGroupMapType = r.ueMax(6, 'slice_group_map_type');
    if (sliceGroupMapType === 0) {
      for (let i = 0; i < numSliceGroups; i++) r.ue();
    } else if (sliceGroupMapType === 2) {
      for (let i = 0; i < numSliceGroups - 1; i++) {
        r.ue();
        r.ue();
      }
    } else if (sliceGroupMapType >= 3 && sliceGroupMapType <= 5) {
      r.u1();
      sliceGroupChangeRate = r.ue() + 1;
    } else if (sliceGroupMapType === 6) {
      const units = r.ueMax(139264, 'pic_size_in_map_units_minus1') + 1;
      const bits = Math.ceil(Math.log2(numSliceGroups));
      for (let i = 0; i < units; i++) r.u(bits);
    }
  }
  const numRefIdxL0DefaultActive = r.ueMax(31, 'num_ref_idx_l0_default_active_minus1') + 1;
  const numRefIdxL1DefaultActive = r.ueMax(31, 'num_ref_idx_l1_default_active_minus1') + 1;
  const weightedPred = r.flag();
  const weightedBipredIdc = r.u(2);
  if (weightedBipredIdc === 3) throw new H264SyntaxError('weighted_bipred_idc = 3 is reserved');
  const qpBdOffsetY = sps ? 6 * (sps.bitDepthLuma - 8) : 36;
  const picInitQp = 26 + r.seRange(-(26 + qpBdOffsetY), 25, 'pic_init_qp_minus26');
  const picInitQs = 26 + r.seRange(-26, 25, 'pic_init_qs_minus26');
  const chromaQpIndexOffset = r.seRange(-12, 12, 'chroma_qp_index_offset');
  const deblockingFilterControlPresent = r.flag();
  const constrainedIntraPred = r.flag();
  const redundantPicCntPresent = r.flag();
  let transform8x8Mode = false;
  let picScalingMatrixPresent = false;
  let secondChromaQpIndexOffset = chromaQpIndexOffset;
  if (r.moreRbspData()) {
    transform8x8Mode = r.flag();
    picScalingMatrixPresent = r.flag();
    if (picScalingMatrixPresent) {
      let lists = 6;
      if (transform8x8Mode) {
        if (!sps) throw new H264SyntaxError(`PPS ${id} needs SPS ${spsId}, which has not been seen`);
        lists += sps.chromaFormatIdc !== 3 ? 2 : 6;
      }
      for (let i = 0; i < lists; i++) if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
    }
    secondChromaQpIndexOffset = r.seRange(-12, 12, 'second_chroma_qp_index_offset');
  }
  return {
    id,
    spsId,
    cabac,
    bottomFieldPicOrderInFramePresent,
    numSliceGroups,
    sliceGroupMapType,
    sliceGroupChangeRate,
    numRefIdxL0DefaultActive,
    numRefIdxL1DefaultActive,
    weightedPred,
    weightedBipredIdc,
    picInitQp,
    picInitQs,
    chromaQpIndexOffset,
    deblockingFilterControlPresent,
    constrainedIntraPred,
    redundantPicCntPresent,
    transform8x8Mode,
    picScalingMatrixPresent,
    secondChromaQpIndexOffset,
  };
}

/**
 * The parameter sets in force: from the avcC record, then any sent in band.
 * A set with a parent (`new ParameterSets(parent)`) looks up what it does not
 * hold itself in the parent, so one sample's in-band sets can be applied
 * without changing the stream's.
 */
export class ParameterSets {
  private readonly spsList: (SequenceParameterSet | undefined)[] = new Array(32);
  private readonly ppsList: (PictureParameterSet | undefined)[] = new Array(256);
  private readonly parent?: ParameterSets;

  constructor(parent?: ParameterSets) {
    this.parent = parent;
  }

  /** Parameter sets from NAL units (an avcC record's lists, for example). */
  static from(nals: readonly Uint8Array[]): ParameterSets {
    const ps = new ParameterSets();
    for (const nal of nals) ps.add(nal);
    return ps;
  }

  sps(id: number): SequenceParameterSet | undefined {
    return this.spsList[id] ?? this.parent?.sps(id);
  }

  pps(id: number): PictureParameterSet | undefined {
    return this.ppsList[id] ?? this.parent?.pps(id);
  }

  /** Every SPS and PPS held here or in the parent, the ones held here first. */
  all(): { sps: SequenceParameterSet[]; pps: PictureParameterSet[] } {
    const sps: SequenceParameterSet[] = [];
    const pps: PictureParameterSet[] = [];
    for (let i = 0; i < 32; i++) {
      const s = this.sps(i);
      if (s) sps.push(s);
    }
    for (let i = 0; i < 256; i++) {
      const p = this.pps(i);
      if (p) pps.push(p);
    }
    return { sps, pps };
  }

  /**
   * Takes an SPS or PPS NAL unit into account; other NAL units are ignored.
   * @returns whether the NAL unit was a parameter set.
   * @throws H264SyntaxError when the parameter set is malformed.
   */
  add(nal: Uint8Array): boolean {
    const t = nalUnitType(nal);
    if (t === NalType.sps) {
      const sps = parseSps(nal);
      this.spsList[sps.id] = sps;
      return true;
    }
    if (t === NalType.pps) {
      const pps = parsePps(nal, (id) => this.sps(id));
      this.ppsList[pps.id] = pps;
      return true;
    }
    return false;
  }
}
