/**
 * The engine when things go wrong, in Chromium: a cancelled hide leaves no
 * files and the next one works; a payload too large, a wrong password, a
 * stego video re-encoded lossily or cut short each get a plain answer and
 * never garbage.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFFmpegCore, run } from '../test-support/ffmpeg-node.ts';
import { clearJobs, hideAndReveal, openEngine, pickFiles, saveLastOutput } from './engine-harness.ts';

const FIXTURES = join(import.meta.dirname, '../test-fixtures');
const CORPUS = join(import.meta.dirname, '../../shared/videos');
const work = mkdtempSync(join(tmpdir(), 'vidstega-fail-'));

test.describe.configure({ timeout: 240_000 });

/** Runs `reveal` on window.__files[0]; returns the error's class name, kind and message, or 'revealed'. */
async function revealOutcome(page: Page, password: string): Promise<{ name: string; kind?: string; message: string }> {
  return page.evaluate(async (password) => {
    const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
    try {
      const p = await e.revealFromVideo((window as unknown as { __files: File[] }).__files[0], password);
      return { name: 'revealed', message: p.message as string };
    } catch (err) {
      return { name: (err as Error).name, kind: (err as { kind?: string }).kind, message: (err as Error).message };
    }
  }, password);
}

/** The person's words for a kind, as the engine's one error module writes them. */
async function wordsFor(page: Page, kind: string, facts: Record<string, unknown> = {}): Promise<string> {
  return page.evaluate(
    async ({ kind, facts }) => {
      const { errorOfKind } = await import(/* @vite-ignore */ '/src/core/errors.ts' as string);
      return errorOfKind(kind, facts).message as string;
    },
    { kind, facts },
  );
}

async function listJobs(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await import(/* @vite-ignore */ '/src/media/shared/job-files.ts' as string)).listJobs());
}

test('a cancelled hide stops, leaves no files, and the next hide succeeds', async ({ page }) => {
  await openEngine(page);
  await clearJobs(page);
  await pickFiles(page, [join(CORPUS, 'mediabunny_sylvie-trimmed.mp4')]);
  const outcome = await page.evaluate(async () => {
    const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
    const { DEFAULT_HIDE_SETTINGS } = await import(/* @vite-ignore */ '/src/core/settings.ts' as string);
    const file = (window as unknown as { __files: File[] }).__files[0];
    const info = await e.probeVideo(file);
    const controller = new AbortController();
    let framesWhenCancelled = 0;
    const job = e.hideInVideo(
      { file, info, payload: { message: 'never finished', files: [] }, password: 'pw', settings: DEFAULT_HIDE_SETTINGS, output: 'lossless' },
      {
        signal: controller.signal,
        onProgress: (p: { stage: string; done: number }) => {
          if (p.stage === 'hiding' && p.done >= 5 && !controller.signal.aborted) {
            framesWhenCancelled = p.done;
            controller.abort();
          }
        },
      },
    );
    try {
      await job;
      return { name: 'finished', framesWhenCancelled };
    } catch (err) {
      return { name: (err as Error).name, message: (err as Error).message, framesWhenCancelled };
    }
  });
  expect(outcome.name).toBe('CancelledError');
  expect(outcome.message).toBe(await wordsFor(page, 'cancelled'));
  expect(outcome.framesWhenCancelled).toBeGreaterThanOrEqual(5);
  await expect.poll(() => listJobs(page), { timeout: 10_000 }).toEqual([]);

  const r = await hideAndReveal(page, 'after a cancel', 100);
  expect(r.revealedMessage).toBe('after a cancel');
  expect(r.revealedFileMatches).toBe(true);
});

test('a payload larger than the video holds is refused before any work, in plain words', async ({ page }) => {
  await openEngine(page);
  await clearJobs(page);
  await pickFiles(page, [join(FIXTURES, 'decord_video_0.mov')]);
  const outcome = await page.evaluate(async () => {
    const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
    const { DEFAULT_HIDE_SETTINGS } = await import(/* @vite-ignore */ '/src/core/settings.ts' as string);
    const file = (window as unknown as { __files: File[] }).__files[0];
    const info = await e.probeVideo(file);
    const { acceptedCapacity, payloadCapacity } = await import(/* @vite-ignore */ '/src/core/capacity.ts' as string);
    // Random bytes (compression cannot shrink them), twice what the video holds at full capacity.
    const bytes = new Uint8Array(2 * payloadCapacity(info.geometry, DEFAULT_HIDE_SETTINGS) + 1000);
    for (let o = 0; o < bytes.length; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
    // What the default settings accept: adaptive embedding within the stealth budget.
    const available = acceptedCapacity(info.geometry, DEFAULT_HIDE_SETTINGS);
    const started = performance.now();
    try {
      await e.hideInVideo({ file, info, payload: { message: '', files: [{ name: 'big.bin', type: '', bytes }] }, password: 'pw', settings: DEFAULT_HIDE_SETTINGS, output: 'lossless' });
      return { name: 'finished', message: '', available, needed: 0, availableBytes: 0, seconds: 0, payloadBytes: bytes.length };
    } catch (err) {
      const x = err as Error & { kind?: string; neededBytes?: number; availableBytes?: number };
      return { name: x.name, kind: x.kind, message: x.message, needed: x.neededBytes, availableBytes: x.availableBytes, available, seconds: (performance.now() - started) / 1000, payloadBytes: bytes.length };
    }
  });
  expect(outcome.name).toBe('PayloadTooLargeError');
  expect(outcome.kind).toBe('payload-too-large');
  // Exactly what this video holds with these settings, and at least the random bytes themselves (they do not compress).
  expect(outcome.availableBytes).toBe(outcome.available);
  expect(outcome.needed).toBeGreaterThanOrEqual(outcome.payloadBytes);
  // Above the stealth budget: the words say so, and name full capacity as the choice that holds more.
  expect(outcome.message).toBe(
    await wordsFor(page, 'payload-too-large', {
      neededBytes: outcome.needed,
      availableBytes: outcome.available,
      hint:
        'That is more than this video hides within its stealth budget, the most that stays hard to detect. ' +
        'Shorten the message, remove files or use a longer video; or choose full capacity, which is easier to detect.',
    }),
  );
  expect(outcome.message).toContain(`need ${outcome.needed} bytes but this video holds ${outcome.available} bytes`);
  expect(await listJobs(page)).toEqual([]);
});

test('wrong password, lossy re-encode and a cut-short copy: one plain answer each, never garbage', async ({ page }) => {
  await openEngine(page);
  await clearJobs(page);
  await pickFiles(page, [join(FIXTURES, 'mdn_flower.mp4')]);
  const r = await hideAndReveal(page, 'the real message', 2000);
  expect(r.revealedMessage).toBe('the real message');
  const stego = join(work, r.outputName);
  await saveLastOutput(page, stego);

  await pickFiles(page, [stego]);
  const wrong = await revealOutcome(page, 'not the password');
  expect(wrong.name).toBe('NothingFoundError');
  expect(wrong.kind).toBe('nothing-found');
  expect(wrong.message).toBe(await wordsFor(page, 'nothing-found'));

  // The same stego video through a high-quality lossy encoder, as a messenger app would.
  const core = await loadFFmpegCore();
  core.FS.writeFile('/stego.mkv', readFileSync(stego));
  run(core, ['-i', '/stego.mkv', '-map', '0', '-c:v', 'libx264', '-crf', '12', '-preset', 'ultrafast', '-c:a', 'copy', '/lossy.mp4']);
  const lossy = join(work, 'lossy.mp4');
  writeFileSync(lossy, core.FS.readFile('/lossy.mp4'));
  await pickFiles(page, [lossy]);
  const gone = await revealOutcome(page, 'correct horse battery staple');
  // A re-encoded copy looks like any video without hidden data: the same answer as a wrong password.
  expect(gone.name).toBe('NothingFoundError');
  expect(gone.kind).toBe('nothing-found');
  expect(gone.message).toBe(wrong.message);

  const bytes = readFileSync(stego);
  const half = join(work, 'half.mkv');
  writeFileSync(half, bytes.subarray(0, bytes.length >> 1));
  await pickFiles(page, [half]);
  const cut = await revealOutcome(page, 'correct horse battery staple');
  expect(cut.name).toBe('UnsupportedInputError');
  expect(cut.kind).toBe('unsupported-input');
  expect(cut.message).toMatch(/^This video is cut short: the file holds only (49|50)% of what its own header says it has\./);
});
