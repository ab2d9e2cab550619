/**
 * A decoy as a person adds one on the built app, with the default
 * (adaptive) settings: "Add a decoy" is collapsed until opened; its
 * password must differ from the real one; the hide runs through the same
 * format and through the lossless copy; the saved video reveals, through
 * the UI, the real message and file byte-exact with the real password, only
 * the decoy's message with the decoy's, and the plain nothing-found answer
 * with any other. Nothing the app shows or stores afterwards mentions the
 * decoy. A decoy too large for the video is refused in plain words, and the
 * next hide works.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { FIXTURES, ROUND_TRIP, SMALL, fillRoundTrip, hideAndSaveFilled, revealExactly, useDownloadsForSaving } from './app-helpers.ts';

const downloads = mkdtempSync(join(tmpdir(), 'vidstega-decoy-'));
const WEBM = join(FIXTURES, 'mdn_stream-of-water.webm');
const DECOY = { password: 'sunflower-meadow-17-kettle', message: 'Shopping: bread, milk, two lemons. Call grandma on Sunday.' };

test.describe.configure({ timeout: 300_000 });

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

const decoySection = (page: Page) => page.locator('details.decoy');

/** Opens "Add a decoy" and types its message and password (confirmed). */
async function addDecoy(page: Page, message: string, password: string): Promise<void> {
  const section = decoySection(page);
  await expect(section).not.toHaveAttribute('open');
  await expect(page.getByLabel('Decoy message')).toBeHidden();
  await section.locator('summary').click();
  await page.getByLabel('Decoy message').fill(message);
  await page.getByLabel('Decoy password', { exact: true }).fill(password);
  await page.getByLabel('Confirm decoy password', { exact: true }).fill(password);
}

/** Reveals through the UI with `password`; the newest reveal job's card. */
async function reveal(page: Page, stego: string, password: string, status: 'done' | 'failed') {
  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const job = page.locator('li.job[data-kind="reveal"]').first();
  await expect(job).toHaveAttribute('data-status', /^(done|failed|cancelled)$/, { timeout: 240_000 });
  await expect(job).toHaveAttribute('data-status', status);
  return job;
}

/** Everything VidStega keeps in this browser: localStorage and idb-keyval's store, as text. */
async function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const local = JSON.stringify({ ...localStorage });
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('keyval-store');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    if (!db.objectStoreNames.contains('keyval')) return local;
    const all = await new Promise<unknown[]>((resolve, reject) => {
      const r = db.transaction('keyval').objectStore('keyval').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    return local + JSON.stringify(all);
  });
}

for (const { video, output, ext } of [
  { video: SMALL, output: 'same-format', ext: 'mp4' },
  { video: WEBM, output: 'lossless', ext: 'mkv' },
] as const) {
  test(`a decoy beside the message (${output}): each password reveals only its own, a third finds nothing, and nothing tells of the decoy`, async ({ page }) => {
    await fillRoundTrip(page, video);
    await addDecoy(page, DECOY.message, ROUND_TRIP.password);
    // The real password again: refused in plain words, and Hide waits.
    const hide = page.getByRole('button', { name: 'Hide', exact: true });
    await expect(page.getByTestId('decoy-error')).toHaveText('The decoy password must differ from the real password: each one reveals only its own message.');
    await expect(hide).toBeDisabled();
    await expect(page.getByText('Fix the decoy: The decoy password must differ from the real password')).toBeVisible();
    await page.getByLabel('Decoy password', { exact: true }).fill(DECOY.password);
    await expect(page.getByTestId('decoy-error')).toHaveText('Type the same decoy password in both decoy password fields.');
    await page.getByLabel('Confirm decoy password', { exact: true }).fill(DECOY.password);
    await expect(page.getByTestId('decoy-error')).toHaveCount(0);
    await expect(hide).toBeEnabled();

    const saved = await hideAndSaveFilled(page, downloads, `decoy-${output}`);
    expect(saved.name).toMatch(new RegExp(`-hidden\\.${ext}$`));
    // The result, the history and the browser's storage say nothing of a decoy.
    await expect(saved.job).not.toContainText(/decoy/i);
    const history = page.getByRole('region', { name: 'History' });
    await expect(history.locator('li').first()).toContainText('Done');
    await expect(history).not.toContainText(/decoy/i);
    const stored = await storedText(page);
    expect(stored).not.toContain(DECOY.password);
    expect(stored).not.toContain(DECOY.message);
    expect(stored.toLowerCase()).not.toContain('decoy');

    // The real password: the message and every byte of the file.
    await revealExactly(page, saved.path, downloads, `decoy-${output}`);
    // The decoy's: its message alone, no file.
    const fake = await reveal(page, saved.path, DECOY.password, 'done');
    await expect(fake.getByLabel('Hidden message')).toHaveValue(DECOY.message);
    await expect(fake.getByRole('button', { name: /^Save / })).toHaveCount(0);
    await expect(fake).not.toContainText(ROUND_TRIP.message);
    // Any other: the one plain answer.
    const neither = await reveal(page, saved.path, 'a-guess-at-the-password', 'failed');
    await expect(neither.getByRole('alert')).toHaveText(/^Nothing was found for this password\./);
    await expect(neither.getByLabel('Hidden message')).toHaveCount(0);
  });
}

test('a decoy too large for the video: plain words, nothing made, and the next hide works', async ({ page }) => {
  await fillRoundTrip(page, SMALL);
  // Random letters compress to about 6 bits each: 20,000 of them are far above what the same format of this video holds within the stealth budget (about 4.6 KB).
  const next = mulberry32(41);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .';
  const huge = Array.from({ length: 20_000 }, () => letters[Math.floor(next() * letters.length)]).join('');
  await addDecoy(page, huge, DECOY.password);
  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  const failed = page.locator('li.job[data-kind="hide"]').first();
  await expect(failed).toHaveAttribute('data-status', /^(done|failed|cancelled)$/, { timeout: 240_000 });
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed.getByRole('alert')).toHaveText(/^The decoy does not fit beside the message; make it smaller \(it needs [\d,]+ bytes and this video holds [\d,]+ bytes for it with these settings\)\.$/);
  await expect(failed.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);

  // A smaller decoy hides, and reveals.
  await page.getByLabel('Decoy message').fill(DECOY.message);
  const saved = await hideAndSaveFilled(page, downloads, 'decoy-retry');
  const fake = await reveal(page, saved.path, DECOY.password, 'done');
  await expect(fake.getByLabel('Hidden message')).toHaveValue(DECOY.message);
});
