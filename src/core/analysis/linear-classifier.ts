/**
 * A linear classifier over feature vectors: score = bias + weights . x,
 * positive for "stego" once the bias is set at the decision threshold.
 * Training is Fisher's linear discriminant with ridge regularisation
 * (w = (S_w + λ I)^-1 (μ_stego - μ_cover) on standardised features, folded
 * back so the model scores raw features); it has a closed form, needs no
 * tuning beyond λ, and is what the ensemble classifiers of residual-feature
 * steganalysis are built from.
 *
 * Training works from per-group sufficient statistics (count, sum, sum of
 * outer products), so the calibration script can leave whole videos out for
 * cross-validation without touching the features again.
 */

/** Weights and bias of a linear score. */
export interface LinearModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

/** bias + weights . features. */
export function linearScore(model: LinearModel, features: Float64Array): number {
  const w = model.weights;
  let s = model.bias;
  for (let i = 0; i < w.length; i++) s += w[i] * features[i];
  return s;
}

/**
 * Count, sum and sum of outer products (upper triangle kept in full, d x d
 * row-major) of one class of feature vectors.
 */
export class ScatterStats {
  readonly dim: number;
  count = 0;
  readonly sum: Float64Array;
  readonly outer: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.sum = new Float64Array(dim);
    this.outer = new Float64Array(dim * dim);
  }

  /** Adds one vector. O(d^2); only the upper triangle is accumulated. */
  add(x: Float64Array): void {
    const d = this.dim;
    const s = this.sum;
    const o = this.outer;
    this.count++;
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      s[i] += xi;
      if (xi === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) o[row + j] += xi * x[j];
    }
  }

  /** Adds another class's statistics (same dimension). */
  merge(other: ScatterStats): void {
    if (other.dim !== this.dim) throw new RangeError('ScatterStats.merge: dimensions differ');
    this.count += other.count;
    for (let i = 0; i < this.dim; i++) this.sum[i] += other.sum[i];
    for (let i = 0; i < this.outer.length; i++) this.outer[i] += other.outer[i];
  }
}

/**
 * Solves A x = b in place for a symmetric positive definite A (d x d,
 * row-major, upper triangle read) by Cholesky; A is overwritten, b becomes x.
 * Throws when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): void {
  // Lower factor L in the lower triangle: A = L L^T.
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j];
    for (let k = 0; k < j; k++) diag -= a[j * d + k] * a[j * d + k];
    if (!(diag > 0)) throw new RangeError('choleskySolve: matrix is not positive definite');
    const ljj = Math.sqrt(diag);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = a[j * d + i]; // A[j][i] from the upper triangle = A[i][j]
      const ri = i * d;
      const rj = j * d;
      for (let k = 0; k < j; k++) v -= a[ri + k] * a[rj + k];
      a[ri + j] = v / ljj;
    }
  }
  for (let i = 0; i < d; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= a[i * d + k] * b[k];
    b[i] = v / a[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let v = b[i];
    for (let k = i + 1; k < d; k++) v -= a[k * d + i] * b[k];
    b[i] = v / a[i * d + i];
  }
}

/**
 * Fisher's linear discriminant between two classes, ridge-regularised on
 * standardised features: each feature is scaled by its pooled within-class
 * standard deviation (features that never vary get weight 0), λ is added to
 * the diagonal of the scaled within-class scatter divided by the sample
 * count, and the weights are folded back to raw features. The bias puts the
 * decision at the midpoint of the two class means' scores.
 *
 * @param ridge λ, relative to unit-variance features.
 */
export function trainFisher(cover: ScatterStats, stego: ScatterStats, ridge: number): LinearModel {
  const d = cover.dim;
  if (stego.dim !== d) throw new RangeError('trainFisher: dimensions differ');
  if (cover.count < 2 || stego.count < 2) throw new RangeError('trainFisher: too few samples');
  const n = cover.count + stego.count;
  const mc = new Float64Array(d);
  const ms = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    mc[i] = cover.sum[i] / cover.count;
    ms[i] = stego.sum[i] / stego.count;
  }
  // Within-class scatter / n, upper triangle: sum xx^T - count * mu mu^T per class.
  const sw = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let j = i; j < d; j++) {
      const c = cover.outer[row + j] - cover.count * mc[i] * mc[j];
      const s = stego.outer[row + j] - stego.count * ms[i] * ms[j];
      sw[row + j] = (c + s) / n;
    }
  }
  const scale = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = sw[i * d + i];
    scale[i] = v > 1e-18 ? 1 / Math.sqrt(v) : 0;
  }
  // Standardise; a feature that never varies keeps a unit diagonal and a zero right-hand side.
  const live = scale.map((s) => (s > 0 ? 1 : 0));
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let j = i; j < d; j++) sw[row + j] = live[i] && live[j] ? sw[row + j] * scale[i] * scale[j] : i === j ? 1 : 0;
    sw[row + i] += ridge;
  }
  const w = new Float64Array(d);
  for (let i = 0; i < d; i++) w[i] = (ms[i] - mc[i]) * scale[i];
  choleskySolve(sw, w, d);
  let mid = 0;
  for (let i = 0; i < d; i++) {
    w[i] *= scale[i];
    mid += w[i] * (mc[i] + ms[i]) * 0.5;
  }
  return { weights: w, bias: -mid };
}
