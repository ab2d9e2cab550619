/**
 * Reads an MP4/MOV/M4V movie: its top-level layout (headers only), the movie
 * box (`moov`) in memory, and per track what the engine needs to read samples
 * straight from the file and what the rewriter needs to move them: chunk
 * places, sample sizes, and the time tables in their compact run form.
 *
 * Memory follows the movie box, not the media: nothing here is per sample for
 * a track whose samples all have one size (PCM audio can have hundreds of
 * millions). `sampleTable` (sample-table.ts) expands one track's tables into
 * per-sample arrays when asked.
 *
 * Refused in plain words (`Mp4Error`), because the rewriter could not keep
 * such a file valid: fragmented movies, samples in other files, samples
 * outside every media data box, samples sharing bytes, no movie box.
 */
import type { ByteSource } from '../byte-source.ts';
import { type BoxHeader, childBoxes, childrenOf, findChild, fourcc, fullBoxHead, i32, i64, readTopLevelBoxes, u16, u32, u64 } from './boxes.ts';
import { Mp4Error } from './errors.ts';

/** One entry of a track's edit list (`elst`): which part of the media plays when. */
export interface EditListEntry {
  /** Length of this edit in the movie's timescale. */
  readonly segmentDuration: number;
  /** Where in the media this edit starts, in the track's timescale; -1 for an empty edit (nothing plays). */
  readonly mediaTime: number;
  /** Playback rate (1 = normal), from its 16.16 fixed-point field. */
  readonly mediaRate: number;
}

/** One sample description (`stsd` entry) of a track. */
export interface SampleEntry {
  /** Its four-character code: `avc1`, `avc3`, `hvc1`, `mp4a`, `tmcd`… */
  readonly type: string;
  /** Which data reference (`dref` entry, 1-based) holds the samples it describes. */
  readonly dataReferenceIndex: number;
  /** Coded width and height, for video sample entries (0 otherwise). */
  readonly width: number;
  readonly height: number;
  /** For `avc1`/`avc3`: the AVCDecoderConfigurationRecord (the payload of `avcC`, SPS and PPS inside). */
  readonly avcC: Uint8Array | undefined;
}

/**
 * A track's chunks (runs of consecutive samples stored back to back), in
 * chunk order. Sample `k` of chunk `c` starts at `offset[c]` plus the sizes
 * of the chunk's samples before it.
 */
export interface ChunkTable {
  /** File offset of each chunk (from `stco` or `co64`). */
  readonly offset: Float64Array;
  /** Index (0-based, decode order) of each chunk's first sample. */
  readonly firstSample: Uint32Array;
  /** Samples in each chunk. */
  readonly sampleCount: Uint32Array;
  /** Bytes of each chunk's samples. */
  readonly byteLength: Float64Array;
  /** Which sample description (1-based index into `Track.sampleEntries`) each chunk's samples follow. */
  readonly sampleDescription: Uint32Array;
}

/** Where the boxes the rewriter changes sit, as offsets into `Movie.moovBytes`. */
export interface TrackBoxes {
  /** `trak`, `mdia`, `minf`, `stbl`: each encloses the next. */
  readonly containers: readonly BoxHeader[];
  /** `stsz` or `stz2`. */
  readonly sampleSizes: BoxHeader;
  /** `stco` or `co64`; undefined only for a track without samples. */
  readonly chunkOffsets: BoxHeader | undefined;
}

/** One track, as its `trak` box describes it. */
export interface Track {
  /** `track_ID` of its track header. */
  readonly id: number;
  /** The handler type: `vide`, `soun`, `text`, `sbtl`, `meta`, `tmcd`, `hint`… */
  readonly handler: string;
  /** Ticks per second of the media's times (`mdhd`). */
  readonly timescale: number;
  /** Media duration in `timescale` ticks (`mdhd`). */
  readonly mediaDuration: number;
  /** Track duration in the movie's timescale (`tkhd`). */
  readonly duration: number;
  /** Track header flags (bit 0 enabled, bit 1 in movie, bit 2 in preview). */
  readonly flags: number;
  /** The edit list, or undefined when the track has none. */
  readonly edits: readonly EditListEntry[] | undefined;
  /**
   * The track header's display matrix as stored: `a b u c d v x y w`, with
   * a, b, c, d, x, y in 16.16 fixed point and u, v, w in 2.30.
   */
  readonly matrix: Int32Array;
  /** Presentation width and height from the track header. */
  readonly width: number;
  readonly height: number;
  /** The sample descriptions; most tracks have exactly one. */
  readonly sampleEntries: readonly SampleEntry[];
  readonly sampleCount: number;
  /** The one size of every sample (`stsz` with a nonzero size), or 0 when sizes are per sample. */
  readonly constantSampleSize: number;
  /** Per-sample sizes in decode order, or undefined when `constantSampleSize` applies. */
  readonly sampleSizes: Uint32Array | undefined;
  readonly chunks: ChunkTable;
  /** Decode-time runs (`stts`): `count[i]` samples of `delta[i]` ticks each. */
  readonly timeToSample: { readonly count: Uint32Array; readonly delta: Uint32Array };
  /** Composition-offset runs (`ctts`), or undefined when composition equals decode time. */
  readonly compositionOffsets: { readonly count: Uint32Array; readonly offset: Int32Array } | undefined;
  /** Sync sample numbers (`stss`, 1-based, ascending), or undefined when every sample is a sync sample. */
  readonly syncSamples: Uint32Array | undefined;
  readonly boxes: TrackBoxes;
}

/** A whole movie file, as `readMovie` finds it. */
export interface Movie {
  readonly fileSize: number;
  /** Every top-level box, in file order (headers only). */
  readonly topLevel: readonly BoxHeader[];
  /** Bytes after the last top-level box that are not a box (fewer than 8, or zero padding). */
  readonly trailingBytes: number;
  /** The movie box's place in the file. */
  readonly moov: BoxHeader;
  /** The whole movie box, header included. */
  readonly moovBytes: Uint8Array;
  /** Ticks per second of the movie's times (`mvhd`): edit lists and track durations use it. */
  readonly timescale: number;
  /** Movie duration in `timescale` ticks. */
  readonly duration: number;
  /** Tracks in the order of their `trak` boxes (the order FFmpeg numbers streams). */
  readonly tracks: readonly Track[];
  /**
   * Boxes besides the chunk offset tables that hold byte positions in the
   * file: `iloc` (item locations of a `meta` box), `saio` (auxiliary sample
   * information, as encryption uses). Empty for ordinary video files; the
   * rewriter refuses a file that has any, since moving data would break them.
   */
  readonly otherOffsetBoxes: readonly string[];
}

/** The movie box is read whole; beyond this it is refused rather than risk the tab's memory. */
const MAX_MOOV_BYTES = 256 * 1024 * 1024;

/**
 * Reads the movie in `src`: top-level boxes header by header, the movie box
 * whole, every track's tables. Throws `Mp4Error` (with a reason a person can
 * read) for anything it or the rewriter cannot handle.
 */
export function readMovie(src: ByteSource): Movie {
  const { boxes: topLevel, trailingBytes } = readTopLevelBoxes(src);
  let moov: BoxHeader | undefined;
  for (const box of topLevel) {
    if (box.type === 'moof') throw fragmented();
    if (box.type === 'moov') {
      if (moov) throw new Mp4Error('malformed', 'The file has two movie boxes (moov); it is not clear which one describes the video.');
      moov = box;
    }
  }
  if (!moov) {
    throw new Mp4Error('no-movie', 'The file has no movie box (moov), which says where the video is: it was probably not finished recording or not fully copied.');
  }
  if (moov.size > MAX_MOOV_BYTES) {
    throw new Mp4Error('unsupported', `The file's movie box is ${moov.size} bytes; files with a movie box over ${MAX_MOOV_BYTES} bytes are not supported.`);
  }
  const m = src.read(moov.offset, moov.size);
  const moovChildren = childrenOf(m, { ...moov, offset: 0 }, moov.offset);
  if (findChild(moovChildren, 'mvex')) throw fragmented();
  if (findChild(moovChildren, 'cmov')) throw new Mp4Error('unsupported', 'The file has a compressed movie box (an old QuickTime form), which is not supported.');
  const mvhd = findChild(moovChildren, 'mvhd');
  if (!mvhd) throw new Mp4Error('malformed', 'The movie box has no movie header (mvhd).');
  const mv = fullBoxHead(m, mvhd, 20);
  const mvAt = mvhd.offset + mvhd.headerSize + 4;
  let timescale: number;
  let duration: number;
  if (mv.version === 1) {
    fullBoxHead(m, mvhd, 32);
    timescale = u32(m, mvAt + 16);
    duration = u64(m, mvAt + 20, 'the movie duration');
  } else {
    timescale = u32(m, mvAt + 8);
    duration = u32(m, mvAt + 12);
  }
  const tracks: Track[] = [];
  const otherOffsetBoxes = new Set<string>();
  for (const trak of moovChildren) {
    if (trak.type !== 'trak') continue;
    const track = readTrack(m, trak, moov.offset, src.size);
    tracks.push(track);
    const stbl = track.boxes.containers[3];
    if (hasChild(m, stbl.offset + stbl.headerSize, stbl.offset + stbl.size, 'saio')) otherOffsetBoxes.add('saio');
    for (const meta of childrenOf(m, trak, moov.offset)) if (meta.type === 'meta' && metaHasItemLocations(m, meta)) otherOffsetBoxes.add('iloc');
  }
  for (const box of moovChildren) {
    if (box.type === 'meta' && metaHasItemLocations(m, box)) otherOffsetBoxes.add('iloc');
    if (box.type === 'udta') for (const meta of childrenOf(m, box, moov.offset)) if (meta.type === 'meta' && metaHasItemLocations(m, meta)) otherOffsetBoxes.add('iloc');
  }
  for (const box of topLevel) {
    if (box.type === 'meta' && box.size <= MAX_MOOV_BYTES && metaHasItemLocations(src.read(box.offset, box.size), { ...box, offset: 0 })) otherOffsetBoxes.add('iloc');
  }
  checkPlacement(tracks, topLevel);
  return { fileSize: src.size, topLevel, trailingBytes, moov, moovBytes: m, timescale, duration, tracks, otherOffsetBoxes: [...otherOffsetBoxes] };
}

/**
 * Whether a child box of type `type` is in `[start, end)`. Lenient: it stops
 * at the first header that does not fit, since it looks into boxes (metadata)
 * whose contents nothing else here depends on.
 */
function hasChild(b: Uint8Array, start: number, end: number, type: string): boolean {
  for (let at = start; end - at >= 8; ) {
    const size = u32(b, at);
    if (size < 8 || at + size > end) return false;
    if (fourcc(b, at + 4) === type) return true;
    at += size;
  }
  return false;
}

/** A `meta` box with an `iloc` inside: ISO's is a full box (4 bytes of version and flags first), QuickTime's is not. */
function metaHasItemLocations(b: Uint8Array, meta: BoxHeader): boolean {
  const p = meta.offset + meta.headerSize;
  const end = meta.offset + meta.size;
  return (end - p >= 4 && u32(b, p) === 0 && hasChild(b, p + 4, end, 'iloc')) || hasChild(b, p, end, 'iloc');
}

function fragmented(): Mp4Error {
  return new Mp4Error(
    'fragmented',
    'This is a fragmented MP4 (its samples are described in movie fragments, as streaming and some cameras write them), which is not supported. ' +
      'Saving it again as a regular MP4 (for example with FFmpeg: -c copy) makes it usable.',
  );
}

function need(children: readonly BoxHeader[], type: string, where: string): BoxHeader {
  const box = findChild(children, type);
  if (!box) throw new Mp4Error('malformed', `${where} has no '${type}' box.`);
  return box;
}

/** The entry count of a table box and where its entries start, checked to fit the box. */
function tableHead(m: Uint8Array, box: BoxHeader, entryBytes: number, fieldsBefore = 0): { count: number; at: number } {
  fullBoxHead(m, box, 8 + fieldsBefore);
  const countAt = box.offset + box.headerSize + 4 + fieldsBefore;
  const count = u32(m, countAt);
  const at = countAt + 4;
  if (count * entryBytes > box.offset + box.size - at) {
    throw new Mp4Error('malformed', `The '${box.type}' box lists ${count} entries but has room for ${Math.floor((box.offset + box.size - at) / entryBytes)}.`);
  }
  return { count, at };
}

function readTrack(m: Uint8Array, trak: BoxHeader, moovOffset: number, fileSize: number): Track {
  const trakChildren = childrenOf(m, trak, moovOffset);
  const tkhd = need(trakChildren, 'tkhd', 'A track');
  const th = fullBoxHead(m, tkhd, 84);
  let at = tkhd.offset + tkhd.headerSize + 4;
  let id: number;
  let duration: number;
  if (th.version === 1) {
    fullBoxHead(m, tkhd, 96);
    id = u32(m, at + 16);
    duration = u64(m, at + 24, 'a track duration');
    at += 32;
  } else {
    id = u32(m, at + 8);
    duration = u32(m, at + 16);
    at += 20;
  }
  at += 16; // reserved, layer, alternate group, volume, reserved
  const matrix = new Int32Array(9);
  for (let i = 0; i < 9; i++) matrix[i] = i32(m, at + 4 * i);
  const width = u32(m, at + 36) / 65536;
  const height = u32(m, at + 40) / 65536;
  const where = `Track ${id}`;

  const edts = findChild(trakChildren, 'edts');
  const elst = edts ? findChild(childrenOf(m, edts, moovOffset), 'elst') : undefined;
  const edits = elst ? readEditList(m, elst) : undefined;

  const mdia = need(trakChildren, 'mdia', where);
  const mdiaChildren = childrenOf(m, mdia, moovOffset);
  const mdhd = need(mdiaChildren, 'mdhd', where);
  const mh = fullBoxHead(m, mdhd, 20);
  const mhAt = mdhd.offset + mdhd.headerSize + 4;
  let mediaTimescale: number;
  let mediaDuration: number;
  if (mh.version === 1) {
    fullBoxHead(m, mdhd, 32);
    mediaTimescale = u32(m, mhAt + 16);
    mediaDuration = u64(m, mhAt + 20, 'a media duration');
  } else {
    mediaTimescale = u32(m, mhAt + 8);
    mediaDuration = u32(m, mhAt + 12);
  }
  const hdlr = need(mdiaChildren, 'hdlr', where);
  fullBoxHead(m, hdlr, 12);
  const handler = fourcc(m, hdlr.offset + hdlr.headerSize + 8);
  const minf = need(mdiaChildren, 'minf', where);
  const minfChildren = childrenOf(m, minf, moovOffset);
  const stbl = need(minfChildren, 'stbl', where);
  const s = childrenOf(m, stbl, moovOffset);

  const sampleEntries = readSampleEntries(m, need(s, 'stsd', where), handler === 'vide', moovOffset);

  // Sample sizes.
  const stsz = findChild(s, 'stsz');
  const stz2 = stsz ? undefined : findChild(s, 'stz2');
  const sizeBox = stsz ?? stz2;
  if (!sizeBox) throw new Mp4Error('malformed', `${where} has no sample size table (stsz).`);
  let sampleCount: number;
  let constantSampleSize = 0;
  let sampleSizes: Uint32Array | undefined;
  if (stsz) {
    fullBoxHead(m, stsz, 12);
    const p = stsz.offset + stsz.headerSize + 4;
    constantSampleSize = u32(m, p);
    sampleCount = u32(m, p + 4);
    if (constantSampleSize === 0) {
      if (sampleCount * 4 > stsz.offset + stsz.size - (p + 8)) throw new Mp4Error('malformed', `${where}'s sample size table lists ${sampleCount} samples but is too short for them.`);
      sampleSizes = new Uint32Array(sampleCount);
      for (let i = 0, q = p + 8; i < sampleCount; i++, q += 4) sampleSizes[i] = u32(m, q);
    } else if (sampleCount * constantSampleSize > fileSize) {
      throw new Mp4Error('malformed', `${where} claims ${sampleCount} samples of ${constantSampleSize} bytes, more than the whole file.`);
    }
  } else {
    const sb = stz2!;
    fullBoxHead(m, sb, 12);
    const p = sb.offset + sb.headerSize + 4;
    const fieldBits = m[p + 3];
    sampleCount = u32(m, p + 4);
    if (fieldBits !== 4 && fieldBits !== 8 && fieldBits !== 16) throw new Mp4Error('malformed', `${where}'s compact sample size table has ${fieldBits}-bit fields (4, 8 or 16 expected).`);
    if (Math.ceil((sampleCount * fieldBits) / 8) > sb.offset + sb.size - (p + 8)) throw new Mp4Error('malformed', `${where}'s compact sample size table is too short for its ${sampleCount} samples.`);
    sampleSizes = new Uint32Array(sampleCount);
    const q = p + 8;
    if (fieldBits === 16) for (let i = 0; i < sampleCount; i++) sampleSizes[i] = u16(m, q + 2 * i);
    else if (fieldBits === 8) for (let i = 0; i < sampleCount; i++) sampleSizes[i] = m[q + i];
    else for (let i = 0; i < sampleCount; i++) sampleSizes[i] = i & 1 ? m[q + (i >> 1)] & 15 : m[q + (i >> 1)] >> 4;
  }

  // Chunk offsets.
  const stco = findChild(s, 'stco');
  const co64 = stco ? undefined : findChild(s, 'co64');
  const chunkBox = stco ?? co64;
  if (!chunkBox && sampleCount > 0) throw new Mp4Error('malformed', `${where} has samples but no chunk offset table (stco or co64).`);
  let chunkOffsets = new Float64Array(0);
  if (chunkBox) {
    const wide = chunkBox === co64;
    const { count, at: q } = tableHead(m, chunkBox, wide ? 8 : 4);
    chunkOffsets = new Float64Array(count);
    if (wide) for (let i = 0; i < count; i++) chunkOffsets[i] = u64(m, q + 8 * i, `a chunk offset of track ${id}`);
    else for (let i = 0; i < count; i++) chunkOffsets[i] = u32(m, q + 4 * i);
  }

  const chunks = buildChunks(m, findChild(s, 'stsc'), chunkOffsets, sampleCount, constantSampleSize, sampleSizes, where);

  // Times.
  const stts = findChild(s, 'stts');
  let timeToSample = { count: new Uint32Array(0), delta: new Uint32Array(0) };
  if (stts) {
    const { count, at: q } = tableHead(m, stts, 8);
    timeToSample = { count: new Uint32Array(count), delta: new Uint32Array(count) };
    let total = 0;
    for (let i = 0; i < count; i++) {
      timeToSample.count[i] = u32(m, q + 8 * i);
      timeToSample.delta[i] = u32(m, q + 8 * i + 4);
      total += timeToSample.count[i];
    }
    if (total < sampleCount) throw new Mp4Error('malformed', `${where}'s decode time table (stts) covers ${total} of its ${sampleCount} samples.`);
  } else if (sampleCount > 0) {
    throw new Mp4Error('malformed', `${where} has samples but no decode time table (stts).`);
  }
  const ctts = findChild(s, 'ctts');
  let compositionOffsets: Track['compositionOffsets'];
  if (ctts) {
    // Signed in both versions, as FFmpeg reads them: version 0 writers do store negative offsets.
    const { count, at: q } = tableHead(m, ctts, 8);
    compositionOffsets = { count: new Uint32Array(count), offset: new Int32Array(count) };
    for (let i = 0; i < count; i++) {
      compositionOffsets.count[i] = u32(m, q + 8 * i);
      compositionOffsets.offset[i] = i32(m, q + 8 * i + 4);
    }
  }
  const stss = findChild(s, 'stss');
  let syncSamples: Uint32Array | undefined;
  if (stss) {
    const { count, at: q } = tableHead(m, stss, 4);
    syncSamples = new Uint32Array(count);
    for (let i = 0; i < count; i++) syncSamples[i] = u32(m, q + 4 * i);
  }

  if (sampleCount > 0) checkDataReferences(m, minfChildren, sampleEntries, where, moovOffset);

  return {
    id,
    handler,
    timescale: mediaTimescale,
    mediaDuration,
    duration,
    flags: th.flags,
    edits,
    matrix,
    width,
    height,
    sampleEntries,
    sampleCount,
    constantSampleSize,
    sampleSizes,
    chunks,
    timeToSample,
    compositionOffsets,
    syncSamples,
    boxes: { containers: [trak, mdia, minf, stbl], sampleSizes: sizeBox, chunkOffsets: chunkBox },
  };
}

function readEditList(m: Uint8Array, elst: BoxHeader): EditListEntry[] {
  const { version } = fullBoxHead(m, elst, 8);
  const entryBytes = version === 1 ? 20 : 12;
  const { count, at } = tableHead(m, elst, entryBytes);
  const edits: EditListEntry[] = [];
  for (let i = 0, q = at; i < count; i++, q += entryBytes) {
    if (version === 1) {
      edits.push({ segmentDuration: u64(m, q, 'an edit duration'), mediaTime: i64(m, q + 8, 'an edit start'), mediaRate: i32(m, q + 16) / 65536 });
    } else {
      edits.push({ segmentDuration: u32(m, q), mediaTime: i32(m, q + 4), mediaRate: i32(m, q + 8) / 65536 });
    }
  }
  return edits;
}

function readSampleEntries(m: Uint8Array, stsd: BoxHeader, visual: boolean, moovOffset: number): SampleEntry[] {
  const { count } = tableHead(m, stsd, 0);
  const start = stsd.offset + stsd.headerSize + 8;
  const boxes = childBoxes(m, start, stsd.offset + stsd.size, moovOffset);
  if (boxes.length < count) throw new Mp4Error('malformed', `The sample description box lists ${count} entries but holds ${boxes.length}.`);
  const entries: SampleEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = boxes[i];
    const p = e.offset + e.headerSize;
    if (e.size - e.headerSize < 8) throw new Mp4Error('malformed', `The '${e.type}' sample description is too short.`);
    const dataReferenceIndex = u16(m, p + 6);
    let width = 0;
    let height = 0;
    let avcC: Uint8Array | undefined;
    // VisualSampleEntry: 8 bytes as every entry, 16 reserved, width, height, then 50 more bytes before its child boxes.
    if (visual && e.size - e.headerSize >= 78) {
      width = u16(m, p + 24);
      height = u16(m, p + 26);
      if (e.type === 'avc1' || e.type === 'avc3') {
        const config = findChild(childBoxes(m, p + 78, e.offset + e.size, moovOffset), 'avcC');
        if (config) avcC = m.slice(config.offset + config.headerSize, config.offset + config.size);
      }
    }
    entries.push({ type: e.type, dataReferenceIndex, width, height, avcC });
  }
  return entries;
}

/** Refuses a track whose samples a data reference places in another file. */
function checkDataReferences(m: Uint8Array, minfChildren: readonly BoxHeader[], entries: readonly SampleEntry[], where: string, moovOffset: number): void {
  const dinf = findChild(minfChildren, 'dinf');
  const dref = dinf ? findChild(childrenOf(m, dinf, moovOffset), 'dref') : undefined;
  if (!dref) return; // no data references: the samples are in this file
  const { count } = tableHead(m, dref, 0);
  const refs = childBoxes(m, dref.offset + dref.headerSize + 8, dref.offset + dref.size, moovOffset);
  for (const e of entries) {
    // An index outside the table is taken as "this file", as FFmpeg takes it.
    const ref = e.dataReferenceIndex >= 1 && e.dataReferenceIndex <= Math.min(count, refs.length) ? refs[e.dataReferenceIndex - 1] : undefined;
    if (!ref) continue;
    const { flags } = fullBoxHead(m, ref);
    if (!(flags & 1)) {
      throw new Mp4Error(
        'external-data',
        `${where} keeps its samples in another file (a '${ref.type.trim()}' data reference), so this file alone does not hold the video. ` +
          'Export it as a self-contained movie first.',
      );
    }
  }
}

/** Chunk table from `stsc` runs, chunk offsets and sample sizes, checked to place every sample exactly once. */
function buildChunks(
  m: Uint8Array,
  stsc: BoxHeader | undefined,
  offset: Float64Array,
  sampleCount: number,
  constantSize: number,
  sizes: Uint32Array | undefined,
  where: string,
): ChunkTable {
  const chunkCount = offset.length;
  const firstSample = new Uint32Array(chunkCount);
  const count = new Uint32Array(chunkCount);
  const byteLength = new Float64Array(chunkCount);
  const sampleDescription = new Uint32Array(chunkCount);
  let placed = 0;
  if (stsc) {
    const { count: runs, at } = tableHead(m, stsc, 12);
    let previousFirst = 0;
    for (let r = 0; r < runs && placed < sampleCount; r++) {
      const first = u32(m, at + 12 * r);
      const perChunk = u32(m, at + 12 * r + 4);
      const description = u32(m, at + 12 * r + 8);
      if (first <= previousFirst || (r === 0 && first !== 1)) {
        throw new Mp4Error('malformed', `${where}'s sample-to-chunk table (stsc) is out of order at entry ${r + 1}.`);
      }
      previousFirst = first;
      if (first > chunkCount) break;
      const next = r + 1 < runs ? Math.min(u32(m, at + 12 * r + 12), chunkCount + 1) : chunkCount + 1;
      for (let c = first - 1; c < next - 1 && placed < sampleCount; c++) {
        const k = Math.min(perChunk, sampleCount - placed);
        firstSample[c] = placed;
        count[c] = k;
        sampleDescription[c] = description;
        if (sizes) {
          let bytes = 0;
          for (let i = placed; i < placed + k; i++) bytes += sizes[i];
          byteLength[c] = bytes;
        } else {
          byteLength[c] = k * constantSize;
        }
        placed += k;
      }
    }
  }
  // Chunks past the last sample hold none; each starts where the samples ended, for a binary search over firstSample.
  for (let c = 0; c < chunkCount; c++) if (count[c] === 0) firstSample[c] = c > 0 ? firstSample[c - 1] + count[c - 1] : 0;
  if (placed < sampleCount) {
    throw new Mp4Error('malformed', `${where}'s sample-to-chunk table (stsc) places ${placed} of its ${sampleCount} samples in its ${chunkCount} chunks.`);
  }
  return { offset, firstSample, sampleCount: count, byteLength, sampleDescription };
}

/**
 * Every sample must sit inside one media data box, and no two may share
 * bytes: the rewriter moves each chunk with the data around it, which only
 * stays right under these conditions.
 */
function checkPlacement(tracks: readonly Track[], topLevel: readonly BoxHeader[]): void {
  let n = 0;
  for (const t of tracks) n += t.chunks.offset.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const owner = new Uint32Array(n);
  let j = 0;
  for (let ti = 0; ti < tracks.length; ti++) {
    const c = tracks[ti].chunks;
    for (let i = 0; i < c.offset.length; i++) {
      if (c.byteLength[i] === 0) continue;
      start[j] = c.offset[i];
      end[j] = c.offset[i] + c.byteLength[i];
      owner[j] = ti;
      j++;
    }
  }
  const order = new Uint32Array(j);
  for (let i = 0; i < j; i++) order[i] = i;
  order.sort((a, b) => start[a] - start[b]);
  const mdats = topLevel.filter((b) => b.type === 'mdat');
  let md = 0;
  let reach = 0;
  let reachOwner = 0;
  for (let k = 0; k < j; k++) {
    const i = order[k];
    while (md < mdats.length && mdats[md].offset + mdats[md].size <= start[i]) md++;
    const box = mdats[md];
    if (!box || start[i] < box.offset + box.headerSize || end[i] > box.offset + box.size) {
      throw new Mp4Error(
        'outside-media-data',
        `Track ${tracks[owner[i]].id} has samples at bytes ${start[i]}–${end[i]}, outside every media data box (mdat) of the file, which is not supported.`,
      );
    }
    if (start[i] < reach) {
      throw new Mp4Error(
        'overlapping-samples',
        `Samples of track ${tracks[owner[i]].id} and track ${tracks[reachOwner].id} share bytes near byte ${start[i]} of the file, which is not supported.`,
      );
    }
    if (end[i] > reach) {
      reach = end[i];
      reachOwner = owner[i];
    }
  }
}
