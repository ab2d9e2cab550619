/**
 * The tables of H.264's CABAC arithmetic coder (9.3.1.1, 9.3.3.2.1), shared
 * by the encoder and the decoder: rangeTabLPS (Table 9-44), transIdxLPS and
 * transIdxMPS (Table 9-45), and the context initialisation values (m, n)
 * for ctxIdx 0 to 10 (Table 9-12: mb_type of SI and I slices, the same for
 * every cabac_init_idc), all an I slice of I_PCM macroblocks needs.
 *
 * A context's state is packed in one byte: pStateIdx * 2 + valMPS.
 */

/** rangeTabLPS[pStateIdx * 4 + qCodIRangeIdx]. */
export const RANGE_TAB_LPS = Uint8Array.of(
  128, 176, 208, 240,   128, 167, 197, 227,   128, 158, 187, 216,   123, 150, 178, 205,
  116, 142, 169, 195,   111, 135, 160, 185,   105, 128, 152, 175,   100, 122, 144, 166,
  95, 116, 137, 158,   90, 110, 130, 150,   85, 104, 123, 142,   81, 99, 117, 135,
  77, 94, 111, 128,   73, 89, 105, 122,   69, 85, 100, 116,   66, 80, 95, 110,
  62, 76, 90, 104,   59, 72, 86, 99,   56, 69, 81, 94,   53, 65, 77, 89,
  51, 62, 73, 85,   48, 59, 69, 80,   46, 56, 66, 76,   43, 53, 63, 72,
  41, 50, 59, 69,   39, 48, 56, 65,   37, 45, 54, 62,   35, 43, 51, 59,
  33, 41, 48, 56,   32, 39, 46, 53,   30, 37, 43, 50,   29, 35, 41, 48,
  27, 33, 39, 45,   26, 31, 37, 43,   24, 30, 35, 41,   23, 28, 33, 39,
  22, 27, 32, 37,   21, 26, 30, 35,   20, 24, 29, 33,   19, 23, 27, 31,
  18, 22, 26, 30,   17, 21, 25, 28,   16, 20, 23, 27,   15, 19, 22, 25,
  14, 18, 21, 24,   14, 17, 20, 23,   13, 16, 19, 22,   12, 15, 18, 21,
  12, 14, 17, 20,   11, 14, 16, 19,   11, 13, 15, 18,   10, 12, 15, 17,
  10, 12, 14, 16,   9, 11, 13, 15,   9, 11, 12, 14,   8, 10, 12, 14,
  8, 9, 11, 13,   7, 9, 11, 12,   7, 9, 10, 12,   7, 8, 10, 11,
  6, 8, 9, 11,   6, 7, 9, 10,   6, 7, 8, 9,   2, 2, 2, 2,
);

/** transIdxLPS[pStateIdx]. */
export const TRANS_IDX_LPS = Uint8Array.of(
  0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12,
  13, 13, 15, 15, 16, 16, 18, 18, 19, 19, 21, 21, 22, 22, 23, 24,
  24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33,
  33, 33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
);

/** transIdxMPS[pStateIdx]: the next state up, 62 staying at 62 and 63 (the terminating state) at 63. */
export const TRANS_IDX_MPS = Uint8Array.from({ length: 64 }, (_, i) => (i < 62 ? i + 1 : i));

/** (m, n) for ctxIdx 0 to 10 (Table 9-12), interleaved. ctxIdx 3 to 10 are mb_type in I slices. */
const CONTEXT_INIT_0_10 = Int8Array.of(20, -15, 2, 54, 3, 74, 20, -15, 2, 54, 3, 74, -28, 127, -23, 104, -6, 53, -1, 54, 7, 51);

/** Contexts 0 to 10, the ones I slices of I_PCM macroblocks use. */
export const CONTEXT_COUNT = 11;

/** ctxIdxOffset of mb_type in I slices: its first bin uses ctxIdx 3 + ctxIdxInc (0 to 2). */
export const MB_TYPE_I_CTX_OFFSET = 3;

/**
 * Initial state of context `ctxIdx` (0 to 10) at SliceQPY `sliceQp` (9.3.1.1),
 * packed as pStateIdx * 2 + valMPS.
 */
export function initialContextState(ctxIdx: number, sliceQp: number): number {
  const m = CONTEXT_INIT_0_10[2 * ctxIdx];
  const n = CONTEXT_INIT_0_10[2 * ctxIdx + 1];
  const qp = sliceQp < 0 ? 0 : sliceQp > 51 ? 51 : sliceQp;
  let pre = ((m * qp) >> 4) + n;
  pre = pre < 1 ? 1 : pre > 126 ? 126 : pre;
  return pre <= 63 ? (63 - pre) * 2 : (pre - 64) * 2 + 1;
}

/** Fills `states[0 .. 11)` with every context's initial state at `sliceQp`. */
export function initContextStates(states: Uint8Array, sliceQp: number): void {
  for (let i = 0; i < CONTEXT_COUNT; i++) states[i] = initialContextState(i, sliceQp);
}
