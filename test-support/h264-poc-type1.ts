/**
 * No encoder at hand writes picture order count type 1, so tests make such
 * streams from x264's type 0 ones: the SPS says type 1 (one reference frame
 * per cycle, offset 2), and every slice header's pic_order_cnt_lsb becomes
 * the delta_pic_order_cnt[0] that gives the picture the very order count it
 * had. The pictures decode to the same frames in the same order; only the
 * syntax that carries the order changed. Bit positions come from FFmpeg's
 * own trace of the stream.
 */
import {
  BitWriter,
  NalType,
  ParameterSets,
  PictureOrderCounter,
  describeAccessUnit,
  groupAccessUnits,
  nalToRbsp,
  nalUnitType,
  rbspToNal,
  splitAnnexB,
  joinAnnexB,
  BitReader,
} from '../src/media/formats/h264/index.ts';
import { traceHeaders, type Core } from './h264-streams.ts';

const TRACE_HEADER_BITS = 8;
const OFFSET_FOR_REF_FRAME = 2;

/** The RBSP's bits up to and including its rbsp_stop_one_bit. */
function stopBit(rbsp: Uint8Array): number {
  return new BitReader(rbsp).stopBitPosition();
}

/** `stream` (x264, POC type 0, frames only) rewritten to POC type 1 with the same order counts. */
export function toPocType1(core: Core, stream: Uint8Array): Uint8Array {
  const nals = splitAnnexB(stream);
  // One traced unit per NAL unit: the ones that start with the NAL header (an SEI's messages are traced as units of their own).
  const units = traceHeaders(core, stream).packets.flat().filter((u) => u.elements[0]?.name === 'forbidden_zero_bit');
  if (units.length !== nals.length) throw new Error(`traced ${units.length} units for ${nals.length} NAL units`);
  const params = new ParameterSets();
  const aus = groupAccessUnits(nals, params);
  const described = new ParameterSets();
  const counter = new PictureOrderCounter();
  // delta_pic_order_cnt[0] of each picture's slices, by the slice NAL unit.
  const delta = new Map<Uint8Array, number>();
  let frameNumOffset = 0;
  let prevFrameNum = 0;
  for (const au of aus) {
    const info = describeAccessUnit(au, described);
    const h = info.slices[0];
    if (h.sps.picOrderCntType !== 0 || h.deltaPicOrderCntBottom !== 0 || h.fieldPic) throw new Error('toPocType1 takes POC type 0 frame streams');
    const poc = counter.next(h).topFieldOrderCnt;
    // 8.2.1.2 with offset_for_ref_frame = [2], offset_for_non_ref_pic = 0.
    if (h.idr) frameNumOffset = 0;
    else if (prevFrameNum > h.frameNum) frameNumOffset += h.sps.maxFrameNum;
    prevFrameNum = h.frameNum;
    let abs = frameNumOffset + h.frameNum;
    if (h.nalRefIdc === 0 && abs > 0) abs--;
    const expected = abs > 0 ? abs * OFFSET_FOR_REF_FRAME : 0;
    for (const nal of au) if (nalUnitType(nal) === NalType.nonIdrSlice || nalUnitType(nal) === NalType.idrSlice) delta.set(nal, poc - expected);
  }
  const out: Uint8Array[] = [];
  const w = new BitWriter(256);
  for (let i = 0; i < nals.length; i++) {
    const nal = nals[i];
    const u = units[i];
    const type = nalUnitType(nal);
    const rbsp = nalToRbsp(nal);
    w.reset();
    if (type === NalType.sps) {
      const at = u.get('pic_order_cnt_type')!.bit - TRACE_HEADER_BITS;
      const after = u.get('max_num_ref_frames')!.bit - TRACE_HEADER_BITS;
      w.copyBits(rbsp, 0, at);
      w.ue(1); // pic_order_cnt_type
      w.u(1, 0); // delta_pic_order_always_zero_flag
      w.se(0); // offset_for_non_ref_pic
      w.se(0); // offset_for_top_to_bottom_field
      w.ue(1); // num_ref_frames_in_pic_order_cnt_cycle
      w.se(OFFSET_FOR_REF_FRAME);
      w.copyBits(rbsp, after, stopBit(rbsp) - after);
      w.trailingBits();
      out.push(rbspToNal(nal[0], w.view()));
    } else if (delta.has(nal)) {
      const header = describeAccessUnit([nal], described).slices[0];
      const lsb = u.get('pic_order_cnt_lsb')!.bit - TRACE_HEADER_BITS;
      const lsbEnd = lsb + header.sps.log2MaxPicOrderCntLsb;
      const end = header.headerBitLength;
      w.copyBits(rbsp, 0, lsb);
      w.se(delta.get(nal)!); // delta_pic_order_cnt[0] where pic_order_cnt_lsb was
      w.copyBits(rbsp, lsbEnd, end - lsbEnd);
      if (header.pps.cabac) {
        // CABAC slice data starts on a byte: new alignment bits, then the data as it was.
        w.align(1);
        w.bytes(rbsp.subarray(Math.ceil(end / 8)));
      } else {
        w.copyBits(rbsp, end, stopBit(rbsp) - end);
        w.trailingBits();
      }
      out.push(rbspToNal(nal[0], w.view()));
    } else {
      out.push(nal);
    }
  }
  return joinAnnexB(out);
}
