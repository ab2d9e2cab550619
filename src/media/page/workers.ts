/**
 * Engine workers as the page starts them: the one place a worker is created
 * and wrapped, and the set of workers of one job. wasm cannot be
 * interrupted, so stopping a job means terminating its workers; every call
 * made through `run` then settles at once instead of waiting on a worker
 * that is gone.
 */
import { wrap, type Remote } from 'comlink';
import { CancelledError, VidStegaError } from '../../core/errors.ts';
import type { EngineApi } from '../shared/engine-api.ts';
import { carryErrorsAcrossWorkers } from '../shared/error-transfer.ts';

export interface EngineWorker {
  readonly worker: Worker;
  readonly api: Remote<EngineApi>;
}

/** Starts an engine worker (its ffmpeg core loads on first use). */
export function spawnEngineWorker(name = 'vidstega-engine'): EngineWorker {
  carryErrorsAcrossWorkers();
  const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name });
  return { worker, api: wrap<EngineApi>(worker) };
}

export class WorkerSet {
  private readonly live = new Set<EngineWorker>();
  private stopped = false;
  private stop!: (e: Error) => void;
  private readonly stoppedPromise = new Promise<never>((_, reject) => (this.stop = reject));

  constructor() {
    this.stoppedPromise.catch(() => undefined);
  }

  spawn(): EngineWorker {
    if (this.stopped) throw new CancelledError();
    const w = spawnEngineWorker();
    // A worker that fails to start (or crashes: out of memory) stops the job with a plain message.
    w.worker.addEventListener('error', () => this.fail(new VidStegaError('engine-stopped', {})));
    this.live.add(w);
    return w;
  }

  /** Waits for a worker call, or for the job to be stopped. */
  run<T>(call: Promise<T>): Promise<T> {
    return Promise.race([call, this.stoppedPromise]);
  }

  retire(w: EngineWorker): void {
    w.worker.terminate();
    this.live.delete(w);
  }

  fail(e: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of this.live) w.worker.terminate();
    this.live.clear();
    this.stop(e);
  }

  terminateAll(): void {
    this.fail(new CancelledError());
  }
}
