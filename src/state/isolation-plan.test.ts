import { describe, expect, it } from 'vitest';
import { planIsolation, type IsolationFacts } from './isolation-plan.ts';

const plainHost: IsolationFacts = { isolated: false, secureContext: true, serviceWorkers: true, reloadedBefore: false };

describe('planIsolation', () => {
  it('does nothing more on a page that is isolated already (headers from the host, or the service worker after the reload)', () => {
    expect(planIsolation({ ...plainHost, isolated: true })).toEqual({ kind: 'isolated' });
    expect(planIsolation({ ...plainHost, isolated: true, reloadedBefore: true })).toEqual({ kind: 'isolated' });
  });

  it('registers the service worker and reloads once on a host that sends no headers', () => {
    expect(planIsolation(plainHost)).toEqual({ kind: 'reload-once' });
  });

  it('never reloads a second time: a reload that did not isolate means it cannot be had here', () => {
    expect(planIsolation({ ...plainHost, reloadedBefore: true })).toEqual({ kind: 'unavailable', reason: 'refused' });
  });

  it('gives up at once where there are no service workers, and says why on plain http', () => {
    expect(planIsolation({ ...plainHost, serviceWorkers: false })).toEqual({ kind: 'unavailable', reason: 'refused' });
    expect(planIsolation({ ...plainHost, secureContext: false, serviceWorkers: false })).toEqual({ kind: 'unavailable', reason: 'insecure' });
  });
});
