import { mount } from 'svelte';
import App from './ui/App.svelte';
import { AppUpdate } from './state/app-update.svelte.ts';
import { preloadEngine } from './state/engine-client.ts';
import './ui/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');

const update = new AppUpdate();
// The service worker exists only in the production build (it precaches the built files).
if (import.meta.env.PROD) void update.register('/sw.js');

const app = mount(App, { target, props: { update } });

// After the first paint, fetch the media engine's code while the person looks around.
if ('requestIdleCallback' in window) requestIdleCallback(preloadEngine, { timeout: 3000 });
else setTimeout(preloadEngine, 1000);

export default app;
