/**
 * Videos from outside the page, as the installed app receives them: shared
 * to it (a multipart POST to the share target, which the service worker
 * takes; the static host never sees it) and opened with it (the launch
 * queue). Both land on the Hide screen; Reveal is one click away.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SMALL, firstVisit, logLoads } from './app-helpers.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

const DIST = join(import.meta.dirname, '../dist');
const PORT = Number(process.env.E2E_STATIC_PORT ?? 4480) + 4;
const NAME = basename(SMALL);

test.describe.configure({ timeout: 180_000 });

let server: StaticServer;
test.beforeAll(async () => {
  server = await startStaticServer(DIST, PORT, '/vidstega/');
});
test.afterAll(async () => server.close());

test('a video shared to VidStega lands on the Hide screen, and can go to Reveal instead', async ({ context, page }) => {
  await logLoads(context);
  await firstVisit(page, server.url);
  // What the browser does for "Share → VidStega": a form POST to the manifest's share_target.
  await page.goto('about:blank');
  await page.setContent(
    `<form method="post" enctype="multipart/form-data" action="${server.url}share-target"><input type="file" name="video"><button>Share</button></form>`,
  );
  await page.locator('input[type=file]').setInputFiles(SMALL);
  await page.getByRole('button', { name: 'Share' }).click();

  const about = page.getByRole('region', { name: 'About this video' });
  await expect(about).toBeVisible({ timeout: 60_000 });
  await expect(about).toContainText('176 × 144');
  await expect(page.getByRole('tab', { name: 'Hide' })).toHaveAttribute('aria-selected', 'true');
  const notice = page.getByRole('status').filter({ hasText: `${NAME} was shared with VidStega` });
  await expect(notice).toBeVisible();
  // The address no longer carries the share, and the inbox is empty again.
  expect(page.url()).toBe(server.url);
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('vidstega-share');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('inbox').objectStore('inbox').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(left).toBe(0);
  // The host never saw the POST: the service worker took it.
  expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);

  await notice.getByRole('button', { name: 'Reveal from it instead' }).click();
  await expect(page.getByRole('tab', { name: 'Reveal' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(`Chosen: ${NAME}`)).toBeVisible();
});

test('a video opened with VidStega (the launch queue) lands on the Hide screen', async ({ context, page }) => {
  // The launch queue as the installed app has it; the test hands it a real file handle.
  await context.addInitScript(() => {
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: { setConsumer: (consumer: unknown) => ((window as unknown as { launchConsumer: unknown }).launchConsumer = consumer) },
    });
  });
  await logLoads(context);
  await firstVisit(page, server.url);
  await page.waitForFunction(() => typeof (window as unknown as { launchConsumer?: unknown }).launchConsumer === 'function');
  await page.evaluate(
    async ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(bytes);
      await writable.close();
      (window as unknown as { launchConsumer: (p: { files: FileSystemHandle[] }) => void }).launchConsumer({ files: [handle] });
    },
    { base64: readFileSync(SMALL).toString('base64'), name: NAME },
  );
  const about = page.getByRole('region', { name: 'About this video' });
  await expect(about).toBeVisible({ timeout: 60_000 });
  await expect(about).toContainText('176 × 144');
  await expect(page.getByRole('status').filter({ hasText: `${NAME} was opened with VidStega` })).toBeVisible();
});
