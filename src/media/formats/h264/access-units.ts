/**
 * Access units: the NAL units of one picture. In MP4/MOV each sample is one
 * already; a raw Annex B stream is grouped here (7.4.1.2.3: delimiters,
 * parameter sets and SEI after a picture's slices start the next unit, and
 * 7.4.1.2.4: the slice header fields that differ between pictures).
 *
 * An access unit is then described by its slices' headers: reference or
 * not, IDR or not, slice types.
 */
import { H264SyntaxError } from './bit-reader.ts';
import { NalType, nalUnitType, splitLengthPrefixed } from './nal-units.ts';
import type { ParameterSets } from './parameter-sets.ts';
import { readSliceHeader, type SliceHeader } from './slice-header.ts';

/** Whether slice `b` starts a new primary coded picture after slice `a` (7.4.1.2.4). */
export function startsNewPicture(a: SliceHeader, b: SliceHeader): boolean {
  if (b.redundantPicCnt > 0) return false;
  if (a.frameNum !== b.frameNum || a.ppsId !== b.ppsId || a.fieldPic !== b.fieldPic) return true;
  if (a.fieldPic && b.fieldPic && a.bottomField !== b.bottomField) return true;
  if (a.nalRefIdc !== b.nalRefIdc && (a.nalRefIdc === 0 || b.nalRefIdc === 0)) return true;
  if (a.sps.picOrderCntType === 0 && b.sps.picOrderCntType === 0) {
    if (a.picOrderCntLsb !== b.picOrderCntLsb || a.deltaPicOrderCntBottom !== b.deltaPicOrderCntBottom) return true;
  }
  if (a.sps.picOrderCntType === 1 && b.sps.picOrderCntType === 1) {
    if (a.deltaPicOrderCnt0 !== b.deltaPicOrderCnt0 || a.deltaPicOrderCnt1 !== b.deltaPicOrderCnt1) return true;
  }
  if (a.idr !== b.idr) return true;
  return a.idr && b.idr && a.idrPicId !== b.idrPicId;
}

/** NAL unit types that, after a picture's slices, begin the next access unit. */
function beginsAccessUnit(type: number): boolean {
  return type === NalType.accessUnitDelimiter || type === NalType.sps || type === NalType.pps || type === NalType.sei || (type >= 14 && type <= 18);
}

/**
 * Groups a stream's NAL units, pushed in order, into access units. In-band
 * SPS and PPS units are added to `params` as they pass (the slices after
 * them need them). Holds one access unit at a time.
 */
export class AccessUnitAssembler {
  private current: Uint8Array[] = [];
  private lastSlice: SliceHeader | undefined;
  private afterVcl = false;

  constructor(private readonly params: ParameterSets) {}

  /**
   * Takes the next NAL unit.
   * @returns the access unit this NAL unit completed, if it completed one.
   * @throws H264SyntaxError on a malformed slice header or parameter set.
   */
  push(nal: Uint8Array): Uint8Array[] | undefined {
    const type = nalUnitType(nal);
    let done: Uint8Array[] | undefined;
    if (type === NalType.nonIdrSlice || type === NalType.idrSlice || type === NalType.partitionA) {
      const h = readSliceHeader(nal, this.params);
      if (this.lastSlice && startsNewPicture(this.lastSlice, h)) done = this.take();
      this.lastSlice = h;
      this.afterVcl = true;
    } else if (beginsAccessUnit(type) && this.afterVcl) {
      done = this.take();
    }
    if (type === NalType.sps || type === NalType.pps) this.params.add(nal);
    this.current.push(nal);
    return done;
  }

  /** The last access unit, once the stream has ended. */
  flush(): Uint8Array[] | undefined {
    return this.current.length ? this.take() : undefined;
  }

  private take(): Uint8Array[] {
    const au = this.current;
    this.current = [];
    this.afterVcl = false;
    this.lastSlice = undefined;
    return au;
  }
}

/** Groups a whole stream's NAL units into access units (for short streams; long ones go through {@link AccessUnitAssembler}). */
export function groupAccessUnits(nals: readonly Uint8Array[], params: ParameterSets): Uint8Array[][] {
  const asm = new AccessUnitAssembler(params);
  const out: Uint8Array[][] = [];
  for (const nal of nals) {
    const au = asm.push(nal);
    if (au) out.push(au);
  }
  const last = asm.flush();
  if (last) out.push(last);
  return out;
}

/** What an access unit holds, from its slice headers. */
export interface AccessUnitInfo {
  /** The header of every slice of the primary picture (and any redundant one), in order. */
  readonly slices: readonly SliceHeader[];
  /** nal_unit_type of every VCL NAL unit, in order. */
  readonly vclNalTypes: readonly number[];
  /** The first slice's nal_ref_idc: 0 when no other picture may reference this one. */
  readonly nalRefIdc: number;
  readonly idr: boolean;
  /** slice_type % 5 of every slice (0 P, 1 B, 2 I, 3 SP, 4 SI). */
  readonly sliceKinds: readonly number[];
  /** Whether the picture has memory_management_control_operation 5. */
  readonly hasMmco5: boolean;
}

/**
 * Describes an access unit. In-band SPS and PPS units are added to `params`
 * before the slices after them are read.
 * @throws H264SyntaxError when it has no slice, or a slice header or parameter set is malformed.
 */
export function describeAccessUnit(nals: readonly Uint8Array[], params: ParameterSets): AccessUnitInfo {
  const slices: SliceHeader[] = [];
  const vclNalTypes: number[] = [];
  for (const nal of nals) {
    const type = nalUnitType(nal);
    if (type === NalType.sps || type === NalType.pps) params.add(nal);
    else if (type >= 1 && type <= 5) {
      vclNalTypes.push(type);
      if (type !== NalType.partitionB && type !== NalType.partitionC) slices.push(readSliceHeader(nal, params));
    }
  }
  if (slices.length === 0) throw new H264SyntaxError('access unit has no slice');
  const first = slices[0];
  return {
    slices,
    vclNalTypes,
    nalRefIdc: first.nalRefIdc,
    idr: first.idr,
    sliceKinds: slices.map((s) => s.sliceKind),
    hasMmco5: first.hasMmco5,
  };
}

/** Describes one length-prefixed sample of an MP4/MOV track. */
export function describeSample(sample: Uint8Array, lengthSize: number, params: ParameterSets): AccessUnitInfo {
  return describeAccessUnit(splitLengthPrefixed(sample, lengthSize), params);
}

/**
 * Whether no other picture can reference this one, so rewriting it changes
 * no other decoded frame: nal_ref_idc 0, or the last picture before an IDR
 * picture or the end of the stream (`next` undefined).
 */
export function isUnreferenced(current: Pick<AccessUnitInfo, 'nalRefIdc'>, next: Pick<AccessUnitInfo, 'idr'> | undefined): boolean {
  return current.nalRefIdc === 0 || next === undefined || next.idr;
}
