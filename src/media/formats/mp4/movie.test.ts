/**
 * readMovie and sampleTable on synthetic movies whose every table is known:
 * each table form the reader accepts, the layouts it must find its way
 * through, and each file it must refuse, with the reason it gives.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../../../test-support/byte-sources.ts';
import {
  type SyntheticTrack,
  type TopItem,
  be32,
  box,
  buildFile,
  concat,
  fullBox,
  chunksOf,
  interleaved,
  materialize,
  syntheticSource,
  u8,
} from '../../../../test-support/mp4-builder.ts';
import { Mp4Error, type Mp4ErrorKind, readMovie, sampleOffset, sampleTable, type Track } from './index.ts';

const AVCC = u8(1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f, 1, 0, 2, 0x68, 0xee);

function video(over: Partial<SyntheticTrack> = {}): SyntheticTrack {
  return {
    id: 1,
    handler: 'vide',
    timescale: 15360,
    sizes: [500, 120, 80, 90, 300, 60, 70, 75],
    chunkSamples: [3, 3, 2],
    deltas: [512, 512, 512, 512, 512, 512, 512, 512],
    compositionOffsets: [1024, 2560, 0, 512, 1024, 2560, 0, 512],
    sync: [0, 4],
    avcC: AVCC,
    ...over,
  };
}

function audio(over: Partial<SyntheticTrack> = {}): SyntheticTrack {
  return { id: 2, handler: 'soun', timescale: 48000, sizes: [20, 21, 22, 23, 24, 25], chunkSamples: [2, 2, 1, 1], deltas: [1024, 1024, 1024, 1024, 1024, 1024], ...over };
}

/** Expected per-sample arrays from the track description and the laid-out offsets. */
function expectTable(t: Track, spec: SyntheticTrack, offsets: readonly number[]): void {
  const s = sampleTable(t);
  expect(s.count).toBe(spec.sizes.length);
  expect([...s.size]).toEqual(spec.sizes);
  expect([...s.offset]).toEqual(offsets);
  const deltas = spec.deltas ?? spec.sizes.map(() => 1000);
  const dts = deltas.map((_, i) => deltas.slice(0, i).reduce((a, b) => a + b, 0));
  expect([...s.decodeTime]).toEqual(dts);
  expect([...s.compositionTime]).toEqual(dts.map((d, i) => d + (spec.compositionOffsets?.[i] ?? 0)));
  expect([...s.sync]).toEqual(spec.sizes.map((_, i) => (spec.sync ? (spec.sync.includes(i) ? 1 : 0) : 1)));
  for (let k = 0; k < s.count; k++) expect(sampleOffset(t, k)).toBe(offsets[k]);
}

function refusal(bytes: Uint8Array): Mp4Error {
  try {
    readMovie(bufferSource(bytes));
  } catch (e) {
    expect(e).toBeInstanceOf(Mp4Error);
    return e as Mp4Error;
  }
  throw new Error('readMovie accepted the file');
}

function expectRefusal(bytes: Uint8Array, kind: Mp4ErrorKind, words: RegExp): void {
  const e = refusal(bytes);
  expect(e.refusal).toBe(kind);
  expect(e.message).toMatch(words);
  expect(e.kind).toBe('unsupported-input');
}

describe('readMovie: tables', () => {
  it('reads two interleaved tracks with moov after the media: sizes, offsets, times, sync, edit list, matrix, avcC', () => {
    const rotated = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
    const v = video({ edits: [{ duration: 1000, mediaTime: 1024 }], matrix: rotated });
    const a = audio({ edits: [{ duration: 500, mediaTime: -1 }, { duration: 1000, mediaTime: 0 }] });
    const f = buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v, a]) }, { kind: 'moov' }]);
    const m = readMovie(syntheticSource(f));
    expect(m.topLevel.map((b) => b.type)).toEqual(['ftyp', 'mdat', 'moov']);
    expect(m.timescale).toBe(1000);
    expect(m.tracks.map((t) => [t.id, t.handler, t.timescale])).toEqual([
      [1, 'vide', 15360],
      [2, 'soun', 48000],
    ]);
    const [tv, ta] = m.tracks;
    expectTable(tv, v, f.sampleOffsets[0]);
    expectTable(ta, a, f.sampleOffsets[1]);
    expect(tv.edits).toEqual([{ segmentDuration: 1000, mediaTime: 1024, mediaRate: 1 }]);
    expect(ta.edits).toEqual([
      { segmentDuration: 500, mediaTime: -1, mediaRate: 1 },
      { segmentDuration: 1000, mediaTime: 0, mediaRate: 1 },
    ]);
    expect([...tv.matrix]).toEqual(rotated);
    expect(tv.sampleEntries).toEqual([{ type: 'avc1', dataReferenceIndex: 1, width: 320, height: 240, avcC: AVCC }]);
    expect([tv.width, tv.height]).toEqual([320, 240]);
    expect(ta.sampleEntries[0].type).toBe('mp4a');
    expect(ta.sampleEntries[0].avcC).toBeUndefined();
    expect(tv.mediaDuration).toBe(8 * 512);
    expect(m.otherOffsetBoxes).toEqual([]);
  });

  it('reads a constant sample size without a per-sample table, and expands it on request', () => {
    const a = audio({ sizes: [4, 4, 4, 4, 4, 4, 4], chunkSamples: [3, 3, 1], constantSize: true, deltas: [1, 1, 1, 1, 1, 1, 1] });
    const f = buildFile([a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([a]) }]);
    const [t] = readMovie(syntheticSource(f)).tracks;
    expect(t.constantSampleSize).toBe(4);
    expect(t.sampleSizes).toBeUndefined();
    expect([...t.chunks.byteLength]).toEqual([12, 12, 4]);
    expectTable(t, a, f.sampleOffsets[0]);
  });

  it.each([4, 8, 16] as const)('reads a compact sample size table (stz2) of %i-bit fields', (bits) => {
    const sizes = bits === 4 ? [1, 15, 7, 0, 9] : bits === 8 ? [255, 1, 128, 7, 3] : [65535, 300, 2, 1000, 5];
    const v = video({ sizes, chunkSamples: [2, 3], compactSizeBits: bits, deltas: undefined, compositionOffsets: undefined, sync: [0] });
    const f = buildFile([v], [{ kind: 'moov' }, { kind: 'mdat', items: interleaved([v]) }]);
    const [t] = readMovie(syntheticSource(f)).tracks;
    expect(t.boxes.sampleSizes.type).toBe('stz2');
    expectTable(t, v, f.sampleOffsets[0]);
  });

  it('follows several sample-to-chunk runs, 64-bit chunk offsets, version-1 ctts with negative offsets', () => {
    const v = video({
      sizes: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
      chunkSamples: [1, 1, 4, 4, 2],
      co64: true,
      cttsVersion: 1,
      compositionOffsets: [0, -512, 512, -1024, 0, 0, 0, 0, 0, 0, 0, 7],
      deltas: [512, 512, 512, 512, 512, 256, 256, 256, 1, 1, 1, 1],
      sync: [0, 6],
    });
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: [{ track: 0, chunk: 0 }, { gap: 33 }, { track: 0, chunk: 1 }, { track: 0, chunk: 2 }, { gap: 1 }, { track: 0, chunk: 3 }, { track: 0, chunk: 4 }] }]);
    const [t] = readMovie(syntheticSource(f)).tracks;
    expect(t.boxes.chunkOffsets?.type).toBe('co64');
    expect(t.compositionOffsets?.count.length).toBe(6);
    expect([...t.chunks.sampleCount]).toEqual([1, 1, 4, 4, 2]);
    expect([...t.chunks.firstSample]).toEqual([0, 1, 2, 6, 10]);
    expect([...t.chunks.sampleDescription]).toEqual([1, 1, 1, 1, 1]);
    expectTable(t, v, f.sampleOffsets[0]);
  });

  it('gives each chunk its sample description, as the sample-to-chunk runs say', () => {
    const v = video({ chunkSamples: [1, 1, 4, 2] });
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: chunksOf(0, v) }]);
    const bytes = materialize(f);
    const stsc = bytes.findIndex((_, i) => String.fromCharCode(...bytes.subarray(i, i + 4)) === 'stsc');
    // Runs: (chunk 1: 1 sample), (chunk 3: 4 samples), (chunk 4: 2 samples); the second run's description becomes 2.
    expect(bytes.subarray(stsc + 8, stsc + 12)).toEqual(be32(3));
    bytes.set(be32(2), stsc + 12 + 12 + 8);
    const [t] = readMovie(bufferSource(bytes)).tracks;
    expect([...t.chunks.sampleDescription]).toEqual([1, 1, 2, 1]);
  });

  it('reads samples across several media data boxes, one with a 64-bit size and one running to the end of the file', () => {
    const v = video();
    const a = audio();
    const items = interleaved([v, a]);
    const f = buildFile(
      [v, a],
      [
        { kind: 'ftyp' },
        { kind: 'raw', bytes: box('free', new Uint8Array(20)) },
        { kind: 'mdat', items: items.slice(0, 3) },
        { kind: 'raw', bytes: box('uuid', new Uint8Array(16).fill(7), u8(1, 2, 3)) },
        { kind: 'moov', extra: [box('udta', box('meta', be32(0), fullBox('hdlr', 0, 0, be32(0), new TextEncoder().encode('mdir'), new Uint8Array(13))))] },
        { kind: 'mdat', items: items.slice(3, 5), largeSize: true },
        { kind: 'raw', bytes: box('skip', u8(9, 9)) },
        { kind: 'mdat', items: items.slice(5), toEnd: true },
      ],
    );
    const m = readMovie(syntheticSource(f));
    expect(m.topLevel.map((b) => b.type)).toEqual(['ftyp', 'free', 'mdat', 'uuid', 'moov', 'mdat', 'skip', 'mdat']);
    expect(m.topLevel[3].headerSize).toBe(24);
    expect(m.topLevel[5].largeSize).toBe(true);
    expect(m.topLevel[7].toEnd).toBe(true);
    expect(m.topLevel[7].offset + m.topLevel[7].size).toBe(f.size);
    expectTable(m.tracks[0], v, f.sampleOffsets[0]);
    expectTable(m.tracks[1], a, f.sampleOffsets[1]);
  });

  it('keeps zero padding after the last box as trailing bytes', () => {
    const v = video();
    const f = materialize(buildFile([v], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v]) }, { kind: 'moov' }]));
    const m = readMovie(bufferSource(concat(f, new Uint8Array(4096))));
    expect(m.trailingBytes).toBe(4096);
    expect(readMovie(bufferSource(concat(f, u8(0, 0, 0)))).trailingBytes).toBe(3);
  });

  it('reads only box headers and the movie box, never media data: a 9 GiB file costs a few small reads', () => {
    const v = video({ sizes: [1000, 2000, 3000], chunkSamples: [1, 1, 1], co64: true, deltas: undefined, compositionOffsets: undefined, sync: [0] });
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'mdat', items: [{ track: 0, chunk: 0 }, { gap: 4.5 * 2 ** 30 }, { track: 0, chunk: 1 }], largeSize: true }, { kind: 'mdat', items: [{ gap: 4.5 * 2 ** 30 }, { track: 0, chunk: 2 }], largeSize: true }, { kind: 'moov' }]);
    expect(f.size).toBeGreaterThan(9 * 2 ** 30);
    const src = syntheticSource(f);
    const m = readMovie(src);
    expect(src.maxRead).toBe(m.moov.size);
    expect(m.moov.offset).toBeGreaterThan(2 ** 33);
    expectTable(m.tracks[0], v, f.sampleOffsets[0]);
    expect(f.sampleOffsets[0][2]).toBeGreaterThan(2 ** 33);
  });

  it('lists item locations and auxiliary sample offsets, which the rewriter cannot move', () => {
    const v = video({ extraStbl: [fullBox('saio', 0, 0, be32(1), be32(100))] });
    const iloc = box('meta', be32(0), fullBox('hdlr', 0, 0, be32(0), new TextEncoder().encode('pict'), new Uint8Array(13)), fullBox('iloc', 0, 0, u8(0x44, 0), be32(0)));
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'raw', bytes: iloc }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v]) }]);
    expect([...readMovie(syntheticSource(f)).otherOffsetBoxes].sort()).toEqual(['iloc', 'saio']);
  });
});

describe('readMovie: refusals', () => {
  const v = video();
  const a = audio();
  const file = (tracks: SyntheticTrack[], items: TopItem[]) => materialize(buildFile(tracks, items));
  const normal = (): TopItem[] => [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }];

  it('refuses a fragmented movie: mvex in the movie box, or a movie fragment box', () => {
    expectRefusal(file([v, a], [{ kind: 'ftyp' }, { kind: 'moov', mvex: true }, { kind: 'mdat', items: interleaved([v, a]) }]), 'fragmented', /fragmented MP4/);
    expectRefusal(file([v, a], [...normal(), { kind: 'raw', bytes: box('moof', fullBox('mfhd', 0, 0, be32(1))) }]), 'fragmented', /fragmented/);
  });

  it('refuses samples kept in another file', () => {
    expectRefusal(file([v, { ...a, externalData: true }], normal()), 'external-data', /Track 2 keeps its samples in another file/);
  });

  it('refuses samples outside every media data box', () => {
    // The audio's chunks are laid out in a 'free' box, not an 'mdat'.
    const f = buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: chunksOf(0, v) }, { kind: 'mdat', items: chunksOf(1, a) }]);
    const bytes = materialize(f);
    const second = f.regions[f.regions.length - 1].offset;
    bytes.set(new TextEncoder().encode('free'), second + 4);
    expectRefusal(bytes, 'outside-media-data', /Track 2 has samples at bytes \d+–\d+, outside every media data box/);
    // A chunk running past the end of its media data box.
    const g = buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }]);
    const cut = materialize(g);
    const mdat = g.regions[g.regions.length - 1].offset;
    cut.set(be32(g.size - mdat - 1), mdat);
    expectRefusal(concat(cut.subarray(0, cut.length - 1), u8(0)), 'outside-media-data', /Track 2 has samples/);
  });

  it('refuses samples of two tracks that share bytes', () => {
    const f = buildFile([v, a], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v, a]) }]);
    const bytes = materialize(f);
    // Point the audio's first chunk into the video's first chunk.
    const m = readMovie(bufferSource(bytes));
    const stco = m.tracks[1].boxes.chunkOffsets!;
    const at = m.moov.offset + stco.offset + stco.headerSize + 8;
    bytes.set(be32(f.sampleOffsets[0][1]), at);
    expectRefusal(bytes, 'overlapping-samples', /Samples of track 2 and track 1 share bytes/);
  });

  it('refuses a file with no movie box, or with two', () => {
    expectRefusal(file([v], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v]) }]).subarray(0), 'no-movie', /no movie box/);
    const one = file([v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v]) }]);
    const m = readMovie(bufferSource(one));
    const moovBytes = one.subarray(m.moov.offset, m.moov.offset + m.moov.size);
    expectRefusal(concat(one, moovBytes), 'malformed', /two movie boxes/);
  });

  it('refuses a file cut short, inside the movie box or inside the media', () => {
    const last = file([v, a], [{ kind: 'ftyp' }, { kind: 'mdat', items: interleaved([v, a]) }, { kind: 'moov' }]);
    expectRefusal(last.subarray(0, last.length - 10), 'truncated', /cut short: its 'moov' box/);
    const first = file([v, a], normal());
    expectRefusal(first.subarray(0, first.length - 10), 'truncated', /cut short: its 'mdat' box/);
  });

  it('refuses bytes that are not an MP4 at all', () => {
    expectRefusal(new TextEncoder().encode('<!doctype html><html><body>not a video</body></html>'), 'not-mp4', /not an MP4 or QuickTime/);
    expectRefusal(new Uint8Array(5000), 'not-mp4', /not an MP4/);
    expectRefusal(new Uint8Array(3), 'not-mp4', /too short/);
    expectRefusal(concat(be32(16), new TextEncoder().encode('RIFF'), new Uint8Array(8)), 'not-mp4', /not an MP4/);
  });

  it('refuses tables that contradict each other, in words that say which', () => {
    const short = { ...v, chunkSamples: [3, 3, 1] }; // places 7 of 8 samples
    expect(() => buildFile([short], normal())).toThrow(/chunks do not hold/);
    const f = buildFile([v], [{ kind: 'ftyp' }, { kind: 'moov' }, { kind: 'mdat', items: interleaved([v]) }]);
    const bytes = materialize(f);
    const m = readMovie(bufferSource(bytes));
    const stbl = m.tracks[0].boxes.containers[3];
    const at = m.moov.offset + stbl.offset;
    const stsc = bytes.findIndex((_, i) => i > at && bytes[i] === 0x73 && String.fromCharCode(...bytes.subarray(i, i + 4)) === 'stsc');
    expect(bytes.subarray(stsc + 8, stsc + 28)).toEqual(concat(be32(2), be32(1), be32(3), be32(1), be32(3)));
    bytes.set(be32(1), stsc + 28); // the second run's samples per chunk: 2 -> 1
    expectRefusal(bytes, 'malformed', /places 7 of its 8 samples in its 3 chunks/);
    bytes.set(be32(2), stsc + 28);
    const stsz = m.tracks[0].boxes.sampleSizes;
    const countAt = m.moov.offset + stsz.offset + stsz.headerSize + 8;
    bytes.set(be32(1_000_000), countAt);
    expectRefusal(bytes, 'malformed', /1000000 samples but is too short/);
  });
});
