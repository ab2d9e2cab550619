import { test, expect } from '@playwright/test';

test('the built app renders and makes no request outside its origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) foreign.push(req.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'VidStega' })).toBeVisible();
  await expect(page.getByText('Everything stays on this device')).toBeVisible();
  await page.waitForLoadState('networkidle');

  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});
