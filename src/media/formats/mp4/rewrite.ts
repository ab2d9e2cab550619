/**
 * Rewrites a movie with some samples of one track replaced by new bytes of
 * other lengths, and every other byte of the file as it was.
 *
 * `planRewrite` works out, from the movie box and the new lengths alone, the
 * new movie box and the output as an ordered list of pieces: input ranges to
 * copy, the new movie box, new media data box headers, and the replacement
 * samples. `writeRewrite` then streams those pieces to a sink, reading the
 * input a few MiB at a time and asking for each replacement sample only when
 * the stream reaches it. The exact output size is known from the plan before
 * a byte is written.
 *
 * What changes in the movie box: the track's sample sizes (`stsz`; a
 * constant size or a compact `stz2` table becomes a full table when a new
 * length differs), every track's chunk offsets that fall behind a change
 * (`stco`, promoted to `co64` when an offset passes 2^32 − 1), and the sizes
 * of the boxes enclosing those (`moov`, `trak`, `mdia`, `minf`, `stbl`).
 * Every other box (edit lists, times, sync samples, `sdtp`, sample groups,
 * sample descriptions, the track header's matrix, metadata) is copied byte
 * for byte. A media data box whose size changes gets a new header, with a
 * 64-bit size once it passes 2^32 − 1.
 */
import type { ByteSource } from '../byte-source.ts';
import { type BoxHeader, putU32, putU64 } from './boxes.ts';
import { Mp4Error } from './errors.ts';
import type { Movie, Track } from './movie.ts';
import { sampleOffset, sampleSize } from './sample-table.ts';

/** One piece of the output, in output order. `at` is where it starts in the output. */
export type RewritePiece =
  /** Input bytes `[from, from + length)`, copied as they are. */
  | { readonly kind: 'copy'; readonly at: number; readonly from: number; readonly length: number }
  /** The new movie box (`RewritePlan.moov`). */
  | { readonly kind: 'moov'; readonly at: number; readonly length: number }
  /** A media data box's new header (its size changed). */
  | { readonly kind: 'mdat-header'; readonly at: number; readonly length: number; readonly bytes: Uint8Array }
  /** The replacement bytes of sample `index` of the rewritten track. */
  | { readonly kind: 'sample'; readonly at: number; readonly length: number; readonly index: number };

/** The whole output, worked out before anything is written. */
export interface RewritePlan {
  /** Size of the input file the plan was made for. */
  readonly inputSize: number;
  /** Exact size of the output file. */
  readonly outputSize: number;
  /** The track whose samples are replaced. */
  readonly trackId: number;
  /** The new movie box, header included. */
  readonly moov: Uint8Array;
  readonly pieces: readonly RewritePiece[];
}

/** Bytes read from the input per read while copying. */
const COPY_CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_U32 = 0xffff_ffff;

/** A byte range of the input that the output replaces with something else. */
interface Splice {
  readonly start: number;
  readonly oldLength: number;
  readonly newLength: number;
  readonly piece: 'moov' | 'mdat-header' | 'sample';
  readonly index: number;
  readonly bytes: Uint8Array | undefined;
}

/**
 * Plans the output of replacing samples of track `trackId` of `movie`:
 * `newLengths` maps a sample index (0-based, decode order) to the byte
 * length its replacement will have. Throws `Mp4Error` for a track or sample
 * the movie does not have, a length a sample cannot have, or a file whose
 * other offsets (item locations, auxiliary sample information) it cannot move.
 */
export function planRewrite(movie: Movie, trackId: number, newLengths: ReadonlyMap<number, number>): RewritePlan {
  const track = movie.tracks.find((t) => t.id === trackId);
  if (!track) throw new Mp4Error('bad-request', `The movie has no track ${trackId}.`);
  if (movie.otherOffsetBoxes.length > 0) {
    throw new Mp4Error(
      'unsupported',
      `The file holds byte positions outside its sample tables ('${movie.otherOffsetBoxes.join("', '")}' boxes), which rewriting it would break; this file cannot be rewritten.`,
    );
  }
  const mdats = movie.topLevel.filter((b) => b.type === 'mdat');

  // The replaced samples, in file order, and what each one changes.
  const splices: Splice[] = [];
  const mdatGrowth = new Float64Array(mdats.length);
  const samples = [...newLengths].sort((a, b) => a[0] - b[0]);
  for (const [k, length] of samples) {
    if (!Number.isInteger(k) || k < 0 || k >= track.sampleCount) throw new Mp4Error('bad-request', `Track ${trackId} has no sample ${k}: it has ${track.sampleCount}.`);
    if (!Number.isInteger(length) || length < 0 || length > MAX_U32) throw new Mp4Error('bad-request', `A sample cannot be ${length} bytes long (0 to ${MAX_U32}).`);
    const oldLength = sampleSize(track, k);
    // An empty sample has no place of its own in the file: where its new bytes would go among other tracks' data is not defined.
    if (oldLength === 0) throw new Mp4Error('bad-request', `Sample ${k} of track ${trackId} is empty (0 bytes) and cannot be replaced.`);
    const start = sampleOffset(track, k);
    splices.push({ start, oldLength, newLength: length, piece: 'sample', index: k, bytes: undefined });
    const m = mdatIndexOf(mdats, start);
    mdatGrowth[m] += length - oldLength;
  }

  // Media data boxes whose size changes get a new header; one passing 2^32 − 1 takes a 64-bit size.
  for (let i = 0; i < mdats.length; i++) {
    const box = mdats[i];
    if (mdatGrowth[i] === 0 || box.toEnd) continue; // size 0 ("to the end of the file") stays true
    const payload = box.size - box.headerSize + mdatGrowth[i];
    const large = box.largeSize || payload + box.headerSize > MAX_U32;
    const headerSize = box.largeSize ? box.headerSize : large ? box.headerSize + 8 : box.headerSize;
    const bytes = new Uint8Array(headerSize);
    bytes[4] = 0x6d; // 'mdat'
    bytes[5] = 0x64;
    bytes[6] = 0x61;
    bytes[7] = 0x74;
    if (large) {
      putU32(bytes, 0, 1);
      putU64(bytes, 8, payload + headerSize);
    } else {
      putU32(bytes, 0, payload + headerSize);
    }
    splices.push({ start: box.offset, oldLength: box.headerSize, newLength: headerSize, piece: 'mdat-header', index: i, bytes });
  }
  splices.sort((a, b) => a.start - b.start);

  // Shift of an input offset from the changes before it, moov aside: prefix sums over the splices.
  const spliceStart = new Float64Array(splices.length);
  const shiftAfter = new Float64Array(splices.length);
  let total = 0;
  for (let i = 0; i < splices.length; i++) {
    spliceStart[i] = splices[i].start;
    total += splices[i].newLength - splices[i].oldLength;
    shiftAfter[i] = total;
  }
  const mediaShift = (o: number): number => {
    let lo = 0;
    let hi = splices.length; // count of splices starting before o
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spliceStart[mid] < o) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : shiftAfter[lo - 1];
  };

  // The new movie box's size depends on which tracks need 64-bit chunk offsets, and when the movie box comes
  // before the media its growth moves every offset: promote until nothing more needs promoting (at most once per track).
  const tracks = movie.tracks;
  const wide = tracks.map((t) => t.boxes.chunkOffsets?.type === 'co64');
  const sizesBox = newSampleSizesBox(movie.moovBytes, track, newLengths);
  const moovBefore = (o: number) => movie.moov.offset < o;
  let moovGrowth = 0;
  for (;;) {
    moovGrowth = (sizesBox ? sizesBox.length - track.boxes.sampleSizes.size : 0) + chunkBoxesGrowth(tracks, wide);
    let promoted = false;
    for (let t = 0; t < tracks.length; t++) {
      if (wide[t]) continue;
      const offsets = tracks[t].chunks.offset;
      for (let c = 0; c < offsets.length; c++) {
        const o = offsets[c];
        if (o + mediaShift(o) + (moovBefore(o) ? moovGrowth : 0) > MAX_U32) {
          wide[t] = true;
          promoted = true;
          break;
        }
      }
    }
    if (!promoted) break;
  }

  // The new movie box: changed tables spliced into a copy, enclosing boxes' sizes updated.
  const edits: MoovEdit[] = [];
  if (sizesBox) edits.push({ box: track.boxes.sampleSizes, bytes: sizesBox, ancestors: track.boxes.containers });
  for (let t = 0; t < tracks.length; t++) {
    const box = tracks[t].boxes.chunkOffsets;
    if (!box) continue;
    const offsets = tracks[t].chunks.offset;
    const moved = new Float64Array(offsets.length);
    let changed = wide[t] !== (box.type === 'co64');
    for (let c = 0; c < offsets.length; c++) {
      const o = offsets[c];
      moved[c] = o + mediaShift(o) + (moovBefore(o) ? moovGrowth : 0);
      if (moved[c] !== o) changed = true;
    }
    if (changed) edits.push({ box, bytes: chunkOffsetBox(movie.moovBytes, box, moved, wide[t]), ancestors: tracks[t].boxes.containers });
  }
  const moov = spliceMoov(movie, edits);
  if (moov.length - movie.moov.size !== moovGrowth) throw new Error('planRewrite: the movie box grew by other than planned');
  splices.push({ start: movie.moov.offset, oldLength: movie.moov.size, newLength: moov.length, piece: 'moov', index: 0, bytes: undefined });
  splices.sort((a, b) => a.start - b.start);

  // The output: copies between the splices.
  const pieces: RewritePiece[] = [];
  let from = 0;
  let at = 0;
  for (const s of splices) {
    if (s.start > from) {
      pieces.push({ kind: 'copy', at, from, length: s.start - from });
      at += s.start - from;
    }
    if (s.piece === 'moov') pieces.push({ kind: 'moov', at, length: s.newLength });
    else if (s.piece === 'mdat-header') pieces.push({ kind: 'mdat-header', at, length: s.newLength, bytes: s.bytes! });
    else pieces.push({ kind: 'sample', at, length: s.newLength, index: s.index });
    at += s.newLength;
    from = s.start + s.oldLength;
  }
  if (movie.fileSize > from) {
    pieces.push({ kind: 'copy', at, from, length: movie.fileSize - from });
    at += movie.fileSize - from;
  }
  return { inputSize: movie.fileSize, outputSize: at, trackId, moov, pieces };
}

/**
 * Streams the planned output to `sink`: input ranges copied from `src` a few
 * MiB at a time, `replacement(index)` called for each replaced sample when
 * the output reaches it (so its bytes can be made or read from a scratch file
 * just in time) and checked to have the planned length. `sink` receives the
 * output in order; it must copy or write what it is given during the call,
 * and neither keep nor transfer it (the new movie box is the plan's own).
 * Returns the bytes written, which is `plan.outputSize`.
 */
export function writeRewrite(
  plan: RewritePlan,
  src: ByteSource,
  replacement: (index: number) => Uint8Array,
  sink: (bytes: Uint8Array) => void,
  copyChunkBytes = COPY_CHUNK_BYTES,
): number {
  if (!Number.isSafeInteger(copyChunkBytes) || copyChunkBytes < 1) throw new RangeError(`writeRewrite: a copy chunk of ${copyChunkBytes} bytes`);
  if (src.size !== plan.inputSize) {
    throw new Mp4Error('bad-request', `The file to rewrite is ${src.size} bytes, but the plan was made for a file of ${plan.inputSize} bytes.`);
  }
  let written = 0;
  for (const p of plan.pieces) {
    if (p.kind === 'copy') {
      const end = p.from + p.length;
      for (let o = p.from; o < end; o += copyChunkBytes) {
        const b = src.read(o, Math.min(copyChunkBytes, end - o));
        sink(b);
        written += b.length;
      }
    } else if (p.kind === 'sample') {
      const b = replacement(p.index);
      if (b.length !== p.length) {
        throw new Mp4Error('bad-request', `The replacement for sample ${p.index} is ${b.length} bytes, but ${p.length} were planned.`);
      }
      sink(b);
      written += b.length;
    } else {
      const b = p.kind === 'moov' ? plan.moov : p.bytes;
      sink(b);
      written += b.length;
    }
  }
  if (written !== plan.outputSize) throw new Error(`writeRewrite: wrote ${written} bytes where ${plan.outputSize} were planned`);
  return written;
}

/** The media data box holding input offset `o` (the planner is only given samples readMovie placed inside one). */
function mdatIndexOf(mdats: readonly BoxHeader[], o: number): number {
  let lo = 0;
  let hi = mdats.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (mdats[mid].offset <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The track's new sample size box, or undefined when the old one stays right:
 * a per-sample `stsz` copied with the new sizes patched in, or a full table
 * built from a constant size or a compact `stz2` when a new length differs.
 */
function newSampleSizesBox(m: Uint8Array, track: Track, newLengths: ReadonlyMap<number, number>): Uint8Array | undefined {
  const box = track.boxes.sampleSizes;
  let differs = false;
  for (const [k, length] of newLengths) if (length !== sampleSize(track, k)) differs = true;
  if (!differs) return undefined;
  if (box.type === 'stsz' && track.sampleSizes) {
    const out = m.slice(box.offset, box.offset + box.size);
    for (const [k, length] of newLengths) putU32(out, box.headerSize + 12 + 4 * k, length);
    return out;
  }
  const n = track.sampleCount;
  const out = new Uint8Array(20 + 4 * n);
  putU32(out, 0, out.length);
  out.set([0x73, 0x74, 0x73, 0x7a], 4); // 'stsz', version 0, flags 0, sample_size 0 (a table follows)
  putU32(out, 16, n);
  for (let k = 0; k < n; k++) putU32(out, 20 + 4 * k, sampleSize(track, k));
  for (const [k, length] of newLengths) putU32(out, 20 + 4 * k, length);
  return out;
}

/** Movie box growth from chunk offset tables promoted from `stco` to `co64`. */
function chunkBoxesGrowth(tracks: readonly Track[], wide: readonly boolean[]): number {
  let growth = 0;
  for (let t = 0; t < tracks.length; t++) {
    const box = tracks[t].boxes.chunkOffsets;
    if (box && wide[t] && box.type === 'stco') growth += 16 + 8 * tracks[t].chunks.offset.length - box.size;
  }
  return growth;
}

/** A chunk offset box with `offsets`: the old box patched when its width stays, a new `co64` when promoted. */
function chunkOffsetBox(m: Uint8Array, box: BoxHeader, offsets: Float64Array, wide: boolean): Uint8Array {
  const n = offsets.length;
  if (wide === (box.type === 'co64')) {
    const out = m.slice(box.offset, box.offset + box.size);
    const at = box.headerSize + 8;
    if (wide) for (let c = 0; c < n; c++) putU64(out, at + 8 * c, offsets[c]);
    else for (let c = 0; c < n; c++) putU32(out, at + 4 * c, offsets[c]);
    return out;
  }
  const out = new Uint8Array(16 + 8 * n);
  putU32(out, 0, out.length);
  out.set([0x63, 0x6f, 0x36, 0x34], 4); // 'co64'; version and flags copied from the stco
  out.set(m.subarray(box.offset + box.headerSize, box.offset + box.headerSize + 4), 8);
  putU32(out, 12, n);
  for (let c = 0; c < n; c++) putU64(out, 16 + 8 * c, offsets[c]);
  return out;
}

/** A box of the movie box replaced by new bytes; `ancestors` are the boxes around it below `moov`. */
interface MoovEdit {
  readonly box: BoxHeader;
  readonly bytes: Uint8Array;
  readonly ancestors: readonly BoxHeader[];
}

/**
 * The movie box with `edits` spliced in and the sizes of the boxes enclosing
 * them (and of `moov` itself) raised by what their contents grew. Everything
 * else is copied as it was, unparsed bytes included.
 */
function spliceMoov(movie: Movie, edits: MoovEdit[]): Uint8Array {
  const m = movie.moovBytes;
  if (edits.length === 0) return m;
  edits.sort((a, b) => a.box.offset - b.box.offset);
  const moovBox: BoxHeader = { ...movie.moov, offset: 0 };
  const growth = new Map<BoxHeader, number>();
  let total = 0;
  for (const e of edits) {
    const d = e.bytes.length - e.box.size;
    total += d;
    growth.set(moovBox, (growth.get(moovBox) ?? 0) + d);
    for (const a of e.ancestors) growth.set(a, (growth.get(a) ?? 0) + d);
  }
  const out = new Uint8Array(m.length + total);
  let from = 0;
  let at = 0;
  for (const e of edits) {
    out.set(m.subarray(from, e.box.offset), at);
    at += e.box.offset - from;
    out.set(e.bytes, at);
    at += e.bytes.length;
    from = e.box.offset + e.box.size;
  }
  out.set(m.subarray(from), at);
  for (const [box, d] of growth) {
    // Where the box's header is now: behind every edit that ends before it.
    let pos = box.offset;
    for (const e of edits) if (e.box.offset + e.box.size <= box.offset) pos += e.bytes.length - e.box.size;
    const size = box.size + d;
    if (box.largeSize) putU64(out, pos + 8, size);
    else if (size > MAX_U32) throw new Mp4Error('unsupported', `The rewritten '${box.type}' box would pass 4 GiB, which is not supported.`);
    else putU32(out, pos, size);
  }
  return out;
}
