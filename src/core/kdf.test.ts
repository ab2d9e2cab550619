import { describe, expect, it } from 'vitest';
import { KDF_SETS, currentKdfSet, deriveArgon2id, hkdf, kdfSetsNewestFirst, locatorSalt, type KdfParams } from './kdf.ts';
import { yuvGeometry } from './geometry.ts';

const LIGHT: KdfParams = { id: 99, algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('kdf', () => {
  it('set 1 is Argon2id, 64 MiB, 3 passes, 1 lane, and is current', () => {
    expect(KDF_SETS[0]).toEqual({ id: 1, algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
    expect(currentKdfSet()).toBe(KDF_SETS[KDF_SETS.length - 1]);
    expect(kdfSetsNewestFirst()[0]).toBe(currentKdfSet());
    expect(new Set(KDF_SETS.map((s) => s.id)).size).toBe(KDF_SETS.length);
  });

  it('matches the phc-winner-argon2 reference vector (argon2id v1.3, t=2, m=64 MiB, p=1)', async () => {
    // `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32`
    const out = await deriveArgon2id('password', utf8('somesalt'), { ...LIGHT, memoryKiB: 65536, iterations: 2 });
    expect(hex(out)).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });

  it('the real set 1 derives 32 bytes deterministically (timed)', async () => {
    const salt = new Uint8Array(16).fill(7);
    const t0 = performance.now();
    const a = await deriveArgon2id('correct horse', salt, KDF_SETS[0]);
    const ms = performance.now() - t0;
    expect(a.length).toBe(32);
    expect(hex(await deriveArgon2id('correct horse', salt, KDF_SETS[0]))).toBe(hex(a));
    expect(hex(a)).not.toBe(hex(await deriveArgon2id('correct horse', salt, LIGHT)));
    console.info(`Argon2id set 1 (64 MiB, t=3): ${ms.toFixed(0)} ms`);
  });

  it('is deterministic and sensitive to password, salt and every parameter', async () => {
    const salt = new Uint8Array(16).fill(1);
    const base = hex(await deriveArgon2id('pw', salt, LIGHT));
    expect(hex(await deriveArgon2id('pw', salt.slice(), { ...LIGHT }))).toBe(base);
    const others = [
      await deriveArgon2id('pW', salt, LIGHT),
      await deriveArgon2id('pw', Uint8Array.from(salt, (x, i) => (i === 15 ? 2 : x)), LIGHT),
      await deriveArgon2id('pw', salt, { ...LIGHT, memoryKiB: 128 }),
      await deriveArgon2id('pw', salt, { ...LIGHT, iterations: 2 }),
      await deriveArgon2id('pw', salt, { ...LIGHT, memoryKiB: 128, parallelism: 2 }),
    ].map(hex);
    for (const o of others) expect(o).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });

  it('normalises the password to NFC', async () => {
    const salt = new Uint8Array(16);
    const nfc = await deriveArgon2id('caf\u00e9', salt, LIGHT);
    const nfd = await deriveArgon2id('cafe\u0301', salt, LIGHT);
    expect(hex(nfd)).toBe(hex(nfc));
  });

  it('locatorSalt is the first 16 bytes of SHA-256(label || geometryBytes) and binds the geometry', async () => {
    const g = yuvGeometry(1280, 720, '420', 300);
    const s = await locatorSalt(g);
    expect(s.length).toBe(16);
    expect(hex(await locatorSalt(yuvGeometry(1280, 720, '420', 300)))).toBe(hex(s));
    expect(hex(await locatorSalt(yuvGeometry(1280, 720, '420', 301)))).not.toBe(hex(s));
    expect(hex(await locatorSalt(yuvGeometry(1280, 720, '422', 300)))).not.toBe(hex(s));
    // Independent recomputation of the definition.
    const { geometryBytes } = await import('./geometry.ts');
    const input = new Uint8Array([...utf8('VidStega/v1/locator'), ...geometryBytes(g)]);
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
    expect(hex(s)).toBe(hex(d.subarray(0, 16)));
  });

  it('hkdf matches RFC 5869 test case 3 (empty salt and info) and separates infos', async () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    expect(hex(await hkdf(ikm, '', 42))).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
    const m = new Uint8Array(32).fill(3);
    const a = await hkdf(m, 'VidStega/v1/aes-256', 32);
    expect(a.length).toBe(32);
    expect(hex(await hkdf(m, 'VidStega/v1/body-order', 32))).not.toBe(hex(a));
    expect(hex(await hkdf(m, 'VidStega/v1/aes-256', 32))).toBe(hex(a));
  });
});
