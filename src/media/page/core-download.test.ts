import { afterEach, describe, expect, it, vi } from 'vitest';

describe('downloadCore', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('reports progress chunk by chunk up to the whole size', async () => {
    const chunks = [new Uint8Array(1000), new Uint8Array(2500), new Uint8Array(500)];
    vi.stubGlobal('fetch', async () => new Response(new ReadableStream({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    }), { headers: { 'content-length': '4000' } }));
    const { downloadCore } = await import('./core-download.ts');
    const seen: [number, number][] = [];
    await downloadCore((loaded, total) => seen.push([loaded, total]));
    expect(seen).toEqual([[1000, 4000], [3500, 4000], [4000, 4000]]);
  });

  it('says in plain words when the network is down', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const { downloadCore } = await import('./core-download.ts');
    await expect(downloadCore(() => undefined)).rejects.toThrow(/could not be loaded. Check the connection/);
  });

  it('fails in plain words, and tries again on the next call', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', async () => {
      calls++;
      if (calls === 1) return new Response(null, { status: 503 });
      return new Response(new Uint8Array(10), { headers: { 'content-length': '10' } });
    });
    const { downloadCore } = await import('./core-download.ts');
    await expect(downloadCore(() => undefined)).rejects.toThrow(/could not be loaded/);
    await Promise.resolve();
    let last = 0;
    await downloadCore((loaded) => (last = loaded));
    expect(last).toBe(10);
    expect(calls).toBe(2);
  });
});
