/**
 * The UI's handle on the media engine: a Comlink proxy to a worker, created on
 * first use. Comlink carries a worker's Error across with its message, which
 * the engine writes for people.
 */
import { wrap, type Remote } from 'comlink';
import { spawnEngineWorker } from './worker-set.ts';
import type { EngineApi } from '../../workers/engine.worker.ts';
import type { VideoInfo } from './probe.ts';

let engine: { worker: Worker; api: Remote<EngineApi> } | undefined;

function getEngine(): Remote<EngineApi> {
  if (!engine) {
    const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'vidstega-engine' });
    engine = { worker, api: wrap<EngineApi>(worker) };
  }
  return engine.api;
}

/** Stops the engine at once (wasm cannot be interrupted); the next call starts a fresh one. */
export function stopEngine(): void {
  engine?.worker.terminate();
  engine = undefined;
}

/** Reads what is inside a video file, in place. Rejects with an Error whose message is for a person. */
export async function probeVideo(file: File): Promise<VideoInfo> {
  return getEngine().probeFile(file);
}

// --- Jobs ---
export { CancelledError } from './jobs.ts';
export type { HideRequest, HideResult, JobOptions, JobProgress, FrameComparison, DisplayFrame } from './jobs.ts';
export { hideInVideo, discardResult } from './hide-job.ts';
export { revealFromVideo } from './reveal-job.ts';
import type { DisplayFrame, FrameComparison } from './jobs.ts';

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
