import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The service worker precaches the whole content-hashed build, the ffmpeg core
 * and its wasm included, so the app works offline after the first visit. A new
 * version waits (no skipWaiting) until the person chooses "Reload".
 */
const pwa = VitePWA({
  strategies: 'generateSW',
  registerType: 'prompt',
  injectRegister: false, // src/state/app-update.svelte.ts registers it
  filename: 'sw.js',
  manifestFilename: 'manifest.webmanifest',
  includeAssets: ['icon.svg'],
  manifest: {
    id: '/',
    name: 'VidStega',
    short_name: 'VidStega',
    description: 'Hide an encrypted message or files inside a video, entirely on this device.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#11161c',
    theme_color: '#1f3b57',
    icons: [
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    // "Open with VidStega" for videos, once installed; the page reads them from window.launchQueue.
    file_handlers: [
      {
        action: '/',
        accept: {
          'video/*': ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mpg', '.mpeg', '.3gp', '.ogv'],
        },
      },
    ],
    launch_handler: { client_mode: 'focus-existing' },
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
    // The ffmpeg core's wasm is about 32 MB.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    cleanupOutdatedCaches: true,
    navigateFallback: 'index.html',
    skipWaiting: false,
    clientsClaim: false,
    sourcemap: false,
  },
});

// The ffmpeg core is self-hosted: it is bundled as an asset of the app, never
// fetched from a CDN, so the app works offline and makes no third-party request.
export default defineConfig({
  plugins: [svelte(), pwa],
  optimizeDeps: { exclude: ['@ffmpeg/core'] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: {
    headers: {
      // Cross-origin isolation, for SharedArrayBuffer and precise memory measurement.
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
