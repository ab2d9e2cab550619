/**
 * Every detector on every plane of a frame, with buffers reused from frame
 * to frame: what the Analyze screen's worker runs per decoded frame.
 *
 * Per plane it gives the structural detectors' readings (chi-square whole
 * plane and along the scan; RS, SPA and Weighted Stego estimates of an
 * LSB-replacement rate), the residual detector's score and the flat share
 * the temporal check compares across frames (./temporal-check.ts). The
 * temporal score itself needs the neighbouring frames' flat shares, so the
 * caller computes it once those are known.
 */
import type { FramePlanes, PlaneGeometry } from '../geometry.ts';
import { ChiSquareScanner } from './chi-square-attack.ts';
import { linearScore, type LinearModel } from './linear-classifier.ts';
import { rsAnalysis } from './rs-analysis.ts';
import { samplePairAnalysis } from './sample-pair-analysis.ts';
import { SPAM_FEATURES, SpamExtractor } from './spam-features.ts';
import { flatShare } from './temporal-check.ts';
import { weightedStego } from './weighted-stego.ts';

/** Which classifier a plane gets: luma (plane 0) or chroma (planes 1 and 2). Alpha gets none. */
export type PlaneKind = 'luma' | 'chroma' | 'alpha';

/** The plane kind of plane index `p`. */
export function planeKind(p: number): PlaneKind {
  return p === 0 ? 'luma' : p < 3 ? 'chroma' : 'alpha';
}

/** The residual detector's classifiers, one per plane kind, over SPAM features. */
export interface ResidualModel {
  /** Bit depth the weights were trained on; on other depths the score is computed but not calibrated. */
  readonly bitDepth: number;
  readonly luma: LinearModel;
  readonly chroma: LinearModel;
}

/** One plane's readings. NaN where a detector cannot read the plane (too small, no model). */
export interface PlaneScores {
  /** Westfeld-Pfitzmann p-value of the whole plane (near 1: pairs of values equalised). */
  readonly chiSquareP: number;
  /** Share of the scan from the first sample over which the chi-square p-value stays high. */
  readonly chiSquareSequential: number;
  /** RS estimate of the LSB-replacement rate (message bits per sample). */
  readonly rs: number;
  /** Sample Pair Analysis estimate of the same rate. */
  readonly spa: number;
  /** Weighted Stego estimate of the same rate. */
  readonly ws: number;
  /** The median of the three estimates: what the verdict reads. */
  readonly structuralRate: number;
  /** The residual classifier's score (larger: more like ±1 noise). */
  readonly residual: number;
  /** Share of adjacent sample pairs that are equal (the temporal check's input). */
  readonly flatShare: number;
}

/** Median of three numbers, ignoring NaN (NaN when all three are). */
export function medianOfThree(a: number, b: number, c: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  const cn = Number.isNaN(c);
  if (an || bn || cn) {
    if (an && bn) return c;
    if (an && cn) return b;
    if (bn && cn) return a;
    return an ? (b + c) / 2 : bn ? (a + c) / 2 : (a + b) / 2;
  }
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** The structural readings of one plane (chi-square, RS, SPA, WS). */
export function structuralScores(
  samples: FramePlanes[number],
  width: number,
  height: number,
  scanner: ChiSquareScanner,
): Pick<PlaneScores, 'chiSquareP' | 'chiSquareSequential' | 'rs' | 'spa' | 'ws' | 'structuralRate'> {
  const scan = scanner.scan(samples);
  const rs = rsAnalysis(samples, width, height).rate;
  const spa = samplePairAnalysis(samples, width, height);
  const ws = weightedStego(samples, width, height);
  return { chiSquareP: scan.p, chiSquareSequential: scan.sequentialFraction, rs, spa, ws, structuralRate: medianOfThree(rs, spa, ws) };
}

/** Runs every detector over frames of one shape. */
export class FrameAnalyzer {
  private readonly planes: readonly PlaneGeometry[];
  private readonly bitDepth: number;
  private readonly model: ResidualModel | undefined;
  private readonly scanner: ChiSquareScanner;
  private readonly spam = new SpamExtractor();
  /** The last plane's SPAM features. */
  readonly features = new Float64Array(SPAM_FEATURES);

  /**
   * @param shape the frame's planes (luma first) and bit depth.
   * @param model the residual detector's classifiers; without one, `residual` is NaN.
   */
  constructor(shape: { readonly planes: readonly PlaneGeometry[]; readonly bitDepth: number }, model?: ResidualModel) {
    this.planes = shape.planes;
    this.bitDepth = shape.bitDepth;
    this.model = model;
    this.scanner = new ChiSquareScanner(shape.bitDepth);
  }

  /** One plane's readings. */
  analyzePlane(samples: FramePlanes[number], p: number): PlaneScores {
    const { width, height } = this.planes[p];
    const structural = structuralScores(samples, width, height, this.scanner);
    const kind = planeKind(p);
    let residual = Number.NaN;
    if (this.model && kind !== 'alpha') {
      this.spam.extract(samples, width, height, this.bitDepth, this.features);
      residual = linearScore(kind === 'luma' ? this.model.luma : this.model.chroma, this.features);
    }
    return { ...structural, residual, flatShare: flatShare(samples, width, height) };
  }

  /** Readings of every plane of a frame, in plane order. */
  analyze(frame: FramePlanes): PlaneScores[] {
    if (frame.length !== this.planes.length) throw new RangeError(`FrameAnalyzer: ${frame.length} planes, expected ${this.planes.length}`);
    const out: PlaneScores[] = [];
    for (let p = 0; p < frame.length; p++) out.push(this.analyzePlane(frame[p], p));
    return out;
  }
}
