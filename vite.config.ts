import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The ffmpeg core is self-hosted: it is bundled as an asset of the app, never
// fetched from a CDN, so the app works offline and makes no third-party request.
export default defineConfig({
  plugins: [svelte()],
  optimizeDeps: { exclude: ['@ffmpeg/ffmpeg', '@ffmpeg/util', '@ffmpeg/core'] },
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
