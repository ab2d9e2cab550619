/**
 * Steganalysis speed: milliseconds per 1080p luma plane (1920x1080, 8-bit)
 * for each detector, and for a whole 1080p 4:2:0 frame through the
 * FrameAnalyzer the Analyze screen runs per decoded frame. Best of several
 * runs, one thread.
 *
 * The plane is generated: smooth gradients and texture with flat areas and
 * ±2 grain, as decoded camera video has; nothing is read from disk.
 */
import { ChiSquareScanner } from '../src/core/analysis/chi-square-attack.ts';
import { createFrameAnalyzer } from '../src/core/analysis/index.ts';
import { linearScore } from '../src/core/analysis/linear-classifier.ts';
import { RESIDUAL_MODEL } from '../src/core/analysis/calibration-data.ts';
import { rsAnalysis } from '../src/core/analysis/rs-analysis.ts';
import { samplePairAnalysis } from '../src/core/analysis/sample-pair-analysis.ts';
import { SPAM_FEATURES, SpamExtractor } from '../src/core/analysis/spam-features.ts';
import { flatShare } from '../src/core/analysis/temporal-check.ts';
import { weightedStego } from '../src/core/analysis/weighted-stego.ts';
import { yuvGeometry } from '../src/core/geometry.ts';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { timeBest } from './time-best.ts';

const W = 1920;
const H = 1080;

function plane(width: number, height: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const p = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 110 + 50 * Math.sin(x / 190) * Math.cos(y / 130);
      const texture = x > width / 2 ? 12 * Math.sin(x / 3.1) * Math.sin(y / 2.3) : 0;
      // Grain on a third of the samples; the rest stay on the smooth surface (flat runs, as in decoded video).
      const grain = r() < 0.33 ? Math.round((r() - 0.5) * 4) : 0;
      p[y * width + x] = Math.max(0, Math.min(255, Math.round(base + texture) + grain));
    }
  }
  return p;
}

/** Milliseconds per 1080p luma plane for each detector, and per 1080p 4:2:0 frame for all of them. */
export async function benchAnalysis(): Promise<Record<string, number>> {
  const y = plane(W, H, 1);
  const scanner = new ChiSquareScanner(8);
  const spam = new SpamExtractor();
  const features = new Float64Array(SPAM_FEATURES);
  const reps = 7;
  const g = yuvGeometry(W, H, '420', 1);
  const frame = [y, plane(W / 2, H / 2, 2), plane(W / 2, H / 2, 3)];
  const analyzer = createFrameAnalyzer(g);
  return {
    analysis_chi_square_scan_1080p_ms: timeBest(reps, () => scanner.scan(y)),
    analysis_rs_1080p_ms: timeBest(reps, () => rsAnalysis(y, W, H)),
    analysis_spa_1080p_ms: timeBest(reps, () => samplePairAnalysis(y, W, H)),
    analysis_ws_1080p_ms: timeBest(reps, () => weightedStego(y, W, H)),
    analysis_residual_spam_1080p_ms: timeBest(reps, () => linearScore(RESIDUAL_MODEL.luma, spam.extract(y, W, H, 8, features))),
    analysis_temporal_flat_share_1080p_ms: timeBest(reps, () => flatShare(y, W, H)),
    analysis_all_detectors_1080p_frame_ms: timeBest(reps, () => analyzer.analyze(frame)),
  };
}
