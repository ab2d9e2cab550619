/** What every hide does with its output on this device's disk: room first, names, and tidying its job directory. */
import { VidStegaError } from '../../core/errors.ts';
import { removeJob } from '../shared/job-files.ts';
import type { HideResult } from '../shared/jobs.ts';

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
