/**
 * Weighted Stego analysis (Fridrich and Goljan, "On estimation of secret
 * message length in LSB steganography in spatial domain", 2004), with the
 * predictor and weights Ker and Böhme found best ("Revisiting weighted
 * stego-image steganalysis", 2008), and a correction for the bias that
 * smooth content gives it.
 *
 * Flipping an LSB moves a sample by e = s - s̄ = +1 (odd s) or -1 (even s).
 * In a natural plane the sample sits, on average, where its neighbours
 * predict (F̂); LSB replacement pulls the samples it flips away from that
 * prediction towards s̄'s side. So
 *
 *   p̂ = 2 * sum_i w_i e_i (s_i - F̂(s)_i) / sum_i w_i
 *
 * estimates the share of samples carrying message bits. F̂ is the 3x3
 * predictor (2(N + S + W + E) - (NW + NE + SW + SE)) / 4; w_i = 1 / (5 + σ_i^2)
 * with σ_i^2 the variance of the eight neighbours, so smooth areas, where the
 * prediction is good, weigh most. Interior samples only.
 *
 * The bias: the prediction is made from neighbours that were flipped too.
 * When neighbouring samples share their parity (flat areas, which decoded
 * video is full of), a flipped neighbour moves the prediction the same way
 * the sample's own flip would, and p̂ reads high: on the corpus by about 40%
 * at every rate. With C = sum w_i e_i F̂(e)_i / sum w_i, the parity
 * agreement the predictor sees on the plane as it is (cover agreement times
 * (1 - p)^2 after embedding), the expected reading is
 * p̂ = p (1 - p + C) / (1 - p); its smaller root gives p:
 *
 *   p = ((1 + C + p̂) - sqrt((1 + C + p̂)^2 - 4 p̂)) / 2.
 *
 * (Derived here for random flips; Ker and Böhme correct the same bias
 * differently.) Works on any bit depth.
 */
import type { PlaneSamples } from '../geometry.ts';

/** Raw reading and parity agreement of one plane; see the module comment. */
export interface WeightedStegoParts {
  /** Uncorrected estimate p̂. */
  readonly raw: number;
  /** Weighted parity agreement C under the predictor. */
  readonly agreement: number;
}

/** The uncorrected estimate and the parity agreement; NaN for planes under 3x3. */
export function weightedStegoParts(samples: PlaneSamples, width: number, height: number): WeightedStegoParts {
  if (samples.length < width * height) throw new RangeError('weightedStego: plane smaller than its size');
  if (width < 3 || height < 3) return { raw: Number.NaN, agreement: Number.NaN };
  let num = 0;
  let agree = 0;
  let den = 0;
  for (let y = 1; y + 1 < height; y++) {
    const up = (y - 1) * width;
    const mid = up + width;
    const down = mid + width;
    // A sliding 3x3 window: columns x-1 (l), x (c), x+1 (r).
    let ul = samples[up];
    let uc = samples[up + 1];
    let ml = samples[mid];
    let mc = samples[mid + 1];
    let dl = samples[down];
    let dc = samples[down + 1];
    for (let x = 1; x + 1 < width; x++) {
      const ur = samples[up + x + 1];
      const mr = samples[mid + x + 1];
      const dr = samples[down + x + 1];
      const cross = uc + dc + ml + mr;
      const diag = ul + ur + dl + dr;
      const sum = cross + diag;
      const sumSq = uc * uc + dc * dc + ml * ml + mr * mr + ul * ul + ur * ur + dl * dl + dr * dr;
      const w = 1 / (5 + (sumSq * 0.125 - sum * sum * 0.015625));
      // e = +1 for odd, -1 for even: 2 * (x & 1) - 1.
      const e = 2 * (mc & 1) - 1;
      num += w * e * (mc - (2 * cross - diag) * 0.25);
      const eCross = (uc & 1) + (dc & 1) + (ml & 1) + (mr & 1);
      const eDiag = (ul & 1) + (ur & 1) + (dl & 1) + (dr & 1);
      // F̂ of the e field: (2 * sum(2b - 1 over cross) - sum(2b - 1 over diagonals)) / 4 = (4 eCross - 2 eDiag - 4) / 4.
      agree += w * e * (eCross - 0.5 * eDiag - 1);
      den += w;
      ul = uc;
      uc = ur;
      ml = mc;
      mc = mr;
      dl = dc;
      dc = dr;
    }
  }
  return den > 0 ? { raw: (2 * num) / den, agreement: agree / den } : { raw: Number.NaN, agreement: Number.NaN };
}

/** The bias-corrected rate from the raw reading p̂ and the parity agreement C. */
export function correctedWeightedStego(raw: number, agreement: number): number {
  const b = 1 + agreement + raw;
  return (b - Math.sqrt(Math.max(0, b * b - 4 * raw))) / 2;
}

/** Weighted Stego estimate of one plane's LSB-replacement rate, bias-corrected; NaN for planes under 3x3. */
export function weightedStego(samples: PlaneSamples, width: number, height: number): number {
  const { raw, agreement } = weightedStegoParts(samples, width, height);
  return correctedWeightedStego(raw, agreement);
}
