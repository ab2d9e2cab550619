/**
 * Files the person chose, readable by the core in place: WORKERFS reads a
 * `File` slice by slice when FFmpeg asks, so a video of any size is never
 * copied into memory.
 */
import type { FFmpegCore } from './core-types.ts';

const mounted = new WeakMap<FFmpegCore, Set<string>>();

/** Mounts `blobs` read-only under `dir` (replacing what was there); returns their paths. */
export function mountBlobs(core: FFmpegCore, dir: string, blobs: { name: string; data: Blob }[]): string[] {
  const dirs = mounted.get(core) ?? new Set<string>();
  mounted.set(core, dirs);
  if (dirs.has(dir)) core.FS.unmount(dir);
  else core.FS.mkdir(dir);
  core.FS.mount(core.FS.filesystems.WORKERFS, { blobs }, dir);
  dirs.add(dir);
  return blobs.map((b) => `${dir}/${b.name}`);
}

/** The person's video, under a fixed name (names can hold anything). */
export function mountInput(core: FFmpegCore, file: Blob, dir = '/input'): string {
  return mountBlobs(core, dir, [{ name: 'video', data: file }])[0];
}
