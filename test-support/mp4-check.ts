/**
 * Checks a rewritten movie against its source without trusting the plan
 * that made it: the output is read back with readMovie, every sample of
 * every track must hold the source's bytes (or the replacement's) with the
 * source's times and flags, every box of the movie box other than the
 * sample size and chunk offset tables must be byte-identical, every other
 * top-level box too, and each media data box's payload must be the source's
 * with the replaced samples' bytes swapped.
 */
import { expect } from 'vitest';
import { type BoxHeader, childrenOf } from '../src/media/formats/mp4/boxes.ts';
import type { ByteSource } from '../src/media/formats/byte-source.ts';
import { type Movie, readMovie, sampleTable } from '../src/media/formats/mp4/index.ts';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf']);
const TABLES = new Set(['stsz', 'stz2', 'stco', 'co64']);

/** Leaf boxes of the movie box, depth first: path and bytes. */
function leaves(m: Uint8Array, box: BoxHeader, path: string, out: { path: string; bytes: Uint8Array }[]): void {
  let from = box.offset + box.headerSize;
  for (const c of childrenOf(m, box)) {
    // Bytes between children (none in practice) count as a leaf of their own.
    if (c.offset > from) out.push({ path: `${path}/(gap)`, bytes: m.subarray(from, c.offset) });
    if (CONTAINERS.has(c.type)) leaves(m, c, `${path}/${c.type}`, out);
    else out.push({ path: `${path}/${TABLES.has(c.type) ? c.type.replace('co64', 'stco').replace('stz2', 'stsz') : c.type}`, bytes: m.subarray(c.offset, c.offset + c.size) });
    from = c.offset + c.size;
  }
  const end = box.offset + box.size;
  if (end > from) out.push({ path: `${path}/(tail)`, bytes: m.subarray(from, end) });
}

/** Reads `n` bytes at `o`, in pieces, so a check of a huge virtual sample stays small. */
function sampleBytes(src: ByteSource, o: number, n: number, whole: boolean): Uint8Array {
  if (whole || n <= 64) return src.read(o, n);
  const head = src.read(o, 32);
  const tail = src.read(o + n - 32, 32);
  const out = new Uint8Array(64);
  out.set(head);
  out.set(tail, 32);
  return out;
}

export interface RewriteCheck {
  readonly input: ByteSource;
  readonly output: ByteSource;
  /** Index of the rewritten track in the movie's track list. */
  readonly track: number;
  readonly replacements: ReadonlyMap<number, Uint8Array>;
  /** Compare every byte of every sample and of every media data box (small files); else ends of each. */
  readonly everyByte: boolean;
}

/** Runs every check above; returns the output's movie for further expectations. */
export function checkRewrite({ input, output, track, replacements, everyByte }: RewriteCheck): Movie {
  const a = readMovie(input);
  const b = readMovie(output);
  expect(b.tracks.length).toBe(a.tracks.length);
  expect(b.topLevel.map((x) => x.type)).toEqual(a.topLevel.map((x) => x.type));
  expect(b.trailingBytes).toBe(a.trailingBytes);
  let growth = 0;
  for (const [k, r] of replacements) growth += r.length - sampleTable(a.tracks[track]).size[k];

  // Every sample: same times and flags, the source's bytes or the replacement's.
  for (let t = 0; t < a.tracks.length; t++) {
    const sa = sampleTable(a.tracks[t]);
    const sb = sampleTable(b.tracks[t]);
    expect(sb.count).toBe(sa.count);
    expect(sb.decodeTime).toEqual(sa.decodeTime);
    expect(sb.compositionTime).toEqual(sa.compositionTime);
    expect(sb.sync).toEqual(sa.sync);
    for (let k = 0; k < sa.count; k++) {
      const r = t === track ? replacements.get(k) : undefined;
      expect(sb.size[k]).toBe(r ? r.length : sa.size[k]);
      const got = sampleBytes(output, sb.offset[k], sb.size[k], everyByte);
      const want = r ? sampleBytes({ size: r.length, read: (o, n) => r.slice(o, o + n) }, 0, r.length, everyByte) : sampleBytes(input, sa.offset[k], sa.size[k], everyByte);
      if (!bytesEqual(got, want)) throw new Error(`track ${t} sample ${k}: bytes differ from the ${r ? 'replacement' : 'source'}`);
    }
  }

  // The movie box: every leaf box the same bytes but the tables the rewrite has to change.
  const la: { path: string; bytes: Uint8Array }[] = [];
  const lb: { path: string; bytes: Uint8Array }[] = [];
  leaves(a.moovBytes, { ...a.moov, offset: 0 }, 'moov', la);
  leaves(b.moovBytes, { ...b.moov, offset: 0 }, 'moov', lb);
  expect(lb.map((l) => l.path)).toEqual(la.map((l) => l.path));
  for (let i = 0; i < la.length; i++) {
    const table = /\/(stsz|stco)$/.test(la[i].path);
    if (!table && !bytesEqual(la[i].bytes, lb[i].bytes)) throw new Error(`${la[i].path} changed`);
  }

  // Top-level boxes: the same bytes, but the movie box and media data boxes, whose payloads are checked piecewise.
  const replacedRanges: { start: number; end: number; bytes: Uint8Array }[] = [];
  const st = sampleTable(a.tracks[track]);
  for (const [k, r] of replacements) replacedRanges.push({ start: st.offset[k], end: st.offset[k] + st.size[k], bytes: r });
  replacedRanges.sort((x, y) => x.start - y.start);
  for (let i = 0; i < a.topLevel.length; i++) {
    const x = a.topLevel[i];
    const y = b.topLevel[i];
    if (x.type === 'moov') continue;
    if (x.type !== 'mdat') {
      expect(y.size).toBe(x.size);
      expect(bytesEqual(input.read(x.offset, x.size), output.read(y.offset, y.size))).toBe(true);
      continue;
    }
    const inside = replacedRanges.filter((r) => r.start >= x.offset && r.end <= x.offset + x.size);
    expect(y.size - y.headerSize).toBe(x.size - x.headerSize + inside.reduce((n, r) => n + r.bytes.length - (r.end - r.start), 0));
    expect(y.toEnd).toBe(x.toEnd);
    if (!y.toEnd && y.size > 0xffff_ffff) expect(y.largeSize).toBe(true);
    // Payload = source payload with the replaced ranges swapped, compared run by run.
    let from = x.offset + x.headerSize;
    let at = y.offset + y.headerSize;
    const runs: [number, number, number][] = []; // input start, output start, length of an unchanged run
    for (const r of inside) {
      runs.push([from, at, r.start - from]);
      at += r.start - from + r.bytes.length;
      from = r.end;
    }
    runs.push([from, at, x.offset + x.size - from]);
    for (const [i0, o0, n] of runs) {
      if (n === 0) continue;
      const step = everyByte ? n : Math.min(n, 64);
      const ends = everyByte ? [0] : [0, n - step];
      for (const e of ends) if (!bytesEqual(input.read(i0 + e, step), output.read(o0 + e, step))) throw new Error(`mdat ${i} bytes at ${i0 + e} differ`);
    }
  }
  expect(output.size).toBe(input.size + growth + (b.moov.size - a.moov.size) + b.topLevel.reduce((n, y, i) => n + y.headerSize - a.topLevel[i].headerSize, 0));
  return b;
}

export function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
