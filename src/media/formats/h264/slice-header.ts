/**
 * The slice header (7.3.3), parsed to its end: the fields that say which
 * picture a slice belongs to and how it changes the decoder's reference
 * state, the reference list and weight syntax in between, and the bits of
 * dec_ref_pic_marking() kept as they were coded, so a rewritten slice can
 * carry them over bit for bit.
 */
import { BitReader, H264SyntaxError } from './bit-reader.ts';
import { NalType, removeEmulationPrevention } from './nal-units.ts';
import type { ParameterSets, PictureParameterSet, SequenceParameterSet } from './parameter-sets.ts';

/** slice_type % 5. */
export const SliceKind = { p: 0, b: 1, i: 2, sp: 3, si: 4 } as const;

/** One memory_management_control_operation with its arguments (0 where absent). */
export interface MemoryManagementOperation {
  readonly operation: number;
  readonly differenceOfPicNumsMinus1: number;
  readonly longTermPicNum: number;
  readonly longTermFrameIdx: number;
  readonly maxLongTermFrameIdxPlus1: number;
}

/** dec_ref_pic_marking() (7.3.3.3), parsed, and its bits as coded. */
export interface DecRefPicMarking {
  readonly noOutputOfPriorPics: boolean;
  readonly longTermReference: boolean;
  readonly adaptiveRefPicMarking: boolean;
  readonly operations: readonly MemoryManagementOperation[];
  /** The syntax's bits, packed MSB first from bit 0 of `bits`. */
  readonly bits: Uint8Array;
  readonly bitLength: number;
  /** Where those bits started in the slice's RBSP (after the NAL header byte). */
  readonly rbspBitOffset: number;
}

export interface SliceHeader {
  readonly nalRefIdc: number;
  readonly nalUnitType: number;
  /** IdrPicFlag. */
  readonly idr: boolean;
  readonly firstMbInSlice: number;
  /** slice_type as coded, 0 to 9. */
  readonly sliceType: number;
  /** slice_type % 5: see {@link SliceKind}. */
  readonly sliceKind: number;
  readonly ppsId: number;
  readonly colourPlaneId: number;
  readonly frameNum: number;
  readonly fieldPic: boolean;
  readonly bottomField: boolean;
  /** MbaffFrameFlag. */
  readonly mbaffFrame: boolean;
  readonly idrPicId: number;
  readonly picOrderCntLsb: number;
  readonly deltaPicOrderCntBottom: number;
  readonly deltaPicOrderCnt0: number;
  readonly deltaPicOrderCnt1: number;
  readonly redundantPicCnt: number;
  readonly directSpatialMvPred: boolean;
  readonly numRefIdxL0Active: number;
  readonly numRefIdxL1Active: number;
  /** Operations of ref_pic_list_modification() for list 0 and 1 (modification_of_pic_nums_idc values, the ending 3 left out). */
  readonly refPicListModificationL0: readonly number[];
  readonly refPicListModificationL1: readonly number[];
  readonly hasPredWeightTable: boolean;
  /** Present when nal_ref_idc is not 0. */
  readonly decRefPicMarking?: DecRefPicMarking;
  /** Whether dec_ref_pic_marking has memory_management_control_operation 5 (forget every reference, restart POC). */
  readonly hasMmco5: boolean;
  readonly cabacInitIdc: number;
  readonly sliceQpDelta: number;
  readonly spForSwitch: boolean;
  readonly sliceQsDelta: number;
  readonly disableDeblockingFilterIdc: number;
  readonly sliceAlphaC0OffsetDiv2: number;
  readonly sliceBetaOffsetDiv2: number;
  readonly sliceGroupChangeCycle: number;
  /** Bits of the RBSP the header takes: slice_data() starts here. */
  readonly headerBitLength: number;
  readonly sps: SequenceParameterSet;
  readonly pps: PictureParameterSet;
}

function readRefPicListModification(r: BitReader): number[] {
  const ops: number[] = [];
  if (!r.flag()) return ops;
  for (;;) {
    const idc = r.ue();
    if (idc === 3) return ops;
    if (idc > 2) throw new H264SyntaxError(`modification_of_pic_nums_idc ${idc} outside a multiview slice`);
    r.ue();
    ops.push(idc);
    if (ops.length > 66) throw new H264SyntaxError('ref_pic_list_modification too long');
  }
}

function skipPredWeightTable(r: BitReader, chromaArrayType: number, l0: number, l1: number): void {
  r.ueMax(7, 'luma_log2_weight_denom');
  if (chromaArrayType !== 0) r.ueMax(7, 'chroma_log2_weight_denom');
  for (const count of [l0, l1]) {
    for (let i = 0; i < count; i++) {
      if (r.flag()) {
        r.se();
        r.se();
      }
      if (chromaArrayType !== 0 && r.flag()) {
        r.se();
        r.se();
        r.se();
        r.se();
      }
    }
  }
}

function readDecRefPicMarking(r: BitReader, idr: boolean, data: Uint8Array): DecRefPicMarking {
  const start = r.position;
  let noOutputOfPriorPics = false;
  let longTermReference = false;
  let adaptiveRefPicMarking = false;
  const operations: MemoryManagementOperation[] = [];
  if (idr) {
    noOutputOfPriorPics = r.flag();
    longTermReference = r.flag();
  } else {
    adaptiveRefPicMarking = r.flag();
    if (adaptiveRefPicMarking) {
      for (;;) {
        const operation = r.ueMax(6, 'memory_management_control_operation');
        if (operation === 0) break;
        let differenceOfPicNumsMinus1 = 0;
        let longTermPicNum = 0;
        let longTermFrameIdx = 0;
        let maxLongTermFrameIdxPlus1 = 0;
        if (operation === 1 || operation === 3) differenceOfPicNumsMinus1 = r.ue();
        if (operation === 2) longTermPicNum = r.ue();
        if (operation === 3 || operation === 6) longTermFrameIdx = r.ue();
        if (operation === 4) maxLongTermFrameIdxPlus1 = r.ue();
        operations.push({ operation, differenceOfPicNumsMinus1, longTermPicNum, longTermFrameIdx, maxLongTermFrameIdxPlus1 });
        if (operations.length > 100) throw new H264SyntaxError('dec_ref_pic_marking too long');
      }
    }
  }
  const bitLength = r.position - start;
  const bits = new Uint8Array((bitLength + 7) >> 3);
  for (let i = 0; i < bitLength; i++) {
    const p = start + i;
    bits[i >> 3] |= ((data[p >> 3] >> (7 - (p & 7))) & 1) << (7 - (i & 7));
  }
  return { noOutputOfPriorPics, longTermReference, adaptiveRefPicMarking, operations, bits, bitLength, rbspBitOffset: start };
}

/**
 * Parses a slice header from a slice's RBSP (the NAL unit's payload after
 * its one-byte header, emulation prevention removed, at least as far as the
 * header goes).
 * @param nalHeader the NAL unit's first byte.
 * @throws H264SyntaxError when the header is malformed or names a missing parameter set.
 */
export function parseSliceHeader(rbsp: Uint8Array, nalHeader: number, params: ParameterSets): SliceHeader {
  const type = nalHeader & 0x1f;
  // Data partition A starts with the same header; partitions B and C do not.
  if (type !== NalType.nonIdrSlice && type !== NalType.idrSlice && type !== NalType.partitionA) {
    throw new H264SyntaxError(`NAL unit type ${type} is not a slice this library reads`);
  }
  const refIdc = (nalHeader >> 5) & 3;
  const idr = type === NalType.idrSlice;
  const r = new BitReader(rbsp);
  const firstMbInSlice = r.ueMax(139263, 'first_mb_in_slice');
  const sliceType = r.ueMax(9, 'slice_type');
  const sliceKind = sliceType % 5;
  const ppsId = r.ueMax(255, 'pic_parameter_set_id');
  const pps = params.pps(ppsId);
  if (!pps) throw new H264SyntaxError(`slice refers to PPS ${ppsId}, which has not been seen`);
  const sps = params.sps(pps.spsId);
  if (!sps) throw new H264SyntaxError(`PPS ${ppsId} refers to SPS ${pps.spsId}, which has not been seen`);
  if (idr && sliceKind !== SliceKind.i && sliceKind !== SliceKind.si) throw new H264SyntaxError('an IDR slice must be I or SI');
  const colourPlaneId = sps.separateColourPlane ? r.u(2) : 0;
  const frameNum = r.u(sps.log2MaxFrameNum);
  let fieldPic = false;
  let bottomField = false;
  if (!sps.frameMbsOnly) {
    fieldPic = r.flag();
    if (fieldPic) bottomField = r.flag();
  }
  const mbaffFrame = sps.mbAdaptiveFrameField && !fieldPic;
  const idrPicId = idr ? r.ueMax(65535, 'idr_pic_id') : 0;
  let picOrderCntLsb = 0;
  let deltaPicOrderCntBottom = 0;
  let deltaPicOrderCnt0 = 0;
  let deltaPicOrderCnt1 = 0;
  if (sps.picOrderCntType === 0) {
    picOrderCntLsb = r.u(sps.log2MaxPicOrderCntLsb);
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic) deltaPicOrderCntBottom = r.se();
  }
  if (sps.picOrderCntType === 1 && !sps.deltaPicOrderAlwaysZero) {
    deltaPicOrderCnt0 = r.se();
    if (pps.bottomFieldPicOrderInFramePresent && !fieldPic) deltaPicOrderCnt1 = r.se();
  }
  const redundantPicCnt = pps.redundantPicCntPresent ? r.ueMax(127, 'redundant_pic_cnt') : 0;
  const isB = sliceKind === SliceKind.b;
  const isP = sliceKind === SliceKind.p || sliceKind === SliceKind.sp;
  const directSpatialMvPred = isB ? r.flag() : false;
  let numRefIdxL0Active = pps.numRefIdxL0DefaultActive;
  let numRefIdxL1Active = pps.numRefIdxL1DefaultActive;
  const maxRefIdx = fieldPic ? 31 : 15;
  if (isP || isB) {
    if (r.flag()) {
      numRefIdxL0Active = r.ueMax(maxRefIdx, 'num_ref_idx_l0_active_minus1') + 1;
      if (isB) numRefIdxL1Active = r.ueMax(maxRefIdx, 'num_ref_idx_l1_active_minus1') + 1;
    }
  }
  if (!isP && !isB) {
    numRefIdxL0Active = 0;
    numRefIdxL1Active = 0;
  } else if (!isB) {
    numRefIdxL1Active = 0;
  }
  const refPicListModificationL0 = isP || isB ? readRefPicListModification(r) : [];
  const refPicListModificationL1 = isB ? readRefPicListModification(r) : [];
  const hasPredWeightTable = (pps.weightedPred && isP) || (pps.weightedBipredIdc === 1 && isB);
  if (hasPredWeightTable) skipPredWeightTable(r, sps.chromaArrayType, numRefIdxL0Active, isB ? numRefIdxL1Active : 0);
  const decRefPicMarking = refIdc !== 0 ? readDecRefPicMarking(r, idr, rbsp) : undefined;
  const hasMmco5 = decRefPicMarking?.operations.some((o) => o.operation === 5) ?? false;
  const cabacInitIdc = pps.cabac && sliceKind !== SliceKind.i && sliceKind !== SliceKind.si ? r.ueMax(2, 'cabac_init_idc') : 0;
  const qpBdOffsetY = 6 * (sps.bitDepthLuma - 8);
  const sliceQpDelta = r.seRange(-(pps.picInitQp + qpBdOffsetY), 51 - pps.picInitQp, 'slice_qp_delta');
  let spForSwitch = false;
  let sliceQsDelta = 0;
  if (sliceKind === SliceKind.sp || sliceKind === SliceKind.si) {
    if (sliceKind === SliceKind.sp) spForSwitch = r.flag();
    sliceQsDelta = r.se();
  }
  let disableDeblockingFilterIdc = 0;
  let sliceAlphaC0OffsetDiv2 = 0;
  let sliceBetaOffsetDiv2 = 0;
  if (pps.deblockingFilterControlPresent) {
    disableDeblockingFilterIdc = r.ueMax(2, 'disable_deblocking_filter_idc');
    if (disableDeblockingFilterIdc !== 1) {
      sliceAlphaC0OffsetDiv2 = r.seRange(-6, 6, 'slice_alpha_c0_offset_div2');
      sliceBetaOffsetDiv2 = r.seRange(-6, 6, 'slice_beta_offset_div2');
    }
  }
  let sliceGroupChangeCycle = 0;
  if (pps.numSliceGroups > 1 && pps.sliceGroupMapType >= 3 && pps.sliceGroupMapType <= 5) {
    const picSizeInMapUnits = sps.picWidthInMbs * sps.picHeightInMapUnits;
    sliceGroupChangeCycle = r.u(Math.ceil(Math.log2(Math.ceil(picSizeInMapUnits / pps.sliceGroupChangeRate) + 1)));
  }
  return {
    nalRefIdc: refIdc,
    nalUnitType: type,
    idr,
    firstMbInSlice,
    sliceType,
    sliceKind,
    ppsId,
    colourPlaneId,
    frameNum,
    fieldPic,
    bottomField,
    mbaffFrame,
    idrPicId,
    picOrderCntLsb,
    deltaPicOrderCntBottom,
    deltaPicOrderCnt0,
    deltaPicOrderCnt1,
    redundantPicCnt,
    directSpatialMvPred,
    numRefIdxL0Active,
    numRefIdxL1Active,
    refPicListModificationL0,
    refPicListModificationL1,
    hasPredWeightTable,
    decRefPicMarking,
    hasMmco5,
    cabacInitIdc,
    sliceQpDelta,
    spForSwitch,
    sliceQsDelta,
    disableDeblockingFilterIdc,
    sliceAlphaC0OffsetDiv2,
    sliceBetaOffsetDiv2,
    sliceGroupChangeCycle,
    headerBitLength: r.position,
    sps,
    pps,
  };
}

/**
 * Parses the header of a slice NAL unit, removing emulation prevention only
 * from as much of the start as the header needs (the rest of a large slice
 * is left alone).
 * @throws H264SyntaxError when the header is malformed or names a missing parameter set.
 */
export function readSliceHeader(nal: Uint8Array, params: ParameterSets): SliceHeader {
  if (nal.length < 2) throw new H264SyntaxError('slice NAL unit too short');
  const header = nal[0];
  let take = Math.min(nal.length, 128);
  for (;;) {
    const rbsp = new Uint8Array(take - 1);
    const n = removeEmulationPrevention(nal, 1, take, rbsp);
    try {
      return parseSliceHeader(rbsp.subarray(0, n), header, params);
    } catch (e) {
      if (!(e instanceof H264SyntaxError) || take === nal.length) throw e;
      take = Math.min(nal.length, take * 8);
    }
  }
}

