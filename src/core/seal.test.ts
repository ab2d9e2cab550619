import { afterEach, describe, expect, it, vi } from 'vitest';
import { hkdf } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { deriveAesKey, deriveKeys, importAesKey, NobleAesKey, openBytes, randomBytes, sealBytes, type AesKey, type KeyBits } from './seal.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Seeded bytes, so a failing differential case can be replayed. */
function bytesOf(rng: Xorshift, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.nextU32() & 0xff;
  return b;
}

/** A WebCrypto AES-GCM key of these bytes, bypassing importAesKey (Node's WebCrypto has every size). */
function webCryptoKey(raw: Uint8Array): Promise<AesKey> {
  return crypto.subtle.importKey('raw', raw.slice(), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

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

/**
 * The test cases of the GCM specification (McGrew and Viega, "The Galois/Counter
 * Mode of Operation", as submitted to NIST; the same cases as the Appendix B
 * vectors of the revised spec) with 96-bit IVs: 128, 192 and 256-bit keys,
 * with and without AAD, empty and partial-block plaintexts.
 */
const K1 = 'feffe9928665731c6d6a8f9467308308';
const IV = 'cafebabefacedbaddecaf888';
const P64 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const P60 = P64.slice(0, 120);
const A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
const Z12 = '000000000000000000000000';
const Z16 = '00000000000000000000000000000000';
// [name, key, iv, plaintext, aad, ciphertext, tag]
const GCM_SPEC_CASES: [string, string, string, string, string, string, string][] = [
  ['Test Case 1 (128)', Z16, Z12, '', '', '', '58e2fccefa7e3061367f1d57a4e7455a'],
  ['Test Case 2 (128)', Z16, Z12, Z16, '', '0388dace60b6a392f328c2b971b2fe78', 'ab6e47d42cec13bdf53a67b21257bddf'],
  [
    'Test Case 4 (128)',
    K1,
    IV,
    P60,
    A,
    '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    '5bc94fbc3221a5db94fae95ae7121a47',
  ],
  ['Test Case 7 (192)', Z16 + '0000000000000000', Z12, '', '', '', 'cd33b28ac773f74ba00ed1f312572435'],
  ['Test Case 8 (192)', Z16 + '0000000000000000', Z12, Z16, '', '98e7247c07f0fe411c267e4384b0f600', '2ff58d80033927ab8ef4d4587514f0fb'],
  [
    'Test Case 9 (192)',
    K1 + 'feffe9928665731c',
    IV,
    P64,
    '',
    '3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c' +
      '7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256',
    '9924a7c8587336bfb118024db8674a14',
  ],
  [
    'Test Case 10 (192)',
    K1 + 'feffe9928665731c',
    IV,
    P60,
    A,
    '3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c' +
      '7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710',
    '2519498e80f1478f37ba55bd6d27618c',
  ],
  ['Test Case 13 (256)', Z16 + Z16, Z12, '', '', '', '530f8afbc74536b9a963b4f1c4cb738b'],
  ['Test Case 14 (256)', Z16 + Z16, Z12, Z16, '', 'cea7403d4d606b6e074ec5d3baf39d18', 'd0d1c8a799996bf0265b98b5d48ab919'],
  [
    'Test Case 15 (256)',
    K1 + K1,
    IV,
    P64,
    '',
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    'b094dac5d93471bdec1a502270e3cc6c',
  ],
  [
    'Test Case 16 (256)',
    K1 + K1,
    IV,
    P60,
    A,
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    '76fc6ece0f4e1768cddf8853bb2d551b',
  ],
];

describe('AES-GCM known answers (GCM specification test cases)', () => {
  for (const [name, key, iv, pt, aad, ct, tag] of GCM_SPEC_CASES) {
    it(`${name}, through the key the app uses for the size and through the library`, async () => {
      const aadBytes = aad ? unhex(aad) : undefined;
      for (const k of [await importAesKey(unhex(key)), new NobleAesKey(unhex(key))]) {
        const sealed = await sealBytes(k, unhex(iv), unhex(pt), aadBytes);
        expect(hex(sealed)).toBe(ct + tag);
        const opened = await openBytes(k, unhex(iv), sealed, aadBytes);
        expect(opened && hex(opened)).toBe(pt);
      }
    });
  }

  it('uses the library for 192-bit keys and WebCrypto for 128 and 256', async () => {
    expect(await importAesKey(new Uint8Array(24))).toBeInstanceOf(NobleAesKey);
    expect(await deriveAesKey(randomBytes(32), 192)).toBeInstanceOf(NobleAesKey);
    for (const n of [16, 32]) expect(await importAesKey(new Uint8Array(n))).not.toBeInstanceOf(NobleAesKey);
    for (const bits of [128, 256] as const) expect(await deriveAesKey(randomBytes(32), bits)).not.toBeInstanceOf(NobleAesKey);
    for (const n of [0, 15, 17, 33, 64]) {
      await expect(importAesKey(new Uint8Array(n))).rejects.toBeInstanceOf(RangeError);
      expect(() => new NobleAesKey(new Uint8Array(n))).toThrow(RangeError);
    }
  });
});

describe('the library against WebCrypto', () => {
  for (const bits of [128, 192, 256] as const) {
    it(`AES-GCM-${bits}: same bytes both ways over 200 random lengths, with and without AAD`, async () => {
      const rng = new Xorshift(0x5eed0000 + bits);
      for (let trial = 0; trial < 200; trial++) {
        const raw = bytesOf(rng, bits / 8);
        const nonce = bytesOf(rng, 12);
        const pt = bytesOf(rng, trial < 40 ? trial : rng.nextU32() % 301); // every length 0..39, then random up to 300
        const aad = rng.nextU32() % 4 === 0 ? undefined : bytesOf(rng, rng.nextU32() % 301);
        const noble = new NobleAesKey(raw);
        const native = await webCryptoKey(raw);
        const byNoble = await sealBytes(noble, nonce, pt, aad);
        const byNative = await sealBytes(native, nonce, pt, aad);
        expect(hex(byNoble)).toBe(hex(byNative));
        expect(hex((await openBytes(native, nonce, byNoble, aad))!)).toBe(hex(pt));
        expect(hex((await openBytes(noble, nonce, byNative, aad))!)).toBe(hex(pt));
      }
    });
  }

  it('works on views into larger buffers, and keeps its own copy of the key', async () => {
    const raw = unhex(K1 + 'feffe9928665731c');
    const buf = new Uint8Array(200);
    buf.set(raw, 3);
    buf.set(unhex(IV), 40);
    buf.set(unhex(P60), 60);
    const key = new NobleAesKey(buf.subarray(3, 27));
    buf.fill(0, 3, 27); // wiping the caller's bytes changes nothing
    const sealed = await sealBytes(key, buf.subarray(40, 52), buf.subarray(60, 120), unhex(A));
    expect(hex(sealed)).toBe(GCM_SPEC_CASES[6][5] + GCM_SPEC_CASES[6][6]);
  });
});

describe('authentication: every flipped bit fails to open', () => {
  const nonce = unhex(IV);
  const pt = utf8('a secret of some length, 41 bytes long!!');
  const aad = unhex('feedfacedeadbeef01');

  for (const bits of [128, 192, 256] as const) {
    it(`AES-${bits}: ciphertext, tag, AAD and nonce bits, a dropped AAD, another key, bad sizes; never throws`, async () => {
      const rng = new Xorshift(bits);
      const raw = bytesOf(rng, bits / 8);
      const key = await importAesKey(raw);
      const sealed = await sealBytes(key, nonce, pt, aad);
      expect(hex((await openBytes(key, nonce, sealed, aad))!)).toBe(hex(pt));
      // Every bit of the ciphertext (41 bytes) and of the tag (the last 16).
      for (let i = 0; i < sealed.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const t = sealed.slice();
          t[i] ^= 1 << bit;
          expect(await openBytes(key, nonce, t, aad)).toBeNull();
        }
      }
      for (let i = 0; i < aad.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const a = aad.slice();
          a[i] ^= 1 << bit;
          expect(await openBytes(key, nonce, sealed, a)).toBeNull();
        }
      }
      for (let i = 0; i < nonce.length; i++) {
        const n = nonce.slice();
        n[i] ^= 0x80;
        expect(await openBytes(key, n, sealed, aad)).toBeNull();
      }
      expect(await openBytes(key, nonce, sealed)).toBeNull(); // AAD dropped
      expect(await openBytes(key, nonce, sealed, new Uint8Array(0))).toBeNull();
      const other = raw.slice();
      other[0] ^= 1;
      expect(await openBytes(await importAesKey(other), nonce, sealed, aad)).toBeNull();
      expect(await openBytes(key, nonce, sealed.subarray(0, sealed.length - 1), aad)).toBeNull();
      expect(await openBytes(key, nonce, sealed.subarray(1), aad)).toBeNull();
      expect(await openBytes(key, nonce, new Uint8Array(15))).toBeNull();
      expect(await openBytes(key, nonce, new Uint8Array(16))).toBeNull();
      expect(await openBytes(key, new Uint8Array(11), sealed, aad)).toBeNull();
      expect(await openBytes(key, new Uint8Array(16), sealed, aad)).toBeNull();
      await expect(sealBytes(key, new Uint8Array(16), pt)).rejects.toBeInstanceOf(RangeError);
    });
  }

  it('an absent AAD and an empty one are the same, as GCM defines', async () => {
    for (const n of [16, 24, 32]) {
      const key = await importAesKey(new Uint8Array(n).fill(7));
      const a = await sealBytes(key, nonce, pt);
      expect(hex(await sealBytes(key, nonce, pt, new Uint8Array(0)))).toBe(hex(a));
      expect(await openBytes(key, nonce, a, new Uint8Array(0))).not.toBeNull();
    }
  });
});

describe('AES-192 where WebCrypto has none (Chromium)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hides and reveals with 192-bit keys, with the bytes a native 192-bit key gives', async () => {
    const master = randomBytes(32);
    const real = crypto.subtle.importKey.bind(crypto.subtle);
    // Refuse 192-bit AES the way Chromium does.
    const spy = vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((...args: Parameters<typeof real>) => {
      const alg = args[2] as { name?: string; length?: number };
      if (typeof alg === 'object' && alg.name === 'AES-GCM' && (alg.length === 192 || args[1].byteLength === 24)) {
        return Promise.reject(new DOMException('192-bit AES keys are not supported', 'OperationError'));
      }
      return real(...args);
    }) as typeof real);
    const { aes } = await deriveKeys(master, 192);
    spy.mockRestore();
    const native = await webCryptoKey(await hkdf(master, 'VidStega/v1/aes-192', 24));
    for (const pt of [new Uint8Array(0), utf8('hello'), randomBytes(4099)]) {
      for (const aad of [undefined, utf8('context')]) {
        const nonce = randomBytes(12);
        const sealed = await sealBytes(aes, nonce, pt, aad);
        expect(hex(sealed)).toBe(hex(await sealBytes(native, nonce, pt, aad)));
        expect(hex((await openBytes(aes, nonce, sealed, aad))!)).toBe(hex(pt));
      }
    }
  });
});
