/**
 * What the engine's steps need from the place they run in, handed to them
 * rather than reached for: the worker's FFmpeg core, the job's files on disk,
 * and blocking reads of the person's file. In a browser worker these are
 * ffmpeg.wasm loaded from the app's own assets, the origin private file
 * system and FileReaderSync (./browser-env.ts); the Node tests pass the same
 * wasm core and files held in memory (test-support/node-engine-env.ts), and
 * so run the very steps the browser runs.
 */
import type { ByteSource } from '../formats/byte-source.ts';
import type { Core } from './ffmpeg/core-types.ts';

/**
 * A job's file on disk, read and written at positions: the shape of the
 * origin private file system's sync access handle.
 */
export interface JobFile {
  read(into: Uint8Array, options: { at: number }): number;
  /** Writes at `at`; throws a DOMException named QuotaExceededError when the disk or quota is full. */
  write(bytes: Uint8Array, options: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

export interface EngineEnv {
  /** This worker's FFmpeg core, loaded once. */
  core(): Promise<Core>;
  /** Opens a file of job `jobId` (created, empty, when `create`); close it when done. */
  openJobFile(jobId: string, name: string, options: { create: boolean }): Promise<JobFile>;
  /** A job's file as it is on disk now. */
  jobFileBlob(jobId: string, name: string): Promise<Blob>;
  /** Random access to `blob`'s bytes, read at once (a worker may block). */
  source(blob: Blob): ByteSource;
}
