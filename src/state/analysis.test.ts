import { describe, expect, it } from 'vitest';
import { VERDICT_THRESHOLDS } from '../core/analysis/calibration-data.ts';
import { CancelledError, UnsupportedInputError } from '../core/errors.ts';
import type { VideoInfo } from '../media/plan/video-info.ts';
import type { AnalysisReport } from '../media/shared/engine-api.ts';
import { analysisSecondsLeft, CarrierCheck, VideoAnalysis, type AnalysisEngine } from './analysis.svelte.ts';
import type { AnalysisOptions } from './engine-client.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
const video = (name: string) => new File([new Uint8Array(10)], name);
const info = { video: { bitDepth: 8, frameCount: 3 } } as unknown as VideoInfo;
const reportFor = (name: string): AnalysisReport => ({
  frameCount: 3,
  frames: [{ index: 0, verdict: 'clean', flagged: [], planes: [] }],
  video: { verdict: name.startsWith('out') ? 'likely' : 'clean', frames: 1, flagged: 0, likely: 0 },
  rawPictures: undefined,
});

/** An engine stand-in whose analyses finish when the test says so. */
function controlledEngine(probe: (f: File) => Promise<VideoInfo> = async () => info) {
  const pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void; options: AnalysisOptions }>();
  const engine: AnalysisEngine = {
    probe,
    thresholds: async () => VERDICT_THRESHOLDS,
    async analyze(file, options) {
      await new Promise<void>((resolve, reject) => {
        pending.set(file.name, { resolve, reject, options });
        options.signal?.addEventListener('abort', () => reject(new CancelledError()));
      });
      return reportFor(file.name);
    },
  };
  return { engine, pending };
}

describe('time left', () => {
  it('is unknown before a frame is done or half a second has passed, then follows the rate so far', () => {
    expect(analysisSecondsLeft(0, 100, 3)).toBeUndefined();
    expect(analysisSecondsLeft(10, 100, 0.2)).toBeUndefined();
    expect(analysisSecondsLeft(10, 100, 2)).toBeCloseTo(18, 12);
    expect(analysisSecondsLeft(100, 100, 5)).toBe(0);
  });
});

describe('the Analyze screen’s run', () => {
  it('reads the video, analyses it with progress, and keeps the report and thresholds', async () => {
    const { engine, pending } = controlledEngine();
    const a = new VideoAnalysis(engine);
    const done = a.open(video('clip.mp4'));
    expect(a.status).toBe('reading');
    await tick();
    expect(a.status).toBe('running');
    expect(a.info).toBe(info);
    pending.get('clip.mp4')!.options.onProgress!(3, 12);
    expect(a.progress).toMatchObject({ done: 3, total: 12 });
    pending.get('clip.mp4')!.resolve();
    await done;
    expect(a.status).toBe('done');
    expect(a.report?.video.verdict).toBe('clean');
    expect(a.thresholds).toBe(VERDICT_THRESHOLDS);
    expect(a.seconds).toBeGreaterThanOrEqual(0);
  });

  it('cancels: the engine hears the abort and the run reads as cancelled, not failed', async () => {
    const { engine, pending } = controlledEngine();
    const a = new VideoAnalysis(engine);
    const done = a.open(video('clip.mp4'));
    await tick();
    a.cancel();
    await done;
    expect(pending.get('clip.mp4')!.options.signal!.aborted).toBe(true);
    expect(a.status).toBe('cancelled');
    expect(a.error).toBeUndefined();
  });

  it('gives the plain error for a file that is not a video, without analysing it', async () => {
    const { engine, pending } = controlledEngine(async () => {
      throw new UnsupportedInputError('This file could not be read as a video.');
    });
    const a = new VideoAnalysis(engine);
    await a.open(video('notes.txt'));
    expect(a.status).toBe('failed');
    expect(a.error).toBe('This file could not be read as a video.');
    expect(pending.size).toBe(0);
  });

  it('a newer pick stops the run before it, and only the newer one is shown', async () => {
    const { engine, pending } = controlledEngine();
    const a = new VideoAnalysis(engine);
    const first = a.open(video('first.mp4'));
    await tick();
    const second = a.open(video('second.mp4'));
    await tick();
    await first;
    expect(pending.get('first.mp4')!.options.signal!.aborted).toBe(true);
    expect(a.status).toBe('running');
    expect(a.file?.name).toBe('second.mp4');
    pending.get('second.mp4')!.resolve();
    await second;
    expect(a.status).toBe('done');
  });
});

describe('the check after a hide', () => {
  it('reads the same frames of both videos and counts their progress together', async () => {
    const { engine, pending } = controlledEngine();
    const c = new CarrierCheck(engine);
    const done = c.run(video('original.mp4'), video('out.mp4'), [4, 9]);
    await tick();
    expect(pending.get('original.mp4')!.options.wanted).toEqual([4, 9]);
    expect(pending.get('out.mp4')!.options.wanted).toEqual([4, 9]);
    pending.get('original.mp4')!.options.onProgress!(2, 6);
    expect(c.progress).toMatchObject({ done: 2, total: 6, secondsLeft: undefined }); // the other side's total is not known yet
    pending.get('out.mp4')!.options.onProgress!(1, 6);
    expect(c.progress).toMatchObject({ done: 3, total: 12 });
    pending.get('original.mp4')!.resolve();
    pending.get('out.mp4')!.resolve();
    await done;
    expect(c.status).toBe('done');
    expect(c.original?.video.verdict).toBe('clean');
    expect(c.output?.video.verdict).toBe('likely');
  });

  it('stops the other side when one fails, and says why', async () => {
    const { engine, pending } = controlledEngine();
    const c = new CarrierCheck(engine);
    const done = c.run(video('original.mp4'), video('out.mp4'), [1]);
    await tick();
    pending.get('out.mp4')!.reject(new Error('The video could not be decoded for analysis'));
    await done;
    expect(c.status).toBe('failed');
    expect(c.error).toBe('The video could not be decoded for analysis');
    expect(pending.get('original.mp4')!.options.signal!.aborted).toBe(true);
  });

  it('cancels both sides', async () => {
    const { engine, pending } = controlledEngine();
    const c = new CarrierCheck(engine);
    const done = c.run(video('original.mp4'), video('out.mp4'), [1]);
    await tick();
    c.cancel();
    await done;
    expect(c.status).toBe('cancelled');
    expect(c.error).toBeUndefined();
    expect(pending.get('original.mp4')!.options.signal!.aborted).toBe(true);
    expect(pending.get('out.mp4')!.options.signal!.aborted).toBe(true);
  });
});
