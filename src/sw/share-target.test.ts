import { describe, expect, it } from 'vitest';
import { isShareTarget } from './share-target.ts';

describe('isShareTarget', () => {
  it('is the POST to share-target inside the worker scope, at / and at a sub-path', () => {
    for (const scope of ['https://example.org/', 'https://example.org/vidstega/']) {
      expect(isShareTarget(new Request(`${scope}share-target`, { method: 'POST', body: 'x' }), scope)).toBe(true);
      expect(isShareTarget(new Request(`${scope}share-target`), scope)).toBe(false);
      expect(isShareTarget(new Request(`${scope}index.html`, { method: 'POST', body: 'x' }), scope)).toBe(false);
    }
    // Another copy's share target on the same host is not this one's.
    expect(isShareTarget(new Request('https://example.org/share-target', { method: 'POST', body: 'x' }), 'https://example.org/vidstega/')).toBe(false);
  });
});
