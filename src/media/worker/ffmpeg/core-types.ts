/** The ffmpeg.wasm core as VidStega drives it, in the browser and in Node tests alike. */

/** The parts of the Emscripten module VidStega uses. */
export interface FFmpegCore {
  exec(...args: string[]): number;
  ffprobe(...args: string[]): number;
  reset(): void;
  setLogger(fn: (m: { type: string; message: string }) => void): void;
  FS: {
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string, opts?: { encoding: 'utf8' }): Uint8Array & string;
    unlink(path: string): void;
    mkdir(path: string): void;
    mount(type: unknown, opts: { files?: File[]; blobs?: { name: string; data: Blob }[] }, dir: string): void;
    unmount(dir: string): void;
    filesystems: { WORKERFS: unknown; MEMFS: unknown };
  };
}

/** A core that keeps the last lines FFmpeg logged, for the messages of failed runs. */
export type Core = FFmpegCore & { readonly log: string[] };
