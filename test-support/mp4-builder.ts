/**
 * A tiny MP4 writer for tests: synthetic movies with exactly the table
 * shapes a test asks for (constant or per-sample sizes, compact sizes,
 * several sample-to-chunk runs, 32- or 64-bit chunk offsets, interleaved
 * tracks, the movie box before or after the media, several media data boxes,
 * gaps of any size). Sample bytes are not stored: a file is its boxes as
 * regions, and `patternByte` everywhere else, so a file of many GiB costs
 * only its boxes.
 */
import { patternByte, type Region, virtualSource } from './byte-sources.ts';
import type { ByteSource } from '../src/media/formats/byte-source.ts';

export interface SyntheticTrack {
  readonly id: number;
  /** Handler type: 'vide', 'soun', 'tmcd'… */
  readonly handler: string;
  readonly timescale?: number;
  /** Size of each sample, in decode order. */
  readonly sizes: readonly number[];
  /** How many samples each chunk holds, in chunk order (sums to sizes.length). */
  readonly chunkSamples: readonly number[];
  /** Write one size for all samples (they must all be equal). */
  readonly constantSize?: boolean;
  /** Write a compact sample size table (stz2) with fields of this many bits. */
  readonly compactSizeBits?: 4 | 8 | 16;
  /** Write chunk offsets as co64. */
  readonly co64?: boolean;
  /** Decode duration of each sample (default 1000 each). */
  readonly deltas?: readonly number[];
  /** Composition offset of each sample, and the ctts version. */
  readonly compositionOffsets?: readonly number[];
  readonly cttsVersion?: 0 | 1;
  /** 0-based sync samples; omitted: no stss (all sync). */
  readonly sync?: readonly number[];
  readonly edits?: readonly { duration: number; mediaTime: number; rate?: number }[];
  readonly editListVersion?: 0 | 1;
  /** Display matrix a b u c d v x y w (default identity). */
  readonly matrix?: readonly number[];
  readonly sampleEntry?: string;
  readonly avcC?: Uint8Array;
  /** The data reference lacks the self-contained flag (samples in another file). */
  readonly externalData?: boolean;
  /** Extra boxes at the end of stbl (sdtp, sgpd, sbgp…), to check they are kept byte for byte. */
  readonly extraStbl?: readonly Uint8Array[];
}

/** What goes into a media data box: a chunk of a track, or bytes that belong to no sample. */
export type MdatItem = { readonly track: number; readonly chunk: number } | { readonly gap: number };

export type TopItem =
  | { readonly kind: 'ftyp' }
  | { readonly kind: 'moov'; readonly extra?: readonly Uint8Array[]; readonly mvex?: boolean }
  | { readonly kind: 'mdat'; readonly items: readonly MdatItem[]; readonly largeSize?: boolean; readonly toEnd?: boolean }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export interface SyntheticFile {
  readonly size: number;
  readonly regions: readonly Region[];
  /** Absolute offset of every sample, per track, as laid out. */
  readonly sampleOffsets: readonly number[][];
}

const enc = new TextEncoder();

export function u8(...v: number[]): Uint8Array {
  return Uint8Array.from(v);
}
export function be16(v: number): Uint8Array {
  return u8(v >>> 8, v & 255);
}
export function be32(v: number): Uint8Array {
  return u8(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}
export function be64(v: number): Uint8Array {
  const hi = Math.floor(v / 0x1_0000_0000);
  return concat(be32(hi), be32(v - hi * 0x1_0000_0000));
}
/** Many big-endian 32-bit values as one array (tables of a long movie have hundreds of thousands). */
export function be32s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i] >>> 0);
  return out;
}
/** Two's-complement 64-bit (edit-list media times may be -1). */
export function bes64(v: number): Uint8Array {
  const hi = Math.floor(v / 0x1_0000_0000);
  return concat(be32(hi >>> 0), be32(v - hi * 0x1_0000_0000));
}
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
export function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(...parts);
  return concat(be32(8 + body.length), enc.encode(type), body);
}
export function fullBox(type: string, version: number, flags: number, ...parts: Uint8Array[]): Uint8Array {
  return box(type, u8(version, (flags >>> 16) & 255, (flags >>> 8) & 255, flags & 255), ...parts);
}

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v) last[0]++;
    else out.push([1, v]);
  }
  return out;
}

function sampleEntry(t: SyntheticTrack): Uint8Array {
  const type = t.sampleEntry ?? (t.handler === 'vide' ? 'avc1' : t.handler === 'soun' ? 'mp4a' : 'tmcd');
  const head = concat(new Uint8Array(6), be16(1));
  if (t.handler === 'vide') {
    const fixed = concat(head, new Uint8Array(16), be16(320), be16(240), be32(0x480000), be32(0x480000), be32(0), be16(1), new Uint8Array(32), be16(0x18), be16(0xffff));
    return box(type, fixed, ...(t.avcC ? [box('avcC', t.avcC)] : []));
  }
  if (t.handler === 'soun') return box(type, head, new Uint8Array(8), be16(2), be16(16), be32(0), be32(48000 * 65536));
  return box(type, head, new Uint8Array(8));
}

function trak(t: SyntheticTrack, chunkOffsets: readonly number[]): Uint8Array {
  const n = t.sizes.length;
  const timescale = t.timescale ?? 1000;
  const deltas = t.deltas ?? t.sizes.map(() => 1000);
  const duration = deltas.reduce((a, b) => a + b, 0);
  const matrix = t.matrix ?? IDENTITY;
  const tkhd = fullBox('tkhd', 0, 3, be32(0), be32(0), be32(t.id), be32(0), be32(duration), new Uint8Array(8), be16(0), be16(0), be16(t.handler === 'soun' ? 0x100 : 0), be16(0),
    ...matrix.map((v) => be32(v >>> 0)), be32(t.handler === 'vide' ? 320 * 65536 : 0), be32(t.handler === 'vide' ? 240 * 65536 : 0));
  const parts: Uint8Array[] = [tkhd];
  if (t.edits) {
    const v = t.editListVersion ?? 0;
    const entries = t.edits.map((e) => (v === 1 ? concat(be64(e.duration), bes64(e.mediaTime), be32((e.rate ?? 1) * 65536)) : concat(be32(e.duration), be32(e.mediaTime >>> 0), be32((e.rate ?? 1) * 65536))));
    parts.push(box('edts', fullBox('elst', v, 0, be32(entries.length), ...entries)));
  }
  const stbl: Uint8Array[] = [fullBox('stsd', 0, 0, be32(1), sampleEntry(t))];
  const stts = runs(deltas);
  stbl.push(fullBox('stts', 0, 0, be32(stts.length), be32s(stts.flat())));
  if (t.compositionOffsets) {
    const ctts = runs(t.compositionOffsets);
    stbl.push(fullBox('ctts', t.cttsVersion ?? 0, 0, be32(ctts.length), be32s(ctts.flat())));
  }
  if (t.sync) stbl.push(fullBox('stss', 0, 0, be32(t.sync.length), be32s(t.sync.map((s) => s + 1))));
  const stsc: [number, number][] = [];
  t.chunkSamples.forEach((k, c) => {
    if (stsc.length === 0 || stsc[stsc.length - 1][1] !== k) stsc.push([c + 1, k]);
  });
  stbl.push(fullBox('stsc', 0, 0, be32(stsc.length), be32s(stsc.flatMap(([f, k]) => [f, k, 1]))));
  if (t.compactSizeBits) {
    const bits = t.compactSizeBits;
    const table = new Uint8Array(Math.ceil((n * bits) / 8));
    t.sizes.forEach((s, i) => {
      if (bits === 16) table.set(be16(s), 2 * i);
      else if (bits === 8) table[i] = s;
      else table[i >> 1] |= i & 1 ? s : s << 4;
    });
    stbl.push(fullBox('stz2', 0, 0, u8(0, 0, 0, bits), be32(n), table));
  } else if (t.constantSize) {
    stbl.push(fullBox('stsz', 0, 0, be32(t.sizes[0]), be32(n)));
  } else {
    stbl.push(fullBox('stsz', 0, 0, be32(0), be32(n), be32s(t.sizes)));
  }
  if (t.co64) stbl.push(fullBox('co64', 0, 0, be32(chunkOffsets.length), be32s(chunkOffsets.flatMap((o) => [Math.floor(o / 0x1_0000_0000), o % 0x1_0000_0000]))));
  else {
    for (const o of chunkOffsets) if (o > 0xffff_ffff) throw new Error(`builder: chunk offset ${o} needs co64`);
    stbl.push(fullBox('stco', 0, 0, be32(chunkOffsets.length), be32s(chunkOffsets)));
  }
  stbl.push(...(t.extraStbl ?? []));
  const dref = fullBox('dref', 0, 0, be32(1), fullBox('url ', 0, t.externalData ? 0 : 1, ...(t.externalData ? [enc.encode('other.mp4\0')] : [])));
  const hdlr = fullBox('hdlr', 0, 0, be32(0), enc.encode(t.handler), new Uint8Array(12), u8(0));
  const minf = box('minf', box('dinf', dref), box('stbl', ...stbl));
  const mdhd = fullBox('mdhd', 0, 0, be32(0), be32(0), be32(timescale), be32(duration), be16(0x55c4), be16(0));
  parts.push(box('mdia', mdhd, hdlr, minf));
  return box('trak', ...parts);
}

function moov(tracks: readonly SyntheticTrack[], offsets: readonly number[][], item: Extract<TopItem, { kind: 'moov' }>): Uint8Array {
  const mvhd = fullBox('mvhd', 0, 0, be32(0), be32(0), be32(1000), be32(10_000), be32(0x10000), be16(0x100), new Uint8Array(10), ...IDENTITY.map(be32), new Uint8Array(24), be32(tracks.length + 1));
  const traks = tracks.map((t, i) => trak(t, offsets[i]));
  return box('moov', mvhd, ...(item.extra ?? []), ...traks, ...(item.mvex ? [box('mvex', fullBox('trex', 0, 0, be32(1), be32(1), be32(0), be32(0), be32(0)))] : []));
}

/**
 * Lays out `items` in order and fills in the chunk offsets. Chunk bytes are
 * the offset pattern of the file (not stored); everything else is a region.
 */
export function buildFile(tracks: readonly SyntheticTrack[], items: readonly TopItem[]): SyntheticFile {
  for (const t of tracks) if (t.chunkSamples.reduce((a, b) => a + b, 0) !== t.sizes.length) throw new Error(`builder: track ${t.id} chunks do not hold its samples`);
  const chunkBytes = tracks.map((t) => {
    const out: number[] = [];
    let s = 0;
    for (const k of t.chunkSamples) {
      let b = 0;
      for (let i = 0; i < k; i++) b += t.sizes[s++];
      out.push(b);
    }
    return out;
  });
  const offsets = tracks.map((t) => t.chunkSamples.map(() => 0));
  // Pass 1 with zero offsets gives the movie box's size (its tables have fixed widths); pass 2 writes the real offsets.
  const ftyp = box('ftyp', enc.encode('isom'), be32(0x200), enc.encode('isomiso2avc1mp41'));
  let regions: Region[] = [];
  let size = 0;
  for (let pass = 0; pass < 2; pass++) {
    regions = [];
    let at = 0;
    for (const item of items) {
      if (item.kind === 'ftyp' || item.kind === 'raw') {
        const b = item.kind === 'ftyp' ? ftyp : item.bytes;
        regions.push({ offset: at, bytes: b });
        at += b.length;
      } else if (item.kind === 'moov') {
        const b = moov(tracks, offsets, item);
        regions.push({ offset: at, bytes: b });
        at += b.length;
      } else {
        const headerSize = item.largeSize ? 16 : 8;
        const start = at;
        at += headerSize;
        for (const it of item.items) {
          if ('gap' in it) at += it.gap;
          else {
            offsets[it.track][it.chunk] = at;
            at += chunkBytes[it.track][it.chunk];
          }
        }
        const boxSize = at - start;
        let header: Uint8Array;
        if (item.toEnd) header = concat(be32(0), enc.encode('mdat'));
        else if (item.largeSize) header = concat(be32(1), enc.encode('mdat'), be64(boxSize));
        else {
          if (boxSize > 0xffff_ffff) throw new Error('builder: mdat needs a 64-bit size');
          header = concat(be32(boxSize), enc.encode('mdat'));
        }
        regions.push({ offset: start, bytes: header });
      }
    }
    size = at;
  }
  const sampleOffsets = tracks.map((t, ti) => {
    const out: number[] = [];
    let s = 0;
    t.chunkSamples.forEach((k, c) => {
      let o = offsets[ti][c];
      for (let i = 0; i < k; i++) {
        out.push(o);
        o += t.sizes[s++];
      }
    });
    return out;
  });
  return { size, regions, sampleOffsets };
}

/** The synthetic file as a ByteSource (virtual: any size). */
export function syntheticSource(f: SyntheticFile): ByteSource & { maxRead: number } {
  return virtualSource(f.size, f.regions);
}

/** The synthetic file's bytes (small files only). */
export function materialize(f: SyntheticFile): Uint8Array {
  const out = new Uint8Array(f.size);
  for (let i = 0; i < f.size; i++) out[i] = patternByte(i);
  for (const r of f.regions) out.set(r.bytes, r.offset);
  return out;
}

/** Every chunk of track number `track` (its index in the file's track list), in order. */
export function chunksOf(track: number, spec: SyntheticTrack): MdatItem[] {
  return spec.chunkSamples.map((_, chunk) => ({ track, chunk }));
}

/** Interleaves the chunks of `tracks` round-robin (chunk 0 of each, then chunk 1…), as muxers do. */
export function interleaved(tracks: readonly SyntheticTrack[]): MdatItem[] {
  const items: MdatItem[] = [];
  const most = Math.max(...tracks.map((t) => t.chunkSamples.length));
  for (let c = 0; c < most; c++) for (let t = 0; t < tracks.length; t++) if (c < tracks[t].chunkSamples.length) items.push({ track: t, chunk: c });
  return items;
}
