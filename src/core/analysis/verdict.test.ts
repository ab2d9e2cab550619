/**
 * The verdict's rules on hand-made evidence, the binomial tail against direct
 * summation, and the video verdict's chance rates.
 */
import { describe, expect, it } from 'vitest';
import type { PlaneScores } from './frame-analyzer.ts';
import { binomialUpperTail, DETECTORS, frameVerdict, videoVerdict, type KindThresholds, type PlaneEvidence, type VerdictThresholds } from './verdict.ts';

const kind = (flag: number, strong: number): KindThresholds => Object.fromEntries(DETECTORS.map((d) => [d, { flag, strong }])) as KindThresholds;
const T: VerdictThresholds = {
  bitDepth: 8,
  luma: { ...kind(1, 2), chiSquare: { flag: 0.5, strong: 0.9 } },
  chroma: kind(10, 20),
  cleanFrameRates: { flagged: 0.04, likely: 0.005 },
};

const quiet: PlaneScores = { chiSquareP: 0, chiSquareSequential: 0, rs: 0, spa: 0, ws: 0, structuralRate: 0, residual: 0, flatShare: 0.5 };
function plane(over: Partial<PlaneEvidence> = {}): PlaneEvidence {
  return { ...quiet, temporal: 0, ...over };
}

describe('frame verdict', () => {
  it('is clean when nothing is over its threshold', () => {
    expect(frameVerdict([plane(), plane(), plane()], T)).toEqual({ verdict: 'clean', flagged: [], strong: [] });
  });

  it('is suspicious with one detector over "flag", likely with two, or with one over "strong"', () => {
    expect(frameVerdict([plane({ residual: 1.5 }), plane(), plane()], T).verdict).toBe('suspicious');
    expect(frameVerdict([plane({ residual: 1.5, temporal: 1.1 }), plane(), plane()], T)).toMatchObject({ verdict: 'likely', flagged: ['residual', 'temporal'] });
    expect(frameVerdict([plane({ structuralRate: 2.5 }), plane(), plane()], T)).toMatchObject({ verdict: 'likely', flagged: ['structural'], strong: ['structural'] });
    expect(frameVerdict([plane({ chiSquareP: 0.95 }), plane(), plane()], T)).toMatchObject({ verdict: 'likely', strong: ['chiSquare'] });
  });

  it('reads chroma planes against the chroma thresholds, and counts a detector once over all planes', () => {
    expect(frameVerdict([plane(), plane({ residual: 5 }), plane()], T).verdict).toBe('clean');
    expect(frameVerdict([plane(), plane({ residual: 11 }), plane({ residual: 12 })], T)).toMatchObject({ verdict: 'suspicious', flagged: ['residual'] });
  });

  it('ignores alpha and NaN, and leaves out the detectors not calibrated at other bit depths', () => {
    expect(frameVerdict([plane({ residual: Number.NaN }), plane(), plane(), plane({ residual: 99 })], T).verdict).toBe('clean');
    const hot = plane({ residual: 1.5, chiSquareP: 0.6, chiSquareSequential: 1.5 });
    expect(frameVerdict([hot], T, 8).flagged).toEqual(['chiSquare', 'sequential', 'residual']);
    expect(frameVerdict([hot], T, 10).flagged).toEqual([]);
    expect(frameVerdict([plane({ structuralRate: 1.5 })], T, 10).flagged).toEqual(['structural']);
  });
});

describe('binomial tail', () => {
  it('matches direct summation', () => {
    const choose = (n: number, k: number) => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (const [n, p] of [[1, 0.05], [10, 0.3], [40, 0.01], [120, 0.5]] as const) {
      for (let k = 0; k <= n; k += Math.max(1, n >> 3)) {
        let direct = 0;
        for (let i = k; i <= n; i++) direct += choose(n, i) * p ** i * (1 - p) ** (n - i);
        expect(binomialUpperTail(n, p, k)).toBeCloseTo(direct, 12);
      }
    }
    expect(binomialUpperTail(100_000, 0.05, 5600)).toBeLessThan(1e-12);
    expect(binomialUpperTail(100_000, 0.05, 4900)).toBeGreaterThan(0.9);
  });
});

describe('video verdict', () => {
  const frames = (n: number, suspicious: number, likely: number) => [
    ...Array<'suspicious'>(suspicious).fill('suspicious'),
    ...Array<'likely'>(likely).fill('likely'),
    ...Array<'clean'>(n - suspicious - likely).fill('clean'),
  ];

  it('is the frame verdict for a single frame', () => {
    expect(videoVerdict(['clean'], T).verdict).toBe('clean');
    expect(videoVerdict(['suspicious'], T).verdict).toBe('suspicious');
    expect(videoVerdict(['likely'], T).verdict).toBe('likely');
  });

  it('reads as many flagged frames as clean video shows by chance as clean', () => {
    // 4% of clean frames are flagged, 0.5% likely: 1000 frames with 40 and 5 of them is ordinary.
    expect(videoVerdict(frames(1000, 35, 5), T)).toEqual({ verdict: 'clean', frames: 1000, flagged: 40, likely: 5 });
  });

  it('is suspicious with far more flagged frames, likely with far more likely ones', () => {
    expect(videoVerdict(frames(1000, 90, 5), T).verdict).toBe('suspicious');
    expect(videoVerdict(frames(1000, 0, 25), T).verdict).toBe('likely');
    expect(videoVerdict(frames(300, 300, 0), T).verdict).toBe('suspicious');
  });
});
