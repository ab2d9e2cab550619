/**
 * The UI's handle on the media engine. Probing and posters go to one engine
 * worker, created on first use; hides, reveals and comparisons start workers
 * of their own. Errors arrive as VidStega's own (src/core/errors.ts), their
 * messages written for people.
 */
import type { Remote } from 'comlink';
import type { EngineApi } from '../shared/engine-api.ts';
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

export { CancelledError } from '../../core/errors.ts';
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

/** One frame of the original beside the stego video's, with an amplified difference and PSNR (a frame of HideResult.carrierFrames). */
export async function compareFrame(original: File, stego: File, frameIndex: number): Promise<FrameComparison> {
  const w = spawnEngineWorker('vidstega-compare');
  try {
    return await w.api.compareFrames(original, stego, frameIndex);
  } finally {
    w.worker.terminate();
  }
}
