/**
 * The UI's handle on the media engine. Probing and posters go to one engine
 * worker, created on first use; hides, reveals and comparisons start workers
 * of their own. Errors arrive as VidStega's own (src/core/errors.ts), their
 * messages written for people.
 */
import { proxy, type Remote } from 'comlink';
import { CancelledError } from '../../core/errors.ts';
import type { AnalysisReport, EngineApi } from '../shared/engine-api.ts';
import type { DisplayFrame, FrameComparison, HideRequest, HideResult, JobOptions, OutputKind } from '../shared/jobs.ts';
import { hideInCarriers } from './same-format-hide-job.ts';
import { hideLosslessCopy } from './lossless-hide-job.ts';
import type { VideoInfo } from '../plan/video-info.ts';
import { spawnEngineWorker, type EngineWorker } from './workers.ts';

let engine: EngineWorker | undefined;

function getEngine(): Remote<EngineApi> {
  engine ??= spawnEngineWorker('vidstega-engine');
  return engine.api;
}

/** Stops the engine at once (wasm cannot be interrupted); the next call starts a fresh one. */
export function stopEngine(): void {
  engine?.worker.terminate();
  engine = undefined;
}

/** Reads what is inside a video, in place. */
export async function probeVideo(file: File): Promise<VideoInfo> {
  return getEngine().probeFile(file);
}

export { CancelledError };
export type { AnalysisReport, AnalyzedFrame } from '../shared/engine-api.ts';
export type { HideRequest, HideResult, JobOptions, JobProgress, FrameComparison, DisplayFrame, OutputKind } from '../shared/jobs.ts';
export { discardResult } from './job-output.ts';
export { revealFromVideo } from './reveal-job.ts';

/**
 * Hides the payload in the video: in the same format where the video allows
 * it and the request does not ask for the lossless copy, else in a lossless
 * copy.
 */
export async function hideInVideo(request: HideRequest, options: JobOptions = {}): Promise<HideResult> {
  return (request.output ?? defaultOutput(request.info)) === 'same-format' ? hideInCarriers(request, options) : hideLosslessCopy(request, options);
}

/** The same format where the video can carry data in it, else the lossless copy. */
export function defaultOutput(info: VideoInfo): OutputKind {
  return 'carriers' in info.sameFormat ? 'same-format' : 'lossless';
}

/** The video's first frame, the right way up, for a poster picture. */
export async function posterFrame(file: File, maxWidth = 640): Promise<DisplayFrame> {
  return getEngine().displayFrame(file, maxWidth);
}

/**
 * Steganalysis of a video (the Analyze screen, and the check after a hide
 * with `wanted` = the frames that carry data), in a worker of its own:
 * aborting stops it at once.
 */
export async function analyzeVideo(file: File, options: { wanted?: readonly number[]; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<AnalysisReport> {
  const w = spawnEngineWorker('vidstega-analysis');
  const stop = () => w.worker.terminate();
  options.signal?.addEventListener('abort', stop);
  try {
    if (options.signal?.aborted) throw new CancelledError();
    const done = new Promise<never>((_, reject) => options.signal?.addEventListener('abort', () => reject(new CancelledError())));
    done.catch(() => undefined);
    const onProgress = options.onProgress;
    return await Promise.race([w.api.analyzeVideo(file, options.wanted ?? [], onProgress ? proxy(onProgress) : undefined), done]);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    w.worker.terminate();
  }
}

/** One frame of the original beside the stego video's, with an amplified difference and PSNR (a frame of HideResult.carrierFrames). */
export async function compareFrame(original: File, stego: File, frameIndex: number): Promise<FrameComparison> {
  const w = spawnEngineWorker('vidstega-compare');
  try {
    return await w.api.compareFrames(original, stego, frameIndex);
  } finally {
    w.worker.terminate();
  }
}
