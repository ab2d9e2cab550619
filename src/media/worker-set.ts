/**
 * The engine workers of one job. wasm cannot be interrupted, so stopping a
 * job means terminating its workers; every call made through `run` then
 * settles at once instead of waiting on a worker that is gone.
 */
import { wrap, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/engine.worker.ts';
import { CancelledError } from './jobs.ts';

export interface EngineWorker {
  readonly worker: Worker;
  readonly api: Remote<EngineApi>;
}

export function spawnEngineWorker(name = 'vidstega-engine'): EngineWorker {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name });
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
    w.worker.addEventListener('error', () => this.fail(new Error('The video engine stopped unexpectedly (it may have run out of memory). Close other tabs and try again.')));
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
