/**
 * Drives the media engine directly in Chromium, the way the app's page calls
 * it: these specs load the engine's modules from the Vite dev server (the
 * production build exposes only the UI) and hand it files chosen through a
 * file input, as a person's browser would.
 */
import type { Page } from '@playwright/test';

export const ENGINE_URL = `http://127.0.0.1:${process.env.E2E_DEV_PORT ?? 5173}`;

/** Opens the app on the dev server and waits until it is interactive. */
export async function openEngine(page: Page): Promise<void> {
  await page.goto(`${ENGINE_URL}/`);
  await page.waitForFunction(() => crossOriginIsolated);
}

/** Puts files in a page-side list (window.__files) through a real file input. */
export async function pickFiles(page: Page, paths: string[]): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'engine-test-files';
    input.hidden = true;
    input.addEventListener('change', () => ((window as unknown as { __files: File[] }).__files = Array.from(input.files!)));
    document.body.append(input);
  });
  await page.setInputFiles('#engine-test-files', paths);
  await page.waitForFunction(() => (window as unknown as { __files?: File[] }).__files !== undefined);
  await page.evaluate(() => document.getElementById('engine-test-files')?.remove());
}

export interface HideRevealOutcome {
  readonly frames: number;
  readonly outputName: string;
  readonly outputBytes: number;
  readonly container: string;
  readonly revealedMessage: string;
  readonly revealedFileMatches: boolean;
  /** Video packet times in seconds, relative to the first, for input and output. */
  readonly inputTimes: number[];
  readonly outputTimes: number[];
  readonly inputRotation: number;
  readonly outputRotation: number;
  readonly leftOut: string[];
  readonly jobsLeft: string[];
  /** Frames the hide changed to carry data. */
  readonly carrierFrames: number[];
  readonly browserDecodedFrames: number;
  readonly output: string;
  readonly seconds: number;
}

/** Hides a message and a file in window.__files[0], reveals them, and reports what a test checks. */
export async function hideAndReveal(page: Page, message: string, fileBytes: number, output: 'same-format' | 'lossless' = 'lossless'): Promise<HideRevealOutcome> {
  return page.evaluate(
    async ({ message, fileBytes, output }) => {
      const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
      const { DEFAULT_HIDE_SETTINGS } = await import(/* @vite-ignore */ '/src/core/settings.ts' as string);
      const { spawnEngineWorker } = await import(/* @vite-ignore */ '/src/media/page/workers.ts' as string);
      const { listJobs } = await import(/* @vite-ignore */ '/src/media/shared/job-files.ts' as string);
      const file = (window as unknown as { __files: File[] }).__files[0];
      const info = await e.probeVideo(file);
      const bytes = new Uint8Array(fileBytes).map((_, i) => (i * 31 + 7) & 255);
      const payload = { message, files: [{ name: 'notes.bin', type: 'application/octet-stream', bytes }] };
      const result = await e.hideInVideo({ file, info, payload, password: 'correct horse battery staple', settings: DEFAULT_HIDE_SETTINGS, output });
      (window as unknown as { __result: unknown }).__result = result;
      const back = await e.revealFromVideo(result.file, 'correct horse battery staple');
      const w = spawnEngineWorker();
      const times = async (f: File, tb: string) => {
        const [n, d] = tb.split('/').map(Number);
        const { pts } = await w.api.videoPackets(f);
        return pts.map((p: number) => ((p - pts[0]) * n) / d);
      };
      const out = await e.probeVideo(result.file);
      const inputTimes = await times(file, info.video.timeBase);
      const outputTimes = await times(result.file, out.video.timeBase);
      w.worker.terminate();
      const got = back.files[0]?.bytes as Uint8Array | undefined;
      return {
        frames: result.frames,
        outputName: result.name,
        outputBytes: result.file.size,
        container: result.container,
        revealedMessage: back.message,
        revealedFileMatches: !!got && got.length === bytes.length && got.every((b: number, i: number) => b === bytes[i]),
        inputTimes,
        outputTimes,
        inputRotation: info.video.rotation,
        outputRotation: out.video.rotation,
        leftOut: result.leftOut.map((s: { type: string; codec: string }) => `${s.type}:${s.codec}`),
        jobsLeft: await listJobs(),
        carrierFrames: [...result.carrierFrames],
        browserDecodedFrames: result.browserDecodedFrames,
        output: result.output,
        seconds: result.seconds,
      };
    },
    { message, fileBytes, output },
  );
}

/** Saves the last hide's output through a download, as a person would, to `path`. */
export async function saveLastOutput(page: Page, path: string): Promise<void> {
  const download = page.waitForEvent('download');
  await page.evaluate(() => {
    const r = (window as unknown as { __result: { file: File; name: string } }).__result;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(r.file);
    a.download = r.name;
    a.click();
  });
  await (await download).saveAs(path);
}

/** Removes every job's files (the page's OPFS) so each test starts clean. */
export async function clearJobs(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('vidstega-jobs', { recursive: true }).catch(() => undefined);
  });
}
