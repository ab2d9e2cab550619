import { mount } from 'svelte';
import App from './ui/App.svelte';
import { AppUpdate } from './state/app-update.svelte.ts';
import { preloadEngine } from './state/engine-client.ts';
import { engineStatus } from './state/engine-status.svelte.ts';
import { isolation } from './state/isolation.svelte.ts';
import './ui/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');

const update = new AppUpdate();
// The service worker exists only in the production build (it precaches the
// built files); it also makes the page cross-origin isolated on any host.
// The development server sends the isolation headers itself.
void (import.meta.env.PROD ? update.register('sw.js') : Promise.resolve(undefined)).then((registration) => isolation.setUp(registration));

const app = mount(App, { target, props: { update } });

// After the first paint, fetch the media engine (its code, and the ffmpeg core with its progress shown).
const warm = () => {
  preloadEngine();
  engineStatus.start();
};
if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 3000 });
else setTimeout(warm, 1000);

export default app;
