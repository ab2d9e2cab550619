/**
 * The I_PCM carrier writer: a picture rewritten as I slices in which every
 * macroblock is I_PCM (raw samples: legal in every profile, reproduced
 * exactly by every decoder, never deblocked since qP is 0), under the
 * stream's own SPS and PPS.
 *
 * The slice header copies the original picture's nal_ref_idc, nal_unit_type,
 * frame_num, picture order count fields, idr_pic_id and dec_ref_pic_marking
 * (bit for bit), so the decoder's reference state evolves exactly as before.
 * Samples outside the visible (cropped) area repeat the nearest visible edge.
 *
 * Speed: each macroblock's bytes are a prefix (constant in CAVLC; in CABAC
 * looked up from a table built once, since the arithmetic engine restarts
 * after every I_PCM macroblock and the prefix then depends on one context's
 * state alone) and its samples. A picture that fits one NAL unit is gathered
 * into one buffer and escaped in one pass; with a NAL size limit each
 * macroblock is escaped as it is added, so a slice ends exactly where the
 * next macroblock would not fit. The writer keeps its buffers; nothing is
 * allocated per macroblock.
 */
import type { FramePlanes } from '../../../core/geometry.ts';
import { BitWriter } from './bit-writer.ts';
import { CabacEncoder } from './cabac-encoder.ts';
import { CONTEXT_COUNT, MB_TYPE_I_CTX_OFFSET, initContextStates } from './cabac-tables.ts';
import { ppsCarrierSupport, spsCarrierSupport } from './carrier-support.ts';
import { ipcmMacroblockBytes, visibleGeometry } from './ipcm-layout.ts';
import {
  EmulationPreventionWriter,
  NalType,
  isVclNalType,
  joinLengthPrefixed,
  joinParts,
  lengthPrefixedParts,
  maxEscapedLength,
  nalUnitType,
  splitLengthPrefixed,
} from './nal-units.ts';
import { ParameterSets, type PictureParameterSet, type SequenceParameterSet } from './parameter-sets.ts';
import { readSliceHeader, type SliceHeader } from './slice-header.ts';

/** mb_type of I_PCM in an I slice. */
const MB_TYPE_I_PCM = 25;

/**
 * The CAVLC prefix of every I_PCM macroblock that starts on a byte boundary:
 * ue(25) = 0000 1101 0, then seven pcm_alignment_zero_bits.
 */
const CAVLC_PREFIX_0 = 0x0d;
const CAVLC_PREFIX_1 = 0x00;

/** rbsp_stop_one_bit and six alignment zeros: the end of a CAVLC slice whose data ends on a byte boundary. */
const CAVLC_TAIL = 0x80;

export interface IpcmWriteOptions {
  /**
   * The largest a slice NAL unit may be, in bytes (header byte and emulation
   * prevention included): the picture gets as many slices as that needs,
   * split between macroblocks. 65535 for a 2-byte NAL length.
   */
  readonly maxNalBytes?: number;
}

/**
 * CABAC prefixes: for each (first macroblock of the slice or not, state of
 * the mb_type context), the bytes before the samples and the context's next
 * state. Built once; 256 entries.
 */
interface CabacPrefixTable {
  readonly bytes: Uint8Array; // 8 per entry
  readonly length: Uint8Array;
  readonly nextState: Uint8Array;
  /** end_of_slice_flag = 1 after the last macroblock, rbsp_stop_one_bit included. */
  readonly tail: Uint8Array;
}

let cabacPrefixes: CabacPrefixTable | undefined;

function buildCabacPrefixes(): CabacPrefixTable {
  const bytes = new Uint8Array(256 * 8);
  const length = new Uint8Array(256);
  const nextState = new Uint8Array(256);
  const w = new BitWriter(16);
  const enc = new CabacEncoder(w);
  const state = new Uint8Array(1);
  for (let first = 0; first < 2; first++) {
    for (let s = 0; s < 128; s++) {
      const key = first * 128 + s;
      w.reset();
      enc.start(); // at slice data start, or re-initialised after the previous macroblock's samples
      if (!first) enc.encodeTerminate(0); // end_of_slice_flag of the previous macroblock
      state[0] = s;
      enc.encodeDecision(state, 0, 1); // mb_type bin 0: not I_NxN
      enc.encodeTerminate(1); // mb_type bin 1: I_PCM; flushes the engine
      w.align(0); // pcm_alignment_zero_bit
      const v = w.view();
      if (v.length > 8) throw new Error('CABAC prefix longer than expected');
      bytes.set(v, key * 8);
      length[key] = v.length;
      nextState[key] = state[0];
    }
  }
  w.reset();
  enc.start();
  enc.encodeTerminate(1); // end_of_slice_flag = 1; the flush ends with the rbsp_stop_one_bit
  w.align(0);
  return { bytes, length, nextState, tail: w.view().slice() };
}

/** Sample positions for edge repetition: coded coordinate to visible sample offset, per plane kind. */
interface PlaneMaps {
  readonly x: Int32Array;
  /** Row offsets in the visible plane (row * visible width). */
  readonly y: Int32Array;
}

function planeMaps(codedW: number, codedH: number, left: number, top: number, w: number, h: number): PlaneMaps {
  const x = new Int32Array(codedW);
  const y = new Int32Array(codedH);
  for (let i = 0; i < codedW; i++) x[i] = Math.min(w - 1, Math.max(0, i - left));
  for (let i = 0; i < codedH; i++) y[i] = Math.min(h - 1, Math.max(0, i - top)) * w;
  return { x, y };
}

/**
 * Reason this picture cannot be rewritten, from its first slice header, or
 * undefined when it can.
 */
function unsupportedReason(h: SliceHeader): string | undefined {
  const s = spsCarrierSupport(h.sps);
  if (!s.supported) return s.reason;
  const p = ppsCarrierSupport(h.pps);
  if (!p.supported) return p.reason;
  if (h.nalUnitType !== NalType.nonIdrSlice && h.nalUnitType !== NalType.idrSlice) return 'This picture is not coded as plain slices.';
  if (h.fieldPic || h.mbaffFrame) return 'This picture is interlaced.';
  if (h.redundantPicCnt > 0) return 'This slice belongs to a redundant picture.';
  return undefined;
}

/**
 * Writes I_PCM carrier slices. Keep one per stream: it keeps its buffers
 * (the output, a few megabytes at 1440p) from picture to picture.
 */
export class IpcmPictureWriter {
  private out = new Uint8Array(0);
  private stage = new Uint8Array(0);
  private readonly header = new BitWriter(64);
  private readonly epb = new EmulationPreventionWriter();
  private readonly ctx = new Uint8Array(CONTEXT_COUNT);
  private mapsFor: SequenceParameterSet | undefined;
  private lumaMaps: PlaneMaps | undefined;
  private chromaMaps: PlaneMaps | undefined;
  private sliceBounds: number[] = [];
  private rbsp = new Uint8Array(0);
  private readonly orBox = new Int32Array(1);

  /**
   * The carrier's slice NAL units for a picture: the visible `planes`
   * (tightly packed, luma first; Uint8Array for 8-bit planes, Uint16Array
   * above) under the parameter sets and reference fields of `original`, the
   * original picture's first slice header.
   *
   * The NAL units are views of the writer's buffer, valid until its next
   * `write`: join them into a sample (see {@link replaceVcl}) before then.
   * @throws Error when the picture cannot be a carrier, RangeError when the
   *   planes do not fit the picture or a sample exceeds its bit depth, or a
   *   single macroblock does not fit `maxNalBytes`.
   */
  write(original: SliceHeader, planes: FramePlanes, options: IpcmWriteOptions = {}): Uint8Array[] {
    const reason = unsupportedReason(original);
    if (reason) throw new Error(reason);
    const sps = original.sps;
    this.checkPlanes(sps, planes);
    this.prepare(sps);
    const table = original.pps.cabac ? (cabacPrefixes ??= buildCabacPrefixes()) : undefined;
    const seen = { luma: 0, chroma: 0 };
    const nals = this.fitsOneSlice(sps, options.maxNalBytes ?? Infinity)
      ? this.writeOneSlice(original, planes, table, seen)
      : this.writeSlices(original, planes, table, options.maxNalBytes!, seen);
    if (seen.luma >= 2 ** sps.bitDepthLuma || seen.chroma >= 2 ** sps.bitDepthChroma) throw new RangeError('a sample exceeds the bit depth of its plane');
    return nals;
  }

  /** Whether the whole picture fits one NAL unit of `maxNal` bytes whatever its samples. */
  private fitsOneSlice(sps: SequenceParameterSet, maxNal: number): boolean {
    return maxNal === Infinity || 1 + maxEscapedLength(this.rbspBound(sps)) <= maxNal;
  }

  /** The most RBSP bytes one slice of the whole picture takes: header (a long dec_ref_pic_marking included), prefixes, samples, tail. */
  private rbspBound(sps: SequenceParameterSet): number {
    return 4096 + sps.picSizeInMbs * (ipcmMacroblockBytes(sps) + 8);
  }

  /**
   * The picture as one slice: the RBSP gathered into one buffer, then one
   * emulation prevention pass, which copies the long runs without zero pairs
   * in bulk.
   */
  private writeOneSlice(h: SliceHeader, planes: FramePlanes, table: CabacPrefixTable | undefined, seen: { luma: number; chroma: number }): Uint8Array[] {
    const sps = h.sps;
    const pps = h.pps;
    const bound = this.rbspBound(sps);
    if (this.rbsp.length < bound) this.rbsp = new Uint8Array(bound);
    const rbsp = this.rbsp;
    this.writeHeader(h, sps, pps, 0);
    const hb = this.header.view();
    rbsp.set(hb, 0);
    let n = hb.length;
    const ctx = this.ctx;
    if (table) initContextStates(ctx, pps.picInitQp);
    const mbw = sps.picWidthInMbs;
    for (let mb = 0, total = sps.picSizeInMbs; mb < total; mb++) {
      if (table) {
        const ctxIdx = MB_TYPE_I_CTX_OFFSET + (mb % mbw !== 0 ? 1 : 0) + (mb >= mbw ? 1 : 0);
        const key = (mb === 0 ? 128 : 0) + ctx[ctxIdx];
        for (let i = 0, b = key * 8, len = table.length[key]; i < len; i++) rbsp[n++] = table.bytes[b + i];
        ctx[ctxIdx] = table.nextState[key];
      } else if (mb !== 0) {
        rbsp[n++] = CAVLC_PREFIX_0;
        rbsp[n++] = CAVLC_PREFIX_1;
      }
      n = this.gather(sps, planes, mb, rbsp, n, seen);
    }
    if (table) {
      rbsp.set(table.tail, n);
      n += table.tail.length;
    } else {
      rbsp[n++] = CAVLC_TAIL;
    }
    this.ensure(1 + maxEscapedLength(n));
    const out = this.out;
    out[0] = (h.nalRefIdc << 5) | h.nalUnitType;
    const epb = this.epb;
    epb.reset();
    const end = epb.finish(out, epb.write(rbsp, 0, n, out, 1));
    return [out.subarray(0, end)];
  }

  /**
   * The picture as slices of at most `maxNal` bytes: each macroblock is
   * escaped as it is added, and the one that would overflow the slice is
   * taken back (its bytes and the CABAC context) and starts the next.
   */
  private writeSlices(original: SliceHeader, planes: FramePlanes, table: CabacPrefixTable | undefined, maxNal: number, seen: { luma: number; chroma: number }): Uint8Array[] {
    const sps = original.sps;
    const pps = original.pps;
    const tailLength = table ? table.tail.length : 1;
    const reserve = maxEscapedLength(tailLength) + 1;
    const mbw = sps.picWidthInMbs;
    const total = sps.picSizeInMbs;
    const nalHeader = (original.nalRefIdc << 5) | original.nalUnitType;
    const epb = this.epb;
    const stage = this.stage;
    const ctx = this.ctx;
    const bounds = this.sliceBounds;
    bounds.length = 0;
    let pos = 0;
    let mb = 0;
    while (mb < total) {
      const nalStart = pos;
      const sliceFirst = mb;
      this.writeHeader(original, sps, pps, mb);
      const hb = this.header.view();
      this.ensure(pos + 1 + maxEscapedLength(hb.length));
      this.out[pos++] = nalHeader;
      epb.reset();
      pos = epb.write(hb, 0, hb.length, this.out, pos);
      if (table) initContextStates(ctx, pps.picInitQp);
      for (;;) {
        // This macroblock's prefix, then its samples, in the staging buffer.
        let n = 0;
        let ctxIdx = 0;
        let savedState = 0;
        if (table) {
          // A neighbour in another slice is not available (6.4.x): ctxIdxInc counts only this slice's.
          const availA = mb % mbw !== 0 && mb - 1 >= sliceFirst ? 1 : 0;
          const availB = mb - mbw >= sliceFirst ? 1 : 0;
          ctxIdx = MB_TYPE_I_CTX_OFFSET + availA + availB;
          savedState = ctx[ctxIdx];
          const key = (mb === sliceFirst ? 128 : 0) + savedState;
          for (let i = 0, b = key * 8, len = table.length[key]; i < len; i++) stage[n++] = table.bytes[b + i];
          ctx[ctxIdx] = table.nextState[key];
        } else if (mb !== sliceFirst) {
          stage[n++] = CAVLC_PREFIX_0;
          stage[n++] = CAVLC_PREFIX_1;
        }
        n = this.gather(sps, planes, mb, stage, n, seen);
        this.ensure(pos + maxEscapedLength(n) + reserve);
        const savedPos = pos;
        const savedZeros = epb.zeros;
        pos = epb.write(stage, 0, n, this.out, pos);
        if (mb !== sliceFirst && pos - nalStart + reserve > maxNal) {
          // It does not fit: this slice ends before it, and the next one starts with it.
          pos = savedPos;
          epb.zeros = savedZeros;
          if (table) ctx[ctxIdx] = savedState;
          break;
        }
        mb++;
        if (mb === total) break;
      }
      if (table) pos = epb.write(table.tail, 0, table.tail.length, this.out, pos);
      else {
        stage[0] = CAVLC_TAIL;
        pos = epb.write(stage, 0, 1, this.out, pos);
      }
      pos = epb.finish(this.out, pos);
      if (pos - nalStart > maxNal) throw new RangeError(`one I_PCM macroblock (${pos - nalStart} bytes as a slice) does not fit a ${maxNal}-byte NAL unit`);
      bounds.push(nalStart, pos);
    }
    const nals: Uint8Array[] = [];
    for (let i = 0; i < bounds.length; i += 2) nals.push(this.out.subarray(bounds[i], bounds[i + 1]));
    return nals;
  }

  /** The slice header (7.3.3) of a carrier slice starting at macroblock `firstMb`, then what precedes the first macroblock's samples. */
  private writeHeader(h: SliceHeader, sps: SequenceParameterSet, pps: PictureParameterSet, firstMb: number): void {
    const w = this.header;
    w.reset();
    w.ue(firstMb);
    w.ue(7); // I, and every slice of the picture is I
    w.ue(h.ppsId);
    w.u(sps.log2MaxFrameNum, h.frameNum);
    // frame_mbs_only_flag is 1: no field_pic_flag.
    if (h.idr) w.ue(h.idrPicId);
    if (sps.picOrderCntType === 0) {
      w.u(sps.log2MaxPicOrderCntLsb, h.picOrderCntLsb);
      if (pps.bottomFieldPicOrderInFramePresent) w.se(h.deltaPicOrderCntBottom);
    }
    if (sps.picOrderCntType === 1 && !sps.deltaPicOrderAlwaysZero) {
      w.se(h.deltaPicOrderCnt0);
      if (pps.bottomFieldPicOrderInFramePresent) w.se(h.deltaPicOrderCnt1);
    }
    // redundant_pic_cnt_present_flag is 0; an I slice has no reference list syntax or weights.
    const m = h.decRefPicMarking;
    if (h.nalRefIdc !== 0) {
      if (!m) throw new Error('a reference picture without dec_ref_pic_marking');
      w.copyBits(m.bits, 0, m.bitLength);
    }
    w.se(0); // slice_qp_delta: SliceQPY = pic_init_qp (the CABAC contexts start from it)
    if (pps.deblockingFilterControlPresent) w.ue(1); // disable_deblocking_filter_idc
    if (pps.cabac) {
      w.align(1); // cabac_alignment_one_bit
    } else {
      w.ue(MB_TYPE_I_PCM);
      w.align(0); // pcm_alignment_zero_bit
    }
  }

  /** The staging buffer and edge maps for pictures under `sps` (each way of writing sizes its output itself). */
  private prepare(sps: SequenceParameterSet): void {
    const stageBytes = 16 + ipcmMacroblockBytes(sps);
    if (this.stage.length < stageBytes) this.stage = new Uint8Array(stageBytes);
    if (this.mapsFor === sps) return;
    const c = sps.crop;
    this.lumaMaps = planeMaps(sps.codedWidth, sps.codedHeight, c.left, c.top, c.width, c.height);
    if (sps.chromaArrayType !== 0) {
      const cc = sps.chromaCrop;
      this.chromaMaps = planeMaps(sps.picWidthInMbs * sps.mbWidthC, sps.frameHeightInMbs * sps.mbHeightC, cc.left, cc.top, cc.width, cc.height);
    } else {
      this.chromaMaps = undefined;
    }
    this.mapsFor = sps;
  }

  private ensure(bytes: number): void {
    if (this.out.length >= bytes) return;
    const next = new Uint8Array(Math.max(bytes, Math.ceil(this.out.length * 1.5)));
    next.set(this.out);
    this.out = next;
  }

  private checkPlanes(sps: SequenceParameterSet, planes: FramePlanes): void {
    const g = visibleGeometry(sps);
    if (planes.length !== g.planes.length) throw new RangeError(`${planes.length} planes given, the picture has ${g.planes.length}`);
    for (let i = 0; i < planes.length; i++) {
      const depth = i === 0 ? sps.bitDepthLuma : sps.bitDepthChroma;
      const p = planes[i];
      if (p.length !== g.planes[i].width * g.planes[i].height) {
        throw new RangeError(`plane ${i} has ${p.length} samples, the picture's has ${g.planes[i].width}x${g.planes[i].height}`);
      }
      if (depth === 8 ? !(p instanceof Uint8Array) : !(p instanceof Uint16Array)) {
        throw new RangeError(`plane ${i} must be a ${depth === 8 ? 'Uint8Array' : 'Uint16Array'} for ${depth}-bit samples`);
      }
    }
  }

  /** Appends macroblock `mb`'s samples to `out` at `n`; returns the new length. ORs high bit depth samples into `seen`. */
  private gather(sps: SequenceParameterSet, planes: FramePlanes, mb: number, out: Uint8Array, n: number, seen: { luma: number; chroma: number }): number {
    const mbx = mb % sps.picWidthInMbs;
    const mby = (mb - mbx) / sps.picWidthInMbs;
    const lm = this.lumaMaps!;
    if (sps.bitDepthLuma === 8) n = gather8(planes[0] as Uint8Array, lm, mbx * 16, mby * 16, 16, 16, out, n);
    else {
      n = gatherPacked(planes[0] as Uint16Array, lm, mbx * 16, mby * 16, 16, 16, sps.bitDepthLuma, out, n, this.orBox);
      seen.luma |= this.orBox[0];
    }
    const cm = this.chromaMaps;
    if (cm) {
      const w = sps.mbWidthC;
      const h = sps.mbHeightC;
      for (let p = 1; p <= 2; p++) {
        if (sps.bitDepthChroma === 8) n = gather8(planes[p] as Uint8Array, cm, mbx * w, mby * h, w, h, out, n);
        else {
          n = gatherPacked(planes[p] as Uint16Array, cm, mbx * w, mby * h, w, h, sps.bitDepthChroma, out, n, this.orBox);
          seen.chroma |= this.orBox[0];
        }
      }
    }
    return n;
  }
}

/** Copies a w x h block of 8-bit samples at coded (x0, y0), edges repeated, in raster order. */
function gather8(plane: Uint8Array, maps: PlaneMaps, x0: number, y0: number, w: number, h: number, out: Uint8Array, n: number): number {
  const xm = maps.x;
  const ym = maps.y;
  const left = xm[x0];
  if (xm[x0 + w - 1] - left === w - 1) {
    // Every column visible (the block's columns map one to one): no per-sample lookup.
    for (let r = 0; r < h; r++) {
      const s = ym[y0 + r] + left;
      for (let c = 0; c < w; c++) out[n++] = plane[s + c];
    }
    return n;
  }
  for (let r = 0; r < h; r++) {
    const row = ym[y0 + r];
    for (let c = 0; c < w; c++) out[n++] = plane[row + xm[x0 + c]];
  }
  return n;
}

/** Packs a w x h block of `depth`-bit samples MSB first (u(v) each), edges repeated; the OR of every sample goes to `or[0]`. */
function gatherPacked(
  plane: Uint16Array,
  maps: PlaneMaps,
  x0: number,
  y0: number,
  w: number,
  h: number,
  depth: number,
  out: Uint8Array,
  n: number,
  or: Int32Array,
): number {
  const xm = maps.x;
  const ym = maps.y;
  let acc = 0;
  let bits = 0;
  let seen = 0;
  for (let r = 0; r < h; r++) {
    const row = ym[y0 + r];
    for (let c = 0; c < w; c++) {
      const v = plane[row + xm[x0 + c]];
      seen |= v;
      acc = (acc << depth) | v;
      bits += depth;
      while (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
      acc &= (1 << bits) - 1;
    }
  }
  or[0] = seen;
  return n;
}

/**
 * A sample's NAL units with every VCL NAL unit replaced by `slices`, placed
 * where the first one was; every other NAL unit (delimiter, SEI, parameter
 * sets, end of sequence, ...) stays where it was.
 * @throws Error when the sample has no VCL NAL unit.
 */
export function replaceVclNals(nals: readonly Uint8Array[], slices: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let placed = false;
  for (const nal of nals) {
    if (isVclNalType(nalUnitType(nal))) {
      if (!placed) out.push(...slices);
      placed = true;
    } else {
      out.push(nal);
    }
  }
  if (!placed) throw new Error('the access unit has no slice to replace');
  return out;
}

/**
 * A length-prefixed sample (MP4/MOV) with its slices replaced by `slices`,
 * joined with the same length size.
 */
export function replaceVcl(sample: Uint8Array, lengthSize: number, slices: readonly Uint8Array[]): Uint8Array {
  return joinLengthPrefixed(replaceVclNals(splitLengthPrefixed(sample, lengthSize), slices), lengthSize);
}

/**
 * The carrier sample for a length-prefixed sample: its picture rewritten as
 * I_PCM slices holding `planes`, every non-VCL NAL unit kept. Parameter
 * sets sent in the sample itself apply to it (without changing `params`).
 * Slices are split to fit the length size.
 */
export function writeCarrierSample(
  sample: Uint8Array,
  lengthSize: number,
  params: ParameterSets,
  planes: FramePlanes,
  options: IpcmWriteOptions & { readonly writer?: IpcmPictureWriter } = {},
): Uint8Array {
  return joinParts(carrierSampleParts(sample, lengthSize, params, planes, options));
}

/**
 * {@link writeCarrierSample} as the pieces of the sample, in order, without
 * joining them: the slices are views of the writer's buffer, valid until
 * its next picture.
 */
export function carrierSampleParts(
  sample: Uint8Array,
  lengthSize: number,
  params: ParameterSets,
  planes: FramePlanes,
  options: IpcmWriteOptions & { readonly writer?: IpcmPictureWriter } = {},
): Uint8Array[] {
  const nals = splitLengthPrefixed(sample, lengthSize);
  const local = new ParameterSets(params);
  let first: SliceHeader | undefined;
  for (const nal of nals) {
    const t = nalUnitType(nal);
    if (t === NalType.sps || t === NalType.pps) local.add(nal);
    else if (isVclNalType(t)) {
      first = readSliceHeader(nal, local);
      break;
    }
  }
  if (!first) throw new Error('the sample has no slice');
  const limit = Math.min(options.maxNalBytes ?? Infinity, 2 ** (8 * lengthSize) - 1);
  const writer = options.writer ?? new IpcmPictureWriter();
  const slices = writer.write(first, planes, { maxNalBytes: limit });
  return lengthPrefixedParts(replaceVclNals(nals, slices), lengthSize);
}
