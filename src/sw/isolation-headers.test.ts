import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolationHeaders } from './isolation-headers.ts';

describe('withIsolationHeaders', () => {
  it('adds COOP same-origin and COEP require-corp, keeping status, type and body', async () => {
    const original = new Response('<!doctype html>', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/html' } });
    const r = withIsolationHeaders(original);
    expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r.headers.get('Content-Type')).toBe('text/html');
    expect(r.status).toBe(200);
    expect(r.statusText).toBe('OK');
    expect(await r.text()).toBe('<!doctype html>');
  });

  it("replaces a host's own, weaker values", () => {
    const r = withIsolationHeaders(new Response('', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none', 'Cross-Origin-Opener-Policy': 'unsafe-none' } }));
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(r.headers.get(name)).toBe(value);
  });

  it('passes error responses through untouched (they cannot be rebuilt)', () => {
    const error = Response.error();
    expect(withIsolationHeaders(error)).toBe(error);
  });
});
