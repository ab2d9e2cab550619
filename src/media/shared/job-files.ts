/**
 * Where a hide writes: one directory per job in the origin private file
 * system (OPFS), holding the encoded segments while it runs and the finished
 * video after. A cancelled or failed job's directory is removed whole.
 */

const JOBS = 'vidstega-jobs';

export async function jobDirectory(jobId: string, create = true): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  return jobs.getDirectoryHandle(jobId, { create });
}

/**
 * Removes a job's files. A worker that was just terminated may still hold a
 * file open for a moment, so removal is retried briefly.
 */
export async function removeJob(jobId: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const jobs = await root.getDirectoryHandle(JOBS, { create: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await jobs.removeEntry(jobId, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') return;
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
