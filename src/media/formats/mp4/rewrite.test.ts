/**
 * planRewrite and writeRewrite on synthetic movies: every layout the
 * rewriter must handle (movie box before or after the media, several media
 * data boxes, boxes of every kind between them, each sample size table
 * form), offsets pushed past 4 GiB in files that exist only as a formula,
 * the streaming contract, and the requests it must refuse.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource, planOutputSource } from '../../../../test-support/byte-sources.ts';
import { checkRewrite } from '../../../../test-support/mp4-check.ts';
import {
  type MdatItem,
  type SyntheticTrack,
  type TopItem,
  be32,
  box,
  buildFile,
  chunksOf,
  fullBox,
  interleaved,
  materialize,
  syntheticSource,
  u8,
} from '../../../../test-support/mp4-builder.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import type { ByteSource } from '../byte-source.ts';
import { Mp4Error, type Movie, planRewrite, readMovie, type RewritePlan, sampleTable, writeRewrite } from './index.ts';

const GiB = 2 ** 30;
const TWO_32 = 2 ** 32;

function video(over: Partial<SyntheticTrack> = {}): SyntheticTrack {
  const sizes = [5000, 1200, 800, 900, 3000, 600, 700, 750, 400, 410, 420, 430];
  return {
    id: 1,
    handler: 'vide',
    timescale: 15360,
    sizes,
    chunkSamples: [3, 3, 2, 4],
    deltas: sizes.map(() => 512),
    compositionOffsets: sizes.map((_, i) => (i % 3) * 512),
    sync: [0, 6],
    edits: [{ duration: 1000, mediaTime: 1024 }],
    extraStbl: [fullBox('sdtp', 0, 0, u8(0x20, 0x10, 0x18, 0x18, 0x20, 0x10, 0x18, 0x18, 0x20, 0x10, 0x18, 0x18)), fullBox('sgpd', 1, 0, new TextEncoder().encode('roll'), be32(2), be32(1), u8(0, 1))],
    ...over,
  };
}

function audio(id = 2, over: Partial<SyntheticTrack> = {}): SyntheticTrack {
  const sizes = [20, 21, 22, 23, 24, 25, 26, 27, 28];
  return { id, handler: 'soun', timescale: 48000, sizes, chunkSamples: [2, 2, 2, 1, 2], deltas: sizes.map(() => 1024), ...over };
}

function randomBytes(n: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}

/** Replacement bytes for the given samples of a track: random, each `delta` longer than the sample it replaces. */
function replacementsFor(movie: Movie, trackIndex: number, deltas: ReadonlyMap<number, number>): Map<number, Uint8Array> {
  const s = sampleTable(movie.tracks[trackIndex]);
  return new Map([...deltas].map(([k, d]) => [k, randomBytes(s.size[k] + d, k + 1)]));
}

function lengths(r: ReadonlyMap<number, Uint8Array>): Map<number, number> {
  return new Map([...r].map(([k, b]) => [k, b.length]));
}

/** Writes the plan into memory, the way a worker writes it to disk. */
function writeToMemory(plan: RewritePlan, src: ByteSource, r: ReadonlyMap<number, Uint8Array>, chunk?: number): Uint8Array {
  const out = new Uint8Array(plan.outputSize);
  let at = 0;
  const n = writeRewrite(plan, src, (k) => r.get(k)!, (b) => {
    out.set(b, at);
    at += b.length;
  }, chunk);
  expect(n).toBe(plan.outputSize);
  expect(at).toBe(plan.outputSize);
  return out;
}

/** Rewrites a small synthetic file for real and checks the output against the source. */
function rewriteSmall(tracks: SyntheticTrack[], items: TopItem[], trackIndex: number, deltas: ReadonlyMap<number, number>) {
  const input = materialize(buildFile(tracks, items));
  const movie = readMovie(bufferSource(input));
  const r = replacementsFor(movie, trackIndex, deltas);
  const plan = planRewrite(movie, movie.tracks[trackIndex].id, lengths(r));
  const output = writeToMemory(plan, bufferSource(input), r);
  const after = checkRewrite({ input: bufferSource(input), output: bufferSource(output), track: trackIndex, replacements: r, everyByte: true });
  return { input, output, movie, after, plan };
}

describe('rewrite: layouts', () => {
  const v = video();
  const a = audio();
  // Samples replaced: the first of a chunk (larger), one inside a chunk (smaller), the last sample (larger).
  const deltas = new Map([
    [3, 70_000],
    [4, -2999],
    [11, 5],
  ]);

  it('moov after the media: chunk offsets behind each replaced sample move by what it grew, none before', () => {
    const { movie, after } = rewriteSmall([v, a], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v, a]) }, { kind: 'moov' }], 0, deltas);
    const grew = (o: number) => {
      let d = 0;
      const s = sampleTable(movie.tracks[0]);
      for (const [k, dk] of deltas) if (s.offset[k] < o) d += dk;
      return d;
    };
    for (let t = 0; t < 2; t++) {
      const old = movie.tracks[t].chunks.offset;
      expect([...after.tracks[t].chunks.offset]).toEqual([...old].map((o) => o + grew(o)));
    }
    expect(after.moov.offset).toBe(movie.moov.offset + 70_000 - 2999 + 5);
  });

  it('moov before the media (faststart): every offset also moves by the movie box growth', () => {
    // A constant-size audio track whose sample gets a new length: its stsz becomes a table, and the movie box grows.
    const c = audio(2, { sizes: Array(9).fill(24), constantSize: true });
    const { movie, after, output } = rewriteSmall([c, v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'raw', bytes: box('free', new Uint8Array(8)) }, { kind: 'mdat', items: interleaved([c, v]) }], 0, new Map([[4, 100]]));
    expect(after.tracks[0].constantSampleSize).toBe(0);
    expect([...after.tracks[0].sampleSizes!]).toEqual([24, 24, 24, 24, 124, 24, 24, 24, 24]);
    const growth = after.moov.size - movie.moov.size;
    expect(growth).toBe(9 * 4);
    const s = sampleTable(movie.tracks[0]);
    for (let t = 0; t < 2; t++) {
      expect([...after.tracks[t].chunks.offset]).toEqual([...movie.tracks[t].chunks.offset].map((o) => o + growth + (o > s.offset[4] ? 100 : 0)));
    }
    expect(output.length).toBe(movie.fileSize + growth + 100);
  });

  it('several media data boxes with free, skip, uuid, udta and meta boxes around them; a 64-bit mdat and one to the end of the file', () => {
    const items = interleaved([v, a]);
    const udta = box('udta', box('\u00a9too', u8(0, 5, 0x55, 0xc4), new TextEncoder().encode('Lavf5')));
    const layout: TopItem[] = [
      { kind: 'ftyp' },
      { kind: 'raw', bytes: box('free', new Uint8Array(12)) },
      { kind: 'mdat', items: items.slice(0, 4) },
      { kind: 'moov', extra: [udta, box('meta', be32(0), fullBox('hdlr', 0, 0, be32(0), new TextEncoder().encode('mdir'), new Uint8Array(13)))] },
      { kind: 'raw', bytes: box('uuid', new Uint8Array(16).fill(3), u8(1, 2)) },
      { kind: 'mdat', items: items.slice(4, 7), largeSize: true },
      { kind: 'raw', bytes: box('skip', u8(1)) },
      { kind: 'mdat', items: items.slice(7), toEnd: true },
    ];
    const { after, output } = rewriteSmall([v, a], layout, 0, deltas);
    expect(after.topLevel[5].largeSize).toBe(true);
    expect(after.topLevel[7].toEnd).toBe(true);
    expect(after.topLevel[7].offset + after.topLevel[7].size).toBe(output.length);
  });

  it('replaces samples of a compact size table (stz2) by writing a full stsz', () => {
    const c = video({ sizes: [200, 100, 150, 90, 80, 70, 60, 50, 40, 30, 20, 10], compactSizeBits: 8 });
    const { after } = rewriteSmall([c, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([c, a]) }], 0, new Map([[1, 500]]));
    expect(after.tracks[0].boxes.sampleSizes.type).toBe('stsz');
    expect(after.tracks[0].sampleSizes![1]).toBe(600);
  });

  it('leaves the movie box untouched when every replacement keeps its length', () => {
    const { input, output, movie } = rewriteSmall([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }], 0, new Map([[2, 0], [5, 0]]));
    expect(output.length).toBe(input.length);
    const s = sampleTable(movie.tracks[0]);
    let differing = 0;
    for (let i = 0; i < input.length; i++) if (input[i] !== output[i]) differing++;
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThanOrEqual(s.size[2] + s.size[5]);
    const m = movie.moov;
    expect(output.subarray(m.offset, m.offset + m.size)).toEqual(input.subarray(m.offset, m.offset + m.size));
  });

  it('with nothing to replace, writes the input unchanged', () => {
    const input = materialize(buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }]));
    const movie = readMovie(bufferSource(input));
    const plan = planRewrite(movie, 1, new Map());
    expect(writeToMemory(plan, bufferSource(input), new Map())).toEqual(input);
  });

  it('rewrites any track, not only video: audio samples replaced, video offsets moved', () => {
    rewriteSmall([v, a], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v, a]) }, { kind: 'moov' }], 1, new Map([[0, 9], [8, -27]]));
  });
});

describe('rewrite: streaming', () => {
  const v = video();
  const a = audio();

  it('asks for each replacement when the output reaches it, once, and copies in pieces of at most the chunk size', () => {
    const input = materialize(buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v, a]) }, { kind: 'moov' }]));
    const movie = readMovie(bufferSource(input));
    const r = replacementsFor(movie, 0, new Map([[7, 11], [1, -3], [9, 100]]));
    const plan = planRewrite(movie, 1, lengths(r));
    const calls: [number, number][] = [];
    let written = 0;
    let biggest = 0;
    const out = new Uint8Array(plan.outputSize);
    writeRewrite(plan, bufferSource(input), (k) => (calls.push([k, written]), r.get(k)!), (b) => {
      out.set(b, written);
      written += b.length;
      biggest = Math.max(biggest, b.length);
    }, 1000);
    // In file order, each at exactly the output position the plan gives it.
    const at = new Map(plan.pieces.flatMap((p) => (p.kind === 'sample' ? [[p.index, p.at] as const] : [])));
    expect(calls).toEqual([1, 7, 9].map((k) => [k, at.get(k)]));
    expect(biggest).toBeLessThanOrEqual(Math.max(1000, plan.moov.length));
    expect(out).toEqual(writeToMemory(plan, bufferSource(input), r));
  });

  it('knows the exact output size before writing, and reads a large input a few MiB at a time', () => {
    const big = video({ sizes: [3 * 2 ** 20, 9 * 2 ** 20, 2 ** 20, 5 * 2 ** 20], chunkSamples: [2, 2], deltas: [1, 1, 1, 1], compositionOffsets: undefined, sync: [0], extraStbl: [] });
    const f = buildFile([big], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: chunksOf(0, big) }]);
    const src = syntheticSource(f);
    const movie = readMovie(src);
    const r = new Map([[1, randomBytes(9 * 2 ** 20 + 77, 5)]]);
    const plan = planRewrite(movie, 1, lengths(r));
    expect(plan.outputSize).toBe(f.size + 77);
    let written = 0;
    let biggest = 0;
    writeRewrite(plan, src, (k) => r.get(k)!, (b) => {
      written += b.length;
      if (b !== r.get(1)) biggest = Math.max(biggest, b.length);
    });
    expect(written).toBe(plan.outputSize);
    expect(src.maxRead).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(biggest).toBeLessThanOrEqual(4 * 2 ** 20);
  });

  it('refuses a replacement whose length is not the planned one, and an input that is not the planned file', () => {
    const input = materialize(buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }]));
    const movie = readMovie(bufferSource(input));
    const plan = planRewrite(movie, 1, new Map([[3, 1234]]));
    const sink = () => {};
    expect(() => writeRewrite(plan, bufferSource(input), () => new Uint8Array(1233), sink)).toThrow(/replacement for sample 3 is 1233 bytes, but 1234 were planned/);
    expect(() => writeRewrite(plan, bufferSource(input.subarray(1)), () => new Uint8Array(1234), sink)).toThrow(Mp4Error);
  });
});

describe('rewrite: requests refused', () => {
  const v = video({ sizes: [5000, 0, 800, 900, 3000, 600, 700, 750, 400, 410, 420, 430] });
  const a = audio();
  const movie = readMovie(syntheticSource(buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }])));
  const refusal = (f: () => unknown, words: RegExp) => {
    expect(f).toThrow(Mp4Error);
    expect(f).toThrow(words);
  };

  it('an unknown track, a sample it does not have, an impossible length, an empty sample', () => {
    refusal(() => planRewrite(movie, 9, new Map([[0, 1]])), /no track 9/);
    refusal(() => planRewrite(movie, 1, new Map([[12, 1]])), /Track 1 has no sample 12: it has 12/);
    refusal(() => planRewrite(movie, 1, new Map([[-1, 1]])), /no sample -1/);
    refusal(() => planRewrite(movie, 1, new Map([[0, -5]])), /cannot be -5 bytes/);
    refusal(() => planRewrite(movie, 1, new Map([[0, 2 ** 32]])), /cannot be 4294967296 bytes/);
    refusal(() => planRewrite(movie, 1, new Map([[1, 10]])), /Sample 1 of track 1 is empty/);
  });

  it('a file with item locations or auxiliary sample offsets, which moving data would break', () => {
    const s = video({ extraStbl: [fullBox('saio', 0, 0, be32(1), be32(100))] });
    const m = readMovie(syntheticSource(buildFile([s], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: chunksOf(0, s) }])));
    refusal(() => planRewrite(m, 1, new Map([[0, 1]])), /'saio'.*cannot be rewritten/);
  });
});

describe('rewrite: past 4 GiB (virtual files)', () => {
  /**
   * A video track whose chunk 0 is at the start of a media data box and the
   * rest far behind, near the 4 GiB line, and an audio track with chunks on
   * both sides: growing a video sample of chunk 0 pushes what is behind past
   * 2^32 − 1.
   */
  function nearFourGiB(moovFirst: boolean, growth: number) {
    const v = video({ sizes: [4000, 3000, 2000, 1000], chunkSamples: [2, 2], deltas: [1, 1, 1, 1], compositionOffsets: undefined, sync: [0], edits: undefined });
    const a = audio(2, { sizes: [100, 100, 100, 100], chunkSamples: [1, 1, 1, 1], deltas: [1, 1, 1, 1] });
    const items: MdatItem[] = [{ track: 0, chunk: 0 }, { track: 1, chunk: 0 }, { gap: 4 * GiB - 100_000 }, { track: 1, chunk: 1 }, { track: 0, chunk: 1 }, { track: 1, chunk: 2 }, { gap: 30_000 }, { track: 1, chunk: 3 }];
    const layout: TopItem[] = moovFirst ? [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items }] : [{ kind: 'ftyp' }, { kind: 'mdat', items }, { kind: 'moov' }];
    const f = buildFile([v, a], layout);
    const src = syntheticSource(f);
    const movie = readMovie(src);
    const r = new Map([[1, randomBytes(3000 + growth, 9)]]);
    const plan = planRewrite(movie, 1, lengths(r));
    const out = planOutputSource(plan, src, (k) => r.get(k)!);
    return { f, src, movie, r, plan, out };
  }

  for (const moovFirst of [false, true]) {
    it(`promotes stco to co64 with the right offsets, and a 32-bit mdat that passes 4 GiB takes a 64-bit size (moov ${moovFirst ? 'first' : 'last'})`, () => {
      const { src, movie, r, plan, out } = nearFourGiB(moovFirst, 200_000);
      const mdat = movie.topLevel.find((b) => b.type === 'mdat')!;
      expect(mdat.largeSize).toBe(false);
      expect(mdat.size).toBeLessThan(TWO_32);
      expect(mdat.size + 200_000).toBeGreaterThan(TWO_32);
      for (const t of movie.tracks) expect(t.boxes.chunkOffsets!.type).toBe('stco');

      const after = checkRewrite({ input: src, output: out, track: 0, replacements: r, everyByte: false });
      const outMdat = after.topLevel.find((b) => b.type === 'mdat')!;
      expect(outMdat.largeSize).toBe(true);
      expect(outMdat.headerSize).toBe(16);
      expect(outMdat.size).toBe(mdat.size + 200_000 + 8);
      for (const t of after.tracks) expect(t.boxes.chunkOffsets!.type).toBe('co64');
      // Each offset: + the moov growth if the moov is before it, + 8 for the mdat's longer header, + the sample's growth if behind it.
      const moovGrowth = after.moov.size - movie.moov.size;
      expect(moovGrowth).toBe(4 * (2 + 4)); // both tables promoted: 4 more bytes per chunk
      const replacedAt = sampleTable(movie.tracks[0]).offset[1];
      for (let t = 0; t < 2; t++) {
        const want = [...movie.tracks[t].chunks.offset].map((o) => o + (moovFirst ? moovGrowth : 0) + 8 + (o > replacedAt ? 200_000 : 0));
        expect([...after.tracks[t].chunks.offset]).toEqual(want);
      }
      expect(Math.max(...after.tracks[1].chunks.offset)).toBeGreaterThan(TWO_32);
      expect(plan.outputSize).toBe(movie.fileSize + 200_000 + 8 + moovGrowth);
    });
  }

  it('keeps 32-bit tables and headers when nothing passes 4 GiB', () => {
    const { movie, src, r, out } = nearFourGiB(false, 1000);
    const after = checkRewrite({ input: src, output: out, track: 0, replacements: r, everyByte: false });
    for (const t of after.tracks) expect(t.boxes.chunkOffsets!.type).toBe('stco');
    expect(after.topLevel.find((b) => b.type === 'mdat')!.largeSize).toBe(false);
    expect(after.moov.size).toBe(movie.moov.size);
  });

  it('moov first: promoting one track grows the movie box, which pushes another track past 4 GiB in turn', () => {
    // Track 3's chunk lies before the replaced sample and just under 2^32 − 1: the sample's growth does not move it,
    // only the movie box's growth from the promotion of track 2 (300 chunks behind the sample) does.
    const v = video({ sizes: [10, 100], chunkSamples: [1, 1], deltas: [1, 1], compositionOffsets: undefined, sync: [0], edits: undefined, extraStbl: [] });
    const many = audio(2, { sizes: Array(300).fill(1), chunkSamples: Array(300).fill(1), deltas: Array(300).fill(1) });
    const lone = audio(3, { sizes: [10], chunkSamples: [1], deltas: [1] });
    const f0 = buildFile([v, many, lone], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: [{ track: 0, chunk: 0 }] }]);
    // Lay out: [video chunk 0] gap [lone chunk at 2^32 - 700] [video chunk 1 (replaced)] [300 one-byte chunks].
    const gap = TWO_32 - 700 - f0.size;
    const items: MdatItem[] = [{ track: 0, chunk: 0 }, { gap }, { track: 2, chunk: 0 }, { track: 0, chunk: 1 }, ...chunksOf(1, many)];
    const f = buildFile([v, many, lone], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items, largeSize: false }]);
    const src = syntheticSource(f);
    const movie = readMovie(src);
    const loneAt = movie.tracks[2].chunks.offset[0];
    expect(loneAt).toBe(TWO_32 - 700);
    expect(Math.max(...movie.tracks[1].chunks.offset)).toBeLessThan(TWO_32);
    expect(movie.tracks[1].chunks.offset[0] + 1000).toBeGreaterThan(TWO_32); // the sample's growth pushes these past
    expect(loneAt + 4 * 300).toBeGreaterThan(TWO_32); // only the movie box's growth pushes this one past
    const r = new Map([[1, randomBytes(100 + 1000, 3)]]);
    const plan = planRewrite(movie, 1, lengths(r));
    const after = checkRewrite({ input: src, output: planOutputSource(plan, src, (k) => r.get(k)!), track: 0, replacements: r, everyByte: false });
    expect(after.tracks.map((t) => t.boxes.chunkOffsets!.type)).toEqual(['co64', 'co64', 'co64']);
    const moovGrowth = after.moov.size - movie.moov.size;
    expect(moovGrowth).toBe(4 * (2 + 300 + 1));
    expect(after.tracks[2].chunks.offset[0]).toBe(loneAt + moovGrowth);
    expect(after.topLevel[2].largeSize).toBe(false);
    expect([...after.tracks[1].chunks.offset]).toEqual([...movie.tracks[1].chunks.offset].map((o) => o + moovGrowth + 1000));
    expect([...after.tracks[0].chunks.offset]).toEqual([...movie.tracks[0].chunks.offset].map((o) => o + moovGrowth));
  });

  it('a 64-bit mdat and co64 tables stay so, whatever the sizes', () => {
    const v = video({ sizes: [4000, 3000], chunkSamples: [1, 1], deltas: [1, 1], compositionOffsets: undefined, sync: [0], co64: true, edits: undefined });
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: [{ track: 0, chunk: 0 }, { gap: 5 * GiB }, { track: 0, chunk: 1 }], largeSize: true }]);
    const src = syntheticSource(f);
    const movie = readMovie(src);
    const r = new Map([[0, randomBytes(10, 1)]]);
    const plan = planRewrite(movie, 1, lengths(r));
    const after = checkRewrite({ input: src, output: planOutputSource(plan, src, (k) => r.get(k)!), track: 0, replacements: r, everyByte: false });
    expect(after.moov.size).toBe(movie.moov.size);
    expect(after.tracks[0].chunks.offset[1]).toBe(movie.tracks[0].chunks.offset[1] - 3990);
    expect(plan.outputSize).toBe(f.size - 3990);
  });
});
