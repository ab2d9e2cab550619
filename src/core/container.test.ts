import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_BYTES,
  checkContainerLimits,
  MAX_TYPE_BYTES,
  containerSize,
  decodeContainer,
  encodeContainer,
  payloadContainerSize,
  payloadShape,
  utf8ByteLength,
  type Payload,
} from './container.ts';
import { DataDamagedError, UnsupportedInputError } from './errors.ts';
import { mulberry32 as rng } from '../../test-support/seeded-random.ts';


const ALPHABET = ['a', 'Z', '0', ' ', '.', '/', '\\', '\0', 'é', 'ß', '中', '文', '😀', '👩‍💻', '\uFEFF', '\u0301', '\n', '"', '€'];

function randomString(r: () => number, maxChars: number): string {
  const n = Math.floor(r() * (maxChars + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function randomBytes(r: () => number, max: number): Uint8Array {
  const b = new Uint8Array(Math.floor(r() * (max + 1)));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function randomPayload(r: () => number): Payload {
  const files = [];
  const nFiles = Math.floor(r() * 6);
  for (let i = 0; i < nFiles; i++) {
    files.push({ name: randomString(r, 40), type: randomString(r, 10), bytes: randomBytes(r, 3000) });
  }
  return { message: randomString(r, 200), files };
}

describe('container', () => {
  it('round-trips empty, unicode and emoji messages', () => {
    for (const message of ['', 'hello', 'naïve café', '日本語のテキスト', '😀👩‍💻🏳️‍🌈', '\uFEFFstarts with BOM', '\0nul\0']) {
      const p: Payload = { message, files: [] };
      const enc = encodeContainer(p);
      expect(enc.length).toBe(payloadContainerSize(p));
      expect(decodeContainer(enc)).toEqual(p);
    }
  });

  it('round-trips random payloads with 0..5 files and odd names; containerSize is exact', () => {
    const r = rng(1);
    for (let i = 0; i < 300; i++) {
      const p = randomPayload(r);
      const enc = encodeContainer(p);
      expect(enc.length).toBe(containerSize(payloadShape(p)));
      const dec = decodeContainer(enc);
      expect(dec.message).toBe(p.message);
      expect(dec.files.length).toBe(p.files.length);
      dec.files.forEach((f, j) => {
        expect(f.name).toBe(p.files[j].name);
        expect(f.type).toBe(p.files[j].type);
        expect(Array.from(f.bytes)).toEqual(Array.from(p.files[j].bytes));
      });
    }
  });

  it('decodes a container held at an offset in a larger buffer', () => {
    const p: Payload = { message: 'x', files: [{ name: 'a.txt', type: 'text/plain', bytes: new Uint8Array([1, 2, 3]) }] };
    const enc = encodeContainer(p);
    const big = new Uint8Array(enc.length + 10);
    big.set(enc, 7);
    expect(decodeContainer(big.subarray(7, 7 + enc.length))).toEqual(p);
  });

  it('utf8ByteLength matches TextEncoder, lone surrogates included', () => {
    const r = rng(2);
    const samples = ['', 'abc', '\uD800', 'a\uDC00b', '\uD83D\uDE00', '\uD83D', '\uD83Dx'];
    for (let i = 0; i < 200; i++) samples.push(randomString(r, 30));
    for (const s of samples) expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('layout matches FORMAT.md', () => {
    const enc = encodeContainer({ message: 'hi', files: [{ name: 'n', type: 't/x', bytes: new Uint8Array([9]) }] });
    expect(Array.from(enc)).toEqual([
      1, 2, 0, 0, 0, 0x68, 0x69, 1, 0, 0, 0, 1, 0, 0x6e, 3, 0, 0x74, 0x2f, 0x78, 1, 0, 0, 0, 9,
    ]);
  });

  it('refuses over-limit names and types with UnsupportedInputError; limits themselves are fine', () => {
    const ok = { name: 'n'.repeat(MAX_NAME_BYTES), type: 't'.repeat(MAX_TYPE_BYTES), bytes: new Uint8Array(0) };
    expect(decodeContainer(encodeContainer({ message: '', files: [ok] }))).toEqual({ message: '', files: [ok] });
    const longName = { ...ok, name: 'é'.repeat(513) }; // 1026 bytes
    expect(() => encodeContainer({ message: '', files: [longName] })).toThrow(UnsupportedInputError);
    const longType = { ...ok, type: 't'.repeat(MAX_TYPE_BYTES + 1) };
    expect(() => encodeContainer({ message: '', files: [longType] })).toThrow(UnsupportedInputError);
  });

  it('checkContainerLimits refuses 4 GiB messages and files without needing the bytes', () => {
    const file = { nameBytes: 5, typeBytes: 0, size: 2 ** 32 - 1 };
    expect(() => checkContainerLimits({ messageBytes: 2 ** 32 - 1, files: [file] })).not.toThrow();
    expect(() => checkContainerLimits({ messageBytes: 2 ** 32, files: [] })).toThrow(UnsupportedInputError);
    expect(() => checkContainerLimits({ messageBytes: 0, files: [{ ...file, size: 2 ** 32 }] }, ['big.iso'])).toThrow(
      /big\.iso/,
    );
    expect(containerSize({ messageBytes: 10, files: [file, file] })).toBe(9 + 10 + 2 * (8 + 5 + 2 ** 32 - 1));
  });

  it('rejects malformed structure with DataDamagedError', () => {
    const good = encodeContainer({ message: 'hi', files: [{ name: 'n', type: 't', bytes: new Uint8Array([1]) }] });
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => decodeContainer(mutate(good.slice()));
    expect(bad((b) => b.subarray(0, 8))).toThrow(DataDamagedError); // too short
    expect(bad((b) => ((b[0] = 2), b))).toThrow(DataDamagedError); // version
    expect(bad((b) => new Uint8Array([...b, 0]))).toThrow(DataDamagedError); // trailing byte
    expect(bad((b) => b.subarray(0, b.length - 1))).toThrow(DataDamagedError); // truncated file
    expect(bad((b) => ((b[5] = 0xff), b))).toThrow(DataDamagedError); // invalid UTF-8 in message
    expect(bad((b) => ((b[1] = 0xff), (b[4] = 0xff), b))).toThrow(DataDamagedError); // huge message length
    expect(bad((b) => ((b[10] = 0xff), b))).toThrow(DataDamagedError); // huge file count
    // A name length over the limit, even if the bytes were there.
    const longName = new Uint8Array(9 + 2 + 1100 + 2 + 4);
    longName.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 1100 & 0xff, 1100 >> 8]);
    longName.fill(0x61, 11, 11 + 1100);
    expect(() => decodeContainer(longName)).toThrow(DataDamagedError);
  });

  it('only ever throws DataDamagedError on 20,000 random and mutated inputs', () => {
    const r = rng(3);
    const seeds = Array.from({ length: 20 }, () => encodeContainer(randomPayload(r)));
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: Uint8Array;
      const mode = i % 5;
      const base = seeds[Math.floor(r() * seeds.length)];
      if (mode === 0) {
        input = randomBytes(r, 64);
        if (input.length > 0 && r() < 0.5) input[0] = 1; // get past the version check
      } else if (mode === 1) {
        input = base.slice(0, Math.floor(r() * base.length)); // truncation
      } else if (mode === 2) {
        input = base.slice();
        const flips = 1 + Math.floor(r() * 4);
        for (let k = 0; k < flips; k++) input[Math.floor(r() * input.length)] ^= 1 << Math.floor(r() * 8);
      } else if (mode === 3) {
        input = base.slice(); // a 16- or 32-bit length field somewhere set huge
        const at = Math.floor(r() * Math.max(1, input.length - 4));
        const v = new DataView(input.buffer);
        if (r() < 0.5) v.setUint32(at, 0xffff_ffff - Math.floor(r() * 1000), true);
        else v.setUint16(at, 0xffff - Math.floor(r() * 1000), true);
      } else {
        input = new Uint8Array([...base, ...randomBytes(r, 8)]); // extension
      }
      try {
        decodeContainer(input);
        decoded++;
      } catch (e) {
        if (!(e instanceof DataDamagedError)) throw e;
      }
    }
    // Some mutations (a flipped bit inside file bytes) stay valid; most must not.
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(20_000);
  });
});
