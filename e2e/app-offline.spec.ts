import { test, expect } from '@playwright/test';
import { SMALL, openVideo } from './app-helpers.ts';

test.describe.configure({ timeout: 180_000 });

test('the web manifest names the app, its icons, standalone display and video file handling', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.ok()).toBe(true);
  const manifest = await res.json();
  expect(manifest.name).toBe('VidStega');
  expect(manifest.display).toBe('standalone');
  expect(manifest.file_handlers[0].accept['video/*']).toContain('.mp4');
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const r = await request.get(icon.src);
    expect(r.ok(), icon.src).toBe(true);
    expect(r.headers()['content-type']).toContain(icon.type.split('+')[0]);
  }
});

test('after the first visit the app, the engine included, works offline', async ({ page, context, baseURL }) => {
  const foreign: string[] = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== new URL(baseURL!).origin) foreign.push(r.url());
  });
  await page.goto('/');
  // The service worker activates once everything, the 32 MB ffmpeg wasm included, is precached.
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state;
  });
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const n of names) for (const req of await (await caches.open(n)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached.some((u) => /ffmpeg-core-.*\.wasm$/.test(u))).toBe(true);
  expect(cached.some((u) => /engine\.worker-.*\.js$/.test(u))).toBe(true);
  expect(cached).toContain('/index.html');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'VidStega' })).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await openVideo(page, SMALL);
  await expect(page.getByRole('region', { name: 'About this video' })).toContainText('176 × 144');
  await context.setOffline(false);
  expect(foreign).toEqual([]);
});
