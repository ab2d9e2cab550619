import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/** What "Open with" and "Share" hand VidStega, once installed. */
const VIDEO_TYPES = {
  'video/*': ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mpg', '.mpeg', '.3gp', '.ogv'],
};

/**
 * The service worker (src/sw/sw.ts) precaches the whole content-hashed build,
 * the ffmpeg core and its wasm included, so the app works offline after the
 * first visit; it also gives the app cross-origin isolation on hosts that send
 * no headers, and receives shared videos. A new version waits until the
 * person chooses "Reload".
 *
 * Every URL in the manifest is relative (to the manifest), and the build's
 * base is relative too, so the same build runs at / and at any sub-path.
 * `id` is left out on purpose: a relative id is resolved against the origin
 * alone, so two copies on one host would be one app; without it the id is the
 * start URL (at / that is exactly the "/" it used to be).
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/sw',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false, // src/state/app-update.svelte.ts registers it
  manifestFilename: 'manifest.webmanifest',
  includeAssets: ['icon.svg'],
  manifest: {
    name: 'VidStega',
    short_name: 'VidStega',
    description: 'Hide an encrypted message or files inside a video, entirely on this device.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#11161c',
    theme_color: '#1f3b57',
    icons: [
      { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    // "Open with VidStega" for videos; the page reads them from window.launchQueue.
    file_handlers: [{ action: './', accept: VIDEO_TYPES }],
    // "Share to VidStega": the service worker takes the POST (src/sw/share-target.ts).
    share_target: {
      action: './share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { files: [{ name: 'video', accept: ['video/*', ...VIDEO_TYPES['video/*']] }] },
    },
    launch_handler: { client_mode: 'focus-existing' },
  },
  injectManifest: {
    globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
    // The ffmpeg core's wasm is about 32 MB.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    // A classic script: module service workers are not in every browser yet.
    rollupFormat: 'iife',
  },
});

// The ffmpeg core is self-hosted: it is bundled as an asset of the app, never
// fetched from a CDN, so the app works offline and makes no third-party request.
export default defineConfig({
  base: './',
  plugins: [svelte(), pwa],
  optimizeDeps: { exclude: ['@ffmpeg/core'] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  // The development server and `vite preview` send the isolation headers
  // themselves (the development server has no service worker); a plain static
  // host needs none: the service worker adds them.
  server: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  preview: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
