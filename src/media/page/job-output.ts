/**
 * What every hide does around its own work: a job id and its directory on
 * disk (held by a lock while the job runs), workers that cancelling stops,
 * progress, room checked first, names, the finished marker, and tidying up
 * (a failed or cancelled hide leaves nothing behind).
 */
import { CancelledError, VidStegaError } from '../../core/errors.ts';
import { claimJob, jobDirectory, markFinished, removeJob } from '../shared/job-files.ts';
import type { HideResult, JobOptions } from '../shared/jobs.ts';
import { ProgressReporter } from './progress.ts';
import { WorkerSet } from './workers.ts';

/** What a hide's own work gets from {@link runHide}. */
export interface HideJob {
  readonly jobId: string;
  readonly workers: WorkerSet;
  readonly progress: ProgressReporter;
  /** `performance.now()` when the job started. */
  readonly started: number;
}

/**
 * Runs a hide's work inside its job: cancelling (the options' signal)
 * terminates every worker at once; a failure or a cancel removes the job's
 * files and rejects with a VidStegaError.
 */
export async function runHide<T>(options: JobOptions, work: (job: HideJob) => Promise<T>): Promise<T> {
  const { signal, onProgress } = options;
  const job: HideJob = { jobId: newJobId(), workers: new WorkerSet(), progress: new ProgressReporter(onProgress), started: performance.now() };
  const abort = () => job.workers.terminateAll();
  signal?.addEventListener('abort', abort);
  try {
    if (signal?.aborted) throw new CancelledError();
    // Held while the job runs and its result is shown: another tab's start-up leaves these files alone.
    await claimJob(job.jobId);
    job.progress.stage('preparing');
    return await work(job);
  } catch (e) {
    await removeJob(job.jobId).catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    throw e instanceof Error ? e : new VidStegaError('engine-failed', { what: String(e) });
  } finally {
    job.progress.stop();
    signal?.removeEventListener('abort', abort);
    job.workers.terminateAll();
  }
}

/**
 * The finished output of a job: everything else in its directory goes, the
 * marker that it is finished (and not yet saved) is written, and the file is
 * returned with the name to save it under.
 */
export async function finishOutput(jobId: string, outName: string, name: string): Promise<File> {
  const dir = await jobDirectory(jobId);
  await removeAllBut(dir, outName);
  const output = await (await dir.getFileHandle(outName)).getFile();
  await markFinished(jobId, { output: outName, name, finishedAt: Date.now(), saved: false });
  return output;
}

/** A new job's id, which names its directory on disk. */
export function newJobId(): string {
  return `hide-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Refuses a hide that cannot be written before any long work: asks the
 * browser to keep this site's storage, then compares what is free with what
 * the hide needs.
 */
export async function checkRoom(bytesNeeded: number): Promise<void> {
  if (!navigator.storage?.estimate) return;
  void navigator.storage.persist?.().catch(() => false);
  const { quota = Infinity, usage = 0 } = await navigator.storage.estimate();
  if (quota - usage < bytesNeeded) throw new VidStegaError('not-enough-room', { neededBytes: bytesNeeded, availableBytes: quota - usage });
}

/** A name for saving the output: "holiday.mp4" gives "holiday-hidden.mp4". */
export function outputName(inputName: string, extension: string): string {
  const dot = inputName.lastIndexOf('.');
  const base = (dot > 0 ? inputName.slice(0, dot) : inputName) || 'video';
  return `${base}-hidden.${extension}`;
}

/** Everything in the job's directory but the output goes (parts, scratch files, abandoned tries). */
export async function removeAllBut(dir: FileSystemDirectoryHandle, keep: string): Promise<void> {
  const names: string[] = [];
  for await (const name of (dir as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) if (name !== keep) names.push(name);
  for (const name of names) await dir.removeEntry(name).catch(() => undefined);
}

/** Removes a hide's output from this device's disk. */
export async function discardResult(result: HideResult): Promise<void> {
  await removeJob(result.jobId);
}
