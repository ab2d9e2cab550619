/**
 * Where a hide writes: one directory per job in the origin private file
 * system (OPFS), holding the encoded segments while it runs and the finished
 * video after. A cancelled or failed job's directory is removed whole.
 *
 * The tab that runs a job holds a Web Lock named after it for as long as the
 * job runs and its result is on show, and a finished job gets a small marker
 * file once its video is complete; so a tab starting later can tell a job
 * that was cut short (no marker, lock free: its files are removed) from one
 * running elsewhere (lock held: left alone) and from a finished video nobody
 * has saved yet (marker: offered to the person).
 */

const JOBS = 'vidstega-jobs';
/** The marker of a finished job: JSON `FinishedMarker`, written after the output is complete. */
export const FINISHED_MARKER = 'finished.json';

export interface FinishedMarker {
  /** The output's file name in the job's directory. */
  readonly output: string;
  /** The name suggested for saving it. */
  readonly name: string;
  readonly finishedAt: number;
  /** Set once the person has saved it (or handed it to the browser's downloads). */
  readonly saved: boolean;
}

/** The Web Lock a job's tab holds while the job runs and while its result is shown. */
export function jobLockName(jobId: string): string {
  return `vidstega-job:${jobId}`;
}

const held = new Map<string, () => void>();

/**
 * Takes the job's lock and keeps it until `releaseJob` or `removeJob` (or
 * until the tab closes). Resolves false when this tab holds it already and,
 * with `ifAvailable`, at once when another tab does. Where the browser has
 * no Web Locks, resolves true.
 */
export function claimJob(jobId: string, ifAvailable = false): Promise<boolean> {
  if (held.has(jobId)) return Promise.resolve(false);
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    navigator.locks
      .request(jobLockName(jobId), { ifAvailable }, (lock) => {
        if (!lock) return resolve(false);
        return new Promise<void>((release) => {
          held.set(jobId, release);
          resolve(true);
        });
      })
      .catch(reject);
  });
}

/** Lets go of a job's lock (its files stay). */
export function releaseJob(jobId: string): void {
  held.get(jobId)?.();
  held.delete(jobId);
}

/** Marks a job finished: its output is complete. Written last, after the output has been checked. */
export async function markFinished(jobId: string, marker: FinishedMarker): Promise<void> {
  const dir = await jobDirectory(jobId, false);
  const writable = await (await dir.getFileHandle(FINISHED_MARKER, { create: true })).createWritable();
  await writable.write(JSON.stringify(marker));
  await writable.close();
}

/** The marker of a finished job, or undefined when the job never finished (or is unknown). */
export async function readFinished(dir: FileSystemDirectoryHandle): Promise<FinishedMarker | undefined> {
  try {
    const text = await (await (await dir.getFileHandle(FINISHED_MARKER)).getFile()).text();
    const m = JSON.parse(text) as Partial<FinishedMarker>;
    if (typeof m.output !== 'string' || typeof m.name !== 'string') return undefined;
    return { output: m.output, name: m.name, finishedAt: Number(m.finishedAt) || 0, saved: m.saved === true };
  } catch {
    return undefined;
  }
}

export async function jobDirectory(jobId: string, create = true): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  return jobs.getDirectoryHandle(jobId, { create });
}

/**
 * Removes a job's files, and lets go of its lock. A worker that was just
 * terminated may still hold a file open for a moment, so removal is retried
 * briefly.
 */
export async function removeJob(jobId: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await jobs.removeEntry(jobId, { recursive: true });
      releaseJob(jobId);
      return;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') {
        releaseJob(jobId);
        return;
      }
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Names of the job directories on disk (for tests and for clearing what a closed tab left behind). */
export async function listJobs(): Promise<string[]> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  const names: string[] = [];
  for await (const [name] of (jobs as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) names.push(name);
  return names;
}

/** Notes on a finished job's marker that the person saved its video, so start-up may clear it without asking. */
export async function markSaved(jobId: string): Promise<void> {
  const marker = await readFinished(await jobDirectory(jobId, false));
  if (marker && !marker.saved) await markFinished(jobId, { ...marker, saved: true });
}

/** The job directories, by name (for start-up's cleaning). */
export async function jobDirectories(): Promise<[string, FileSystemDirectoryHandle][]> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  const out: [string, FileSystemDirectoryHandle][] = [];
  for await (const [name, handle] of (jobs as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'directory') out.push([name, handle as FileSystemDirectoryHandle]);
  }
  return out;
}
