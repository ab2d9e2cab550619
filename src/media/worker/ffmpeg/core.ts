/**
 * Loads the ffmpeg.wasm core inside a worker, self-hosted: the core's script
 * and its wasm are assets of this app, never fetched from a CDN. One instance
 * per worker, created on first use. The core is single-threaded; parallelism
 * comes from several workers, each with its own instance.
 */
import coreUrl from '@ffmpeg/core?url';
import wasmUrl from '@ffmpeg/core/wasm?url';
import type { Core, FFmpegCore } from './core-types.ts';

let loading: Promise<Core> | undefined;

/** The worker's core instance, loaded once. */
export function loadCore(): Promise<Core> {
  loading ??= (async () => {
    const { default: create } = (await import(/* @vite-ignore */ coreUrl)) as {
      default: (o: { mainScriptUrlOrBlob: string }) => Promise<FFmpegCore>;
    };
    // The core replaces any locateFile with its own, which reads the wasm's
    // address from this URL's fragment (as @ffmpeg/ffmpeg passes it).
    const absolute = (u: string) => new URL(u, self.location.href).href;
    const hash = btoa(JSON.stringify({ wasmURL: absolute(wasmUrl), workerURL: '' }));
    const core = await create({ mainScriptUrlOrBlob: `${absolute(coreUrl)}#${hash}` });
    const log: string[] = [];
    core.setLogger(({ message }) => {
      log.push(message);
      if (log.length > 200) log.splice(0, log.length - 100);
    });
    return Object.assign(core, { log });
  })();
  // A failed load (say, storage evicted mid-fetch) must not stick: the next call tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}
