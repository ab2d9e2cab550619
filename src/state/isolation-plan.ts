/**
 * What to do about cross-origin isolation when the page starts, decided from
 * plain facts so it can be tested without a browser. The engine's workers
 * share memory (SharedArrayBuffer), which browsers allow only on a
 * cross-origin isolated page; VidStega's service worker makes the page so
 * on any host, after one reload.
 */

/** Why isolation cannot be had in this window. */
export type NoIsolationReason =
  /** Plain http:// from another computer: no service worker, no shared memory. */
  | 'insecure'
  /** No service worker here (refused, blocked, or one that did not isolate even after the reload). */
  | 'refused';

export type IsolationPlan =
  | { readonly kind: 'isolated' }
  | { readonly kind: 'unavailable'; readonly reason: NoIsolationReason }
  /** Register the service worker and, once it is active, reload once. */
  | { readonly kind: 'reload-once' };

export interface IsolationFacts {
  /** `crossOriginIsolated` (and SharedArrayBuffer with it). */
  readonly isolated: boolean;
  readonly secureContext: boolean;
  /** Whether the browser offers service workers at all. */
  readonly serviceWorkers: boolean;
  /** This tab already reloaded for isolation (sessionStorage): never again, or a refusal would loop. */
  readonly reloadedBefore: boolean;
}

export function planIsolation(facts: IsolationFacts): IsolationPlan {
  if (facts.isolated) return { kind: 'isolated' };
  if (!facts.secureContext) return { kind: 'unavailable', reason: 'insecure' };
  if (!facts.serviceWorkers || facts.reloadedBefore) return { kind: 'unavailable', reason: 'refused' };
  return { kind: 'reload-once' };
}
