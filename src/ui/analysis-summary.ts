/**
 * Words for what the steganalysis found (src/core/analysis/, run by the
 * engine's analyzeVideo): the Analyze screen's verdict, the readings of one
 * frame, and the check after a hide that compares the output's carrier
 * frames with the same frames of the original. Pure: reports in, strings out.
 */
import { detectorScore, type Detector, type Verdict, type VerdictThresholds } from '../core/analysis/verdict.ts';
import type { AnalysisReport, AnalyzedFrame } from '../media/shared/engine-api.ts';
import { formatCount } from './format.ts';

/** A frame's verdict in a word or two. */
export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  clean: 'clean',
  suspicious: 'suspicious',
  likely: 'likely hidden data',
};

/** Each detector's name for people, and what it looks at. */
export const DETECTOR_NAMES: Readonly<Record<Detector, { readonly name: string; readonly what: string }>> = {
  structural: { name: 'Structural rate', what: 'how much of the lowest bit looks replaced (RS, Sample Pair and Weighted Stego estimates, their median)' },
  chiSquare: { name: 'Chi-square p', what: 'whether pairs of values were evened out over the whole picture' },
  sequential: { name: 'Chi-square along the scan', what: 'the share of the picture, from its top, over which pairs of values look evened out' },
  residual: { name: 'Residual noise', what: 'a classifier trained on the fine noise that ±1 changes add' },
  temporal: { name: 'Against neighbours', what: 'how much flatter or noisier the frame is than the frames just before and after it' },
};

const ORDER: readonly Verdict[] = ['likely', 'suspicious', 'clean'];

/** The video's verdict as a headline. */
export function verdictHeadline(v: Verdict): string {
  switch (v) {
    case 'clean':
      return 'No sign of hidden data in the frames looked at';
    case 'suspicious':
      return 'Some frames look suspicious';
    case 'likely':
      return 'This video very likely carries hidden data';
  }
}

/** The plain sentence for pictures coded raw (I_PCM), or undefined when there are none. */
export function rawPicturesSentence(count: number): string | undefined {
  if (count <= 0) return undefined;
  const n = count === 1 ? '1 picture is' : `${formatCount(count)} pictures are`;
  return `${n} stored raw, which ordinary encoders never do: a sign the video was rewritten, for example by VidStega's same-format output.`;
}

/** How many frames of each verdict, most serious first: "3 likely hidden data, 1 clean"; "all 4 clean" when there is one kind. */
export function verdictCounts(verdicts: readonly Verdict[]): string {
  if (verdicts.length === 0) return 'no frames';
  const parts: string[] = [];
  for (const v of ORDER) {
    const n = verdicts.filter((x) => x === v).length;
    if (n > 0) parts.push(`${formatCount(n)} ${VERDICT_WORDS[v]}`);
  }
  if (parts.length === 1) return verdicts.length === 1 ? VERDICT_WORDS[verdicts[0]] : `all ${parts[0]}`;
  return parts.join(', ');
}

/** Which frames were read, and what they read as: "Looked at all 77 frames: none flagged." */
export function framesLookedAt(report: AnalysisReport): string {
  const n = report.frames.length;
  const which =
    n >= report.frameCount
      ? n === 1
        ? 'Looked at the one frame'
        : `Looked at all ${formatCount(n)} frames`
      : `Looked at ${formatCount(n)} of ${formatCount(report.frameCount)} frames, in runs of three spread over the video`;
  const flagged = report.frames.filter((f) => f.verdict !== 'clean').map((f) => f.verdict);
  return `${which}: ${flagged.length === 0 ? 'none flagged' : `${verdictCounts(flagged)}`}.`;
}

/** What a verdict means and what it does not, in the words the screen shows under it. */
export function verdictCaveat(v: Verdict): string {
  const notProof =
    'A clean reading is not proof that nothing is hidden: careful hiding at a low rate can pass these detectors, and frames that were not looked at were not read.';
  const falseAlarms =
    'A suspicious reading is not proof either: video coded almost losslessly, very noisy footage and computer-made pictures (animation, screen recordings, games) can read as suspicious with nothing hidden in them.';
  return v === 'clean' ? `${notProof} ${falseAlarms}` : `${falseAlarms} ${notProof}`;
}

/**
 * A score in plain figures for its detector: rates and shares with three
 * decimals, p-values with two, the residual score with two; "n/a" where the
 * detector could not read the plane (a frame without both neighbours has no
 * temporal score).
 */
export function formatScore(d: Detector, v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const s = v.toFixed(d === 'chiSquare' || d === 'residual' ? 2 : 3);
  // A tiny negative estimate rounds to "-0.000", which reads as a sign where there is none.
  return Number(s) === 0 ? s.replace('-', '') : s;
}

/** The frame's score for `d` on luma (plane 0) and the higher of its chroma planes (NaN when absent or unread). */
export function planeScores(frame: AnalyzedFrame, d: Detector): { readonly luma: number; readonly chroma: number } {
  const p = frame.planes;
  const luma = p.length > 0 ? detectorScore(d, p[0]) : Number.NaN;
  let chroma = Number.NaN;
  for (let k = 1; k < p.length && k < 3; k++) {
    const s = detectorScore(d, p[k]);
    if (Number.isNaN(chroma) || s > chroma) chroma = s;
  }
  return { luma, chroma };
}

/** One frame's verdict and readings in a sentence, for the chart's readout and its marks' labels. */
export function frameReading(frame: AnalyzedFrame, detectors: readonly Detector[]): string {
  const scores = detectors
    .map((d) => {
      const s = planeScores(frame, d);
      return `${DETECTOR_NAMES[d].name} ${formatScore(d, s.luma)} luma, ${formatScore(d, s.chroma)} colour`;
    })
    .join('; ');
  const flagged = frame.flagged.length === 0 ? 'flagged by none' : `flagged by ${frame.flagged.map((d) => DETECTOR_NAMES[d as Detector]?.name ?? d).join(', ')}`;
  return `Frame ${formatCount(frame.index)}: ${VERDICT_WORDS[frame.verdict]}, ${flagged}. ${scores}.`;
}

/** The detectors the verdict reads at this bit depth (the calibrated depth: all of them). */
export function detectorsRead(detectors: readonly Detector[], depthBound: readonly Detector[], t: VerdictThresholds, bitDepth: number): Detector[] {
  return detectors.filter((d) => bitDepth === t.bitDepth || !depthBound.includes(d));
}

/** At most `max` of the carrier frames, evenly spread and in order: the after-hide check reads each with its two neighbours, so 40 keeps it to the engine's 120 frames. */
export function checkFrames(carrierFrames: readonly number[], max = 40): number[] {
  const sorted = [...new Set(carrierFrames)].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(sorted[Math.floor(((k + 0.5) * sorted.length) / max)]);
  return out;
}

/** One carrier frame read in the original and in the output. */
export interface CheckRow {
  readonly index: number;
  readonly original: AnalyzedFrame | undefined;
  readonly output: AnalyzedFrame | undefined;
}

/** The rows of the after-hide check: each frame asked for, as each report read it. */
export function checkRows(frames: readonly number[], original: AnalysisReport, output: AnalysisReport): CheckRow[] {
  const byIndex = (r: AnalysisReport) => new Map(r.frames.map((f) => [f.index, f]));
  const a = byIndex(original);
  const b = byIndex(output);
  return frames.map((index) => ({ index, original: a.get(index), output: b.get(index) }));
}

/**
 * The after-hide check in plain words: how the carrier frames read, how the
 * same frames of the original read, what that means, and the raw pictures
 * a same-format output has (which no pixel reading is needed to see).
 */
export function checkSummary(rows: readonly CheckRow[], outputRawPictures: number): string[] {
  const out = rows.flatMap((r) => (r.output ? [r.output.verdict] : []));
  const orig = rows.flatMap((r) => (r.original ? [r.original.verdict] : []));
  const lines: string[] = [];
  const carrying = out.length === 1 ? 'The frame that carries the data reads as' : `The ${formatCount(out.length)} frames that carry the data read as`;
  lines.push(`${carrying} ${verdictCounts(out)}; the same frames of the original read as ${verdictCounts(orig)}.`);
  const flaggedOut = out.filter((v) => v !== 'clean').length;
  const flaggedOrig = orig.filter((v) => v !== 'clean').length;
  const likelyOut = out.filter((v) => v === 'likely').length;
  const likelyOrig = orig.filter((v) => v === 'likely').length;
  if (flaggedOut === 0) {
    lines.push('The detectors built into VidStega do not see the data in these frames. That is not proof that no other analysis could.');
  } else if (flaggedOut > flaggedOrig || likelyOut > likelyOrig) {
    lines.push(
      'The frames with the data read as more suspicious than the original’s: someone who analyses the video this way could suspect it. Less data (a lower share of the capacity) leaves fewer traces.',
    );
  } else {
    lines.push(
      'The original’s frames read the same way, as this kind of video often does (see “What this means” on the Analyze screen): these readings alone do not single out the video with the data.',
    );
  }
  const raw = rawPicturesSentence(outputRawPictures);
  if (raw) lines.push(`In the new video, ${raw.charAt(0).toLowerCase()}${raw.slice(1)} Anyone who reads the video's coding, not just its pictures, sees that at once.`);
  return lines;
}
