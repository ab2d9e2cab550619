import { afterEach, describe, expect, it, vi } from 'vitest';
import { SoftAesGcm } from './aes-gcm-soft.ts';
import { hkdf } from './kdf.ts';
import { deriveAesKey, deriveKeys, openBytes, randomBytes, sealBytes, type KeyBits } from './seal.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('seal', () => {
  it('round-trips for every key size, with and without AAD', async () => {
    const master = randomBytes(32);
    for (const bits of [128, 192, 256] as KeyBits[]) {
      const { aes } = await deriveKeys(master, bits);
      for (const pt of [new Uint8Array(0), utf8('hello'), randomBytes(10_000)]) {
        const nonce = randomBytes(12);
        const ct = await sealBytes(aes, nonce, pt);
        expect(ct.length).toBe(pt.length + 16);
        expect(hex((await openBytes(aes, nonce, ct))!)).toBe(hex(pt));
        const aad = utf8('context');
        const ct2 = await sealBytes(aes, nonce, pt, aad);
        expect(hex((await openBytes(aes, nonce, ct2, aad))!)).toBe(hex(pt));
        expect(await openBytes(aes, nonce, ct2)).toBeNull();
        expect(await openBytes(aes, nonce, ct2, utf8('other'))).toBeNull();
      }
    }
  });

  it('derives the AES key and body seed with the FORMAT.md infos', async () => {
    const master = randomBytes(32);
    const { aes, bodyOrderSeed } = await deriveKeys(master, 256);
    expect(hex(bodyOrderSeed)).toBe(hex(await hkdf(master, 'VidStega/v1/body-order', 32)));
    // The AES key is HKDF(master, "VidStega/v1/aes-256"): a key imported from that opens the seal.
    const raw = await hkdf(master, 'VidStega/v1/aes-256', 32);
    const k = await crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-GCM' }, false, ['decrypt']);
    const nonce = randomBytes(12);
    const ct = await sealBytes(aes, nonce, utf8('x'));
    expect(await openBytes(k, nonce, ct)).not.toBeNull();
  });

  it('returns null for a wrong key, tampering, wrong nonce and bad sizes; never throws', async () => {
    const { aes } = await deriveKeys(randomBytes(32), 256);
    const { aes: other } = await deriveKeys(randomBytes(32), 256);
    const { aes: small } = await deriveKeys(randomBytes(32), 128);
    const nonce = randomBytes(12);
    const ct = await sealBytes(aes, nonce, utf8('secret message'));
    expect(await openBytes(other, nonce, ct)).toBeNull();
    expect(await openBytes(small, nonce, ct)).toBeNull();
    for (let i = 0; i < ct.length; i++) {
      const t = ct.slice();
      t[i] ^= 0x01;
      expect(await openBytes(aes, nonce, t)).toBeNull();
    }
    const n2 = nonce.slice();
    n2[0] ^= 1;
    expect(await openBytes(aes, n2, ct)).toBeNull();
    expect(await openBytes(aes, nonce, ct.subarray(0, ct.length - 1))).toBeNull();
    expect(await openBytes(aes, nonce, new Uint8Array(0))).toBeNull();
    expect(await openBytes(aes, nonce, new Uint8Array(15))).toBeNull();
    expect(await openBytes(aes, new Uint8Array(11), ct)).toBeNull();
    expect(await openBytes(aes, new Uint8Array(16), ct)).toBeNull();
  });

  it('sealBytes refuses a nonce that is not 12 bytes', async () => {
    const { aes } = await deriveKeys(randomBytes(32), 128);
    await expect(sealBytes(aes, new Uint8Array(16), utf8('x'))).rejects.toBeInstanceOf(RangeError);
  });
});

describe('seal without platform AES-192 (the Chromium path)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Makes WebCrypto refuse 192-bit AES keys the way Chromium does. */
  function refuseAes192(): void {
    const real = crypto.subtle.importKey.bind(crypto.subtle);
    vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((...args: Parameters<typeof real>) => {
      const alg = args[2] as { name?: string; length?: number };
      if (typeof alg === 'object' && alg.name === 'AES-GCM' && (alg.length === 192 || args[1].byteLength === 24)) {
        return Promise.reject(new DOMException('192-bit AES keys are not supported', 'OperationError'));
      }
      return real(...args);
    }) as typeof real);
  }

  it('falls back to SoftAesGcm, interoperating with a WebCrypto key of the same bytes', async () => {
    const master = randomBytes(32);
    refuseAes192();
    const soft = await deriveAesKey(master, 192);
    const { aes: softFromKeys } = await deriveKeys(master, 192);
    expect(soft).toBeInstanceOf(SoftAesGcm);
    expect(softFromKeys).toBeInstanceOf(SoftAesGcm);
    expect(await deriveAesKey(master, 256)).not.toBeInstanceOf(SoftAesGcm); // other sizes still use WebCrypto
    vi.restoreAllMocks();
    const native = await deriveAesKey(master, 192);
    expect(native).not.toBeInstanceOf(SoftAesGcm);

    for (const pt of [new Uint8Array(0), utf8('hello'), randomBytes(1000), randomBytes(4099)]) {
      for (const aad of [undefined, utf8('context')]) {
        const nonce = randomBytes(12);
        const bySoft = await sealBytes(soft, nonce, pt, aad);
        const byNative = await sealBytes(native, nonce, pt, aad);
        expect(hex(bySoft)).toBe(hex(byNative));
        expect(hex((await openBytes(native, nonce, bySoft, aad))!)).toBe(hex(pt));
        expect(hex((await openBytes(soft, nonce, byNative, aad))!)).toBe(hex(pt));
        expect(hex((await openBytes(softFromKeys, nonce, bySoft, aad))!)).toBe(hex(pt));
      }
    }
  });

  it('a soft key returns null for tampering, wrong nonce or AAD and bad sizes; never throws', async () => {
    refuseAes192();
    const aes = await deriveAesKey(randomBytes(32), 192);
    const other = await deriveAesKey(randomBytes(32), 192);
    expect(aes).toBeInstanceOf(SoftAesGcm);
    const nonce = randomBytes(12);
    const ct = await sealBytes(aes, nonce, utf8('secret message'), utf8('aad'));
    expect(await openBytes(aes, nonce, ct, utf8('aad'))).not.toBeNull();
    expect(await openBytes(other, nonce, ct, utf8('aad'))).toBeNull();
    expect(await openBytes(aes, nonce, ct)).toBeNull();
    expect(await openBytes(aes, nonce, ct, utf8('aae'))).toBeNull();
    for (let i = 0; i < ct.length; i++) {
      const t = ct.slice();
      t[i] ^= 0x01;
      expect(await openBytes(aes, nonce, t, utf8('aad'))).toBeNull();
    }
    const n2 = nonce.slice();
    n2[11] ^= 1;
    expect(await openBytes(aes, n2, ct, utf8('aad'))).toBeNull();
    expect(await openBytes(aes, nonce, ct.subarray(0, ct.length - 1), utf8('aad'))).toBeNull();
    expect(await openBytes(aes, nonce, new Uint8Array(15))).toBeNull();
    expect(await openBytes(aes, new Uint8Array(11), ct)).toBeNull();
    await expect(sealBytes(aes, new Uint8Array(16), utf8('x'))).rejects.toBeInstanceOf(RangeError);
  });
});
