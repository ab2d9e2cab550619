/**
 * Whether the video engine is ready, and how far its first download has
 * come. The page starts it after the first paint; the screens show it while
 * it runs (the first visit only: later it comes from the cache at once).
 */
export class EngineStatus {
  loaded = $state(0);
  total = $state(0);
  ready = $state(false);
  error = $state<string | undefined>();
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    this.error = undefined;
    void import('../media/page/core-download.ts')
      .then(({ downloadCore }) =>
        downloadCore((loaded, total) => {
          this.loaded = loaded;
          this.total = total;
        }),
      )
      .then(() => (this.ready = true))
      .catch((e: unknown) => {
        this.started = false;
        this.error = e instanceof Error ? e.message : String(e);
      });
  }
}

export const engineStatus = new EngineStatus();
