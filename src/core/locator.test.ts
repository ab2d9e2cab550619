import { describe, expect, it } from 'vitest';
import { DataDamagedError, UnsupportedInputError } from './errors.ts';
import { deriveArgon2id, type KdfParams } from './kdf.ts';
import { rsEncodedLength } from './rs/index.ts';
import {
  LOCATOR_AAD,
  LOCATOR_AAD_V2,
  SEALED_LOCATOR_BYTES,
  decodeLocatorRecord,
  encodeLocatorRecord,
  normalizeRanges,
  openLocator,
  sealLocator,
  type LocatorRecord,
  type LocatorRecordV1,
  type LocatorRecordV2,
} from './locator.ts';
import { deriveAesKey, openBytes, randomBytes, sealBytes, type KeyBits } from './seal.ts';

const LIGHT: KdfParams = { id: 99, algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 };
const masterFor = (password: string) => (salt: Uint8Array) => deriveArgon2id(password, salt, LIGHT);

function record(over: Partial<LocatorRecordV1> = {}): LocatorRecordV1 {
  return {
    formatVersion: 1,
    compressed: true,
    bitsPerSample: 2,
    planeMask: 0b111,
    parityBytes: 32,
    bodyNonce: randomBytes(12),
    bodyLength: 5 * 255,
    ciphertextLength: 5 * 223 - 7,
    keyBits: 256,
    selection: { kind: 'auto', frameCount: 17 },
    ...over,
  };
}

/** A format v2 record: no stored body length (it is the RS length of the ciphertext). */
function recordV2(over: Partial<LocatorRecordV2> = {}): LocatorRecordV2 {
  const r = {
    formatVersion: 2 as const,
    compressed: false,
    bitsPerSample: 1 as const,
    planeMask: 0b111,
    parityBytes: 32 as const,
    bodyNonce: randomBytes(12),
    ciphertextLength: 5 * 223 - 7,
    keyBits: 256 as const,
    selection: { kind: 'auto', frameCount: 17 } as const,
    stcHeight: 7,
    coverWidth: 255,
    bodyLength: 0,
    ...over,
  };
  return { ...r, bodyLength: over.bodyLength ?? rsEncodedLength(r.ciphertextLength, r.parityBytes) };
}

/** Seals `record` the way a hider does: fresh salt, master from the password. */
async function hide(r: LocatorRecord, password: string): Promise<Uint8Array> {
  const salt = randomBytes(16);
  return sealLocator(r, await masterFor(password)(salt), salt, r.keyBits);
}

describe('locator record', () => {
  it('round-trips auto and ranges selections and extreme values', () => {
    const cases: LocatorRecord[] = [
      record(),
      record({ compressed: false, bitsPerSample: 1, planeMask: 1, parityBytes: 0, bodyLength: 17, ciphertextLength: 17 }),
      record({ parityBytes: 64, bodyLength: 2 ** 48 - 1, ciphertextLength: 2 ** 40, keyBits: 128 }),
      record({ selection: { kind: 'auto', frameCount: 0xffff_ffff }, planeMask: 15, keyBits: 192 }),
      record({ selection: { kind: 'ranges', ranges: [{ start: 0, count: 1 }] } }),
      record({
        selection: {
          kind: 'ranges',
          ranges: Array.from({ length: 12 }, (_, i) => ({ start: i * 1000, count: 999 })),
        },
      }),
      record({ selection: { kind: 'ranges', ranges: [{ start: 0xffff_fffe, count: 2 }] } }),
    ];
    for (const r of cases) {
      const b = encodeLocatorRecord(r);
      expect(b.length).toBe(128);
      expect(decodeLocatorRecord(b)).toEqual(r);
    }
  });

  it('format v2: round-trips, stores the code height and cover width, and not the body length', () => {
    const cases: LocatorRecordV2[] = [
      recordV2(),
      recordV2({ stcHeight: 1, coverWidth: 1, parityBytes: 0, ciphertextLength: 17 }),
      recordV2({ stcHeight: 20, coverWidth: 40, parityBytes: 64, ciphertextLength: 2 ** 40, keyBits: 128, compressed: true }),
      recordV2({ selection: { kind: 'ranges', ranges: Array.from({ length: 12 }, (_, i) => ({ start: i * 1000, count: 999 })) } }),
    ];
    for (const r of cases) {
      const b = encodeLocatorRecord(r);
      expect(b[0]).toBe(2);
      expect(b[2]).toBe(1); // adaptive
      expect([b[20], b[21]]).toEqual([r.stcHeight, r.coverWidth]);
      expect(Array.from(b.subarray(22, 26))).toEqual([0, 0, 0, 0]);
      expect(decodeLocatorRecord(b)).toEqual(r);
    }
    const bad: Partial<LocatorRecordV2>[] = [
      { stcHeight: 0 },
      { stcHeight: 21 },
      { coverWidth: 0 },
      { coverWidth: 256 },
      { bitsPerSample: 2 as 1 },
      { bodyLength: 5 * 255 + 1 },
    ];
    for (const over of bad) expect(() => encodeLocatorRecord(recordV2(over)), JSON.stringify(over)).toThrow(UnsupportedInputError);
    // An unknown embedding byte, or anything in the reserved bytes, is damage.
    for (const [at, v] of [[2, 2], [22, 1], [25, 9]]) {
      const b = encodeLocatorRecord(recordV2());
      b[at] = v;
      expect(() => decodeLocatorRecord(b)).toThrow(DataDamagedError);
    }
  });

  it('encoding refuses what the format cannot express', () => {
    const bad: Partial<LocatorRecordV1>[] = [
      { bitsPerSample: 3 as 1 },
      { planeMask: 0 },
      { planeMask: 16 },
      { parityBytes: 8 as 0 },
      { keyBits: 512 as 256 },
      { bodyNonce: new Uint8Array(11) },
      { ciphertextLength: 16, bodyLength: 16, parityBytes: 0 },
      { parityBytes: 0, bodyLength: 100, ciphertextLength: 99 },
      { parityBytes: 16, bodyLength: 100, ciphertextLength: 99 },
      { bodyLength: 2 ** 48 },
      { selection: { kind: 'auto', frameCount: 0 } },
      { selection: { kind: 'ranges', ranges: [] } },
      { selection: { kind: 'ranges', ranges: Array.from({ length: 13 }, (_, i) => ({ start: 2 * i, count: 1 })) } },
      { selection: { kind: 'ranges', ranges: [{ start: 5, count: 0 }] } },
      { selection: { kind: 'ranges', ranges: [{ start: 10, count: 5 }, { start: 0, count: 5 }] } },
      { selection: { kind: 'ranges', ranges: [{ start: 0, count: 5 }, { start: 5, count: 5 }] } },
      { selection: { kind: 'ranges', ranges: [{ start: 0xffff_ffff, count: 2 }] } },
    ];
    for (const over of bad) expect(() => encodeLocatorRecord(record(over)), JSON.stringify(over)).toThrow(UnsupportedInputError);
  });

  it('normalizeRanges sorts and merges', () => {
    expect(
      normalizeRanges([
        { start: 50, count: 10 },
        { start: 0, count: 5 },
        { start: 5, count: 3 },
        { start: 55, count: 20 },
        { start: 100, count: 0 },
      ]),
    ).toEqual([
      { start: 0, count: 8 },
      { start: 50, count: 25 },
    ]);
    expect(() => normalizeRanges(Array.from({ length: 13 }, (_, i) => ({ start: 3 * i, count: 1 })))).toThrow(
      UnsupportedInputError,
    );
  });

  it('decoding only throws DataDamagedError, for every single-byte corruption that breaks it', () => {
    const good = encodeLocatorRecord(record({ selection: { kind: 'ranges', ranges: [{ start: 3, count: 4 }] } }));
    let rejected = 0;
    for (let i = 0; i < 128; i++) {
      for (const v of [0x00, 0x01, 0x80, 0xff]) {
        const b = good.slice();
        if (b[i] === v) continue;
        b[i] = v;
        try {
          decodeLocatorRecord(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DataDamagedError);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(200);
    // Random bytes: nearly always invalid, never another exception.
    for (let i = 0; i < 2000; i++) {
      try {
        decodeLocatorRecord(randomBytes(128));
      } catch (e) {
        expect(e).toBeInstanceOf(DataDamagedError);
      }
    }
    expect(() => decodeLocatorRecord(new Uint8Array(127))).toThrow(DataDamagedError);
    // Padding must be zero.
    const padded = good.slice();
    padded[127] = 1;
    expect(() => decodeLocatorRecord(padded)).toThrow(DataDamagedError);
  });
});

describe('sealed locator', () => {
  it('round-trips for all three key sizes and returns the master', async () => {
    for (const keyBits of [256, 192, 128] as KeyBits[]) {
      const r = record({ keyBits });
      const sealed = await hide(r, 'hunter2');
      expect(sealed.length).toBe(SEALED_LOCATOR_BYTES);
      const opened = await openLocator(sealed, masterFor('hunter2'));
      expect(opened).not.toBeNull();
      expect(opened!.record).toEqual(r);
      expect(Array.from(opened!.master)).toEqual(Array.from(await masterFor('hunter2')(sealed.slice(0, 16))));
    }
  });

  it('a wrong password (different master) gives null', async () => {
    const sealed = await hide(record(), 'right');
    expect(await openLocator(sealed, masterFor('wrong'))).toBeNull();
    expect(await openLocator(sealed, masterFor('Right'))).toBeNull();
  });

  it('tampering with any byte gives null', async () => {
    const sealed = await hide(record({ keyBits: 128 }), 'pw');
    const master = await masterFor('pw')(sealed.slice(0, 16));
    for (let i = 0; i < SEALED_LOCATOR_BYTES; i++) {
      const t = sealed.slice();
      t[i] ^= 0x40;
      // Salt bytes change the master: model that by deriving from the tampered salt.
      const mf = i < 16 ? masterFor('pw') : async () => master;
      expect(await openLocator(t, mf)).toBeNull();
    }
    expect(await openLocator(sealed.subarray(0, 171), async () => master)).toBeNull();
  });

  it('two sealings of the same record and password share no structure', async () => {
    const r = record();
    const a = await hide(r, 'same password');
    const b = await hide(r, 'same password');
    // Salt and nonce are fresh, so the ciphertext is too: expect about 172/256 equal bytes by chance.
    let equal = 0;
    for (let i = 0; i < SEALED_LOCATOR_BYTES; i++) if (a[i] === b[i]) equal++;
    expect(equal).toBeLessThan(8);
    expect(Array.from(a.subarray(0, 16))).not.toEqual(Array.from(b.subarray(0, 16)));
    expect(Array.from(a.subarray(16, 28))).not.toEqual(Array.from(b.subarray(16, 28)));
  });

  it('uses the fixed AAD and the key size of the record', async () => {
    const r = record({ keyBits: 192 });
    const salt = randomBytes(16);
    const master = await masterFor('pw')(salt);
    const sealed = await sealLocator(r, master, salt, 192);
    const key = await deriveAesKey(master, 192);
    const pt = await openBytes(key, sealed.subarray(16, 28), sealed.subarray(28), LOCATOR_AAD);
    expect(pt).not.toBeNull();
    expect(decodeLocatorRecord(pt!)).toEqual(r);
    await expect(sealLocator(r, master, salt, 256)).rejects.toBeInstanceOf(RangeError);
  });

  it('each version has its own AAD: a v2 locator never opens as v1, nor a v1 locator as v2', async () => {
    const v2 = recordV2();
    const sealed2 = await hide(v2, 'pw');
    expect((await openLocator(sealed2, masterFor('pw'), 2))!.record).toEqual(v2);
    expect(await openLocator(sealed2, masterFor('pw'), 1)).toBeNull();
    expect(await openLocator(sealed2, masterFor('pw'))).toBeNull(); // version 1 unless told
    const sealed1 = await hide(record(), 'pw');
    expect(await openLocator(sealed1, masterFor('pw'), 2)).toBeNull();
    expect(new TextDecoder().decode(LOCATOR_AAD_V2)).toBe('VidStega/v2/locator');
    // A v1 record sealed under the v2 AAD is authentic but claims the wrong version: damage.
    const salt = randomBytes(16);
    const master = await masterFor('pw')(salt);
    const key = await deriveAesKey(master, 256);
    const nonce = randomBytes(12);
    const body = await sealBytes(key, nonce, encodeLocatorRecord(record({ keyBits: 256 })), LOCATOR_AAD_V2);
    await expect(openLocator(new Uint8Array([...salt, ...nonce, ...body]), async () => master, 2)).rejects.toBeInstanceOf(DataDamagedError);
  });

  it('an authenticated but invalid record is DataDamagedError, not null', async () => {
    const salt = randomBytes(16);
    const master = await masterFor('pw')(salt);
    const key = await deriveAesKey(master, 256);
    const nonce = randomBytes(12);
    const body = await sealBytes(key, nonce, new Uint8Array(128), LOCATOR_AAD); // version 0
    const sealed = new Uint8Array([...salt, ...nonce, ...body]);
    await expect(openLocator(sealed, async () => master)).rejects.toBeInstanceOf(DataDamagedError);
  });

  it('10,000 random 172-byte inputs: always null, never throws', async () => {
    const master = await masterFor('pw')(new Uint8Array(16)); // cached: one derivation for all
    const mf = async () => master;
    let opened = 0;
    for (let i = 0; i < 10_000; i++) {
      if ((await openLocator(randomBytes(SEALED_LOCATOR_BYTES), mf)) !== null) opened++;
    }
    expect(opened).toBe(0);
  });
});
