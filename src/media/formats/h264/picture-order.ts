/**
 * Picture order counts (8.2.1, types 0, 1 and 2) over a stream's pictures in
 * decode order. Decoders output pictures in this order, so with it a raw
 * H.264 stream's decoded frames can be matched to the access units they came
 * from: sort by (period, picOrderCnt), where a period starts at each IDR
 * picture and each picture with memory_management_control_operation 5.
 */
import type { SliceHeader } from './slice-header.ts';

export interface PictureOrder {
  readonly topFieldOrderCnt: number;
  readonly bottomFieldOrderCnt: number;
  /**
   * PicOrderCnt(): the smaller of the two for a frame, the field's own for a
   * field. For a picture with memory_management_control_operation 5 it is the
   * value after that operation (0 for a frame), as the decoder orders it.
   */
  readonly picOrderCnt: number;
  /** Increases at every IDR picture and every picture with memory_management_control_operation 5. */
  readonly period: number;
}

/**
 * Feed it the first slice header of every picture in decode order; it
 * returns each picture's order count. One counter per stream.
 */
export class PictureOrderCounter {
  private period = -1;
  // POC type 0: the previous reference picture.
  private prevRefMsb = 0;
  private prevRefLsb = 0;
  private prevRefHadMmco5 = false;
  private prevRefBottomField = false;
  private prevRefTopAfterMmco5 = 0;
  // POC types 1 and 2: the previous picture.
  private prevFrameNum = 0;
  private prevFrameNumOffset = 0;
  private prevHadMmco5 = false;

  /** The order count of the next picture in decode order, from its first slice header. */
  next(h: SliceHeader): PictureOrder {
    const sps = h.sps;
    if (h.idr || this.period < 0) this.period++;
    let top = 0;
    let bottom = 0;
    let frameNumOffset = 0;
    if (sps.picOrderCntType === 0) {
      let prevMsb: number;
      let prevLsb: number;
      if (h.idr) {
        prevMsb = 0;
        prevLsb = 0;
      } else if (this.prevRefHadMmco5) {
        prevMsb = 0;
        prevLsb = this.prevRefBottomField ? 0 : this.prevRefTopAfterMmco5;
      } else {
        prevMsb = this.prevRefMsb;
        prevLsb = this.prevRefLsb;
      }
      const maxLsb = 2 ** sps.log2MaxPicOrderCntLsb;
      const lsb = h.picOrderCntLsb;
      let msb: number;
      if (lsb < prevLsb && prevLsb - lsb >= maxLsb / 2) msb = prevMsb + maxLsb;
      else if (lsb > prevLsb && lsb - prevLsb > maxLsb / 2) msb = prevMsb - maxLsb;
      else msb = prevMsb;
      if (!h.bottomField) {
        top = msb + lsb;
        bottom = h.fieldPic ? top : top + h.deltaPicOrderCntBottom;
      } else {
        bottom = msb + lsb;
        top = bottom;
      }
      if (h.nalRefIdc !== 0) {
        this.prevRefMsb = msb;
        this.prevRefLsb = lsb;
        this.prevRefHadMmco5 = h.hasMmco5;
        this.prevRefBottomField = h.bottomField;
      }
    } else {
      const prevFrameNumOffset = this.prevHadMmco5 ? 0 : this.prevFrameNumOffset;
      if (h.idr) frameNumOffset = 0;
      else if (this.prevFrameNum > h.frameNum) frameNumOffset = prevFrameNumOffset + sps.maxFrameNum;
      else frameNumOffset = prevFrameNumOffset;
      if (sps.picOrderCntType === 1) {
        const cycle = sps.offsetForRefFrame.length;
        let absFrameNum = cycle !== 0 ? frameNumOffset + h.frameNum : 0;
        if (h.nalRefIdc === 0 && absFrameNum > 0) absFrameNum--;
        let expected = 0;
        if (absFrameNum > 0) {
          const cycleCnt = Math.floor((absFrameNum - 1) / cycle);
          const inCycle = (absFrameNum - 1) % cycle;
          expected = cycleCnt * sps.expectedDeltaPerPicOrderCntCycle;
          for (let i = 0; i <= inCycle; i++) expected += sps.offsetForRefFrame[i];
        }
        if (h.nalRefIdc === 0) expected += sps.offsetForNonRefPic;
        if (!h.fieldPic) {
          top = expected + h.deltaPicOrderCnt0;
          bottom = top + sps.offsetForTopToBottomField + h.deltaPicOrderCnt1;
        } else if (!h.bottomField) {
          top = bottom = expected + h.deltaPicOrderCnt0;
        } else {
          top = bottom = expected + sps.offsetForTopToBottomField + h.deltaPicOrderCnt0;
        }
      } else {
        let temp: number;
        if (h.idr) temp = 0;
        else if (h.nalRefIdc === 0) temp = 2 * (frameNumOffset + h.frameNum) - 1;
        else temp = 2 * (frameNumOffset + h.frameNum);
        top = bottom = temp;
      }
    }
    let poc = h.fieldPic ? (h.bottomField ? bottom : top) : Math.min(top, bottom);
    if (h.hasMmco5) {
      // 8.2.1: after memory_management_control_operation 5 the picture's counts are taken relative to itself.
      top -= poc;
      bottom -= poc;
      poc = 0;
      this.period++;
      if (h.nalRefIdc !== 0) this.prevRefTopAfterMmco5 = top;
    }
    this.prevFrameNum = h.hasMmco5 ? 0 : h.frameNum;
    this.prevFrameNumOffset = frameNumOffset;
    this.prevHadMmco5 = h.hasMmco5;
    return { topFieldOrderCnt: top, bottomFieldOrderCnt: bottom, picOrderCnt: poc, period: this.period };
  }
}

/**
 * The order a decoder outputs frames in: the decode indices of `orders`
 * (one per frame, in decode order), sorted by period then picture order
 * count.
 */
export function outputOrder(orders: readonly PictureOrder[]): number[] {
  const idx = orders.map((_, i) => i);
  idx.sort((a, b) => orders[a].period - orders[b].period || orders[a].picOrderCnt - orders[b].picOrderCnt || a - b);
  return idx;
}
