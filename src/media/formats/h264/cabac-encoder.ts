/**
 * H.264's CABAC arithmetic encoder (9.3.4): EncodeDecision, EncodeTerminate,
 * EncodeFlush and PutBit with outstanding bits, writing into a
 * {@link BitWriter}. The I_PCM writer runs it only to build its small table
 * of per-macroblock prefixes (the engine restarts after every I_PCM
 * macroblock, so each prefix depends on a context state alone).
 */
import type { BitWriter } from './bit-writer.ts';
import { RANGE_TAB_LPS, TRANS_IDX_LPS, TRANS_IDX_MPS } from './cabac-tables.ts';

export class CabacEncoder {
  private low = 0;
  private range = 510;
  private firstBit = true;
  private outstanding = 0;

  constructor(private readonly out: BitWriter) {}

  /** InitEncoder (9.3.4.1): at the start of slice data, and after I_PCM samples. */
  start(): void {
    this.low = 0;
    this.range = 510;
    this.firstBit = true;
    this.outstanding = 0;
  }

  /**
   * EncodeDecision (9.3.4.2) of `bin` with context `ctxIdx`, whose state
   * (pStateIdx * 2 + valMPS) in `states` is updated.
   */
  encodeDecision(states: Uint8Array, ctxIdx: number, bin: number): void {
    const s = states[ctxIdx];
    const p = s >> 1;
    const mps = s & 1;
    const lps = RANGE_TAB_LPS[p * 4 + ((this.range >> 6) & 3)];
    this.range -= lps;
    if (bin !== mps) {
      this.low += this.range;
      this.range = lps;
      states[ctxIdx] = (TRANS_IDX_LPS[p] << 1) | (p === 0 ? 1 - mps : mps);
    } else {
      states[ctxIdx] = (TRANS_IDX_MPS[p] << 1) | mps;
    }
    this.renorm();
  }

  /** EncodeTerminate (9.3.4.5); a 1 flushes the engine (end of slice, or before I_PCM samples). */
  encodeTerminate(bin: number): void {
    this.range -= 2;
    if (bin) {
      this.low += this.range;
      this.flush();
    } else {
      this.renorm();
    }
  }

  /** EncodeFlush (9.3.4.6): the last bit written is 1 (the rbsp_stop_one_bit at the end of a slice). */
  private flush(): void {
    this.range = 2;
    this.renorm();
    this.putBit((this.low >> 9) & 1);
    this.out.bit((this.low >> 8) & 1);
    this.out.bit(1);
  }

  /** RenormE (9.3.4.3). */
  private renorm(): void {
    while (this.range < 256) {
      if (this.low < 256) {
        this.putBit(0);
      } else if (this.low >= 512) {
        this.low -= 512;
        this.putBit(1);
      } else {
        this.low -= 256;
        this.outstanding++;
      }
      this.range <<= 1;
      this.low <<= 1;
    }
  }

  /** PutBit (9.3.4.4). */
  private putBit(b: number): void {
    if (this.firstBit) this.firstBit = false;
    else this.out.bit(b);
    for (; this.outstanding > 0; this.outstanding--) this.out.bit(1 - b);
  }
}
