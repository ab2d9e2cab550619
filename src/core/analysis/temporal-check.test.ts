/**
 * The temporal check on consecutive decoded frames of real videos (test
 * fixtures the calibration never trained on): ±1 noise in one frame among
 * clean neighbours stands out; its neighbours do not; and the arithmetic of
 * the score at the ends of a run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFFmpegCore } from '../../../test-support/ffmpeg-node.ts';
import { embedCopy } from '../../../test-support/synthetic-embedding.ts';
import { fixtureFrames, type TestFrames } from '../../../test-support/test-frames.ts';
import { VERDICT_THRESHOLDS } from './calibration-data.ts';
import { flatShare, temporalScore, temporalScores } from './temporal-check.ts';

const VIDEOS = ['intel_asl_again.mkv', 'mdn_stream-of-water.webm', 'mdn_flower.mp4'];
const runs = new Map<string, TestFrames>();

beforeAll(async () => {
  const core = await loadFFmpegCore();
  for (const v of VIDEOS) runs.set(v, fixtureFrames(core, v, 7));
}, 60_000);

function flats(t: TestFrames, plane: number, replace?: { frame: number; samples: Uint8Array | Uint16Array }): Float64Array {
  const { width, height } = t.geometry.planes[plane];
  return Float64Array.from(t.frames, (f, i) => flatShare(replace && replace.frame === i ? replace.samples : f[plane], width, height));
}

describe('temporal check', () => {
  for (const v of VIDEOS) {
    for (const rate of [0.05, 0.1]) {
      it(`${v}: LSB matching at ${rate} in frame 3 of 7 drops its flat share below its clean neighbours'`, () => {
        const t = runs.get(v)!;
        expect(t.frames.length).toBe(7);
        const shape = { planes: t.geometry.planes, bitDepth: t.geometry.bitDepth };
        const stego = embedCopy(t.frames[3], shape, rate, 1234, 'matching');
        let flaggedPlanes = 0;
        for (const [plane, kind] of [[0, 'luma'], [1, 'chroma'], [2, 'chroma']] as const) {
          const clean = temporalScores(flats(t, plane));
          const mixed = temporalScores(flats(t, plane, { frame: 3, samples: stego[plane] }));
          const threshold = VERDICT_THRESHOLDS[kind].temporal.flag;
          const where = `${v} plane ${plane}: clean ${Array.from(clean, (x) => x.toFixed(4))}, with the carrier ${Array.from(mixed, (x) => x.toFixed(4))}, threshold ${threshold}`;
          // The flat share falls by about 2.5 times the rate (ln 1 / (1 - 2.5 r)); at least 1.5 r on every plane here.
          expect(mixed[3] - clean[3], where).toBeGreaterThan(1.5 * rate);
          // At 0.1 the carrier reads above every clean frame of the run.
          if (rate >= 0.1) expect(mixed[3], where).toBeGreaterThan(Math.max(...clean));
          if (mixed[3] > threshold) flaggedPlanes++;
          // Next to the carrier, a clean frame only looks flatter than before.
          for (const n of [2, 4]) expect(mixed[n], where).toBeLessThanOrEqual(clean[n] + 1e-12);
        }
        // At 0.1 the verdict's temporal check flags the carrier: some plane is over its shipped threshold.
        if (rate >= 0.1) expect(flaggedPlanes).toBeGreaterThan(0);
      });
    }
  }

  it('scores against the nearer neighbour, one neighbour at the ends, nothing alone', () => {
    expect(temporalScore(0.5, 0.4, 0.45)).toBeCloseTo(Math.log(0.45 / 0.4), 12);
    expect(temporalScore(0.3, 0.4, 0.5)).toBeCloseTo(Math.log(0.3 / 0.4), 12);
    expect(temporalScore(Number.NaN, 0.4, 0.5)).toBeCloseTo(Math.log(0.5 / 0.4), 12);
    expect(temporalScore(0.5, 0.4, Number.NaN)).toBeCloseTo(Math.log(0.5 / 0.4), 12);
    expect(temporalScore(Number.NaN, 0.4, Number.NaN)).toBeNaN();
    const s = temporalScores([0.5, 0.4, 0.5]);
    const expected = [Math.log(0.4 / 0.5), Math.log(0.5 / 0.4), Math.log(0.4 / 0.5)];
    expected.forEach((e, i) => expect(s[i]).toBeCloseTo(e, 12));
  });

  it('flat share counts interior samples equal to all four neighbours', () => {
    // 4x4, interior (1,1) (2,1) (1,2) (2,2): only (1,1) has four equal neighbours.
    const p = Uint8Array.from([
      9, 5, 9, 9,
      5, 5, 5, 9,
      9, 5, 5, 7,
      9, 9, 9, 9,
    ]);
    expect(flatShare(p, 4, 4)).toBe(1 / 4);
    expect(flatShare(new Uint16Array(9).fill(1000), 3, 3)).toBe(1);
    expect(flatShare(Uint16Array.from([1000, 1000, 1000, 1000, 1001, 1000, 1000, 1000, 1000]), 3, 3)).toBe(0);
    expect(flatShare(new Uint8Array(4), 2, 2)).toBeNaN();
  });
});
