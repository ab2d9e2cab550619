import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { choosePassword, fillRoundTrip, FIXTURES, openSettings, openVideo, SMALL, TINY } from './app-helpers.ts';
import { join } from 'node:path';

/** Serious and critical axe violations, summarised so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility, ${colorScheme}`, () => {
    test.use({ colorScheme });

    test('the Hide screen with a video open and the settings shown', async ({ page }) => {
      await page.goto('/');
      await openVideo(page, SMALL);
      await page.getByLabel('Message', { exact: true }).fill('A message');
      await choosePassword(page, 'short', 'different');
      await openSettings(page);
      await page.getByLabel('Only these frames').check();
      await page.getByLabel('Frame list').fill('0-5, x');
      await expect(page.getByText('“x” is not a frame number')).toBeVisible();
      await expect(page.getByText('The two passwords do not match')).toBeVisible();
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the output choice: a video that cannot take the same format, and the offer of the lossless copy', async ({ page }) => {
      await page.goto('/');
      await openVideo(page, join(FIXTURES, 'mdn_stream-of-water.webm'));
      await expect(page.getByText('Not for this video: This video is VP8;')).toBeVisible();
      await expect(page.getByRole('radio', { name: /^Same format/ })).toBeDisabled();
      expect(await seriousViolations(page)).toEqual([]);

      await openVideo(page, TINY);
      // More than its one carrier picture holds within the stealth budget (569 bytes), less than a lossless copy's three frames (1,768).
      await page.getByLabel('Add files').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1000, 7) });
      await expect(page.getByRole('button', { name: 'Use the lossless copy' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the stealth budget warning and the decoy section open, with its errors', async ({ page }) => {
      await page.goto('/');
      await openVideo(page, SMALL);
      await page.getByLabel('Message', { exact: true }).fill('A message');
      await choosePassword(page, 'violet-harbour-42-lantern');
      const noise = Buffer.from(Array.from({ length: 14_000 }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff));
      await page.getByLabel('Add files').setInputFiles({ name: 'evidence.bin', mimeType: 'application/octet-stream', buffer: noise });
      await expect(page.getByRole('button', { name: 'Use the full capacity' })).toBeVisible();
      await page.locator('summary', { hasText: 'Add a decoy' }).click();
      await page.getByLabel('Decoy message').fill('Shopping list');
      await page.getByLabel('Decoy password', { exact: true }).fill('violet-harbour-42-lantern');
      await page.getByLabel('Confirm decoy password', { exact: true }).fill('violet');
      await expect(page.getByText('The two passwords do not match')).toBeVisible();
      await openSettings(page);
      await expect(page.getByRole('radio', { name: /^Within the stealth budget/ })).toBeChecked();
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Use the full capacity' }).click();
      await expect(page.getByTestId('capacity-above')).toBeVisible();
      await page.getByLabel('Confirm decoy password', { exact: true }).fill('violet-harbour-42-lantern');
      await expect(page.getByTestId('decoy-error')).toContainText('must differ from the real password');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the Reveal screen', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('tab', { name: 'Reveal' }).click();
      await page.getByLabel('Video', { exact: true }).setInputFiles(SMALL);
      await page.getByLabel('Password', { exact: true }).fill('a password');
      await expect(page.getByRole('button', { name: 'Reveal', exact: true })).toBeEnabled();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the Analyze screen with a verdict, its chart, the readout and the table', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('tab', { name: 'Analyze' }).click();
      await page.getByLabel('Video', { exact: true }).setInputFiles(SMALL);
      await expect(page.getByTestId('analysis-verdict')).toBeVisible({ timeout: 120_000 });
      await page.getByTestId('score-chart').focus();
      await page.keyboard.press('End');
      await page.getByText("Every frame's readings as a table").click();
      await page.getByText('What each detector looks at').click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('radio', { name: 'Residual noise' }).check();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("a hide's result with the check of its carrier frames", async ({ page }) => {
      test.setTimeout(240_000);
      await page.goto('/');
      await fillRoundTrip(page, SMALL);
      await page.getByRole('button', { name: 'Hide', exact: true }).click();
      const check = page.locator('li.job').first().getByTestId('carrier-check');
      await expect(check).toHaveAttribute('data-status', 'done', { timeout: 200_000 });
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test('every control can be reached and used from the keyboard', async ({ page }) => {
  await page.goto('/');
  const hideTab = page.getByRole('tab', { name: 'Hide' });
  await hideTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Reveal' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Reveal' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('The video with hidden data');
  await page.keyboard.press('Home');
  await expect(hideTab).toBeFocused();
  await expect(hideTab).toHaveAttribute('aria-selected', 'true');
  // Tab moves from the tab list into the panel; the settings open with Enter on their summary.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Video', { exact: true })).toBeFocused();
  const summary = page.locator('summary', { hasText: 'Settings' });
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('2 bits per sample')).toBeVisible();
  // The output is a radio group: arrow keys move between its choices and choose.
  const same = page.getByRole('radio', { name: /^Same format/ });
  await same.focus();
  await expect(same).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^Lossless copy/ })).toBeFocused();
  await expect(page.getByRole('radio', { name: /^Lossless copy/ })).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(same).toBeChecked();
  // A visible focus ring.
  await page.getByLabel('2 bits per sample').focus();
  await page.keyboard.press('Space');
  await expect(page.getByLabel('2 bits per sample')).toBeChecked();
  const outline = await page.getByLabel('2 bits per sample').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
});
