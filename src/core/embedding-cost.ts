/**
 * Embedding costs from local texture: HILL (Li, Wang, Huang, Ni, "A new cost
 * function for spatial image steganography", ICIP 2014). Changing a sample
 * in a smooth area is expensive, in a textured or noisy one cheap; the
 * syndrome-trellis embedder (`stc/`) then changes the cheapest samples that
 * carry the message.
 *
 * For a plane X:
 *   R  = X ⊛ KB, KB = [[-1, 2, -1], [2, -4, 2], [-1, 2, -1]] (a high-pass residual)
 *   W1 = |R| ⊛ (3×3 mean)
 *   ρ  = (1 / W1) ⊛ (15×15 mean)
 * with symmetric padding at the borders (x[-1] = x[0], as MATLAB's
 * 'symmetric'), as in the authors' reference code. Samples whose 3×3
 * neighbourhood of residuals is exactly zero (a perfectly flat area: black
 * borders, saturated sky) get 1/W1 = {@link HILL_FLAT_COST}, the reference's
 * 1 / 1e-10, so the mean around them makes them all but wet.
 *
 * **Why the reveal never needs these costs.** The extractor of a
 * syndrome-trellis code computes H·y from the stego bits alone; the costs
 * only steer which samples the embedder changes. So the costs may be computed
 * on the cover as it is, all its bits included, and need not survive the
 * embedding: the reveal never recomputes them.
 *
 * **Bit depth.** Residuals are divided by 2^(bitDepth - 8), so a 10-bit plane
 * and the 8-bit plane it was scaled up from get the same costs.
 *
 * **Speed.** KB is separable (minus the outer product of [1, -2, 1] with
 * itself) and the means are box filters: three passes over the plane, each
 * a handful of operations per sample, with running sums: about 60 ms of one
 * core for a 1080p 4:2:0 frame (`npm run bench -- stc`). The 15×15 mean keeps
 * the flat samples as an exact count beside a Float64 sum of the others, so
 * the running sums never mix 1e10 with 0.01 and do not drift.
 *
 * Pure: no DOM, typed arrays in and out. A {@link HillCost} keeps its
 * scratch buffers between planes and frames.
 */
import type { FramePlanes, PlaneSamples, VideoGeometry } from './geometry.ts';

/** 1/W1 where the 3×3 residual mean is zero: HILL's 1 / (0 + 1e-10). */
export const HILL_FLAT_COST = 1e10;

/** Half-size of HILL's large mean (15×15); the small one (3×3) is written out in the passes. */
const R_LARGE = 7;
const LARGE_AREA = (2 * R_LARGE + 1) ** 2;

/** Index k reflected into [0, n) as symmetric padding does (x[-1] = x[0], x[n] = x[n-1]), for any k. */
function reflect(k: number, n: number): number {
  const period = 2 * n;
  let r = k % period;
  if (r < 0) r += period;
  return r < n ? r : period - 1 - r;
}

/**
 * HILL costs, with scratch buffers reused from one plane to the next. Not
 * re-entrant (one per worker).
 */
export class HillCost {
  /** Horizontal 15-sums of the non-flat 1/W1 values, then the plane's costs. */
  private finite = new Float32Array(0);
  /** Horizontal 15-counts of flat samples (0 .. 15). */
  private flat = new Uint8Array(0);
  private rowT = new Float64Array(0);
  private rowA = new Float64Array(0);
  private rowP = new Float64Array(0);
  private rowF = new Uint8Array(0);
  private colF = new Float64Array(0);
  private colC = new Int32Array(0);

  private ensure(width: number, size: number): void {
    if (this.finite.length < size) {
      this.finite = new Float32Array(size);
      this.flat = new Uint8Array(size);
    }
    if (this.rowT.length < width + 2 * R_LARGE + 2) {
      const w = width + 2 * R_LARGE + 2;
      this.rowT = new Float64Array(w);
      this.rowA = new Float64Array(w);
      this.rowP = new Float64Array(w);
      this.rowF = new Uint8Array(w);
      this.colF = new Float64Array(w);
      this.colC = new Int32Array(w);
    }
  }

  /**
   * The cost of changing each sample of one plane by ±1.
   *
   * @param samples the plane, row-major, width × height.
   * @param bitDepth 8 .. 16.
   * @param out receives width × height costs (a new array when omitted):
   *   positive, finite, larger in smooth areas.
   */
  plane(
    samples: PlaneSamples,
    width: number,
    height: number,
    bitDepth: number,
    out: Float32Array = new Float32Array(width * height),
  ): Float32Array {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad plane size ${width}x${height}`);
    if (!Number.isInteger(bitDepth) || bitDepth < 8 || bitDepth > 16) throw new RangeError(`bad bit depth ${bitDepth}`);
    const size = width * height;
    if (samples.length < size || out.length < size) throw new RangeError('HillCost.plane: buffers smaller than the plane');
    this.ensure(width, size);
    this.residualPass(samples, width, height, out);
    this.reciprocalPass(out, width, height, 2 ** (bitDepth - 8));
    this.verticalMeanPass(width, height, out);
    return out;
  }

  /**
   * Costs for every plane of a frame, in the frame's plane order.
   *
   * @param out per-plane outputs to reuse (new arrays when omitted).
   */
  frame(planes: FramePlanes, g: VideoGeometry, out: Float32Array[] = []): Float32Array[] {
    if (planes.length !== g.planes.length) throw new RangeError(`expected ${g.planes.length} planes, got ${planes.length}`);
    for (let p = 0; p < planes.length; p++) {
      const { width, height } = g.planes[p];
      if (!out[p] || out[p].length < width * height) out[p] = new Float32Array(width * height);
      this.plane(planes[p], width, height, g.bitDepth, out[p]);
    }
    return out;
  }

  /**
   * Pass 1, row by row: t = vertical [1, -2, 1] of X, a = |horizontal
   * [1, -2, 1] of t| = |R|, then the horizontal 3-sum of a, into `dst`.
   * All values are integers under 2^24, exact in Float32.
   */
  private residualPass(src: PlaneSamples, width: number, height: number, dst: Float32Array): void {
    const t = this.rowT; // t[x + 2] = t(x), padded two each side
    const a = this.rowA; // a[x + 1] = |R|(x), padded one each side
    for (let y = 0; y < height; y++) {
      const up = reflect(y - 1, height) * width;
      const mid = y * width;
      const down = reflect(y + 1, height) * width;
      for (let x = 0; x < width; x++) t[x + 2] = src[up + x] - 2 * src[mid + x] + src[down + x];
      t[1] = t[2 + reflect(-1, width)];
      t[0] = t[2 + reflect(-2, width)];
      t[width + 2] = t[2 + reflect(width, width)];
      t[width + 3] = t[2 + reflect(width + 1, width)];
      for (let x = 0; x < width; x++) {
        const r = t[x + 1] - 2 * t[x + 2] + t[x + 3];
        a[x + 1] = r < 0 ? -r : r;
      }
      // |R| is symmetric about the border like X (KB is symmetric), so its padding reflects too.
      a[0] = a[1 + reflect(-1, width)];
      a[width + 1] = a[1 + reflect(width, width)];
      for (let x = 0; x < width; x++) dst[mid + x] = a[x] + a[x + 1] + a[x + 2];
    }
  }

  /**
   * Pass 2, row by row: the vertical 3-sum of pass 1 gives 9·W1; 1/W1 (or the
   * flat cost), and its horizontal 15-sum, kept as a finite sum and a count
   * of flat samples.
   */
  private reciprocalPass(h3: Float32Array, width: number, height: number, scale: number): void {
    const p = this.rowP; // p[x + 7] = 1/W1(x) when not flat, else 0
    const f = this.rowF; // f[x + 7] = 1 when flat
    const finite = this.finite;
    const flat = this.flat;
    const nine = 9 * scale; // 1/W1 = 9 / (3×3 sum of |R| / scale)
    for (let y = 0; y < height; y++) {
      const up = reflect(y - 1, height) * width;
      const mid = y * width;
      const down = reflect(y + 1, height) * width;
      for (let x = 0; x < width; x++) {
        const s9 = h3[up + x] + h3[mid + x] + h3[down + x];
        if (s9 === 0) {
          p[x + R_LARGE] = 0;
          f[x + R_LARGE] = 1;
        } else {
          p[x + R_LARGE] = nine / s9;
          f[x + R_LARGE] = 0;
        }
      }
      for (let k = 1; k <= R_LARGE; k++) {
        const l = R_LARGE + reflect(-k, width);
        const r = R_LARGE + reflect(width - 1 + k, width);
        p[R_LARGE - k] = p[l];
        f[R_LARGE - k] = f[l];
        p[R_LARGE + width - 1 + k] = p[r];
        f[R_LARGE + width - 1 + k] = f[r];
      }
      let sum = 0;
      let count = 0;
      for (let k = 0; k < 2 * R_LARGE + 1; k++) {
        sum += p[k];
        count += f[k];
      }
      for (let x = 0; x < width; x++) {
        finite[mid + x] = sum;
        flat[mid + x] = count;
        sum += p[x + 2 * R_LARGE + 1] - p[x];
        count += f[x + 2 * R_LARGE + 1] - f[x];
      }
    }
  }

  /** Pass 3: the vertical 15-sum of pass 2, divided by 225, into `out`. */
  private verticalMeanPass(width: number, height: number, out: Float32Array): void {
    const finite = this.finite;
    const flat = this.flat;
    const colF = this.colF;
    const colC = this.colC;
    colF.fill(0, 0, width);
    colC.fill(0, 0, width);
    for (let k = -R_LARGE; k <= R_LARGE; k++) {
      const row = reflect(k, height) * width;
      for (let x = 0; x < width; x++) {
        colF[x] += finite[row + x];
        colC[x] += flat[row + x];
      }
    }
    const flatMean = HILL_FLAT_COST / LARGE_AREA;
    for (let y = 0; y < height; y++) {
      const mid = y * width;
      for (let x = 0; x < width; x++) out[mid + x] = colF[x] / LARGE_AREA + colC[x] * flatMean;
      if (y + 1 === height) break;
      const add = reflect(y + R_LARGE + 1, height) * width;
      const sub = reflect(y - R_LARGE, height) * width;
      for (let x = 0; x < width; x++) {
        colF[x] += finite[add + x] - finite[sub + x];
        colC[x] += flat[add + x] - flat[sub + x];
      }
    }
  }
}

/** {@link HillCost.plane} with a fresh set of scratch buffers (tests, one-off use). */
export function hillCosts(samples: PlaneSamples, width: number, height: number, bitDepth: number, out?: Float32Array): Float32Array {
  return new HillCost().plane(samples, width, height, bitDepth, out);
}
