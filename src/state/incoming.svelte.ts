/**
 * Videos that reach VidStega from outside the page, once it is installed:
 * shared to it (Web Share Target: the service worker keeps them in the share
 * inbox and redirects here with `?shared=<id>`) or opened with it (File
 * Handling: `window.launchQueue`). They land on the Hide screen; the notice
 * lets the person take one to Reveal instead.
 */
import { SHARED_PARAM, takeShared } from '../sw/share-inbox.ts';

export type Arrival = 'shared' | 'opened';

interface LaunchParams {
  readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

export class IncomingFiles {
  /** The video that came last, and how; the notice about it shows until dismissed. */
  latest = $state.raw<{ readonly file: File; readonly how: Arrival } | undefined>();
  error = $state<string | undefined>();
  #started = false;

  /** Starts listening: `deliver` receives each arrival's files. Once, at start. */
  start(deliver: (files: File[], how: Arrival) => void): void {
    if (this.#started) return;
    this.#started = true;
    const url = new URL(location.href);
    const shareId = url.searchParams.get(SHARED_PARAM);
    if (shareId !== null) {
      // The address bar should not keep the share's id (a reload must not look for it again).
      url.searchParams.delete(SHARED_PARAM);
      history.replaceState(history.state, '', url.href);
      void takeShared(shareId)
        .then((files) => {
          if (files.length > 0) this.#arrive(files, 'shared', deliver);
          else this.error = 'The shared video did not arrive. Share it again, or open it here with "Choose a video".';
        })
        .catch(() => (this.error = 'The shared video could not be read. Share it again, or open it here with "Choose a video".'));
    }
    const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
    queue?.setConsumer(async (params) => {
      const files: File[] = [];
      for (const handle of params.files) if (handle.kind === 'file') files.push(await (handle as FileSystemFileHandle).getFile());
      if (files.length > 0) this.#arrive(files, 'opened', deliver);
    });
  }

  dismiss(): void {
    this.latest = undefined;
    this.error = undefined;
  }

  #arrive(files: File[], how: Arrival, deliver: (files: File[], how: Arrival) => void): void {
    this.error = undefined;
    this.latest = { file: files[0], how };
    deliver(files, how);
  }
}
