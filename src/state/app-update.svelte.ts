/**
 * The service worker that keeps the app working offline, and the "update
 * available" prompt: a new version waits until the person chooses to reload,
 * so a job in progress is never cut short by an update.
 */
export class AppUpdate {
  /** A new version, installed and waiting for the person to reload. */
  waiting = $state.raw<ServiceWorker | undefined>();

  /**
   * Registers the service worker (production builds only: it precaches the
   * built files). The script and its scope are relative to the page, so the
   * app works at any path. Resolves to undefined where there is none (no
   * support, refused, blocked by policy).
   */
  async register(scriptUrl: string): Promise<ServiceWorkerRegistration | undefined> {
    if (!('serviceWorker' in navigator)) return undefined;
    // Refused: no offline support in this browser or mode; the app works online.
    const registration: ServiceWorkerRegistration | undefined = await navigator.serviceWorker.register(scriptUrl, { scope: './' }).catch(() => undefined);
    // Some browsers (and test harnesses that block workers) resolve without a registration.
    if (!registration) return undefined;
    const watch = (worker: ServiceWorker | null) => {
      if (!worker) return;
      const check = () => {
        // Installed while another version controls the page: an update, not the first install.
        if (worker.state === 'installed' && navigator.serviceWorker.controller) this.waiting = worker;
      };
      check();
      worker.addEventListener('statechange', check);
    };
    watch(registration.waiting);
    registration.addEventListener('updatefound', () => watch(registration.installing));
    // Look for a new version when the person comes back to the tab.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
    return registration;
  }

  /** Activates the waiting version and reloads into it. */
  reload(): void {
    const worker = this.waiting;
    if (!worker) return;
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    worker.postMessage({ type: 'SKIP_WAITING' });
  }
}
