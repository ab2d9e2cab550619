import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run against the production build (`vite preview`), in
 * Debian's Chromium: Playwright's own browser download is not used.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Ports of the production preview and the dev server; set them to run two checkouts' tests side by side. */
const previewPort = Number(process.env.E2E_PREVIEW_PORT ?? 4173);
const devPort = Number(process.env.E2E_DEV_PORT ?? 5173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${previewPort}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    {
      command: `npx vite preview --port ${previewPort} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${previewPort}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    // The engine specs load the engine's modules directly (e2e/engine-harness.ts).
    {
      command: `npx vite --port ${devPort} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${devPort}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
