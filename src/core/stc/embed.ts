/**
 * The syndrome-trellis embedder: the Viterbi algorithm over the code's
 * trellis (Filler, Judas, Fridrich 2011, algorithm 1). Given cover bits x,
 * costs ρ and message bits msg, it finds the y with H·y = msg that minimises
 * Σ ρ_i [x_i ≠ y_i]: the cheapest set of samples to change.
 *
 * Trellis: a state is the h bits of the partial syndrome still open (rows i
 * .. i + h - 1 while in block i). Column j moves state s to s (y_j = 0) or to
 * s XOR column (y_j = 1); after a block, only states whose bit 0 equals the
 * block's message bit survive, shifted down by one.
 *
 * Memory: two Float64Array(2^h) of state costs and one bit per state per
 * cover bit of a chunk (STC_PATH_BITS = 8 MiB with `stcParams`), allocated
 * once per embedder and reused; nothing is allocated per sample.
 * Time: O(n · 2^h).
 *
 * Two shortcuts keep the inner loop to the columns that need it: a block's
 * first column follows a pruning, which leaves the upper half of the states
 * unreachable, so each state has a single way in and the pruning itself is
 * folded into that column's pass; a wet column has one finite choice.
 *
 * Wet columns cost next to nothing. A wet bit keeps its cover value x_j on
 * every path, so its column adds x_j · column to the syndrome whatever the
 * path: those contributions are XORed into the message once, before the
 * trellis (m' = m ⊕ H·z, z_j = x_j on wet bits, 0 elsewhere), and the trellis
 * then treats every wet bit as a 0 that leaves the states as they are. So a
 * hide may mark wet any samples it prefers not to change (the costly ones:
 * wet-paper coding needs nothing from the reveal) and the Viterbi pass runs
 * over the dry ones only.
 */
import { stcLayout, stcParams, stcSyndrome, type StcLayout, type StcParams } from './code.ts';

/**
 * The wet samples (cost +Infinity) leave no y with H·y = msg: too many
 * samples may not change, or too many close together. The stego buffer may
 * be partly written; the cover is never touched.
 */
export class StcInfeasibleError extends Error {
  constructor(
    /** The first message bit no path could satisfy. */
    readonly messageBit: number,
  ) {
    super(`syndrome-trellis embedding: the samples that may change cannot carry message bit ${messageBit}`);
    this.name = 'StcInfeasibleError';
  }
}

/** What an embedding did. */
export interface StcResult {
  /** Σ ρ_i over the changed bits (Float64 sum of the Float32 costs). */
  readonly cost: number;
  /** Cover bits changed. */
  readonly changes: number;
}

/**
 * Embeds with one constraint height, reusing its buffers from call to call.
 * Not re-entrant (one per worker is plenty).
 */
export class StcEmbedder {
  readonly params: StcParams;
  private readonly states: number;
  /** 32-bit words of back-pointers per cover bit. */
  private readonly wordsPerColumn: number;
  private costA: Float64Array;
  private costB: Float64Array;
  private path = new Uint32Array(0);
  /** The wet bits at 1 (z above), and the message with their syndrome folded in. */
  private wetOnes = new Uint8Array(0);
  private folded = new Uint8Array(0);
  /** Back-pointers of a block's first column: y = 1 exactly into the upper half of the states. */
  private readonly firstColumnWords: Uint32Array;

  constructor(params: StcParams = stcParams()) {
    this.params = params;
    this.states = 2 ** params.height;
    this.wordsPerColumn = Math.max(1, this.states >>> 5);
    this.costA = new Float64Array(this.states);
    this.costB = new Float64Array(this.states);
    this.firstColumnWords = new Uint32Array(this.wordsPerColumn);
    for (let s = this.states >>> 1; s < this.states; s++) this.firstColumnWords[s >>> 5] |= 1 << (s & 31);
  }

  /**
   * Writes into `stego[0 .. n)` the bits y closest to `cover` in cost with
   * H·y = message, n = cover.length, m = message.length (0 <= m <= n).
   *
   * @param cover n entries; bit 0 of each is the cover bit.
   * @param costs at least n costs: finite and >= 0, or +Infinity for a wet
   *   bit that must keep its cover value.
   * @param message m entries; bit 0 of each is a message bit.
   * @param stego receives n bits (0 or 1); may not be `cover` itself.
   * @throws StcInfeasibleError when the wet bits allow no solution.
   * @throws RangeError for a cost that is negative or NaN, or sizes that do not fit.
   */
  embed(cover: ArrayLike<number>, costs: Float32Array, message: ArrayLike<number>, stego: Uint8Array = new Uint8Array(cover.length)): StcResult {
    const n = cover.length;
    const m = message.length;
    if (m === 0) {
      if (stego.length < n) throw new RangeError('StcEmbedder.embed: output shorter than the cover');
      for (let j = 0; j < n; j++) stego[j] = cover[j] & 1;
      return { cost: 0, changes: 0 };
    }
    return this.embedLayout(stcLayout(n, m, this.params), cover, costs, message, stego);
  }

  /**
   * {@link embed} with a layout built by the caller (to compare candidate
   * submatrices). The layout's n and m must be the lengths of cover and message.
   */
  embedLayout(
    layout: StcLayout,
    cover: ArrayLike<number>,
    costs: Float32Array,
    message: ArrayLike<number>,
    stego: Uint8Array = new Uint8Array(cover.length),
  ): StcResult {
    const n = cover.length;
    const m = message.length;
    if (layout.n !== n || layout.m !== m) throw new RangeError('StcEmbedder.embedLayout: the layout is for other lengths');
    if (costs.length < n || stego.length < n) throw new RangeError('StcEmbedder.embed: costs or output shorter than the cover');
    this.checkColumns(layout.narrow);
    this.checkColumns(layout.wide);
    const { q, r, chunkBlocks } = layout;
    const maxChunkColumns = Math.min(n, chunkBlocks * (r > 0 ? q + 1 : q));
    const pathWords = maxChunkColumns * this.wordsPerColumn;
    if (this.path.length < pathWords) this.path = new Uint32Array(pathWords);

    const target = this.foldWetOnes(layout, cover, costs, message);

    let acc = 0; // (i·r) mod m at the start of block i
    let j0 = 0;
    for (let i0 = 0; i0 < m; i0 += chunkBlocks) {
      const i1 = Math.min(m, i0 + chunkBlocks);
      const fwd = this.forward(cover, costs, target, layout, i0, i1, j0, acc);
      this.backtrack(target, layout, i0, i1, j0, fwd.end, fwd.acc, stego);
      acc = fwd.acc;
      j0 = fwd.end;
    }

    // The trellis chose y ⊕ z; the wet bits keep their cover value.
    let changes = 0;
    let changedCost = 0;
    for (let j = 0; j < n; j++) {
      const x = cover[j] & 1;
      if (costs[j] === Infinity) {
        stego[j] = x;
        continue;
      }
      if (stego[j] !== x) {
        changes++;
        changedCost += costs[j];
      }
    }
    return { cost: changedCost, changes };
  }

  /**
   * The message the trellis must reach once the wet bits are set aside: m
   * itself when no wet bit is 1, else m ⊕ H·z (z = the wet bits at 1), in a
   * scratch buffer.
   */
  private foldWetOnes(layout: StcLayout, cover: ArrayLike<number>, costs: Float32Array, message: ArrayLike<number>): ArrayLike<number> {
    const { n, m } = layout;
    let any = false;
    for (let j = 0; j < n; j++) {
      if (costs[j] === Infinity && cover[j] & 1) {
        any = true;
        break;
      }
    }
    if (!any) return message;
    if (this.wetOnes.length < n) this.wetOnes = new Uint8Array(n);
    if (this.folded.length < m) this.folded = new Uint8Array(m);
    const z = this.wetOnes;
    for (let j = 0; j < n; j++) z[j] = costs[j] === Infinity ? cover[j] & 1 : 0;
    const folded = this.folded.subarray(0, m);
    stcSyndrome(layout, z, folded);
    for (let i = 0; i < m; i++) folded[i] ^= message[i] & 1;
    return folded;
  }

  /**
   * The forward pass over blocks [i0, i1), columns from j0: fills the path
   * bits and leaves the final state costs in costA. A wet column is a 0
   * that leaves the states as they are (its cover bit is folded into the
   * message, {@link foldWetOnes}). Returns the column after the chunk and the
   * running remainder after block i1 - 1.
   */
  private forward(
    cover: ArrayLike<number>,
    costs: Float32Array,
    message: ArrayLike<number>,
    layout: StcLayout,
    i0: number,
    i1: number,
    j0: number,
    acc: number,
  ): { end: number; acc: number } {
    const S = this.states;
    const lanes = S < 32 ? S : 32;
    const wpc = this.wordsPerColumn;
    const { m, r, narrow, wide } = layout;
    const path = this.path;
    const firstWords = this.firstColumnWords;
    let cur = this.costA;
    let nxt = this.costB;
    cur.fill(Infinity);
    cur[0] = 0;
    // Whether cur still waits for the pruning after block i - 1 (done lazily, fused with block i's first column).
    let pending = false;
    // Whether the current block, and the one before, had a column that may change.
    let dry = false;
    let previousDry = false;
    let j = j0;
    let p = 0;
    for (let i = i0; i < i1; i++) {
      acc += r;
      let cols = narrow;
      if (acc >= m) {
        acc -= m;
        cols = wide;
      }
      const width = cols.length;
      dry = false;
      for (let c = 0; c < width; c++, j++) {
        const col = cols[c];
        const rho = costs[j];
        if (!(rho >= 0)) throw new RangeError(`bad cost ${rho} at cover bit ${j}`);
        const x = cover[j] & 1;
        // c0: the cost of y_j = 0, c1: of y_j = 1; one of them is 0.
        const c0 = x ? rho : 0;
        const c1 = x ? 0 : rho;
        if (pending && rho !== Infinity && previousDry) {
          // Pruning by message bit i - 1 keeps state 2s + mb as s, for s below half, and leaves
          // the upper half unreachable. This column has bit h - 1 set, so from the pruned
          // states each state has one way in: no comparisons, and the pruning is never stored.
          // Block i - 1 had a dry column, so some surviving state is reachable (see checkColumns).
          prunedFirstColumn(cur, nxt, S, message[i - 1] & 1, col, c0, c1);
          for (let k = 0; k < wpc; k++) path[p++] = firstWords[k];
          pending = false;
          dry = true;
        } else {
          if (pending) {
            this.prune(cur, message[i - 1] & 1, i - 1);
            pending = false;
          }
          if (rho !== Infinity) {
            dry = true;
            columnStep(cur, nxt, S, lanes, col, c0, c1, path, p);
            p += wpc;
          } else {
            // Wet: its cover bit is in the message already, so here it is a 0 that leaves the states as they are.
            for (let k = 0; k < wpc; k++) path[p++] = 0;
            continue;
          }
        }
        const t = cur;
        cur = nxt;
        nxt = t;
      }
      pending = true;
      previousDry = dry;
    }
    this.prune(cur, message[i1 - 1] & 1, i1 - 1);
    this.costA = cur;
    this.costB = nxt;
    return { end: j, acc };
  }

  /**
   * The shortcuts rely on every column having bits h - 1 and 0 set. Bit h - 1:
   * a block's first column reaches every state from the pruned half. Bit 0:
   * a block with one column that may change can end with either parity (the
   * column's two choices differ in bit 0, and later columns keep them apart),
   * so only a block of wet columns can leave no surviving state, and only
   * then does the pruning need to look.
   */
  private checkColumns(cols: Uint32Array): void {
    const top = this.states >>> 1;
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c];
      if (col >= this.states || !(col & top) || !(col & 1)) throw new RangeError(`submatrix column ${col} does not fit height ${this.params.height}`);
    }
  }

  /**
   * Keeps, in place, the states whose bit 0 is message bit `bit` (value
   * mb), shifted down by one; the upper half becomes unreachable.
   * @throws StcInfeasibleError when none is reachable.
   */
  private prune(cur: Float64Array, mb: number, bit: number): void {
    const S = this.states;
    const half = S >>> 1;
    let best = Infinity;
    for (let s = 0; s < half; s++) {
      const v = cur[(s << 1) | mb];
      cur[s] = v;
      if (v < best) best = v;
    }
    for (let s = half; s < S; s++) cur[s] = Infinity;
    if (best === Infinity) throw new StcInfeasibleError(bit);
  }

  /**
   * Walks the path back from the cheapest final state, writing y into
   * stego[j0 .. end).
   *
   * @param accEnd (i1·r) mod m, the running remainder after the chunk.
   */
  private backtrack(
    message: ArrayLike<number>,
    layout: StcLayout,
    i0: number,
    i1: number,
    j0: number,
    end: number,
    accEnd: number,
    stego: Uint8Array,
  ): void {
    const S = this.states;
    const wpc = this.wordsPerColumn;
    const { m, r, narrow, wide } = layout;
    const path = this.path;
    const fin = this.costA;
    // Rows past the chunk's last message bit are unconstrained: any final state will do.
    let s = 0;
    for (let t = 1; t < S; t++) if (fin[t] < fin[s]) s = t;
    // The running remainder walked backwards: acc_i = acc_{i+1} - r (mod m).
    let acc = accEnd;
    let j = end;
    for (let i = i1 - 1; i >= i0; i--) {
      acc = acc >= r ? acc - r : acc - r + m; // now (i·r) mod m
      const cols = acc + r >= m ? wide : narrow;
      s = ((s << 1) | (message[i] & 1)) >>> 0;
      for (let c = cols.length - 1; c >= 0; c--) {
        j--;
        const word = path[(j - j0) * wpc + (s >>> 5)];
        const bit = (word >>> (s & 31)) & 1;
        stego[j] = bit;
        if (bit) s ^= cols[c];
      }
    }
    if (s !== 0 || j !== j0) throw new Error('syndrome-trellis back-tracking lost its way');
  }
}

/**
 * One column of the trellis: nxt[s] = min(cur[s] + c0, cur[s ^ col] + c1),
 * the choice's bit into path[p ..]. Two states per step, branches (V8 runs
 * them faster here than conditional moves).
 */
function columnStep(
  cur: Float64Array,
  nxt: Float64Array,
  S: number,
  lanes: number,
  col: number,
  c0: number,
  c1: number,
  path: Uint32Array,
  p: number,
): void {
  for (let base = 0; base < S; base += 32) {
    let bits = 0;
    for (let k = 0; k < lanes; k += 2) {
      const s = base | k;
      const t = s ^ col;
      const a0 = cur[s] + c0;
      const b0 = cur[t] + c1;
      const a1 = cur[s | 1] + c0;
      const b1 = cur[t ^ 1] + c1;
      if (b0 < a0) {
        nxt[s] = b0;
        bits |= 1 << k;
      } else {
        nxt[s] = a0;
      }
      if (b1 < a1) {
        nxt[s | 1] = b1;
        bits |= 2 << k;
      } else {
        nxt[s | 1] = a1;
      }
    }
    path[p++] = bits;
  }
}

/**
 * A block's first column straight from the states before the pruning by
 * message bit mb: pruned state s is cur[2s + mb] below half, unreachable above.
 */
function prunedFirstColumn(cur: Float64Array, nxt: Float64Array, S: number, mb: number, col: number, c0: number, c1: number): void {
  const half = S >>> 1;
  for (let s = 0; s < half; s++) nxt[s] = cur[(s << 1) | mb] + c0;
  for (let s = half; s < S; s++) nxt[s] = cur[((s ^ col) << 1) | mb] + c1;
}

const embedders = new Map<string, StcEmbedder>();

/**
 * {@link StcEmbedder.embed} with a shared embedder per parameter set (its
 * buffers are kept for the next call).
 */
export function stcEmbed(
  cover: ArrayLike<number>,
  costs: Float32Array,
  message: ArrayLike<number>,
  params: StcParams = stcParams(),
  stego: Uint8Array = new Uint8Array(cover.length),
): StcResult {
  const key = `${params.height}/${params.chunkColumns}`;
  let e = embedders.get(key);
  if (!e) {
    e = new StcEmbedder(params);
    embedders.set(key, e);
  }
  return e.embed(cover, costs, message, stego);
}
