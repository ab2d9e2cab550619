/**
 * Steganalysis in the core: detectors that read a frame's planes and say how
 * likely they are to carry hidden data, and a plain verdict per frame and per
 * video. Pure: typed arrays in, numbers out; no DOM, no worker globals.
 *
 * Typical use, per decoded frame of a video:
 *
 *   const analyzer = createFrameAnalyzer(geometry);
 *   scores.push(analyzer.analyze(planes));          // every frame, in order
 *   ...
 *   const v = frameVerdict(withTemporal(scores, i), VERDICT_THRESHOLDS, geometry.bitDepth);
 *   const video = videoVerdict(verdicts, VERDICT_THRESHOLDS);
 *
 * Figures and thresholds: docs/CALIBRATION.md (`npm run calibrate`).
 */
import type { PlaneGeometry } from '../geometry.ts';
import { RESIDUAL_MODEL } from './calibration-data.ts';
import { FrameAnalyzer, type PlaneScores } from './frame-analyzer.ts';
import { temporalScore } from './temporal-check.ts';
import type { FrameEvidence } from './verdict.ts';

export { chiSquareHistogramP, ChiSquareScanner, MIN_EXPECTED, SEQUENTIAL_P, type ChiSquareScan } from './chi-square-attack.ts';
export { chiSquareSurvival, gammaQ, logGamma } from './chi-square-distribution.ts';
export { RESIDUAL_MODEL, VERDICT_THRESHOLDS, parseResidualModel, parseVerdictThresholds } from './calibration-data.ts';
export { FrameAnalyzer, medianOfThree, planeKind, structuralScores, type PlaneKind, type PlaneScores, type ResidualModel } from './frame-analyzer.ts';
export { linearScore, trainFisher, ScatterStats, type LinearModel } from './linear-classifier.ts';
export { rsAnalysis, rsCounts, rsRate, type RsCounts, type RsResult } from './rs-analysis.ts';
export { samplePairAnalysis, spaCounts, spaRate, type SpaCounts } from './sample-pair-analysis.ts';
export { SPAM_FEATURES, SPAM_T, SpamExtractor } from './spam-features.ts';
export { flatShare, temporalScore, temporalScores } from './temporal-check.ts';
export {
  binomialUpperTail,
  DEPTH_BOUND_DETECTORS,
  DETECTORS,
  detectorScore,
  frameVerdict,
  videoVerdict,
  type Detector,
  type DetectorThreshold,
  type FrameEvidence,
  type FrameVerdict,
  type PlaneEvidence,
  type Verdict,
  type VerdictThresholds,
  type VideoVerdict,
} from './verdict.ts';
export { correctedWeightedStego, weightedStego, weightedStegoParts, type WeightedStegoParts } from './weighted-stego.ts';

/** A {@link FrameAnalyzer} with the shipped residual classifiers. */
export function createFrameAnalyzer(shape: { readonly planes: readonly PlaneGeometry[]; readonly bitDepth: number }): FrameAnalyzer {
  return new FrameAnalyzer(shape, RESIDUAL_MODEL);
}

/**
 * Frame `i`'s evidence from the scores of a run of consecutive frames: its
 * own scores with each plane's temporal score against frames i - 1 and i + 1.
 */
export function withTemporal(frames: readonly (readonly PlaneScores[])[], i: number): FrameEvidence {
  const current = frames[i];
  const previous = i > 0 ? frames[i - 1] : undefined;
  const next = i + 1 < frames.length ? frames[i + 1] : undefined;
  return current.map((p, k) => ({
    ...p,
    temporal: temporalScore(previous?.[k]?.flatShare ?? Number.NaN, p.flatShare, next?.[k]?.flatShare ?? Number.NaN),
  }));
}
