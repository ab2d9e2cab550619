/**
 * A hide with a decoy in Chromium, one video per output path (the lossless
 * copy, the same format): the engine as the app's page calls it, with the
 * default settings (adaptive embedding, format v2). Each password reveals
 * its own payload byte for byte, a third password finds nothing, and the
 * hide changed no more frames than the two payloads' own.
 */
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES } from '../test-support/paths.ts';
import { clearJobs, openEngine, pickFiles } from './engine-harness.ts';

interface DecoyOutcome {
  readonly output: string;
  readonly container: string;
  readonly carrierFrames: number;
  readonly message: boolean;
  readonly decoy: boolean;
  readonly decoyFindsOnlyDecoy: boolean;
  readonly neither: string;
  readonly jobsLeft: string[];
}

/** Hides a message and a decoy in window.__files[0] (random bytes: nothing to compress), then reveals with each password. */
function hideWithDecoy(page: Page, output: 'same-format' | 'lossless', messageBytes: number, decoyBytes: number): Promise<DecoyOutcome> {
  return page.evaluate(
    async ({ output, messageBytes, decoyBytes }) => {
      const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
      const { DEFAULT_HIDE_SETTINGS } = await import(/* @vite-ignore */ '/src/core/settings.ts' as string);
      const { listJobs } = await import(/* @vite-ignore */ '/src/media/shared/job-files.ts' as string);
      const file = (window as unknown as { __files: File[] }).__files[0];
      const info = await e.probeVideo(file);
      const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
      const payload = { message: 'the real message', files: [{ name: 'evidence.bin', type: 'application/octet-stream', bytes: random(messageBytes) }] };
      const decoy = { password: 'an innocent password', payload: { message: 'holiday plans', files: [{ name: 'list.txt', type: 'text/plain', bytes: random(decoyBytes) }] } };
      const result = await e.hideInVideo({ file, info, payload, password: 'the real password', settings: DEFAULT_HIDE_SETTINGS, output, decoy });
      const same = (a: { message: string; files: { name: string; bytes: Uint8Array }[] }, b: typeof payload) =>
        a.message === b.message && a.files.length === 1 && a.files[0].name === b.files[0].name && a.files[0].bytes.length === b.files[0].bytes.length && a.files[0].bytes.every((x, i) => x === b.files[0].bytes[i]);
      const real = await e.revealFromVideo(result.file, 'the real password');
      const fake = await e.revealFromVideo(result.file, decoy.password);
      const neither = await e.revealFromVideo(result.file, 'a guess').then(
        () => 'found something',
        (err: Error) => err.name,
      );
      return {
        output: result.output,
        container: result.container,
        carrierFrames: result.carrierFrames.length,
        message: same(real, payload),
        decoy: same(fake, decoy.payload),
        decoyFindsOnlyDecoy: fake.message === decoy.payload.message && fake.files.length === 1,
        neither,
        jobsLeft: await listJobs(),
      };
    },
    { output, messageBytes, decoyBytes },
  );
}

test.describe('a decoy beside the message (Chromium)', () => {
  test.setTimeout(300_000);
  test.beforeEach(async ({ page }) => {
    await openEngine(page);
    await clearJobs(page);
  });

  test('the lossless copy (mdn_stream-of-water.webm)', async ({ page }) => {
    await pickFiles(page, [join(FIXTURES, 'mdn_stream-of-water.webm')]);
    const r = await hideWithDecoy(page, 'lossless', 4000, 600);
    expect(r.output).toBe('lossless');
    expect(r.message).toBe(true);
    expect(r.decoy).toBe(true);
    expect(r.decoyFindsOnlyDecoy).toBe(true);
    expect(r.neither).toBe('NothingFoundError');
    expect(r.carrierFrames).toBeGreaterThan(1);
  });

  test('the same format (mdn_flower.mp4)', async ({ page }) => {
    await pickFiles(page, [join(FIXTURES, 'mdn_flower.mp4')]);
    const r = await hideWithDecoy(page, 'same-format', 4000, 600);
    expect(r.output).toBe('same-format');
    expect(r.container).toBe('mp4');
    expect(r.message).toBe(true);
    expect(r.decoy).toBe(true);
    expect(r.decoyFindsOnlyDecoy).toBe(true);
    expect(r.neither).toBe('NothingFoundError');
    expect(r.carrierFrames).toBeGreaterThan(1);
  });
});
