import { describe, expect, it } from 'vitest';
import { SoftAesGcm, aesEncryptBlock } from './aes-gcm-soft.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

/** A small seeded PRNG (xorshift32), so a failing differential case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    int: (n: number) => next() % n,
    bytes: (n: number) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
  };
}

describe('aesEncryptBlock: FIPS-197 Appendix C', () => {
  const pt = '00112233445566778899aabbccddeeff';
  const cases = [
    ['C.1 AES-128', '000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
    ['C.2 AES-192', '000102030405060708090a0b0c0d0e0f1011121314151617', 'dda97ca4864cdfe06eaf70a0ec0d7191'],
    ['C.3 AES-256', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
  ] as const;
  for (const [name, key, ct] of cases) {
    it(name, () => {
      expect(hex(aesEncryptBlock(unhex(key), unhex(pt)))).toBe(ct);
    });
  }

  it('refuses bad key and block sizes', () => {
    expect(() => aesEncryptBlock(new Uint8Array(20), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aesEncryptBlock(new Uint8Array(16), new Uint8Array(15))).toThrow(RangeError);
  });
});

describe('SoftAesGcm: McGrew-Viega GCM spec test vectors', () => {
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
  const vectors: [string, string, string, string, string, string, string][] = [
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
    [
      'Test Case 8 (192)',
      Z16 + '0000000000000000',
      Z12,
      Z16,
      '',
      '98e7247c07f0fe411c267e4384b0f600',
      '2ff58d80033927ab8ef4d4587514f0fb',
    ],
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

  for (const [name, key, iv, pt, aad, ct, tag] of vectors) {
    it(name, () => {
      const g = new SoftAesGcm(unhex(key));
      const aadBytes = aad ? unhex(aad) : undefined;
      const sealed = g.seal(unhex(iv), unhex(pt), aadBytes);
      expect(hex(sealed)).toBe(ct + tag);
      const opened = g.open(unhex(iv), sealed, aadBytes);
      expect(opened && hex(opened)).toBe(pt);
    });
  }
});

describe('SoftAesGcm: differential against WebCrypto', () => {
  const subtle = globalThis.crypto.subtle;

  for (const bits of [128, 192, 256] as const) {
    it(`agrees with WebCrypto AES-GCM-${bits} both ways over random lengths`, async () => {
      const r = rng(0x5eed0000 + bits);
      for (let trial = 0; trial < 200; trial++) {
        const key = r.bytes(bits / 8);
        const nonce = r.bytes(12);
        const pt = r.bytes(trial < 40 ? trial : r.int(301)); // every length 0..39, then random up to 300
        const aad = r.int(4) === 0 ? undefined : r.bytes(r.int(301));
        const soft = new SoftAesGcm(key);
        const wc = await subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
        const params = aad ? { name: 'AES-GCM', iv: nonce, additionalData: aad } : { name: 'AES-GCM', iv: nonce };

        // soft seal → WebCrypto decrypt (and the bytes must be identical)
        const softSealed = soft.seal(nonce, pt, aad);
        const wcSealed = new Uint8Array(await subtle.encrypt(params, wc, pt));
        expect(hex(softSealed)).toBe(hex(wcSealed));
        expect(hex(new Uint8Array(await subtle.decrypt(params, wc, softSealed)))).toBe(hex(pt));

        // WebCrypto seal → soft open
        const opened = soft.open(nonce, wcSealed, aad);
        expect(opened).not.toBeNull();
        expect(hex(opened!)).toBe(hex(pt));
      }
    });
  }
});

describe('SoftAesGcm: authentication and sizes', () => {
  const key = unhex('000102030405060708090a0b0c0d0e0f1011121314151617');
  const nonce = unhex('cafebabefacedbaddecaf888');
  const pt = new TextEncoder().encode('a secret of some length, 41 bytes long!!');
  const aad = unhex('feedfacedeadbeef01');

  it('returns null when any bit of ciphertext, tag or AAD is flipped', () => {
    const g = new SoftAesGcm(key);
    const sealed = g.seal(nonce, pt, aad);
    expect(hex(g.open(nonce, sealed, aad)!)).toBe(hex(pt));
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const t = sealed.slice();
        t[i] ^= 1 << bit;
        expect(g.open(nonce, t, aad)).toBeNull();
      }
    }
    for (let i = 0; i < aad.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const a = aad.slice();
        a[i] ^= 1 << bit;
        expect(g.open(nonce, sealed, a)).toBeNull();
      }
    }
    for (let i = 0; i < nonce.length; i++) {
      const n = nonce.slice();
      n[i] ^= 0x80;
      expect(g.open(n, sealed, aad)).toBeNull();
    }
    expect(g.open(nonce, sealed)).toBeNull(); // AAD dropped
    expect(g.open(nonce, sealed, new Uint8Array(0))).toBeNull();
    expect(new SoftAesGcm(key.slice(0, 16)).open(nonce, sealed, aad)).toBeNull(); // other key
  });

  it('treats an absent AAD and an empty AAD alike, as GCM does', () => {
    const g = new SoftAesGcm(key);
    const a = g.seal(nonce, pt);
    expect(hex(g.seal(nonce, pt, new Uint8Array(0)))).toBe(hex(a));
    expect(g.open(nonce, a, new Uint8Array(0))).not.toBeNull();
  });

  it('open returns null for bad sizes and never throws', () => {
    const g = new SoftAesGcm(key);
    const sealed = g.seal(nonce, pt);
    expect(g.open(nonce, sealed.subarray(0, sealed.length - 1))).toBeNull();
    expect(g.open(nonce, sealed.subarray(1))).toBeNull();
    expect(g.open(nonce, new Uint8Array(0))).toBeNull();
    expect(g.open(nonce, new Uint8Array(15))).toBeNull();
    expect(g.open(nonce, new Uint8Array(16))).toBeNull();
    expect(g.open(new Uint8Array(11), sealed)).toBeNull();
    expect(g.open(new Uint8Array(16), sealed)).toBeNull();
    expect(g.open(null as unknown as Uint8Array, sealed)).toBeNull();
    expect(g.open(nonce, undefined as unknown as Uint8Array)).toBeNull();
  });

  it('seal and the constructor refuse bad sizes', () => {
    expect(() => new SoftAesGcm(new Uint8Array(0))).toThrow(RangeError);
    expect(() => new SoftAesGcm(new Uint8Array(17))).toThrow(RangeError);
    expect(() => new SoftAesGcm(new Uint8Array(64))).toThrow(RangeError);
    expect(() => new SoftAesGcm(key).seal(new Uint8Array(16), pt)).toThrow(RangeError);
  });

  it('does not keep the key bytes: wiping them after construction changes nothing', () => {
    const k = key.slice();
    const g = new SoftAesGcm(k);
    k.fill(0);
    expect(hex(g.seal(nonce, pt, aad))).toBe(hex(new SoftAesGcm(key).seal(nonce, pt, aad)));
  });

  it('works on views into larger buffers', () => {
    const buf = new Uint8Array(200);
    buf.set(key, 3);
    buf.set(nonce, 40);
    buf.set(pt, 60);
    const g = new SoftAesGcm(buf.subarray(3, 3 + key.length));
    const a = g.seal(buf.subarray(40, 52), buf.subarray(60, 60 + pt.length));
    expect(hex(a)).toBe(hex(new SoftAesGcm(key).seal(nonce, pt)));
  });
});
