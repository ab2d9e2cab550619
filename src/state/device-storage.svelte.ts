/**
 * This device's storage as VidStega uses it: how much room there is, whether
 * the browser keeps VidStega's files (persistent storage), and start-up's
 * cleaning of the job directories (src/media/job-files.ts).
 *
 * At start, a job directory whose lock is free and that has no "finished"
 * marker was cut short (the tab closed, crashed or reloaded mid-hide): it is
 * removed and the room it freed is reported. A finished video the person
 * saved is removed too. A finished video nobody has saved is never touched
 * without asking: it is listed, with Save and Delete, and this tab holds its
 * lock meanwhile so no other tab offers it as well. A job another tab runs
 * or shows holds its lock and is left alone.
 */
import type { VideoGeometry } from '../core/geometry.ts';
import { rawFrameBytes } from '../core/geometry.ts';
import { claimJob, jobDirectories, markSaved, readFinished, releaseJob, removeJob } from '../media/shared/job-files.ts';

/** A finished video left on this device by an earlier visit, not saved yet. */
export interface UnsavedVideo {
  readonly jobId: string;
  readonly file: File;
  /** The name suggested for saving. */
  readonly name: string;
  readonly finishedAt: number;
}

/** What start-up's cleaning removed. */
export interface Cleaning {
  /** Jobs cut short, and their bytes. */
  readonly interrupted: number;
  readonly interruptedBytes: number;
  /** Finished videos the person had saved, and their bytes. */
  readonly saved: number;
  readonly savedBytes: number;
}

/**
 * Lossless output is between about a tenth (clean, synthetic) and two thirds
 * (noisy camera footage) of the raw frames' size; room is shown for the
 * worst case.
 */
const FFV1_MOST_OF_RAW = 2 / 3;
/** Above this, the browser is asked to keep VidStega's files before the hide starts. */
export const LARGE_JOB_BYTES = 1024 ** 3;

/** The most a lossless copy of this video may take (noisy footage, at worst). */
export function largestOutputBytes(geometry: VideoGeometry): number {
  return rawFrameBytes(geometry) * geometry.frameCount * FFV1_MOST_OF_RAW;
}

async function directoryBytes(dir: FileSystemDirectoryHandle): Promise<number> {
  let bytes = 0;
  for await (const [, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'file') bytes += (await (handle as FileSystemFileHandle).getFile()).size;
    else bytes += await directoryBytes(handle as FileSystemDirectoryHandle);
  }
  return bytes;
}

/** A directory's size, retried briefly: a worker of a tab that just closed may still hold a file open. */
async function sizeOf(dir: FileSystemDirectoryHandle): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await directoryBytes(dir);
    } catch (e) {
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export class DeviceStorage {
  /** Bytes this site may still use (quota less usage); undefined until measured or where unknown. */
  free = $state<number | undefined>();
  /** Whether the browser keeps VidStega's files when space runs low; undefined where unknown. */
  persisted = $state<boolean | undefined>();
  /** What start-up's cleaning removed; undefined until it has run. */
  cleaned = $state.raw<Cleaning | undefined>();
  /** Finished videos from earlier visits that were never saved. */
  unsaved = $state.raw<UnsavedVideo[]>([]);
  #started = false;

  /** Cleans up after interrupted jobs and measures the room. Once, at start. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      await this.#clean();
    } catch (e) {
      console.warn('VidStega: could not look through stored jobs', e);
    }
    await this.refresh();
  }

  /** Measures the room and whether storage is kept. */
  async refresh(): Promise<void> {
    const storage = navigator.storage;
    if (!storage?.estimate) return;
    try {
      const { quota, usage = 0 } = await storage.estimate();
      this.free = quota === undefined ? undefined : Math.max(0, quota - usage);
      this.persisted = storage.persisted ? await storage.persisted() : undefined;
    } catch {
      // Estimates can be refused (some private modes): the figures stay unknown.
    }
  }

  /**
   * Asks the browser to keep VidStega's files (some browsers ask the person).
   * Call straight from a click, before other awaits.
   */
  async keepFiles(): Promise<boolean> {
    const granted = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
    await this.refresh();
    return granted;
  }

  /** Before a hide that may write up to `mostBytes`: asks to keep the files when that is a lot. Call straight from the click. */
  beforeHide(mostBytes: number): void {
    if (this.persisted !== true && mostBytes >= LARGE_JOB_BYTES) void this.keepFiles();
  }

  /** The person saved one of this tab's results: start-up may clear it later without asking. */
  noteSaved(jobId: string): void {
    void markSaved(jobId).catch(() => undefined);
  }

  /**
   * After an unsaved video was saved: written to a file the person chose
   * ("saved"), it is removed here at once; handed to the browser's downloads,
   * it stays until the next start, as the download reads from it.
   */
  async savedUnsaved(video: UnsavedVideo, outcome: 'saved' | 'downloaded'): Promise<void> {
    if (outcome === 'saved') return this.deleteUnsaved(video);
    await markSaved(video.jobId);
  }

  async deleteUnsaved(video: UnsavedVideo): Promise<void> {
    await removeJob(video.jobId);
    this.unsaved = this.unsaved.filter((v) => v !== video);
    await this.refresh();
  }

  async #clean(): Promise<void> {
    // Without Web Locks a job running in another tab cannot be told from an interrupted one: touch nothing.
    if (!navigator.locks || !navigator.storage?.getDirectory) return;
    const cleaned = { interrupted: 0, interruptedBytes: 0, saved: 0, savedBytes: 0 };
    const unsaved: UnsavedVideo[] = [];
    for (const [jobId, dir] of await jobDirectories()) {
      if (!(await claimJob(jobId, true))) continue; // running or shown in a tab
      try {
        const marker = await readFinished(dir);
        if (marker && !marker.saved) {
          const file = await (await dir.getFileHandle(marker.output)).getFile().catch(() => undefined);
          if (file) {
            unsaved.push({ jobId, file, name: marker.name, finishedAt: marker.finishedAt });
            continue; // this tab keeps the lock while the video is offered
          }
        }
        const bytes = await sizeOf(dir);
        await removeJob(jobId);
        if (marker?.saved) {
          cleaned.saved++;
          cleaned.savedBytes += bytes;
        } else {
          cleaned.interrupted++;
          cleaned.interruptedBytes += bytes;
        }
      } catch (e) {
        releaseJob(jobId);
        console.warn(`VidStega: could not clear ${jobId}`, e);
      }
    }
    this.unsaved = unsaved.sort((a, b) => b.finishedAt - a.finishedAt);
    this.cleaned = cleaned;
  }
}

export const deviceStorage = new DeviceStorage();
