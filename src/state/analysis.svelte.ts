/**
 * Steganalysis runs as the page holds them: the Analyze screen's (one video,
 * read first so a file that is not a video is refused in plain words), and
 * the check after a hide (the output's carrier frames and the same frames of
 * the original, side by side). Each has its progress with the time left, can
 * be cancelled (the engine's worker is terminated), and says in plain words
 * when it could not run.
 */
import type { VerdictThresholds } from '../core/analysis/verdict.ts';
import { isVidStegaError } from '../core/errors.ts';
import type { VideoInfo } from '../media/plan/video-info.ts';
import { analyzeVideo, probeVideo, verdictThresholds, type AnalysisOptions, type AnalysisReport } from './engine-client.ts';
import { errorMessage } from './jobs.svelte.ts';

/** What the runs need of the engine (the real one in the app, a stand-in in unit tests). */
export interface AnalysisEngine {
  probe(file: File): Promise<VideoInfo>;
  analyze(file: File, options: AnalysisOptions): Promise<AnalysisReport>;
  thresholds(): Promise<VerdictThresholds>;
}

export const PAGE_ANALYSIS_ENGINE: AnalysisEngine = { probe: probeVideo, analyze: analyzeVideo, thresholds: verdictThresholds };

export type AnalysisStatus = 'idle' | 'reading' | 'running' | 'done' | 'failed' | 'cancelled';

/** Frames done of total and the time left (undefined until it can be estimated). */
export interface AnalysisProgress {
  readonly done: number;
  readonly total: number;
  readonly secondsLeft: number | undefined;
}

/** Seconds left from frames done of total after `elapsedSeconds`: undefined before the first frame or half a second, 0 when all are done. */
export function analysisSecondsLeft(done: number, total: number, elapsedSeconds: number): number | undefined {
  if (done <= 0 || elapsedSeconds < 0.5 || total <= done) return done >= total && total > 0 ? 0 : undefined;
  return ((total - done) * elapsedSeconds) / done;
}

/** Counts frames of one or more analyses together, and the time they have taken. */
class ProgressCounter {
  readonly #parts: { done: number; total: number }[];
  readonly #since = performance.now();
  readonly #report: (p: AnalysisProgress) => void;

  constructor(parts: number, report: (p: AnalysisProgress) => void) {
    this.#report = report;
    this.#parts = Array.from({ length: parts }, () => ({ done: 0, total: 0 }));
  }

  /** The progress callback of part `k`. */
  part(k: number): (done: number, total: number) => void {
    return (done, total) => {
      this.#parts[k] = { done, total };
      // Every part's total is known once each has reported; before that, the total is a floor.
      const d = this.#parts.reduce((s, p) => s + p.done, 0);
      const t = this.#parts.reduce((s, p) => s + p.total, 0);
      const known = this.#parts.every((p) => p.total > 0);
      this.#report({ done: d, total: t, secondsLeft: known ? analysisSecondsLeft(d, t, (performance.now() - this.#since) / 1000) : undefined });
    };
  }
}

/** Why an analysis failed, in plain words; a cancelled run is not a failure. */
function failure(e: unknown, signal: AbortSignal): string | undefined {
  if (signal.aborted || isVidStegaError(e, 'cancelled')) return undefined;
  return errorMessage(e);
}

/** The Analyze screen's run: the video picked, what was read from it, its progress and report. */
export class VideoAnalysis {
  file = $state.raw<File | undefined>();
  info = $state.raw<VideoInfo | undefined>();
  status = $state<AnalysisStatus>('idle');
  progress = $state.raw<AnalysisProgress | undefined>();
  report = $state.raw<AnalysisReport | undefined>();
  thresholds = $state.raw<VerdictThresholds | undefined>();
  error = $state<string | undefined>();
  /** Seconds the last finished analysis took. */
  seconds = $state<number | undefined>();

  readonly #engine: AnalysisEngine;
  #controller: AbortController | undefined;

  constructor(engine: AnalysisEngine = PAGE_ANALYSIS_ENGINE) {
    this.#engine = engine;
  }

  get busy(): boolean {
    return this.status === 'reading' || this.status === 'running';
  }

  /** Reads the video, then analyses it; a newer pick stops the run before it. */
  async open(file: File): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const current = () => this.#controller === controller;
    this.file = file;
    this.info = undefined;
    this.report = undefined;
    this.progress = undefined;
    this.error = undefined;
    this.seconds = undefined;
    this.status = 'reading';
    const started = performance.now();
    try {
      const info = await this.#engine.probe(file);
      if (!current()) return;
      if (controller.signal.aborted) {
        this.status = 'cancelled';
        return;
      }
      this.info = info;
      this.status = 'running';
      const counter = new ProgressCounter(1, (p) => {
        if (current() && this.status === 'running') this.progress = p;
      });
      const [report, thresholds] = await Promise.all([
        this.#engine.analyze(file, { signal: controller.signal, onProgress: counter.part(0) }),
        this.#engine.thresholds(),
      ]);
      if (!current()) return;
      this.thresholds = thresholds;
      this.report = report;
      this.seconds = (performance.now() - started) / 1000;
      this.status = 'done';
    } catch (e) {
      if (!current()) return;
      const why = failure(e, controller.signal);
      this.status = why === undefined ? 'cancelled' : 'failed';
      this.error = why;
    } finally {
      if (current()) this.#controller = undefined;
    }
  }

  /** Stops the run: the engine's worker is terminated at once. */
  cancel(): void {
    this.#controller?.abort();
  }
}

/** The check after a hide: the same frames read in the original and in the output. */
export class CarrierCheck {
  status = $state<AnalysisStatus>('idle');
  progress = $state.raw<AnalysisProgress | undefined>();
  original = $state.raw<AnalysisReport | undefined>();
  output = $state.raw<AnalysisReport | undefined>();
  error = $state<string | undefined>();
  /** The carrier frames read (at most 40 of them, spread over the hide's). */
  frames = $state.raw<readonly number[]>([]);

  readonly #engine: AnalysisEngine;
  #controller: AbortController | undefined;

  constructor(engine: AnalysisEngine = PAGE_ANALYSIS_ENGINE) {
    this.#engine = engine;
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Reads `frames` (with their neighbours) of both videos, side by side in two workers. */
  async run(original: File, output: File, frames: readonly number[]): Promise<void> {
    if (this.busy) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.frames = frames;
    this.original = undefined;
    this.output = undefined;
    this.progress = undefined;
    this.error = undefined;
    this.status = 'running';
    const counter = new ProgressCounter(2, (p) => {
      if (this.status === 'running') this.progress = p;
    });
    try {
      const [a, b] = await Promise.all([
        this.#engine.analyze(original, { wanted: frames, signal: controller.signal, onProgress: counter.part(0) }),
        this.#engine.analyze(output, { wanted: frames, signal: controller.signal, onProgress: counter.part(1) }),
      ]);
      this.original = a;
      this.output = b;
      this.status = 'done';
    } catch (e) {
      // The person cancelled (both workers stop), or one side failed: then the other is stopped too, as half a comparison says nothing.
      const cancelled = controller.signal.aborted || isVidStegaError(e, 'cancelled');
      controller.abort();
      this.status = cancelled ? 'cancelled' : 'failed';
      this.error = cancelled ? undefined : errorMessage(e);
    } finally {
      this.#controller = undefined;
    }
  }

  /** Stops both readings: their workers are terminated at once. */
  cancel(): void {
    this.#controller?.abort();
  }
}

const checks = new WeakMap<object, CarrierCheck>();

/** The check of a hide's result (kept with the result, so leaving the screen and coming back keeps it). */
export function carrierCheckFor(result: object): CarrierCheck {
  let check = checks.get(result);
  if (!check) {
    check = new CarrierCheck();
    checks.set(result, check);
  }
  return check;
}

/** Stops a result's check, if it runs (before the result's video is removed). */
export function stopCarrierCheck(result: object): void {
  checks.get(result)?.cancel();
}
