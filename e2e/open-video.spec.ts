import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFFmpegCore, run } from '../test-support/ffmpeg-node.ts';

const FIXTURES = join(import.meta.dirname, '../test-fixtures');
/** The shared corpus beside the checkout (CI has it); the test that needs it fails loudly without it. */
const CORPUS = join(import.meta.dirname, '../../shared/videos');

test.describe('opening a video', () => {
  test('shows what is inside a phone video, read in place, with no request outside the app', async ({ page, baseURL }) => {
    const foreign: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== new URL(baseURL!).origin) foreign.push(r.url());
    });
    await page.goto('/');
    await page.getByLabel('Video').setInputFiles(join(FIXTURES, 'fluentffmpeg_IMG_0034.MOV'));
    const details = page.getByRole('region', { name: 'About this video' });
    await expect(details).toBeVisible({ timeout: 60_000 });
    await expect(details).toContainText('568 × 320');
    await expect(details).toContainText('rotated 180°');
    await expect(details).toContainText('h264');
    await expect(details).toContainText('audio: aac');
    expect(foreign).toEqual([]);
  });

  test('shows the data tracks of a GoPro video (shared corpus)', async ({ page }) => {
    expect(existsSync(CORPUS), `the shared video corpus is expected at ${CORPUS}`).toBe(true);
    await page.goto('/');
    await page.getByLabel('Video').setInputFiles(join(CORPUS, 'gopro_karma.mp4'));
    const details = page.getByRole('region', { name: 'About this video' });
    await expect(details).toBeVisible({ timeout: 60_000 });
    await expect(details).toContainText('854 × 480');
    await expect(details).toContainText('yuvj420p');
    await expect(details).toContainText('data:');
  });
});

test.describe('files that are not videos get plain words, and the app stays usable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vidstega-bad-'));

  test.beforeAll(async () => {
    writeFileSync(join(dir, 'empty.mp4'), new Uint8Array(0));
    writeFileSync(join(dir, 'random.mp4'), Uint8Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24));
    // A real PNG header and a little body, renamed .mp4.
    writeFileSync(join(dir, 'picture.mp4'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2f8e8f80000000049454e44ae426082', 'hex'));
    const whole = readFileSync(join(FIXTURES, 'mdn_flower.mp4'));
    writeFileSync(join(dir, 'truncated.mp4'), whole.subarray(0, whole.length >> 1));
    const core = await loadFFmpegCore();
    run(core, ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', '/sound.m4a']);
    writeFileSync(join(dir, 'sound.m4a'), core.FS.readFile('/sound.m4a'));
  });

  const cases: [string, RegExp][] = [
    ['empty.mp4', /empty \(0 bytes\)/],
    ['random.mp4', /could not be read as a video/],
    ['picture.mp4', /could not be read as a video|cannot hide data in/],
    ['sound.m4a', /sound but no picture/],
  ];
  for (const [name, message] of cases) {
    test(`${name}`, async ({ page }) => {
      await page.goto('/');
      await page.getByLabel('Video').setInputFiles(join(dir, name));
      await expect(page.getByRole('alert')).toContainText(message, { timeout: 60_000 });
      // Still usable: a good video opens right after.
      await page.getByLabel('Video').setInputFiles(join(FIXTURES, 'decord_video_0.mov'));
      await expect(page.getByRole('region', { name: 'About this video' })).toContainText('568 × 320', { timeout: 60_000 });
    });
  }

  test('a truncated MP4', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Video').setInputFiles(join(dir, 'truncated.mp4'));
    await expect(page.getByRole('alert')).toContainText(/cut short or damaged: only \d+ of its \d+ frames/, { timeout: 60_000 });
  });
});
