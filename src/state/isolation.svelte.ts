/**
 * Cross-origin isolation as the page sees it, and the one place that says
 * whether an engine job can run here.
 *
 * On a host that sends no COOP/COEP headers the first visit is not isolated:
 * the page registers the service worker (which adds the headers to what it
 * serves) and, once it is active, reloads once. It reloads by itself only
 * while the person has not started anything; otherwise it asks. A tab
 * remembers (sessionStorage) that it reloaded, so a browser that refuses
 * never loops.
 */
import { planIsolation, type NoIsolationReason } from './isolation-plan.ts';

export type { NoIsolationReason } from './isolation-plan.ts';

const RELOADED_KEY = 'vidstega-isolation-reload';

export type IsolationState =
  /** Hiding and revealing can run. */
  | 'isolated'
  /** The service worker is installing (the app is being stored for offline use); one reload follows. */
  | 'setting-up'
  /** Ready after one reload, which waits for the person (they have started something). */
  | 'reload-needed'
  /** Cannot be had in this window; `reason` says why. */
  | 'unavailable';

function session(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined; // storage turned off: treated as "reloaded before", so never a loop
  }
}

function isIsolated(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

export class Isolation {
  state = $state<IsolationState>('setting-up');
  reason = $state<NoIsolationReason | undefined>();
  /** Whether reloading now would lose what the person has started (set by the app). */
  keepPage: () => boolean = () => false;
  #registration: ServiceWorkerRegistration | undefined;

  constructor() {
    if (isIsolated()) {
      this.state = 'isolated';
      session()?.removeItem(RELOADED_KEY); // a later loss of isolation in this tab may try one reload again
    }
  }

  /**
   * Goes on from the service worker's registration (undefined when there is
   * none: no support, refused, blocked). Call once, at start.
   */
  async setUp(registration: ServiceWorkerRegistration | undefined): Promise<void> {
    const store = session();
    const plan = planIsolation({
      isolated: isIsolated(),
      secureContext: globalThis.isSecureContext === true,
      serviceWorkers: registration !== undefined,
      reloadedBefore: store === undefined || store.getItem(RELOADED_KEY) !== null,
    });
    if (plan.kind === 'isolated') return;
    if (plan.kind === 'unavailable') return this.#unavailable(plan.reason);
    this.#registration = registration;
    const reg = registration!;
    // An install that fails (too little room in a private window, say) never activates.
    const installing = reg.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'redundant' && !reg.active) this.#unavailable('refused');
    });
    await navigator.serviceWorker.ready;
    if (this.state === 'unavailable') return;
    if (this.keepPage()) this.state = 'reload-needed';
    else this.reload();
  }

  /** The one reload that turns isolation on (activating a waiting new version first, if one waits). */
  reload(): void {
    session()?.setItem(RELOADED_KEY, String(Date.now()));
    const waiting = this.#registration?.waiting;
    if (waiting && navigator.serviceWorker.controller) {
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage({ type: 'SKIP_WAITING' });
      return;
    }
    location.reload();
  }

  /** After the person changed something (a normal window, site data allowed): forget the failed attempt and reload. */
  retry(): void {
    session()?.removeItem(RELOADED_KEY);
    location.reload();
  }

  #unavailable(reason: NoIsolationReason): void {
    this.state = 'unavailable';
    this.reason = reason;
  }
}

export const isolation = new Isolation();

/**
 * Which jobs need shared memory: the lossless copy's workers pass frames
 * through it; the same-format hide and the reveal do without (a reveal of a
 * lossless copy then reads every frame in one worker).
 */
const NEEDS_SHARED_MEMORY: Readonly<Record<EngineJob, boolean>> = { 'hide-lossless': true, 'hide-same-format': false, reveal: false };

export type EngineJob = 'hide-lossless' | 'hide-same-format' | 'reveal';

/** Which jobs write to this device's disk (the origin private file system), which browsers offer only to secure pages. */
const WRITES_TO_DISK: Readonly<Record<EngineJob, boolean>> = { 'hide-lossless': true, 'hide-same-format': true, reveal: false };

/**
 * Why a job cannot start in this window, in a few plain words for the line
 * under its button (the notice at the top explains); undefined when it can.
 */
export function jobBlocker(job: EngineJob): string | undefined {
  if (WRITES_TO_DISK[job] && globalThis.isSecureContext !== true) return 'Hiding cannot run on this plain http:// page (see the notice at the top).';
  if (!NEEDS_SHARED_MEMORY[job] || isIsolated()) return undefined;
  switch (isolation.state) {
    case 'setting-up':
      return 'VidStega is finishing setting up on this device; it reloads once by itself in a moment.';
    case 'reload-needed':
      return 'Reload the page once first (see the notice at the top).';
    default:
      return `${job === 'reveal' ? 'Revealing cannot run' : 'A lossless copy cannot be made'} in this window (see the notice at the top).`;
  }
}
