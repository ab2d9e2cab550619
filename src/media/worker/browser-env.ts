/**
 * The engine's surroundings in a browser worker: ffmpeg.wasm from the app's
 * own assets, job files in the origin private file system through sync
 * access handles, and FileReaderSync for the person's file.
 */
import { loadCore } from './ffmpeg/core.ts';
import { jobDirectory } from '../shared/job-files.ts';
import type { EngineEnv, JobFile } from './env.ts';

export const browserEnv: EngineEnv = {
  core: loadCore,
  async openJobFile(jobId, name, { create }): Promise<JobFile> {
    const handle = await (await (await jobDirectory(jobId)).getFileHandle(name, { create })).createSyncAccessHandle();
    if (create) handle.truncate(0);
    return handle;
  },
  async jobFileBlob(jobId, name) {
    return (await (await jobDirectory(jobId)).getFileHandle(name)).getFile();
  },
  source(blob) {
    const reader = new FileReaderSync();
    return { size: blob.size, read: (offset, length) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset, offset + length))) };
  },
};
