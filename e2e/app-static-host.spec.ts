/**
 * The built app on a plain static host (no COOP/COEP, no special headers of
 * any kind), at / and at a sub-path, as a new person would use it: the
 * first visit reloads once into cross-origin isolation, hide and reveal come
 * back byte-exact, and then the same again with the network cut.
 */
import { test, expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALL, chooseOutput, firstVisit, hideAndRevealExactly, loadsOf, logLoads, openVideo, useDownloadsForSaving } from './app-helpers.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

const DIST = join(import.meta.dirname, '../dist');
/** Ports of the static servers this spec starts (two in a row from here). */
const PORT = Number(process.env.E2E_STATIC_PORT ?? 4480);
const downloads = mkdtempSync(join(tmpdir(), 'vidstega-static-'));

test.describe.configure({ timeout: 600_000 });

/** Every request of the context (pages, workers and the service worker) that leaves the app's origin. */
function watchForeign(context: BrowserContext, origin: string): { foreign: string[]; fromServiceWorker: Request[] } {
  const seen = { foreign: [] as string[], fromServiceWorker: [] as Request[] };
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (r.serviceWorker()) seen.fromServiceWorker.push(r);
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) seen.foreign.push(r.url());
  });
  return seen;
}

async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const n of await caches.keys()) for (const req of await (await caches.open(n)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
}

for (const [i, prefix] of (['/', '/vidstega/'] as const).entries()) {
  test.describe(`served from ${prefix} by a plain static server`, () => {
    let server: StaticServer;
    test.beforeAll(async () => {
      server = await startStaticServer(DIST, PORT + i, prefix);
    });
    test.afterAll(async () => server.close());

    test('the web manifest: relative members that resolve inside this path, icons that load, share target and file handling', async ({ page }) => {
      await page.goto(server.url);
      const cdp = await page.context().newCDPSession(page);
      const { url, errors, data } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data: string };
      expect(url).toBe(`${server.url}manifest.webmanifest`);
      expect(errors).toEqual([]);
      const manifest = JSON.parse(data);
      expect(manifest.name).toBe('VidStega');
      expect(manifest.display).toBe('standalone');
      // Each copy is its own app: the id is the start URL, inside this path.
      const { appId } = (await cdp.send('Page.getAppId')) as { appId?: string };
      expect(appId).toBe(server.url);
      for (const member of [manifest.start_url, manifest.scope, manifest.file_handlers[0].action, manifest.share_target.action]) {
        expect(member).not.toMatch(/^\//);
        expect(new URL(member, url).href.startsWith(server.url)).toBe(true);
      }
      expect(manifest.file_handlers[0].accept['video/*']).toContain('.mp4');
      expect(manifest.share_target).toMatchObject({ method: 'POST', enctype: 'multipart/form-data', params: { files: [{ name: 'video' }] } });
      expect(manifest.share_target.params.files[0].accept).toContain('video/*');
      const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
      expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
      for (const icon of manifest.icons as { src: string; type: string }[]) {
        const r = await page.request.get(new URL(icon.src, url).href);
        expect(r.ok(), icon.src).toBe(true);
        expect(r.headers()['content-type']).toContain(icon.type.split('+')[0]);
      }
      // Nothing the page loaded was looked for outside the app's path.
      expect(server.requests.filter((r) => r.status === 404)).toEqual([]);
    });

    test('first visit reloads once into isolation; hide and reveal come back exactly; then the same offline', async ({ browser }) => {
      const context = await browser.newContext({ acceptDownloads: true });
      const seen = watchForeign(context, new URL(server.url).origin);
      await logLoads(context);
      const page = await context.newPage();
      await useDownloadsForSaving(page);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      await firstVisit(page, server.url);
      // The host sent no isolation headers: the service worker did.
      const direct = await page.request.get(server.url);
      expect(direct.headers()['cross-origin-embedder-policy']).toBeUndefined();
      expect(direct.headers()['cross-origin-opener-policy']).toBeUndefined();

      await hideAndRevealExactly(page, SMALL, downloads, `online-${i}`);

      // The service worker is active and has precached the app, the engine and its wasm included.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
      const cached = await cachedPaths(page);
      expect(cached.some((u) => new RegExp(`^${prefix}assets/ffmpeg-core-.*\\.wasm$`).test(u))).toBe(true);
      expect(cached.some((u) => new RegExp(`^${prefix}assets/engine\\.worker-.*\\.js$`).test(u))).toBe(true);
      expect(cached).toContain(`${prefix}index.html`);

      // Offline: the browser's network cut, and the host itself gone.
      await context.setOffline(true);
      await server.pause();
      await page.reload();
      await expect(page.getByRole('heading', { level: 1, name: 'VidStega' })).toBeVisible();
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await loadsOf(page)).toEqual([false, true, true]);
      await hideAndRevealExactly(page, SMALL, downloads, `offline-${i}`);
      await context.setOffline(false);
      await server.resume();

      // The zero-foreign-requests check sees the service worker's requests too (its precaching), and none left the origin.
      expect(seen.fromServiceWorker.length).toBeGreaterThan(0);
      expect(seen.foreign).toEqual([]);
      expect(errors).toEqual([]);
      expect(server.requests.filter((r) => r.status === 404)).toEqual([]);
      await context.close();
    });
  });
}

test.describe('where isolation is refused', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await startStaticServer(DIST, PORT + 2, '/');
  });
  test.afterAll(async () => server.close());

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`with service workers blocked the page says what is missing and what to do, and the same format and revealing still work (${colorScheme})`, async ({ browser }) => {
      const context = await browser.newContext({ serviceWorkers: 'block', colorScheme, acceptDownloads: true });
      await logLoads(context);
      const page = await context.newPage();
      await useDownloadsForSaving(page);
      await page.goto(server.url);
      const notice = page.getByRole('alert').filter({ hasText: 'Lossless copies cannot be made in this window' });
      await expect(notice).toBeVisible({ timeout: 15_000 });
      await expect(notice).toContainText('What is missing');
      await expect(notice).toContainText('open VidStega in a normal (not private) window');
      await expect(notice).toContainText('Hiding in the same format (H.264 MP4 and MOV videos), revealing, the history and the settings work here as usual.');

      // Opening and probing a video works.
      await openVideo(page, SMALL);
      await expect(page.getByRole('region', { name: 'About this video' })).toContainText('176 × 144');
      await page.getByLabel('Message', { exact: true }).fill('not today');
      await page.getByLabel('Password', { exact: true }).fill('pw-pw-pw-pw');
      await page.getByLabel('Confirm password', { exact: true }).fill('pw-pw-pw-pw');
      // The same format needs no shared memory: Hide is ready. A lossless copy waits, with the reason in plain words.
      const hide = page.getByRole('button', { name: 'Hide', exact: true });
      await expect(hide).toBeEnabled();
      await chooseOutput(page, 'lossless');
      await expect(hide).toBeDisabled();
      await expect(page.getByText('A lossless copy cannot be made in this window (see the notice at the top).')).toBeVisible();
      await chooseOutput(page, 'same-format');
      await expect(hide).toBeEnabled();
      // History and settings are there.
      await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
      await page.locator('summary', { hasText: 'Settings' }).click();
      await expect(page.getByText('Error correction').first()).toBeVisible();
      // The notice reads well for everyone.
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

      // Hiding in the same format and revealing work in this window, byte-exact.
      await hideAndRevealExactly(page, SMALL, downloads, `no-isolation-${colorScheme}`);

      // Never the engine's raw error, and no reload loop.
      await expect(page.locator('body')).not.toContainText('SharedArrayBuffer');
      expect(await loadsOf(page)).toEqual([false]);
      await context.close();
    });
  }
});
