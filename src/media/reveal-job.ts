/**
 * A reveal as the page runs it: one worker reads the locator frame, then the
 * frames that carry data, and opens the payload. Cancel terminates it.
 */
import type { Payload } from '../core/container.ts';
import { CancelledError, type JobOptions } from './jobs.ts';
import { WorkerSet } from './worker-set.ts';

export async function revealFromVideo(file: File, password: string, options: JobOptions = {}): Promise<Payload> {
  const { signal, onProgress } = options;
  if (file.size === 0) throw new Error('This file is empty (0 bytes). Choose the video you were sent.');
  const workers = new WorkerSet();
  const abort = () => workers.terminateAll();
  signal?.addEventListener('abort', abort);
  const progress = new SharedArrayBuffer(8);
  const counter = new Int32Array(progress);
  const started = performance.now();
  const timer = setInterval(() => {
    const done = Atomics.load(counter, 0);
    const seconds = (performance.now() - started) / 1000;
    onProgress?.({ stage: 'reading', done, total: 0, fps: seconds > 0 ? done / seconds : 0, secondsLeft: undefined });
  }, 250);
  try {
    if (signal?.aborted) throw new CancelledError();
    onProgress?.({ stage: 'reading', done: 0, total: 0, fps: 0, secondsLeft: undefined });
    const w = workers.spawn();
    return await workers.run(w.api.revealPayload(file, password, progress));
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    throw e;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', abort);
    workers.terminateAll();
  }
}
