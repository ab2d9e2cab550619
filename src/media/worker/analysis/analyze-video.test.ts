/**
 * The analysis a worker runs, through the engine's real steps in Node: a
 * natural video before and after a same-format hide. The carrier pictures
 * are found as raw pictures; LSB matching's carrier frames read as carrying
 * data, adaptive embedding's read lower; the source's frames read mostly clean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HIDE_SETTINGS, type HideSettings } from '../../../core/settings.ts';
import { createEngine } from '../engine.ts';
import { framesToAnalyze, MAX_ANALYZED_FRAMES } from './analyze-video.ts';
import { MemoryFile, nodeEngineEnv } from '../../../../test-support/node-engine-env.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';

describe('frames to analyse', () => {
  it('are every frame of a short video, and runs of three with the frames asked for in a long one', () => {
    expect(framesToAnalyze(50)).toEqual([...Array(50).keys()]);
    const long = framesToAnalyze(3000, [1500]);
    expect(long.length).toBeLessThanOrEqual(MAX_ANALYZED_FRAMES);
    expect(long).toEqual(expect.arrayContaining([1499, 1500, 1501]));
    expect(new Set(long).size).toBe(long.length);
    // Each run's middle frame has both neighbours.
    const runs = long.filter((i) => long.includes(i - 1) && long.includes(i + 1));
    expect(runs.length).toBeGreaterThanOrEqual(MAX_ANALYZED_FRAMES / 3 - 1);
    expect(framesToAnalyze(2, [0])).toEqual([0, 1]);
  });
});

describe('analysis of a video (Node, real ffmpeg.wasm core)', () => {
  it('finds a same-format hide’s carriers: raw pictures, and their frames read as carrying data', async () => {
    const bytes = readFileSync(join(FIXTURES, 'mdn_flower.mp4'));
    const env = await nodeEngineEnv();
    const engine = createEngine(env);
    const file = new MemoryFile(bytes, 'flower.mp4');

    const clean = await engine.analyzeVideo(file, []);
    expect(clean.frameCount).toBe(150);
    expect(clean.frames.length).toBeLessThanOrEqual(MAX_ANALYZED_FRAMES);
    expect(clean.rawPictures).toEqual([]);
    const cleanLikely = clean.frames.filter((f) => f.verdict === 'likely').length;
    expect(cleanLikely / clean.frames.length).toBeLessThan(0.1);

    const next = mulberry32(7);
    const payload = { message: '', files: [{ name: 'r.bin', type: '', bytes: Uint8Array.from({ length: 60_000 }, () => Math.floor(next() * 256)) }] };
    /** A same-format hide with these settings, then the analysis of its output: the share of carrier frames flagged. */
    const hideAndAnalyze = async (jobId: string, settings: HideSettings) => {
      const planned = await engine.planCarriers(file, payload, 'pw', settings);
      const { pieces } = await engine.embedCarriers({ jobId, file, plan: planned.plan, carriers: planned.carriers.map((c) => c.position), scratch: 's.bin', decoder: 'auto' });
      await engine.writeCarrierOutput({ jobId, file, pieces, outName: 'out.mp4' });
      const stego = new MemoryFile(env.fileBytes(jobId, 'out.mp4').slice(), 'out.mp4');
      const carriers = planned.carriers.map((c) => c.displayIndex).sort((a, b) => a - b);
      const progress: number[] = [];
      const report = await engine.analyzeVideo(stego, carriers, (done) => void progress.push(done));
      expect(progress.at(-1)).toBe(report.frames.length);
      // Raw pictures are named whatever the embedding: they are in plain sight in the stream.
      expect(report.rawPictures).toEqual(carriers);
      const read = carriers.map((c) => report.frames.find((x) => x.index === c));
      expect(read.every((f) => f !== undefined)).toBe(true);
      return { report, flaggedShare: read.filter((f) => f!.verdict !== 'clean').length / carriers.length };
    };

    // LSB matching over 1/8 of a frame's samples: most carrier frames read as carrying data
    // (docs/CALIBRATION.md: the temporal check flags 98% at 0.1 bits per sample).
    const matching = await hideAndAnalyze('m', { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' });
    expect(matching.flaggedShare).toBeGreaterThanOrEqual(0.75);
    expect(matching.report.video.verdict).not.toBe('clean');
    // The same payload embedded adaptively at the stealth budget (the default) reads lower.
    const adaptive = await hideAndAnalyze('a', DEFAULT_HIDE_SETTINGS);
    expect(adaptive.flaggedShare).toBeLessThan(matching.flaggedShare);
  }, 300_000);
});
