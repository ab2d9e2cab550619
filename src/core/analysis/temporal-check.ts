/**
 * The temporal check: a frame that carries ±1 noise next to frames that do
 * not. Decoded video is smooth: in a natural frame many samples equal all
 * four of their neighbours (flat areas, skipped blocks), and that share moves
 * slowly from frame to frame. Changing a share q of the samples by ±1 makes a
 * flat sample uneven when it or any of its four neighbours changes, so the
 * flat share drops by about 5q (2.5 times the rate of LSB matching) below
 * the neighbouring frames'. (Counting flat samples rather than equal pairs
 * doubles the drop on the corpus for a little more scatter between clean
 * frames; flagging more carriers at the same false-positive rate.) The score
 * is how far below the nearer of its neighbours the frame is, on a log scale:
 *
 *   score_f = min(ln(flat_f-1 / flat_f), ln(flat_f+1 / flat_f))
 *
 * (one neighbour at the ends of a video). Taking the nearer neighbour keeps a
 * scene cut, which changes one side only, from reading as noise. It is blind
 * when the neighbours carry as much noise as the frame (every frame
 * embedded), and works on any bit depth.
 */
import type { PlaneSamples } from '../geometry.ts';

/**
 * Share of a plane's interior samples that equal all four of their
 * neighbours (left, right, above, below); NaN for planes under 3x3.
 */
export function flatShare(samples: PlaneSamples, width: number, height: number): number {
  if (samples.length < width * height) throw new RangeError('flatShare: plane smaller than its size');
  if (width < 3 || height < 3) return Number.NaN;
  let flat = 0;
  for (let y = 1; y + 1 < height; y++) {
    const row = y * width;
    const last = row + width - 1;
    for (let i = row + 1; i < last; i++) {
      const c = samples[i];
      // Zero exactly when all four neighbours equal c; (e - 1) >>> 31 is then 1 (samples are under 2^16), with no branch to mispredict.
      const e = (c ^ samples[i - 1]) | (c ^ samples[i + 1]) | (c ^ samples[i - width]) | (c ^ samples[i + width]);
      flat += (e - 1) >>> 31;
    }
  }
  return flat / ((width - 2) * (height - 2));
}

/** ln(neighbour / current), +Infinity when the current frame has no flat pairs and the neighbour does. */
function logRatio(neighbour: number, current: number): number {
  if (!(neighbour > 0) && !(current > 0)) return Number.NaN;
  return Math.log(neighbour / current);
}

/**
 * The temporal score of a frame from its own flat share and its neighbours'
 * (NaN for a missing neighbour). Positive: the frame is less flat than both
 * neighbours. NaN when it has no neighbour.
 */
export function temporalScore(previous: number, current: number, next: number): number {
  const a = Number.isNaN(previous) ? Number.NaN : logRatio(previous, current);
  const b = Number.isNaN(next) ? Number.NaN : logRatio(next, current);
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return a < b ? a : b;
}

/** Temporal scores of a run of consecutive frames from their flat shares (one plane), into `out`. */
export function temporalScores(flat: ArrayLike<number>, out = new Float64Array(flat.length)): Float64Array {
  const n = flat.length;
  for (let f = 0; f < n; f++) {
    out[f] = temporalScore(f > 0 ? flat[f - 1] : Number.NaN, flat[f], f + 1 < n ? flat[f + 1] : Number.NaN);
  }
  return out;
}
