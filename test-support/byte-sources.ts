/**
 * ByteSource implementations for Node tests: a buffer, a file descriptor,
 * and "virtual" files whose bulk bytes come from a formula (so a test can
 * describe a file of many GiB without allocating it), plus the output of a
 * rewrite plan read back without writing it anywhere.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../src/media/formats/byte-source.ts';
import type { RewritePlan } from '../src/media/formats/mp4/rewrite.ts';

function checkRange(size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`read(${offset}, ${length}) outside a source of ${size} bytes`);
  }
}

/** The bytes of a buffer (each read returns a copy, as a File-backed source would). */
export function bufferSource(bytes: Uint8Array): ByteSource & { reads: number } {
  const src = {
    size: bytes.length,
    reads: 0,
    read(offset: number, length: number): Uint8Array {
      checkRange(bytes.length, offset, length);
      src.reads++;
      // A copy, even of a Node Buffer (whose own slice() is a view).
      return Uint8Array.prototype.slice.call(bytes, offset, offset + length);
    },
  };
  return src;
}

/** A file on disk read through its descriptor; `close()` when done. */
export function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      checkRange(size, offset, length);
      const b = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, b, got, length - got, offset + got);
        if (n === 0) throw new Error(`${path} ended at ${offset + got}`);
        got += n;
      }
      return b;
    },
    close: () => closeSync(fd),
  };
}

/** The byte a virtual file holds at `o` wherever no region says otherwise: a cheap hash of the offset. */
export function patternByte(o: number): number {
  return (Math.imul((o >>> 0) ^ Math.floor(o / 0x1_0000_0000), 0x9e3779b1) >>> 24) & 0xff;
}

/** Explicit bytes at a place in a virtual file. */
export interface Region {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * A file of `size` bytes: `regions` (sorted, disjoint) where given, the
 * offset pattern elsewhere. Reads cost what they return, whatever `size` is.
 */
export function virtualSource(size: number, regions: readonly Region[]): ByteSource & { maxRead: number } {
  const src = {
    size,
    maxRead: 0,
    read(offset: number, length: number): Uint8Array {
      checkRange(size, offset, length);
      src.maxRead = Math.max(src.maxRead, length);
      for (const r of regions) if (offset >= r.offset && offset + length <= r.offset + r.bytes.length) return r.bytes.slice(offset - r.offset, offset - r.offset + length);
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = patternByte(offset + i);
      for (const r of regions) {
        const from = Math.max(offset, r.offset);
        const to = Math.min(offset + length, r.offset + r.bytes.length);
        if (from < to) out.set(r.bytes.subarray(from - r.offset, to - r.offset), from - offset);
      }
      return out;
    },
  };
  return src;
}

/**
 * The output of `plan` as a ByteSource, assembled on read from its pieces:
 * lets a test read back the movie box and any sample of a rewrite of a
 * many-GiB virtual file without streaming the whole of it.
 */
export function planOutputSource(plan: RewritePlan, input: ByteSource, replacement: (index: number) => Uint8Array): ByteSource {
  return {
    size: plan.outputSize,
    read(offset: number, length: number): Uint8Array {
      checkRange(plan.outputSize, offset, length);
      const out = new Uint8Array(length);
      for (const p of plan.pieces) {
        const from = Math.max(offset, p.at);
        const to = Math.min(offset + length, p.at + p.length);
        if (from >= to) continue;
        let bytes: Uint8Array;
        if (p.kind === 'copy') bytes = input.read(p.from + (from - p.at), to - from);
        else {
          const whole = p.kind === 'moov' ? plan.moov : p.kind === 'mdat-header' ? p.bytes : replacement(p.index);
          bytes = whole.subarray(from - p.at, to - p.at);
        }
        out.set(bytes, from - offset);
      }
      return out;
    },
  };
}

/** The whole of a small source, for tools that need the file in one piece (ffprobe in MEMFS). */
export function readAll(src: ByteSource): Uint8Array {
  return src.read(0, src.size);
}
