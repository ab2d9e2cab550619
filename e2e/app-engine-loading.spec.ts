import { test, expect } from '@playwright/test';

// The page's own requests only: a service worker's fetches would pass the route by.
test.use({ serviceWorkers: 'block' });

test('when the video engine cannot be fetched, the page says so in plain words', async ({ page }) => {
  await page.route(/ffmpeg-core.*\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await expect(page.getByRole('alert').filter({ hasText: 'The video engine could not be loaded' })).toBeVisible({ timeout: 15_000 });
});

test('the download notice shows while the engine arrives, and goes once it has', async ({ page, context }) => {
  // A slow connection for the first part, so the notice is certainly there to be seen (on a fast one it
  // can come and go between two looks); then full speed, and the notice must go.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const throughput = async (bytesPerSecond: number) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: bytesPerSecond, uploadThroughput: -1 });
  await throughput(1024 * 1024);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '1. The video' })).toBeVisible();
  const notice = page.getByRole('status').filter({ hasText: 'Getting the video engine ready' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice.getByRole('progressbar', { name: 'Engine download' })).toBeVisible();
  await throughput(-1);
  await expect(notice).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByText('Getting the video engine ready')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
