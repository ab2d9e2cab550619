/**
 * H.264's CABAC arithmetic decoding engine (9.3.1.2, 9.3.3.2): init,
 * DecodeDecision and DecodeTerminate, reading bit by bit as the spec
 * describes it, so that after a terminating bin of 1 the position is exactly
 * where the encoder's flush ended (the I_PCM samples follow there). The
 * I_PCM reader runs it for two bins per macroblock; nothing here is hot.
 *
 * Reading past the end does not throw: it reads zeros and sets `overrun`,
 * which the caller checks.
 */
import { RANGE_TAB_LPS, TRANS_IDX_LPS, TRANS_IDX_MPS } from './cabac-tables.ts';

export class CabacDecoder {
  private data: Uint8Array = new Uint8Array(0);
  private endBit = 0;
  private pos = 0;
  private range = 510;
  private offset = 0;
  /** Set when a read went past the end of the data. */
  overrun = false;

  /**
   * Initialisation (9.3.1.2) at bit `startBit` of `data[0 .. endByte)`: the
   * start of slice data, or the byte after I_PCM samples.
   * @returns false when codIOffset is 510 or 511, which no conforming stream has.
   */
  start(data: Uint8Array, startBit: number, endByte = data.length): boolean {
    this.data = data;
    this.endBit = endByte * 8;
    this.pos = startBit;
    this.overrun = false;
    this.range = 510;
    this.offset = this.readBits(9);
    return this.offset < 510;
  }

  /** The position of the next unread bit. */
  get bitPosition(): number {
    return this.pos;
  }

  /** DecodeDecision (9.3.3.2.1) with context `ctxIdx`, whose state in `states` is updated. */
  decodeDecision(states: Uint8Array, ctxIdx: number): number {
    const s = states[ctxIdx];
    const p = s >> 1;
    const mps = s & 1;
    const lps = RANGE_TAB_LPS[p * 4 + ((this.range >> 6) & 3)];
    this.range -= lps;
    let bin: number;
    if (this.offset >= this.range) {
      bin = 1 - mps;
      this.offset -= this.range;
      this.range = lps;
      states[ctxIdx] = (TRANS_IDX_LPS[p] << 1) | (p === 0 ? 1 - mps : mps);
    } else {
      bin = mps;
      states[ctxIdx] = (TRANS_IDX_MPS[p] << 1) | mps;
    }
    this.renorm();
    return bin;
  }

  /** DecodeTerminate (9.3.3.2.2.3): end_of_slice_flag, or the I_PCM bin of mb_type. */
  decodeTerminate(): number {
    this.range -= 2;
    if (this.offset >= this.range) return 1;
    this.renorm();
    return 0;
  }

  /** RenormD (9.3.3.2.2). */
  private renorm(): void {
    while (this.range < 256) {
      this.range <<= 1;
      this.offset = (this.offset << 1) | this.readBits(1);
    }
  }

  private readBits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.pos++;
      let b = 0;
      if (p < this.endBit) b = (this.data[p >> 3] >> (7 - (p & 7))) & 1;
      else this.overrun = true;
      v = (v << 1) | b;
    }
    return v;
  }
}
