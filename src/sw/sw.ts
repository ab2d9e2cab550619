/**
 * VidStega's one service worker: it precaches the content-hashed build (the
 * ffmpeg core and its wasm included) so the app works offline after the
 * first visit, serves every response with the cross-origin isolation
 * headers, and receives videos shared to the installed app.
 *
 * A new version waits until the page asks it to take over (the "Update
 * available" prompt), so a job in progress is never cut short.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { withIsolationHeaders } from './isolation-headers.ts';
import { isShareTarget, receiveShare } from './share-target.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

// First, before the precache's router: the share's POST is no precached file.
self.addEventListener('fetch', (event) => {
  if (isShareTarget(event.request, self.registration.scope)) event.respondWith(receiveShare(event.request, self.registration.scope));
});

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolationHeaders(response) }]);
// Entries are relative to this script, so the same build works at any path.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any page in the scope (`./?shared=…` included) is the app.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
