import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { payloadCapacity } from '../src/core/capacity.ts';
import { yuvGeometry } from '../src/core/geometry.ts';
import { DEFAULT_HIDE_SETTINGS } from '../src/core/settings.ts';
import { bytesIn, chooseOutput, choosePassword, openSettings, openVideo, TINY } from './app-helpers.ts';
import type { Page } from '@playwright/test';

/** decord_video_0.mov: 3 frames of 568x320, yuv420p; 1 of its pictures is one no other depends on (the same format's only carrier). */
const tinyGeometry = yuvGeometry(568, 320, '420', 3);
/**
 * The meter's arithmetic of bits per sample, planes and error correction is
 * that of LSB matching, which these tests choose: adaptive embedding hides 1
 * bit per sample within a stealth budget (e2e/app-stealth.spec.ts).
 */
const MATCHING = { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const };
/** What a lossless copy of it holds. */
const capacity = (s: Partial<typeof DEFAULT_HIDE_SETTINGS>) => payloadCapacity(tinyGeometry, { ...MATCHING, ...s });
/** What it holds in the same format: its one carrier picture. */
const sameFormatCapacity = (s: Partial<typeof DEFAULT_HIDE_SETTINGS>) => payloadCapacity({ ...tinyGeometry, frameCount: 1 }, { ...MATCHING, ...s });

async function chooseMatching(page: Page): Promise<void> {
  await openSettings(page);
  await page.getByRole('radio', { name: /^LSB matching/ }).check();
}
/** Container bytes of a message alone: version, message length, file count. */
const containerOf = (messageBytes: number) => 1 + 4 + messageBytes + 4;

test.describe('the Hide form', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
  });

  test('password: strength, Show, and a confirmation that must match', async ({ page }) => {
    const password = page.getByLabel('Password', { exact: true });
    const confirm = page.getByLabel('Confirm password', { exact: true });
    // The password's own strength line (the decoy section, collapsed, has one of its own).
    const strength = page.getByRole('region', { name: '3. A password' }).getByText(/^Strength:/);
    await expect(password).toHaveAttribute('type', 'password');

    await password.fill('password1');
    await expect(strength).toHaveText('Strength: Very weak');
    await expect(page.getByText('Use at least 12 characters')).toBeVisible();
    await password.fill('violet-harbour-42-lantern');
    await expect(strength).toHaveText('Strength: Very strong');
    await expect(page.getByText('Use at least 12 characters')).toHaveCount(0);

    const show = page.getByRole('button', { name: 'Show' });
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    await show.click();
    await expect(show).toHaveAttribute('aria-pressed', 'true');
    await expect(password).toHaveAttribute('type', 'text');
    await expect(confirm).toHaveAttribute('type', 'text');
    await show.click();
    await expect(password).toHaveAttribute('type', 'password');

    await openVideo(page, TINY);
    await page.getByLabel('Message', { exact: true }).fill('hello');
    await confirm.fill('violet-harbour-42-lanter');
    await expect(page.getByText('The two passwords do not match')).toBeVisible();
    await expect(confirm).toHaveAttribute('aria-invalid', 'true');
    const hide = page.getByRole('button', { name: 'Hide', exact: true });
    await expect(hide).toBeDisabled();
    await expect(page.getByText('Type the same password in both password fields.')).toBeVisible();
    await confirm.fill('violet-harbour-42-lantern');
    await expect(page.getByText('The two passwords do not match')).toHaveCount(0);
    await expect(hide).toBeEnabled();
  });

  test('the capacity meter follows the output, the message, the files and bits per sample', async ({ page }) => {
    await openVideo(page, TINY);
    await chooseMatching(page);
    // The same format, by default for this H.264 MOV, holds what its one carrier picture holds.
    expect(await bytesIn(page, 'capacity-total')).toBe(sameFormatCapacity({}));
    await openSettings(page);
    await page.getByLabel('2 bits per sample').check();
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(sameFormatCapacity({ bitsPerSample: 2 }));
    await page.getByLabel('1 bit per sample').check();
    await chooseOutput(page, 'lossless');
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(capacity({}));
    expect(capacity({})).toBeGreaterThan(2.9 * sameFormatCapacity({}));
    expect(await bytesIn(page, 'capacity-used')).toBe(containerOf(0));

    await page.getByLabel('Message', { exact: true }).fill('héllo'); // é is 2 bytes of UTF-8
    await expect.poll(() => bytesIn(page, 'capacity-used')).toBe(containerOf(6));
    const changedOneBit = await page.getByTestId('capacity-changed').innerText();

    await page.getByLabel('Add files').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1000, 97) });
    await expect(page.getByText('notes.txt')).toBeVisible();
    // Per file: 8 header bytes, the name, the MIME type, the contents.
    await expect.poll(() => bytesIn(page, 'capacity-used')).toBe(containerOf(6) + 8 + 'notes.txt'.length + 'text/plain'.length + 1000);
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    await expect(page.getByText('notes.txt')).toHaveCount(0);
    await expect.poll(() => bytesIn(page, 'capacity-used')).toBe(containerOf(6));

    await openSettings(page);
    await page.getByLabel('2 bits per sample').check();
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(capacity({ bitsPerSample: 2 }));
    expect(capacity({ bitsPerSample: 2 })).toBeGreaterThan(1.9 * capacity({}));
    await expect(page.getByTestId('capacity-changed')).not.toHaveText(changedOneBit);

    await page.getByLabel('Strong').check();
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(capacity({ bitsPerSample: 2, parityBytes: 64 }));
    await page.getByRole('checkbox', { name: 'U' }).uncheck();
    await page.getByRole('checkbox', { name: 'V' }).uncheck();
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(capacity({ bitsPerSample: 2, parityBytes: 64, planeMask: 1 }));
  });

  test('too much to hide in a lossless copy: how many bytes too many, what to do, and Hide is disabled', async ({ page }) => {
    await openVideo(page, TINY);
    await chooseMatching(page);
    await chooseOutput(page, 'lossless');
    await choosePassword(page, 'violet-harbour-42-lantern');
    const room = capacity({});
    const message = 'x'.repeat(room - containerOf(0) + 25);
    await page.getByLabel('Message', { exact: true }).fill(message);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Too large by 25 bytes.');
    await expect(alert).toContainText('shorten the message');
    await expect(alert).toContainText('choose 2 bits per sample');
    await expect(page.getByRole('button', { name: 'Hide', exact: true })).toBeDisabled();

    // Nothing is lost: the message is still there, and a stronger setting makes it fit.
    await openSettings(page);
    await page.getByLabel('2 bits per sample').check();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Hide', exact: true })).toBeEnabled();
    await expect(page.getByLabel('Message', { exact: true })).toHaveValue(message);
  });

  test('too much even at full capacity with adaptive embedding: the remedies are the ones that apply to it', async ({ page }) => {
    await openVideo(page, TINY);
    await chooseOutput(page, 'lossless');
    await choosePassword(page, 'violet-harbour-42-lantern');
    const full = payloadCapacity(tinyGeometry, DEFAULT_HIDE_SETTINGS);
    await page.getByLabel('Message', { exact: true }).fill('x'.repeat(full - containerOf(0) + 25));
    const alert = page.getByRole('alert').filter({ hasText: 'To make it fit' });
    // Adaptive embedding hides 1 bit per sample: 2 bits are offered with LSB matching, not as a setting that would be refused.
    await expect(alert).toContainText('choose LSB matching with 2 bits per sample');
    await expect(page.getByRole('button', { name: 'Hide', exact: true })).toBeDisabled();
  });

  test('a frame list: it switches to the lossless copy, plain errors for what cannot be used, and the capacity of the frames chosen', async ({ page }) => {
    await openVideo(page, TINY);
    await chooseMatching(page);
    await expect(page.getByRole('radio', { name: /^Same format/ })).toBeChecked();
    await page.getByLabel('Only these frames').check();
    // Chosen frames need the lossless copy: the output switches, and says so beside the frames.
    await expect(page.getByRole('radio', { name: /^Lossless copy/ })).toBeChecked();
    await expect(page.getByRole('status').filter({ hasText: 'Chosen frames need the lossless copy, so Output is now “Lossless copy”.' })).toBeVisible();
    const list = page.getByLabel('Frame list');
    await expect(page.getByText('This video has frames 0-2.')).toBeVisible();
    await expect(page.getByText('Type the frames to use')).toBeVisible();

    await list.fill('0, x');
    await expect(page.getByText('“x” is not a frame number or a range like 10-20.')).toBeVisible();
    await expect(list).toHaveAttribute('aria-invalid', 'true');
    await list.fill('2-1');
    await expect(page.getByText('In “2-1” the first frame comes after the last.')).toBeVisible();
    await list.fill('1-5');
    await expect(page.getByText('Frames 1-5 are not all in this video, which has frames 0-2.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Hide', exact: true })).toBeDisabled();

    await list.fill('0-1');
    await expect(list).toHaveAttribute('aria-invalid', 'false');
    const twoFrames = capacity({ frames: { kind: 'ranges', ranges: [{ start: 0, count: 2 }] } });
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(twoFrames);
    expect(twoFrames).toBeLessThan(capacity({}));

    // Back to the same format: it chooses its own pictures, so frames go back to Automatic; the list stays typed.
    await chooseOutput(page, 'same-format');
    await expect(page.getByLabel('Automatic')).toBeChecked();
    await expect(page.getByRole('status').filter({ hasText: 'Frames (under Settings) is now Automatic.' })).toBeVisible();
    await expect.poll(() => bytesIn(page, 'capacity-total')).toBe(sameFormatCapacity({}));
    await page.getByLabel('Only these frames').check();
    await expect(page.getByLabel('Frame list')).toHaveValue('0-1');
  });

  test('settings are remembered across a reload, passwords are not', async ({ page }) => {
    await openSettings(page);
    await page.getByLabel('128-bit').check();
    await page.getByLabel('Strong').check();
    await page.getByLabel('LSB replacement').check();
    await page.getByLabel('2 bits per sample').check();
    await page.getByRole('checkbox', { name: 'V' }).uncheck();
    await page.getByLabel('Only these frames').check();
    await page.getByLabel('Frame list').fill('0-99, 150');
    await choosePassword(page, 'violet-harbour-42-lantern');
    await page.getByLabel('Message', { exact: true }).fill('the secret message');

    await page.reload();
    await openSettings(page);
    await expect(page.getByLabel('128-bit')).toBeChecked();
    await expect(page.getByLabel('Strong')).toBeChecked();
    await expect(page.getByLabel('LSB replacement')).toBeChecked();
    await expect(page.getByLabel('2 bits per sample')).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Y' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'V' })).not.toBeChecked();
    await expect(page.getByLabel('Frame list')).toHaveValue('0-99, 150');
    await expect(page.getByRole('radio', { name: /^Lossless copy/ })).toBeChecked();
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Message', { exact: true })).toHaveValue('');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('0-99, 150');
    expect(stored).not.toContain('violet-harbour');
    expect(stored).not.toContain('the secret message');

    await page.getByRole('button', { name: 'Restore the defaults' }).click();
    await page.reload();
    await openSettings(page);
    await expect(page.getByLabel('256-bit')).toBeChecked();
    await expect(page.getByLabel('1 bit per sample')).toBeChecked();
    await expect(page.getByLabel('Automatic')).toBeChecked();
    await expect(page.getByRole('radio', { name: /^Same format/ })).toBeChecked();
  });

  test('switching to Reveal and back keeps what was typed and picked', async ({ page }) => {
    await openVideo(page, TINY);
    await page.getByLabel('Message', { exact: true }).fill('kept');
    await page.getByLabel('Add files').setInputFiles({ name: 'a.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10) });
    await choosePassword(page, 'pw-kept-here');
    await page.getByRole('tab', { name: 'Reveal' }).click();
    await expect(page.getByLabel('Message', { exact: true })).toHaveCount(0);
    await page.getByRole('tab', { name: 'Hide' }).click();
    await expect(page.getByLabel('Message', { exact: true })).toHaveValue('kept');
    await expect(page.getByText('a.bin')).toBeVisible();
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('pw-kept-here');
    await expect(page.getByRole('region', { name: 'About this video' })).toContainText('568 × 320');
  });
});

test('the history keeps finished jobs across a reload until it is cleared', async ({ page }) => {
  await page.goto('/');
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('No finished jobs yet.');
  await expect(page.getByRole('button', { name: 'Clear history' })).toBeDisabled();

  // Revealing from a file that is not a video fails at once, in plain words, and is recorded.
  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles({ name: 'notes.mkv', mimeType: 'video/x-matroska', buffer: Buffer.from('not a video at all') });
  await page.getByLabel('Password', { exact: true }).fill('the-password-used');
  await page.getByRole('button', { name: 'Reveal', exact: true }).click();
  const job = page.locator('li.job').first();
  await expect(job).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(job.getByRole('alert')).not.toBeEmpty();
  await expect(history.locator('li')).toHaveCount(1);
  await expect(history).toContainText('Revealed from notes.mkv');
  await expect(history).toContainText('Failed');

  await page.reload();
  await expect(history.locator('li')).toHaveCount(1);
  await expect(history).toContainText('Revealed from notes.mkv');
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('keyval').objectStore('keyval').getAll();
          req.onsuccess = () => resolve(JSON.stringify(req.result));
        };
      }),
  );
  expect(stored).toContain('notes.mkv');
  expect(stored).not.toContain('the-password-used');

  await page.getByRole('button', { name: 'Clear history' }).click();
  await expect(history).toContainText('No finished jobs yet.');
  await page.reload();
  await expect(history).toContainText('No finished jobs yet.');
});

test('a video dropped anywhere opens; other dropped or pasted files are added to hide', async ({ page }) => {
  await page.goto('/');
  const video = [...readFileSync(TINY)];
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.mov', { type: 'video/quicktime' }));
    dt.items.add(new File(['some notes'], 'notes.txt', { type: 'text/plain' }));
    const target = document.querySelector('footer, h1')!;
    target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, video);
  await expect(page.getByRole('region', { name: 'About this video' })).toContainText('dropped.mov', { timeout: 60_000 });
  await expect(page.getByRole('group', { name: 'Files to hide' })).toContainText('notes.txt');

  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a picture, say'], 'pasted.png', { type: 'image/png' }));
    document.body.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));
  });
  await expect(page.getByRole('group', { name: 'Files to hide' })).toContainText('pasted.png');
  await expect(page.getByRole('region', { name: 'About this video' })).toContainText('dropped.mov');
});
