/**
 * The ffmpeg core's wasm (about 31 MB) fetched once by the page with its
 * progress shown, the first time: the engine's workers then load it from the
 * browser's cache (or the service worker's) at once.
 */
import wasmUrl from '@ffmpeg/core/wasm?url';

let download: Promise<void> | undefined;

const CANNOT_LOAD =
  'The video engine could not be loaded. Check the connection and reload the page (after one complete visit, VidStega works offline).';

export function downloadCore(onProgress: (loaded: number, total: number) => void): Promise<void> {
  download ??= (async () => {
    const response = await fetch(wasmUrl).catch(() => undefined);
    if (!response?.ok || !response.body) throw new Error(CANNOT_LOAD);
    const total = Number(response.headers.get('content-length')) || 0;
    const reader = response.body.getReader();
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      onProgress(loaded, total);
    }
  })();
  // A failed download (offline on the very first visit) is tried again next time.
  download.catch(() => (download = undefined));
  return download;
}
