/**
 * Fisher's linear discriminant on data whose best linear rule is known: two
 * Gaussian classes with one shared covariance Σ, for which the Bayes rule is
 * linear along Σ^-1 (μ1 - μ0). And the Cholesky solver on systems with
 * known solutions.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test-support/seeded-random.ts';
import { choleskySolve, linearScore, ScatterStats, trainFisher } from './linear-classifier.ts';

/** Standard normal deviates (Box-Muller) from a seeded generator. */
function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

describe('Cholesky solve', () => {
  it('solves a known system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -2, 3] -> b = A x = [0, -5, 7].
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const b = Float64Array.from([0, -5, 7]);
    choleskySolve(a, b, 3);
    expect(Array.from(b).map((v) => Number(v.toFixed(12)))).toEqual([1, -2, 3]);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('Fisher linear discriminant', () => {
  const d = 12;
  const rnd = mulberry32(2024);
  const g = gaussian(rnd);
  // Σ = L L^T with a random lower-triangular L (diagonal kept away from 0).
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) l[i * d + j] = i === j ? 0.5 + rnd() : rnd() - 0.5;
  const delta = Float64Array.from({ length: d }, () => (rnd() - 0.5) * 0.6);
  const sample = (shift: boolean) => {
    const z = Float64Array.from({ length: d }, g);
    const x = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j <= i; j++) v += l[i * d + j] * z[j];
      x[i] = v + (shift ? delta[i] : 0) + 3; // an offset, as features have
    }
    return x;
  };
  const cover = new ScatterStats(d);
  const stego = new ScatterStats(d);
  for (let n = 0; n < 20_000; n++) {
    cover.add(sample(false));
    stego.add(sample(true));
  }

  it('finds the direction Σ^-1 Δμ and puts the threshold half way', () => {
    const model = trainFisher(cover, stego, 1e-9);
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) sigma[i * d + j] += l[i * d + k] * l[j * d + k];
    const best = Float64Array.from(delta);
    choleskySolve(sigma, best, d);
    let dot = 0;
    let n1 = 0;
    let n2 = 0;
    for (let i = 0; i < d; i++) {
      dot += best[i] * model.weights[i];
      n1 += best[i] * best[i];
      n2 += model.weights[i] * model.weights[i];
    }
    expect(dot / Math.sqrt(n1 * n2)).toBeGreaterThan(0.995);
    // Scores: the class means sit symmetrically about 0.
    const mean = (s: ScatterStats) => Float64Array.from(s.sum, (v) => v / s.count);
    expect(linearScore(model, mean(cover)) + linearScore(model, mean(stego))).toBeCloseTo(0, 6);
    expect(linearScore(model, mean(stego))).toBeGreaterThan(0);
  });

  it('classifies new samples about as well as the Bayes rule', () => {
    const model = trainFisher(cover, stego, 1e-3);
    let right = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      if (linearScore(model, sample(false)) < 0) right++;
      if (linearScore(model, sample(true)) > 0) right++;
    }
    // Bayes error for shared-covariance Gaussians: Φ(-Δ/2) with Δ the Mahalanobis distance of the means.
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) sigma[i * d + j] += l[i * d + k] * l[j * d + k];
    const x = Float64Array.from(delta);
    choleskySolve(sigma, x, d);
    const mahalanobis = Math.sqrt(x.reduce((a, v, i) => a + v * delta[i], 0));
    const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    const bayes = 1 - phi(-mahalanobis / 2);
    expect(right / (2 * n)).toBeGreaterThan(bayes - 0.02);
  });

  it('merges statistics as if the vectors had been added to one', () => {
    const a = new ScatterStats(3);
    const b = new ScatterStats(3);
    const all = new ScatterStats(3);
    for (let i = 0; i < 50; i++) {
      const v = Float64Array.from([rnd(), rnd() * 2, 0]);
      (i % 2 ? a : b).add(v);
      all.add(v);
    }
    a.merge(b);
    expect(a.count).toBe(all.count);
    for (let i = 0; i < 9; i++) expect(a.outer[i]).toBeCloseTo(all.outer[i], 12);
  });

  it('gives a feature that never varies no weight', () => {
    const c = new ScatterStats(3);
    const s = new ScatterStats(3);
    for (let i = 0; i < 200; i++) {
      c.add(Float64Array.from([g(), 7, g()]));
      s.add(Float64Array.from([g() + 1, 7, g()]));
    }
    const m = trainFisher(c, s, 1e-3);
    expect(m.weights[1]).toBe(0);
    expect(m.weights[0]).toBeGreaterThan(0);
  });
});

/** erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7), enough for a bound. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
