/**
 * The I_PCM carrier reader: the visible samples of a picture made entirely
 * of I_PCM macroblocks, read straight from its slices, no decoder needed.
 *
 * It answers `undefined` for any other picture: a P, B or ordinary I
 * picture, slices that do not cover the picture exactly once in order, a
 * different size or bit depth, damaged data. It never throws on the bytes it
 * is given, and returns planes only when every macroblock of the picture was
 * I_PCM and every bit of every slice was accounted for.
 */
import type { FramePlanes, PlaneSamples } from '../../../core/geometry.ts';
import { BitReader, H264SyntaxError } from './bit-reader.ts';
import { CabacDecoder } from './cabac-decoder.ts';
import { CONTEXT_COUNT, MB_TYPE_I_CTX_OFFSET, initContextStates } from './cabac-tables.ts';
import { ipcmMacroblockBytes, matchesVisibleGeometry, visibleGeometry, type VisibleGeometry } from './ipcm-layout.ts';
import { NalType, nalUnitType, removeEmulationPrevention, splitLengthPrefixed } from './nal-units.ts';
import { ParameterSets, type SequenceParameterSet } from './parameter-sets.ts';
import { SliceKind, parseSliceHeader, type SliceHeader } from './slice-header.ts';

/** mb_type of I_PCM in an I slice (CAVLC). */
const MB_TYPE_I_PCM = 25;

/** Slack after the RBSP in the scratch buffer, so unpacking high bit depth samples may read a little past the end. */
const SCRATCH_SLACK = 8;

function samePicture(a: SliceHeader, b: SliceHeader): boolean {
  return (
    a.ppsId === b.ppsId &&
    a.nalUnitType === b.nalUnitType &&
    a.nalRefIdc === b.nalRefIdc &&
    a.frameNum === b.frameNum &&
    a.idrPicId === b.idrPicId &&
    a.picOrderCntLsb === b.picOrderCntLsb &&
    a.deltaPicOrderCntBottom === b.deltaPicOrderCntBottom &&
    a.deltaPicOrderCnt0 === b.deltaPicOrderCnt0 &&
    a.deltaPicOrderCnt1 === b.deltaPicOrderCnt1
  );
}

/** Reads I_PCM carrier pictures. Keep one per stream: it keeps its scratch buffer. */
export class IpcmPictureReader {
  private scratch = new Uint8Array(0);
  private readonly ctx = new Uint8Array(CONTEXT_COUNT);
  private readonly cabac = new CabacDecoder();

  /**
   * The visible planes of the picture in `nals` (one access unit's NAL
   * units), when it is entirely I_PCM; otherwise undefined.
   * @param params the stream's parameter sets; any in `nals` apply to this picture only.
   * @param geometry the visible geometry the picture must have.
   * @param out planes to fill (of exactly that geometry); new ones when left out.
   *   When the answer is undefined they may hold part of what was read.
   * @throws RangeError only when `out` does not match `geometry`.
   */
  read(nals: readonly Uint8Array[], params: ParameterSets, geometry: VisibleGeometry, out?: FramePlanes): FramePlanes | undefined {
    if (out) checkOut(out, geometry);
    try {
      return this.readPicture(nals, params, geometry, out);
    } catch (e) {
      if (e instanceof H264SyntaxError) return undefined;
      throw e;
    }
  }

  private readPicture(nals: readonly Uint8Array[], params: ParameterSets, geometry: VisibleGeometry, out?: FramePlanes): FramePlanes | undefined {
    let local: ParameterSets | undefined;
    let first: SliceHeader | undefined;
    let planes: FramePlanes | undefined = out;
    let nextMb = 0;
    for (const nal of nals) {
      if (nal.length === 0 || nal[0] & 0x80) return undefined;
      const t = nalUnitType(nal);
      if (t === NalType.sps || t === NalType.pps) {
        local ??= new ParameterSets(params);
        local.add(nal);
        continue;
      }
      if ((t >= NalType.partitionA && t <= NalType.partitionC) || t === NalType.sliceExtension || t === NalType.sliceExtensionDepth) return undefined;
      if (t !== NalType.nonIdrSlice && t !== NalType.idrSlice) continue;
      if (this.scratch.length < nal.length + SCRATCH_SLACK) this.scratch = new Uint8Array(nal.length + SCRATCH_SLACK + (nal.length >> 3));
      const rbspLength = removeEmulationPrevention(nal, 1, nal.length, this.scratch);
      this.scratch.fill(0, rbspLength, rbspLength + SCRATCH_SLACK);
      const rbsp = this.scratch.subarray(0, rbspLength);
      const h = parseSliceHeader(rbsp, nal[0], local ?? params);
      const sps = h.sps;
      if (h.sliceKind !== SliceKind.i || h.redundantPicCnt !== 0 || h.fieldPic || h.mbaffFrame) return undefined;
      if (!sps.frameMbsOnly || sps.separateColourPlane || h.pps.numSliceGroups !== 1) return undefined;
      if (!first) {
        if (!matchesVisibleGeometry(sps, geometry)) return undefined;
        if (sps.bitDepthChroma !== sps.bitDepthLuma && sps.chromaArrayType !== 0) {
          // One bit depth per frame for the core; such streams do not decode in FFmpeg either.
          return undefined;
        }
        first = h;
        planes ??= newPlanes(sps);
      } else if (!samePicture(first, h) || h.sps !== first.sps) {
        return undefined;
      }
      if (h.firstMbInSlice !== nextMb || !planes) return undefined;
      nextMb = h.pps.cabac ? this.readCabacSlice(h, rbsp, planes) : this.readCavlcSlice(h, rbsp, planes);
      if (nextMb < 0) return undefined;
    }
    if (!first || nextMb !== first.sps.picSizeInMbs) return undefined;
    return planes;
  }

  /** slice_data() of a CAVLC slice: returns the macroblock after its last, or -1 when it is not all I_PCM. */
  private readCavlcSlice(h: SliceHeader, rbsp: Uint8Array, planes: FramePlanes): number {
    const sps = h.sps;
    const total = sps.picSizeInMbs;
    const mbBytes = ipcmMacroblockBytes(sps);
    const r = new BitReader(rbsp, h.headerBitLength);
    let mb = h.firstMbInSlice;
    for (;;) {
      if (mb >= total) return -1;
      if (r.ue() !== MB_TYPE_I_PCM) return -1;
      if (r.alignmentBits() !== 0) return -1;
      const at = r.position >> 3;
      if (at + mbBytes > rbsp.length) return -1;
      scatterMacroblock(sps, rbsp, at, mb, planes);
      r.seek((at + mbBytes) * 8);
      mb++;
      if (!r.moreRbspData()) break;
    }
    // Only rbsp_slice_trailing_bits may follow: the stop bit must be the next bit.
    return r.position === r.stopBitPosition() ? mb : -1;
  }

  /** slice_data() of a CABAC slice: returns the macroblock after its last, or -1 when it is not all I_PCM. */
  private readCabacSlice(h: SliceHeader, rbsp: Uint8Array, planes: FramePlanes): number {
    const sps = h.sps;
    const total = sps.picSizeInMbs;
    const mbw = sps.picWidthInMbs;
    const mbBytes = ipcmMacroblockBytes(sps);
    const r = new BitReader(rbsp, h.headerBitLength);
    const pad = (8 - (r.position & 7)) & 7;
    if (r.u(pad) !== (1 << pad) - 1) return -1; // cabac_alignment_one_bit
    const ctx = this.ctx;
    initContextStates(ctx, h.pps.picInitQp + h.sliceQpDelta);
    const dec = this.cabac;
    if (!dec.start(rbsp, r.position)) return -1;
    const sliceFirst = h.firstMbInSlice;
    let mb = sliceFirst;
    for (;;) {
      if (mb >= total) return -1;
      const availA = mb % mbw !== 0 && mb - 1 >= sliceFirst ? 1 : 0;
      const availB = mb - mbw >= sliceFirst ? 1 : 0;
      if (dec.decodeDecision(ctx, MB_TYPE_I_CTX_OFFSET + availA + availB) !== 1) return -1; // I_NxN
      if (dec.decodeTerminate() !== 1) return -1; // another intra type
      if (dec.overrun) return -1;
      r.seek(dec.bitPosition);
      if (r.alignmentBits() !== 0) return -1; // pcm_alignment_zero_bit
      const at = r.position >> 3;
      if (at + mbBytes > rbsp.length) return -1;
      scatterMacroblock(sps, rbsp, at, mb, planes);
      mb++;
      // The engine starts again after the samples; then end_of_slice_flag.
      if (!dec.start(rbsp, (at + mbBytes) * 8)) return -1;
      const end = dec.decodeTerminate();
      if (dec.overrun) return -1;
      if (end) break;
    }
    // The flush ended with the rbsp_stop_one_bit; after it only zero bits (alignment, cabac_zero_words).
    const p = dec.bitPosition;
    r.seek(p - 1);
    if (r.u1() !== 1) return -1;
    if (r.alignmentBits() !== 0) return -1;
    for (let i = r.position >> 3; i < rbsp.length; i++) if (rbsp[i] !== 0) return -1;
    return mb;
  }
}

function newPlanes(sps: SequenceParameterSet): PlaneSamples[] {
  const g = visibleGeometry(sps);
  return g.planes.map((p, i) => {
    const depth = i === 0 ? sps.bitDepthLuma : sps.bitDepthChroma;
    return depth === 8 ? new Uint8Array(p.width * p.height) : new Uint16Array(p.width * p.height);
  });
}

function checkOut(out: FramePlanes, g: VisibleGeometry): void {
  if (out.length !== g.planes.length) throw new RangeError(`${out.length} output planes for a ${g.planes.length}-plane picture`);
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    if (p.length !== g.planes[i].width * g.planes[i].height) throw new RangeError(`output plane ${i} has the wrong size`);
    if (g.bitDepth === 8 ? !(p instanceof Uint8Array) : !(p instanceof Uint16Array)) throw new RangeError(`output plane ${i} has the wrong type`);
  }
}

/** Copies the visible samples of I_PCM macroblock `mb`, whose samples start at byte `at` of `rbsp`, into the planes. */
function scatterMacroblock(sps: SequenceParameterSet, rbsp: Uint8Array, at: number, mb: number, planes: FramePlanes): void {
  const mbx = mb % sps.picWidthInMbs;
  const mby = (mb - mbx) / sps.picWidthInMbs;
  const c = sps.crop;
  let bit = at * 8;
  bit = scatterBlock(rbsp, bit, sps.bitDepthLuma, planes[0], mbx * 16 - c.left, mby * 16 - c.top, 16, 16, c.width, c.height);
  if (sps.chromaArrayType !== 0) {
    const cc = sps.chromaCrop;
    const w = sps.mbWidthC;
    const h = sps.mbHeightC;
    for (let p = 1; p <= 2; p++) {
      bit = scatterBlock(rbsp, bit, sps.bitDepthChroma, planes[p], mbx * w - cc.left, mby * h - cc.top, w, h, cc.width, cc.height);
    }
  }
}

/**
 * Copies a bw x bh block of `depth`-bit samples (u(v) each, from bit `bit`
 * of `src`) to (x0, y0) of a visible plane of pw x ph samples, leaving out
 * what falls outside it. Returns the bit after the block.
 */
function scatterBlock(src: Uint8Array, bit: number, depth: number, plane: PlaneSamples, x0: number, y0: number, bw: number, bh: number, pw: number, ph: number): number {
  const c0 = x0 < 0 ? -x0 : 0;
  const c1 = x0 + bw > pw ? pw - x0 : bw;
  const r0 = y0 < 0 ? -y0 : 0;
  const r1 = y0 + bh > ph ? ph - y0 : bh;
  // One loop per array type keeps each monomorphic.
  if (depth === 8) scatter8(src, bit >> 3, plane as Uint8Array, x0, y0, bw, pw, c0, c1, r0, r1);
  else scatterPacked(src, bit, depth, plane as Uint16Array, x0, y0, bw, pw, c0, c1, r0, r1);
  return bit + bw * bh * depth;
}

function scatter8(src: Uint8Array, at: number, plane: Uint8Array, x0: number, y0: number, bw: number, pw: number, c0: number, c1: number, r0: number, r1: number): void {
  for (let r = r0; r < r1; r++) {
    const s = at + r * bw;
    const d = (y0 + r) * pw + x0;
    for (let x = c0; x < c1; x++) plane[d + x] = src[s + x];
  }
}

function scatterPacked(src: Uint8Array, bit: number, depth: number, plane: Uint16Array, x0: number, y0: number, bw: number, pw: number, c0: number, c1: number, r0: number, r1: number): void {
  const mask = (1 << depth) - 1;
  const shift = 24 - depth;
  for (let r = r0; r < r1; r++) {
    const d = (y0 + r) * pw + x0;
    for (let x = c0; x < c1; x++) {
      const b = bit + (r * bw + x) * depth;
      const i = b >> 3;
      const word = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
      plane[d + x] = (word >> (shift - (b & 7))) & mask;
    }
  }
}

/** The I_PCM reader's answer for one length-prefixed sample (MP4/MOV); undefined also when the sample's framing is broken. */
export function readCarrierSample(
  sample: Uint8Array,
  lengthSize: number,
  params: ParameterSets,
  geometry: VisibleGeometry,
  options: { readonly reader?: IpcmPictureReader; readonly out?: FramePlanes } = {},
): FramePlanes | undefined {
  let nals: Uint8Array[];
  try {
    nals = splitLengthPrefixed(sample, lengthSize);
  } catch (e) {
    if (e instanceof H264SyntaxError) return undefined;
    throw e;
  }
  return (options.reader ?? new IpcmPictureReader()).read(nals, params, geometry, options.out);
}
