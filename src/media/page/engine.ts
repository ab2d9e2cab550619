/**
 * The UI's handle on the media engine. Probing and posters go to one engine
 * worker, created on first use; hides, reveals and comparisons start workers
 * of their own. Errors arrive as VidStega's own (src/core/errors.ts), their
 * messages written for people.
 */
import type { Remote } from 'comlink';
import type { EngineApi } from '../shared/engine-api.ts';
import type { DisplayFrame, FrameComparison } from '../shared/jobs.ts';
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
export type { HideRequest, HideResult, JobOptions, JobProgress, FrameComparison, DisplayFrame } from '../shared/jobs.ts';
export { hideInVideo, discardResult } from './hide-job.ts';
export { revealFromVideo } from './reveal-job.ts';

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
