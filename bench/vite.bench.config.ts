/**
 * The benchmark's build: the app's own Vite settings, with one page of the
 * benchmark's (bench/engine-page/) as the only input and no service worker,
 * so the engine runs exactly as bundled for production.
 */
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import app from '../vite.config.ts';

export default defineConfig({
  ...app,
  plugins: [svelte()],
  build: {
    ...app.build,
    outDir: 'bench-results/dist-bench',
    emptyOutDir: true,
    rollupOptions: { input: 'bench/engine-page/index.html' },
  },
});
