import { test, expect } from '@playwright/test';

// The page's own requests only: a service worker's fetches would pass the route by.
test.use({ serviceWorkers: 'block' });

test('when the video engine cannot be fetched, the page says so in plain words', async ({ page }) => {
  await page.route(/ffmpeg-core.*\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await expect(page.getByRole('alert').filter({ hasText: 'The video engine could not be loaded' })).toBeVisible({ timeout: 15_000 });
});

test('once the engine has arrived, no download notice remains', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '1. The video' })).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByText('Getting the video engine ready')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
});
