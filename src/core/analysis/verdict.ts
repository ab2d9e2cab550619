/**
 * A plain verdict from the detectors' readings: per frame and per video,
 * "clean", "suspicious" or "likely hidden data", with the thresholds the
 * calibration script set on clean natural frames of the corpus
 * (docs/CALIBRATION.md, ./verdict-thresholds.json).
 *
 * Per frame: a detector flags the frame when any plane's score is above its
 * "flag" threshold for that plane kind; one detector flagging makes the
 * frame suspicious, two or more (or one above its "strong" threshold) make
 * it likely to hide data. The thresholds keep the flagged share of clean
 * natural frames at most 5%. At bit depths other than the calibrated one,
 * the detectors whose readings depend on the depth are left out
 * ({@link DEPTH_BOUND_DETECTORS}).
 *
 * Per video: a few flagged frames are what clean video shows by chance. The
 * video is suspicious when its count of flagged frames is as unlikely under
 * the clean per-frame rate as one flagged frame is (binomial tail at most
 * that rate), and likely to hide data when its count of "likely" frames is;
 * for a single frame this is that frame's verdict.
 */
import type { PlaneScores } from './frame-analyzer.ts';

/** The detectors the verdict reads, in display order. */
export const DETECTORS = ['structural', 'chiSquare', 'sequential', 'residual', 'temporal'] as const;
export type Detector = (typeof DETECTORS)[number];

export interface DetectorThreshold {
  /** Above this, the detector flags the plane. */
  readonly flag: number;
  /** Above this, one detector alone makes the frame "likely". */
  readonly strong: number;
}

export type KindThresholds = Readonly<Record<Detector, DetectorThreshold>>;

export interface VerdictThresholds {
  /** Bit depth of the frames the thresholds were set on; the residual detector is left out on other depths. */
  readonly bitDepth: number;
  readonly luma: KindThresholds;
  readonly chroma: KindThresholds;
  /**
   * Shares of clean natural frames read "suspicious or likely" and "likely"
   * at these thresholds (the video verdict's chance rates). Absent while the
   * script is still searching for the thresholds.
   */
  readonly cleanFrameRates?: { readonly flagged: number; readonly likely: number };
}

/** One plane's readings with its temporal score. */
export type PlaneEvidence = PlaneScores & { readonly temporal: number };
/** A frame's planes' evidence, luma first. */
export type FrameEvidence = readonly PlaneEvidence[];

export type Verdict = 'clean' | 'suspicious' | 'likely';

export interface FrameVerdict {
  readonly verdict: Verdict;
  /** Detectors that flagged the frame. */
  readonly flagged: readonly Detector[];
  /** Detectors that read above their strong threshold. */
  readonly strong: readonly Detector[];
}

/**
 * Detectors whose thresholds hold only at the calibrated bit depth: the
 * chi-square attack reads histograms, which at 10 bits and above are smooth
 * enough to look equalised on clean video, and the residual classifier was
 * trained on 8-bit noise. The rate estimators and the temporal check compare
 * a plane with itself or its neighbours and carry over.
 */
export const DEPTH_BOUND_DETECTORS: readonly Detector[] = ['chiSquare', 'sequential', 'residual'];

/** A plane's score for one detector; larger is more suspicious. */
export function detectorScore(d: Detector, p: PlaneEvidence): number {
  switch (d) {
    case 'structural':
      return p.structuralRate;
    case 'chiSquare':
      return p.chiSquareP;
    case 'sequential':
      return p.chiSquareSequential;
    case 'residual':
      return p.residual;
    case 'temporal':
      return p.temporal;
  }
}

/**
 * The verdict on one frame. Planes beyond the third (alpha) are not read.
 * NaN scores (a detector that could not read a plane) never flag.
 *
 * @param bitDepth the frame's bit depth; {@link DEPTH_BOUND_DETECTORS} are only read at the calibrated one.
 */
export function frameVerdict(evidence: FrameEvidence, t: VerdictThresholds, bitDepth = t.bitDepth): FrameVerdict {
  const flagged: Detector[] = [];
  const strong: Detector[] = [];
  for (const d of DETECTORS) {
    if (bitDepth !== t.bitDepth && DEPTH_BOUND_DETECTORS.includes(d)) continue;
    let isFlagged = false;
    let isStrong = false;
    for (let p = 0; p < evidence.length && p < 3; p++) {
      const k = p === 0 ? t.luma[d] : t.chroma[d];
      const s = detectorScore(d, evidence[p]);
      if (s > k.flag) isFlagged = true;
      if (s > k.strong) isStrong = true;
    }
    if (isFlagged) flagged.push(d);
    if (isStrong) strong.push(d);
  }
  const verdict: Verdict = strong.length > 0 || flagged.length >= 2 ? 'likely' : flagged.length === 1 ? 'suspicious' : 'clean';
  return { verdict, flagged, strong };
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnTerm0 = logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  let term = Math.exp(lnTerm0);
  let sum = term;
  const ratio = p / (1 - p);
  for (let i = k; i < n; i++) {
    term *= ((n - i) / (i + 1)) * ratio;
    sum += term;
    if (term < sum * 1e-16 && i > n * p) break;
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  // ln C(n, k) as a sum of logs over the shorter side: exact enough and free of overflow.
  const m = Math.min(k, n - k);
  for (let i = 1; i <= m; i++) s += Math.log((n - m + i) / i);
  return s;
}

export interface VideoVerdict {
  readonly verdict: Verdict;
  readonly frames: number;
  /** Frames read "suspicious" or "likely". */
  readonly flagged: number;
  /** Frames read "likely". */
  readonly likely: number;
}

/** Least clean-frame chance rate the video verdict assumes, so a rate measured as 0 on a finite sample still leaves room for chance. */
const MIN_CHANCE_RATE = 1e-3;

/** The verdict on a video (or any run of frames) from its frames' verdicts. */
export function videoVerdict(verdicts: ArrayLike<Verdict>, t: VerdictThresholds): VideoVerdict {
  const n = verdicts.length;
  let flagged = 0;
  let likely = 0;
  for (let i = 0; i < n; i++) {
    const v = verdicts[i];
    if (v !== 'clean') flagged++;
    if (v === 'likely') likely++;
  }
  const rates = t.cleanFrameRates ?? { flagged: 0.05, likely: 0.005 };
  const pf = Math.max(MIN_CHANCE_RATE, rates.flagged);
  const pl = Math.max(MIN_CHANCE_RATE, rates.likely);
  let verdict: Verdict = 'clean';
  // "At most the rate", with room for rounding: one flagged frame of one has a tail of exactly the rate.
  if (likely > 0 && binomialUpperTail(n, pl, likely) <= pl * (1 + 1e-9)) verdict = 'likely';
  else if (flagged > 0 && binomialUpperTail(n, pf, flagged) <= pf * (1 + 1e-9)) verdict = 'suspicious';
  return { verdict, frames: n, flagged, likely };
}
