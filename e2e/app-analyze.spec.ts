/**
 * The Analyze screen and the check after a hide, on the built app as a
 * person uses them: a clean video's verdict, its chart (one mark per frame
 * analysed, read from the keyboard and the pointer), a same-format output's
 * raw pictures, Cancel, a file that is not a video, and the check after a
 * hide with the original's and the output's frames side by side.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, LARGER, SMALL, hideAndSave, useDownloadsForSaving } from './app-helpers.ts';

const downloads = mkdtempSync(join(tmpdir(), 'vidstega-analyze-'));
/** 77 frames of 640x480 camera video that the calibration reads as clean. */
const CLEAN = join(FIXTURES, 'intel_asl_again.mkv');

test.describe.configure({ timeout: 240_000 });

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

async function analyse(page: Page, path: string | { name: string; mimeType: string; buffer: Buffer }): Promise<Locator> {
  await page.getByRole('tab', { name: 'Analyze' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(path);
  const run = page.getByTestId('analysis');
  await expect(run).toHaveAttribute('data-status', /done|failed|cancelled/, { timeout: 180_000 });
  return run;
}

/** The readout's numbers for one detector ("0.012 luma, 0.020 colour"). */
async function readoutOf(page: Page, name: string): Promise<string> {
  const item = page.getByTestId('chart-readout').locator('li', { hasText: `${name}:` });
  return (await item.innerText()).replace(`${name}:`, '').trim();
}

test('a clean camera video: the plain verdict, one mark per frame analysed, and each frame read from the keyboard and the pointer', async ({ page }) => {
  // The Analyze tab is reached like the others, with the arrow keys.
  await page.getByRole('tab', { name: 'Reveal' }).click();
  await page.getByRole('tab', { name: 'Reveal' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Analyze' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('Look for hidden data in a video');

  const run = await analyse(page, CLEAN);
  await expect(run).toHaveAttribute('data-status', 'done');
  const verdict = page.getByTestId('analysis-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'clean');
  await expect(verdict).toContainText('No sign of hidden data in the frames looked at.');
  await expect(verdict).toContainText('Looked at all 77 frames: none flagged.');
  await expect(page.getByTestId('raw-pictures')).toHaveCount(0);
  await expect(run).toContainText('A clean reading is not proof that nothing is hidden');

  const chart = page.getByTestId('score-chart');
  const marks = chart.locator('.mark');
  await expect(marks).toHaveCount(77);
  await expect(chart.locator('.mark[data-verdict="clean"]')).toHaveCount(77);
  expect(await marks.evaluateAll((ms) => ms.map((m) => Number(m.getAttribute('data-frame'))))).toEqual(Array.from({ length: 77 }, (_, i) => i));
  await expect(chart.getByTestId('flag-line')).toHaveCount(1);

  // The keyboard: End, then one back; the chart's active mark says the same as the readout.
  await chart.focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('chart-readout')).toContainText('Frame 76: clean.');
  await page.keyboard.press('ArrowLeft');
  const readout = page.getByTestId('chart-readout');
  await expect(readout).toContainText('Frame 75: clean.');
  const active = await chart.getAttribute('aria-activedescendant');
  await expect(page.locator(`[id="${active}"]`)).toHaveAttribute('aria-label', /^Frame 75: clean, flagged by none\. Structural rate /);
  await page.keyboard.press('Home');
  await expect(readout).toContainText('Frame 0: clean.');

  // One detector's own scores: luma and colour marks, two flag lines, and the numbers match the table's row.
  await page.getByRole('radio', { name: 'Residual noise' }).check();
  await expect(chart.getByTestId('flag-line')).toHaveCount(2);
  await expect(marks.first().locator('path')).toHaveCount(2);
  await chart.focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await expect(readout).toContainText('Frame 40: clean.');
  const residual = await readoutOf(page, 'Residual noise');
  expect(residual).toMatch(/^-?\d+\.\d\d luma, -?\d+\.\d\d colour$/);
  await page.getByText("Every frame's readings as a table").click();
  const row = page.getByRole('region', { name: 'Readings per frame' }).locator('tbody tr').nth(40);
  await expect(row.locator('th')).toHaveText('40');
  const [luma, colour] = residual.replace(' colour', '').split(' luma, ');
  await expect(row).toContainText(`${luma} / ${colour}`);

  // The pointer: over frame 60's mark, the readout follows.
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.locator('.mark[data-frame="60"] path').last().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(readout).toContainText('Frame 60: clean.');
});

test('a same-format output reports its raw pictures; the check after the hide reads its carrier frames beside the original’s', async ({ page }) => {
  const saved = await hideAndSave(page, SMALL, downloads, 'analyze-same');
  const summary = await saved.job.getByTestId('result-summary').innerText();
  const rewritten = Number(/(\d+) pictures? rewritten raw/.exec(summary)![1]);
  expect(rewritten).toBeGreaterThan(0);

  // The check starts by itself once the result is shown, and can be cancelled and run again.
  const check = saved.job.getByTestId('carrier-check');
  await expect(check).toHaveAttribute('data-status', 'running', { timeout: 10_000 });
  await check.getByRole('button', { name: 'Cancel the check' }).click();
  await expect(check).toHaveAttribute('data-status', 'cancelled');
  await expect(check).toContainText('Check cancelled.');
  await check.getByRole('button', { name: 'Run the check' }).click();
  await expect(check).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  // Both columns, one row per carrier frame, every frame read on both sides.
  const original = check.getByTestId('original-verdict');
  const output = check.getByTestId('output-verdict');
  await expect(output).toHaveCount(Math.min(40, rewritten));
  await expect(original).toHaveCount(Math.min(40, rewritten));
  const words = /^(clean|suspicious|likely hidden data)$/;
  for (const v of [...(await original.allInnerTexts()), ...(await output.allInnerTexts())]) expect(v).toMatch(words);
  // The summary counts what the table shows.
  const count = (list: string[], word: string) => list.filter((v) => v === word).length;
  const out = await output.allInnerTexts();
  const lines = await check.getByTestId('check-summary').innerText();
  const carrying = out.length === 1 ? 'The frame that carries the data reads as' : `The ${out.length} frames that carry the data read as`;
  expect(lines.startsWith(carrying)).toBe(true);
  const outPart = /reads? as (.*); the same frames of the original read as/.exec(lines)![1];
  for (const word of ['likely hidden data', 'suspicious', 'clean']) {
    const n = count(out, word);
    if (n > 0) expect(outPart).toContain(out.length === 1 ? word : n === out.length ? `all ${n} ${word}` : `${n} ${word}`);
    else expect(outPart).not.toContain(word);
  }
  const stored = rewritten === 1 ? '1 picture is stored raw' : `${rewritten} pictures are stored raw`;
  expect(lines).toContain(`In the new video, ${stored}, which ordinary encoders never do`);

  // The saved video on the Analyze screen: its raw pictures, counted as the hide wrote them.
  await analyse(page, saved.path);
  await expect(page.getByTestId('raw-pictures')).toHaveText(
    `${stored}, which ordinary encoders never do: a sign the video was rewritten, for example by VidStega's same-format output.`,
  );
  // The original has none.
  await analyse(page, SMALL);
  await expect(page.getByTestId('analysis-verdict')).toBeVisible();
  await expect(page.getByTestId('raw-pictures')).toHaveCount(0);
});

test('Cancel stops an analysis at once; a video dropped on the Analyze screen is analysed', async ({ page }) => {
  await page.getByRole('tab', { name: 'Analyze' }).click();
  await page.getByLabel('Video', { exact: true }).setInputFiles(LARGER);
  const run = page.getByTestId('analysis');
  await expect(run).toContainText(/Frame \d+ of 120/, { timeout: 60_000 });
  await run.getByRole('button', { name: 'Cancel' }).click();
  await expect(run).toHaveAttribute('data-status', 'cancelled');
  await expect(run).toContainText('Cancelled.');
  await page.waitForTimeout(1500);
  await expect(run).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('analysis-verdict')).toHaveCount(0);

  // Dropped anywhere on the page while the Analyze screen is open.
  const video = [...readFileSync(CLEAN)];
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.mkv', { type: 'video/x-matroska' }));
    const target = document.querySelector('h1')!;
    target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, video);
  await expect(run.getByRole('heading', { name: 'dropped.mkv' })).toBeVisible();
  await expect(run).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('score-chart').locator('.mark')).toHaveCount(77);
});

test('a file that is not a video gets the plain error', async ({ page }) => {
  const run = await analyse(page, { name: 'notes.mp4', mimeType: 'video/mp4', buffer: Buffer.from('These are my notes, not a video.') });
  await expect(run).toHaveAttribute('data-status', 'failed');
  await expect(run.getByRole('alert')).toHaveText(/^This file could not be read as a video\. It may be damaged, cut short, or not a video at all\./);
  await expect(page.getByTestId('score-chart')).toHaveCount(0);
});
