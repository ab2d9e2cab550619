/**
 * The shipped residual detector (SPAM features, Fisher discriminant trained
 * by `npm run calibrate`) on frames of videos it was never trained on: the
 * test fixtures, decoded by the wasm core, clean and with LSB matching at
 * 0.25 and 0.5 bits per sample. The structural detectors are blind to this
 * embedding; the residual detector must not be.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFFmpegCore } from '../../../test-support/ffmpeg-node.ts';
import { embedCopy } from '../../../test-support/synthetic-embedding.ts';
import { fixtureFrames, type TestFrames } from '../../../test-support/test-frames.ts';
import { RESIDUAL_MODEL, VERDICT_THRESHOLDS } from './calibration-data.ts';
import { linearScore } from './linear-classifier.ts';
import { SPAM_FEATURES, SpamExtractor } from './spam-features.ts';

const VIDEOS = ['intel_asl_again.mkv', 'mdn_stream-of-water.webm', 'fluentffmpeg_IMG_0034.MOV', 'mdn_flower.mp4', 'decord_video_0.mov'];
const RATES = [0.25, 0.5] as const;

/** Residual scores [frame][plane] of every frame of every video, clean and at each rate. */
const scores: Record<string, number[][]> = {};

/** Best (true-positive rate + true-negative rate) / 2 over thresholds. */
function balancedAccuracy(clean: number[], stego: number[]): number {
  let best = 0.5;
  for (const t of [...clean, ...stego]) {
    const tpr = stego.filter((s) => s > t).length / stego.length;
    const tnr = clean.filter((c) => c <= t).length / clean.length;
    best = Math.max(best, (tpr + tnr) / 2);
  }
  return best;
}

beforeAll(async () => {
  const core = await loadFFmpegCore();
  const spam = new SpamExtractor();
  const features = new Float64Array(SPAM_FEATURES);
  const score = (t: TestFrames, planes: readonly (Uint8Array | Uint16Array)[]) =>
    planes.slice(0, 3).map((x, p) => {
      const { width, height } = t.geometry.planes[p];
      return linearScore(p === 0 ? RESIDUAL_MODEL.luma : RESIDUAL_MODEL.chroma, spam.extract(x, width, height, 8, features));
    });
  for (const v of VIDEOS) {
    const t = fixtureFrames(core, v, 4);
    const shape = { planes: t.geometry.planes, bitDepth: 8 };
    t.frames.forEach((frame, i) => {
      (scores.clean ??= []).push(score(t, frame));
      for (const rate of RATES) (scores[rate] ??= []).push(score(t, embedCopy(frame, shape, rate, 1000 * rate + i, 'matching')));
    });
  }
}, 120_000);

describe('residual detector on videos it was not trained on', () => {
  it('was not trained on any of them', () => {
    expect(RESIDUAL_MODEL.trainedOn.videos.length).toBeGreaterThan(5);
    for (const v of VIDEOS) expect(RESIDUAL_MODEL.trainedOn.videos).not.toContain(v);
  });

  for (const rate of RATES) {
    it(`scores every frame higher with LSB matching at ${rate} than clean, plane by plane`, () => {
      expect(scores.clean.length).toBe(19);
      scores[rate].forEach((planes, i) => planes.forEach((s, p) => expect(s, `frame ${i} plane ${p}`).toBeGreaterThan(scores.clean[i][p])));
    });

    it(`separates LSB matching at ${rate} from clean across videos`, () => {
      for (const [name, planes] of [['luma', [0]], ['chroma', [1, 2]]] as const) {
        const clean = scores.clean.flatMap((f) => planes.map((p) => f[p]));
        const stego = scores[rate].flatMap((f) => planes.map((p) => f[p]));
        expect(balancedAccuracy(clean, stego), name).toBeGreaterThanOrEqual(0.9);
      }
      // At the shipped thresholds, as the verdict reads them: most carriers flagged, few clean frames.
      const flagged = (f: number[]) => f[0] > VERDICT_THRESHOLDS.luma.residual.flag || f[1] > VERDICT_THRESHOLDS.chroma.residual.flag || f[2] > VERDICT_THRESHOLDS.chroma.residual.flag;
      expect(scores[rate].filter(flagged).length / scores[rate].length).toBeGreaterThanOrEqual(0.75);
      expect(scores.clean.filter(flagged).length).toBeLessThanOrEqual(2);
    });
  }
});
