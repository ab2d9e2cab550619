/**
 * A reveal as the page runs it. The lead worker finds and opens the locator
 * (it alone holds the keys); then it and helper workers, one per spare core,
 * take the frames that carry data from a shared queue and read them side by
 * side; the lead puts the helpers' symbols in place and opens the payload.
 * Cancel terminates them all.
 */
import type { Payload } from '../../core/container.ts';
import { CancelledError, UnsupportedInputError } from '../../core/errors.ts';
import type { JobOptions } from '../shared/jobs.ts';
import { ProgressReporter } from './progress.ts';
import { WorkerSet } from './workers.ts';

/** Helper workers at most: each holds its own engine and one decoded frame. */
const MAX_HELPERS = 3;

export async function revealFromVideo(file: File, password: string, options: JobOptions = {}): Promise<Payload> {
  const { signal, onProgress } = options;
  if (file.size === 0) throw new UnsupportedInputError('This file is empty (0 bytes). Choose the video you were sent.');
  const workers = new WorkerSet();
  const abort = () => workers.terminateAll();
  signal?.addEventListener('abort', abort);
  // Without cross-origin isolation there is no shared memory: the lead worker then reads every frame itself, uncounted.
  const shared = typeof SharedArrayBuffer !== 'undefined';
  const progress = shared ? new SharedArrayBuffer(8) : undefined;
  const counter = progress ? new Int32Array(progress) : undefined;
  const reporter = new ProgressReporter(onProgress);
  try {
    if (signal?.aborted) throw new CancelledError();
    // Until the locator opens, the work is the key derivation.
    reporter.stage('preparing');
    const lead = workers.spawn();
    // Helpers open the video while the lead derives the key, then read frames beside it.
    const helpers = shared
      ? Array.from({ length: Math.max(0, Math.min((navigator.hardwareConcurrency || 2) - 1, MAX_HELPERS)) }, () => {
          const h = workers.spawn();
          return { worker: h, ready: workers.run(h.api.openFrames(file, progress)) };
        })
      : [];
    await workers.run(lead.api.openFrames(file, progress));
    for (const h of helpers) h.ready.catch(() => undefined); // a failure surfaces where it is awaited
    const reader = await workers.run(lead.api.revealLocate(password));
    const total = reader.layout.frames.length + 1; // and the locator's frame, already read
    reporter.count('reading', () => total, () => (counter ? Atomics.load(counter, 0) : 0), 1);
    const queue = shared ? new SharedArrayBuffer(4) : new ArrayBuffer(4);
    const [, ...helped] = await Promise.all([
      workers.run(lead.api.revealReadFrames(queue)),
      ...helpers.map(async (h) => {
        await h.ready;
        return workers.run(h.worker.api.readBodySymbols(reader, queue as SharedArrayBuffer)); // helpers exist only with shared memory
      }),
    ]);
    return await workers.run(lead.api.revealFinish(helped.flat()));
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    throw e;
  } finally {
    reporter.stop();
    signal?.removeEventListener('abort', abort);
    workers.terminateAll();
  }
}
