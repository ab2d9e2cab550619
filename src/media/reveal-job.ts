/**
 * A reveal as the page runs it. The lead worker finds and opens the locator
 * (it alone holds the keys); then it and helper workers, one per spare core,
 * take the frames that carry data from a shared queue and read them side by
 * side; the lead puts the helpers' symbols in place and opens the payload.
 * Cancel terminates them all.
 */
import type { Payload } from '../core/container.ts';
import { CancelledError, type JobOptions } from './jobs.ts';
import { WorkerSet } from './worker-set.ts';

/** Helper workers at most: each holds its own engine and one decoded frame. */
const MAX_HELPERS = 3;

export async function revealFromVideo(file: File, password: string, options: JobOptions = {}): Promise<Payload> {
  const { signal, onProgress } = options;
  if (file.size === 0) throw new Error('This file is empty (0 bytes). Choose the video you were sent.');
  const workers = new WorkerSet();
  const abort = () => workers.terminateAll();
  signal?.addEventListener('abort', abort);
  const progress = new SharedArrayBuffer(8);
  const counter = new Int32Array(progress);
  let total = 0; // frames to read: known once the locator is open
  let readingSince = 0;
  const report = () => {
    const done = Atomics.load(counter, 0);
    const seconds = readingSince ? (performance.now() - readingSince) / 1000 : 0;
    const fps = seconds > 0.25 ? Math.max(0, done - 1) / seconds : 0;
    // Until the locator opens, the work is the key derivation.
    if (!total) onProgress?.({ stage: 'preparing', done: 0, total: 0, fps: 0, secondsLeft: undefined });
    else onProgress?.({ stage: 'reading', done: Math.min(done, total), total, fps, secondsLeft: fps > 0 ? (total - done) / fps : undefined });
  };
  const timer = setInterval(report, 250);
  try {
    if (signal?.aborted) throw new CancelledError();
    report();
    const lead = workers.spawn();
    // Helpers start their engines and open the video while the lead derives the key.
    const helpers = Array.from({ length: Math.max(0, Math.min((navigator.hardwareConcurrency || 2) - 1, MAX_HELPERS)) }, () => {
      const h = workers.spawn();
      return { worker: h, ready: workers.run(h.api.openFrames(file, progress)) };
    });
    for (const h of helpers) h.ready.catch(() => undefined); // a failure surfaces where it is awaited
    await workers.run(lead.api.openFrames(file, progress));
    const reader = await workers.run(lead.api.revealLocate(password));
    const frames = reader.layout.frames.length;
    total = frames + 1; // and the locator's frame, already read
    readingSince = performance.now();
    const queue = new SharedArrayBuffer(4);
    const [, ...helped] = await Promise.all([
      workers.run(lead.api.revealReadFrames(queue)),
      ...helpers.map(async (h) => {
        await h.ready;
        return workers.run(h.worker.api.readBodySymbols(reader, queue));
      }),
    ]);
    return await workers.run(lead.api.revealFinish(helped.flat()));
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    throw e;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', abort);
    workers.terminateAll();
  }
}
