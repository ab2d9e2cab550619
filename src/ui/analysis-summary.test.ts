import { describe, expect, it } from 'vitest';
import { VERDICT_THRESHOLDS } from '../core/analysis/calibration-data.ts';
import { DEPTH_BOUND_DETECTORS, DETECTORS, type PlaneEvidence, type Verdict } from '../core/analysis/verdict.ts';
import type { AnalysisReport, AnalyzedFrame } from '../media/shared/engine-api.ts';
import {
  checkFrames,
  checkRows,
  checkSummary,
  detectorsRead,
  formatScore,
  frameReading,
  framesLookedAt,
  planeScores,
  rawPicturesSentence,
  verdictCaveat,
  verdictCounts,
  verdictHeadline,
} from './analysis-summary.ts';

const plane = (over: Partial<PlaneEvidence> = {}): PlaneEvidence => ({
  chiSquareP: 0,
  chiSquareSequential: 0,
  rs: 0.01,
  spa: 0.02,
  ws: 0.015,
  structuralRate: 0.015,
  residual: 1,
  flatShare: 0.3,
  temporal: 0.01,
  ...over,
});

function frame(index: number, verdict: Verdict, planes: PlaneEvidence[] = [plane(), plane(), plane()], flagged: string[] = []): AnalyzedFrame {
  return { index, verdict, flagged, planes };
}

function report(frames: AnalyzedFrame[], frameCount = frames.length, rawPictures?: number[]): AnalysisReport {
  const flagged = frames.filter((f) => f.verdict !== 'clean').length;
  const likely = frames.filter((f) => f.verdict === 'likely').length;
  return { frameCount, frames, video: { verdict: 'clean', frames: frames.length, flagged, likely }, rawPictures };
}

describe('the verdict in words', () => {
  it('says each video verdict as the screen shows it', () => {
    expect(verdictHeadline('clean')).toBe('No sign of hidden data in the frames looked at');
    expect(verdictHeadline('suspicious')).toBe('Some frames look suspicious');
    expect(verdictHeadline('likely')).toBe('This video very likely carries hidden data');
  });

  it('names raw pictures, one or many, and says nothing when there are none', () => {
    expect(rawPicturesSentence(0)).toBeUndefined();
    expect(rawPicturesSentence(1)).toBe(
      "1 picture is stored raw, which ordinary encoders never do: a sign the video was rewritten, for example by VidStega's same-format output.",
    );
    expect(rawPicturesSentence(1234)).toMatch(/^1,234 pictures are stored raw, which ordinary encoders never do/);
  });

  it('counts verdicts most serious first, and says "all" for one kind', () => {
    expect(verdictCounts(['clean', 'likely', 'clean', 'suspicious', 'likely'])).toBe('2 likely hidden data, 1 suspicious, 2 clean');
    expect(verdictCounts(['clean', 'clean', 'clean'])).toBe('all 3 clean');
    expect(verdictCounts(['suspicious'])).toBe('suspicious');
    expect(verdictCounts([])).toBe('no frames');
  });

  it('says which frames were looked at and what they read as', () => {
    expect(framesLookedAt(report([frame(0, 'clean'), frame(1, 'clean')]))).toBe('Looked at all 2 frames: none flagged.');
    expect(framesLookedAt(report([frame(0, 'clean')]))).toBe('Looked at the one frame: none flagged.');
    expect(framesLookedAt(report([frame(10, 'clean'), frame(11, 'likely'), frame(12, 'suspicious')], 3000))).toBe(
      'Looked at 3 of 3,000 frames, in runs of three spread over the video: 1 likely hidden data, 1 suspicious.',
    );
  });

  it('says what a clean reading does not prove, and that some video reads suspicious with nothing hidden', () => {
    for (const v of ['clean', 'suspicious', 'likely'] as const) {
      expect(verdictCaveat(v)).toMatch(/A clean reading is not proof/);
      expect(verdictCaveat(v)).toMatch(/almost losslessly, very noisy footage and computer-made pictures/);
    }
    // The caveat that matters most for the reading comes first.
    expect(verdictCaveat('clean').startsWith('A clean reading')).toBe(true);
    expect(verdictCaveat('likely').startsWith('A suspicious reading')).toBe(true);
  });
});

describe("a frame's readings", () => {
  it('takes luma from plane 0 and the higher chroma plane, ignoring an alpha plane', () => {
    const f = frame(5, 'clean', [plane({ residual: 2 }), plane({ residual: 7 }), plane({ residual: 4 }), plane({ residual: 99 })]);
    expect(planeScores(f, 'residual')).toEqual({ luma: 2, chroma: 7 });
    expect(planeScores(frame(0, 'clean', [plane({ temporal: 0.2 })]), 'temporal')).toEqual({ luma: 0.2, chroma: Number.NaN });
    expect(planeScores(frame(0, 'clean', [plane(), plane({ temporal: Number.NaN }), plane({ temporal: 0.05 })]), 'temporal').chroma).toBe(0.05);
  });

  it('formats each detector with its precision and n/a for what could not be read', () => {
    expect(formatScore('structural', 0.04484)).toBe('0.045');
    expect(formatScore('chiSquare', 0.5)).toBe('0.50');
    expect(formatScore('residual', -3.14159)).toBe('-3.14');
    expect(formatScore('temporal', Number.NaN)).toBe('n/a');
    expect(formatScore('structural', -0.0002)).toBe('0.000');
  });

  it('reads a frame out in one sentence with its verdict, the detectors that flagged it and its numbers', () => {
    const f = frame(12, 'likely', [plane({ residual: 6.5 }), plane({ residual: 3 }), plane({ residual: 2 })], ['residual', 'temporal']);
    expect(frameReading(f, ['residual'])).toBe('Frame 12: likely hidden data, flagged by Residual noise, Against neighbours. Residual noise 6.50 luma, 3.00 colour.');
    expect(frameReading(frame(3, 'clean'), ['structural'])).toBe('Frame 3: clean, flagged by none. Structural rate 0.015 luma, 0.015 colour.');
  });

  it('leaves out the depth-bound detectors at a bit depth the thresholds were not set on', () => {
    expect(detectorsRead(DETECTORS, DEPTH_BOUND_DETECTORS, VERDICT_THRESHOLDS, VERDICT_THRESHOLDS.bitDepth)).toEqual([...DETECTORS]);
    expect(detectorsRead(DETECTORS, DEPTH_BOUND_DETECTORS, VERDICT_THRESHOLDS, 10)).toEqual(['structural', 'temporal']);
  });
});

describe('the check after a hide', () => {
  it('keeps every carrier frame up to 40, else 40 spread evenly and in order', () => {
    expect(checkFrames([9, 3, 3, 7])).toEqual([3, 7, 9]);
    const many = Array.from({ length: 400 }, (_, i) => i * 2);
    const picked = checkFrames(many);
    expect(picked).toHaveLength(40);
    expect(picked[0]).toBe(10);
    expect(picked[39]).toBe(790);
    expect(new Set(picked).size).toBe(40);
    expect([...picked].sort((a, b) => a - b)).toEqual(picked);
    for (const f of picked) expect(many).toContain(f);
  });

  it('pairs each asked-for frame with how the original and the output read it', () => {
    const original = report([frame(3, 'clean'), frame(4, 'clean'), frame(5, 'clean')], 100);
    const output = report([frame(4, 'likely'), frame(5, 'clean')], 100);
    const rows = checkRows([4, 3, 9], original, output);
    expect(rows.map((r) => [r.index, r.original?.verdict, r.output?.verdict])).toEqual([
      [4, 'clean', 'likely'],
      [3, 'clean', undefined],
      [9, undefined, undefined],
    ]);
  });

  const rowsOf = (pairs: [Verdict, Verdict][]) =>
    checkRows(
      pairs.map((_, i) => i),
      report(pairs.map(([o], i) => frame(i, o))),
      report(pairs.map(([, w], i) => frame(i, w))),
    );

  it('says how the carrier frames and the original read, and that the detectors see a difference', () => {
    const lines = checkSummary(rowsOf([['clean', 'likely'], ['clean', 'suspicious'], ['clean', 'likely']]), 0);
    expect(lines[0]).toBe('The 3 frames that carry the data read as 2 likely hidden data, 1 suspicious; the same frames of the original read as all 3 clean.');
    expect(lines[1]).toMatch(/read as more suspicious than the original’s: someone who analyses the video this way could suspect it/);
    expect(lines).toHaveLength(2);
  });

  it('says the detectors do not see the data when every carrier frame reads clean, without calling it proof', () => {
    const lines = checkSummary(rowsOf([['clean', 'clean']]), 0);
    expect(lines[0]).toBe('The frame that carries the data reads as clean; the same frames of the original read as clean.');
    expect(lines[1]).toMatch(/do not see the data in these frames\. That is not proof/);
  });

  it('does not single out the output when the original reads the same way', () => {
    const lines = checkSummary(rowsOf([['likely', 'likely'], ['suspicious', 'suspicious']]), 0);
    expect(lines[1]).toMatch(/The original’s frames read the same way/);
    // More "likely" frames in the output than the original is a difference, even with as many flagged.
    expect(checkSummary(rowsOf([['suspicious', 'likely'], ['likely', 'likely']]), 0)[1]).toMatch(/more suspicious than the original’s/);
  });

  it('adds the raw pictures of a same-format output', () => {
    const lines = checkSummary(rowsOf([['clean', 'clean']]), 4);
    expect(lines[2]).toBe(
      "In the new video, 4 pictures are stored raw, which ordinary encoders never do: a sign the video was rewritten, for example by VidStega's same-format output. Anyone who reads the video's coding, not just its pictures, sees that at once.",
    );
  });
});
