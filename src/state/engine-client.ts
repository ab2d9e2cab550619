/**
 * The media engine, loaded on first use: the page paints without it, and it
 * arrives (from the service worker's cache after the first visit) as soon as
 * a video is picked, or when the browser is idle after the first paint.
 */
import type { Payload } from '../core/container.ts';
import type { VideoInfo } from '../media/plan/video-info.ts';
import type { VerdictThresholds } from '../core/analysis/verdict.ts';
import type { AnalysisReport, DisplayFrame, FrameComparison, HideRequest, HideResult, JobOptions } from '../media/page/engine.ts';
import { jobBlocker, type EngineJob } from './isolation.svelte.ts';

export type { AnalysisReport, AnalyzedFrame, DisplayFrame, FrameComparison, HideRequest, HideResult, JobOptions, JobProgress } from '../media/page/engine.ts';

let loading: Promise<typeof import('../media/page/engine.ts')> | undefined;

function engine(): Promise<typeof import('../media/page/engine.ts')> {
  loading ??= import('../media/page/engine.ts');
  // A failed load (offline before the first full visit) must not stick: the next call tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Starts loading the engine without waiting for it. */
export function preloadEngine(): void {
  void engine().catch(() => {});
}

export async function probeVideo(file: File): Promise<VideoInfo> {
  return (await engine()).probeVideo(file);
}

export async function posterFrame(file: File, maxWidth?: number): Promise<DisplayFrame> {
  return (await engine()).posterFrame(file, maxWidth);
}

/** A job that cannot run in this window fails with the plain reason, never with the engine's own error. */
function refuseWhereBlocked(job: EngineJob): void {
  const reason = jobBlocker(job);
  if (reason) throw new Error(reason);
}

export async function hideInVideo(request: HideRequest, options?: JobOptions): Promise<HideResult> {
  const e = await engine();
  refuseWhereBlocked((request.output ?? e.defaultOutput(request.info)) === 'same-format' ? 'hide-same-format' : 'hide-lossless');
  return e.hideInVideo(request, options);
}

export async function revealFromVideo(file: File, password: string, options?: JobOptions): Promise<Payload> {
  refuseWhereBlocked('reveal');
  return (await engine()).revealFromVideo(file, password, options);
}

export async function compareFrame(original: File, stego: File, frameIndex: number): Promise<FrameComparison> {
  return (await engine()).compareFrame(original, stego, frameIndex);
}

export async function discardResult(result: HideResult): Promise<void> {
  return (await engine()).discardResult(result);
}

/** Options of a steganalysis run: frames that must be read (with their neighbours), cancel, and frames done of total. */
export interface AnalysisOptions {
  readonly wanted?: readonly number[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Steganalysis of a video in a worker of its own (no shared memory or disk needed, so it runs in any window). */
export async function analyzeVideo(file: File, options: AnalysisOptions = {}): Promise<AnalysisReport> {
  return (await engine()).analyzeVideo(file, options);
}

let thresholds: Promise<VerdictThresholds> | undefined;

/** The verdict's calibrated thresholds, for the chart's flag lines: loaded with the analysis, not with the first paint. */
export function verdictThresholds(): Promise<VerdictThresholds> {
  thresholds ??= import('../core/analysis/calibration-data.ts').then((m) => m.VERDICT_THRESHOLDS);
  thresholds.catch(() => (thresholds = undefined));
  return thresholds;
}
