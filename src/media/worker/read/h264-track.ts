/**
 * An H.264 video in MP4/MOV/M4V opened for the same-format path: its video
 * track's samples straight from the file (no FFmpeg), the parameter sets, the
 * frame geometry, and the carrier candidates (src/media/plan/carriers.ts),
 * found as they are asked for. The hide and the reveal open a video the same
 * way, so both list the same candidates; the reveal does it from the stego
 * file alone.
 *
 * Opening reads the file's box headers and its movie box; each picture looked
 * at for the list costs a small read at the start of its sample (through any
 * SEI in front of the first slice), not the whole file.
 */
import { yuvGeometry, type VideoGeometry } from '../../../core/geometry.ts';
import type { ByteSource } from '../../formats/byte-source.ts';
import {
  H264SyntaxError,
  isVclNalType,
  NalType,
  parseAvcDecoderConfig,
  ParameterSets,
  streamCarrierSupport,
  visibleGeometry,
  type AvcDecoderConfig,
  type SequenceParameterSet,
} from '../../formats/h264/index.ts';
import { Mp4Error, readMovie, sampleTable, type Movie, type SampleTable, type Track } from '../../formats/mp4/index.ts';
import { UnsupportedInputError } from '../../../core/errors.ts';
import { CarrierList } from '../../plan/carriers.ts';

/** An H.264 track that can take carriers, and what the same-format path needs of it. */
export interface H264Track {
  readonly movie: Movie;
  readonly track: Track;
  readonly samples: SampleTable;
  readonly config: AvcDecoderConfig;
  readonly params: ParameterSets;
  readonly sps: SequenceParameterSet;
  /**
   * The frames: the whole picture the stream codes; `frameCount` is the
   * number of pictures (the core's frame indices are positions in `candidates`).
   */
  readonly geometry: VideoGeometry;
  readonly candidates: CarrierList;
  /** Each sample's place in presentation order (decode index → display index). */
  readonly displayIndex: Uint32Array;
}

/** Why a video takes the lossless path instead, in words for the person. */
export interface NotSameFormat {
  readonly reason: string;
}

const MP4_BRANDS = /^(mov|mp4|m4a|3gp|3g2|mj2)/;

/** Whether ffprobe's container name is one the same-format path reads (QuickTime/MP4 family). */
export function isMp4Family(container: string): boolean {
  return MP4_BRANDS.test(container);
}

/** Bytes read at a sample's start, and again at a NAL unit past them, to find its first slice. */
const HEAD_BYTES = 64;

/**
 * nal_ref_idc and nal_unit_type of a sample's first slice, and whether a
 * parameter set is sent in band; undefined when the sample holds no slice.
 */
function firstSliceOf(src: ByteSource, offset: number, size: number, lengthSize: number): { ref: number; type: number; inBand: boolean; at: number } | undefined {
  let at = 0;
  let inBand = false;
  let buf = src.read(offset, Math.min(size, HEAD_BYTES));
  let bufAt = 0;
  while (at + lengthSize < size) {
    if (at + lengthSize + 1 > bufAt + buf.length) {
      buf = src.read(offset + at, Math.min(size - at, HEAD_BYTES));
      bufAt = at;
    }
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + buf[at - bufAt + k];
    const header = buf[at - bufAt + lengthSize];
    const type = header & 0x1f;
    if (len === 0 || at + lengthSize + len > size) return undefined;
    if (isVclNalType(type)) return { ref: (header >> 5) & 3, type, inBand, at };
    if (type === NalType.sps || type === NalType.pps) inBand = true;
    at += lengthSize + len;
  }
  return undefined;
}

/**
 * Opens the video track of an MP4/MOV file for carriers. Returns the reason
 * in plain words when the video must take the lossless path instead; throws
 * only for a file that is not a readable MP4/MOV at all.
 */
export function openH264Track(src: ByteSource): H264Track | NotSameFormat {
  let movie: Movie;
  try {
    movie = readMovie(src);
  } catch (e) {
    if (e instanceof Mp4Error) return { reason: e.message };
    throw e;
  }
  const track = movie.tracks.find((t) => t.handler === 'vide');
  if (!track) return { reason: 'This file has no video track VidStega can rewrite in its own format.' };
  if (track.sampleEntries.length !== 1) return { reason: 'This video changes its coding part way through, so it cannot be rewritten in its own format.' };
  const entry = track.sampleEntries[0];
  if ((entry.type !== 'avc1' && entry.type !== 'avc3') || !entry.avcC) {
    return { reason: `This video is not H.264 (it is ${entry.type.trim() || 'an unknown codec'}), so VidStega makes a lossless copy instead.` };
  }
  let config: AvcDecoderConfig;
  let params: ParameterSets;
  try {
    config = parseAvcDecoderConfig(entry.avcC);
    params = ParameterSets.from([...config.sps, ...config.pps]);
  } catch (e) {
    if (e instanceof H264SyntaxError) return { reason: 'This video’s H.264 settings could not be read, so it cannot be rewritten in its own format.' };
    throw e;
  }
  const support = streamCarrierSupport(params, config.lengthSize);
  if (!support.supported) return { reason: support.reason };
  const { sps: all } = params.all();
  const sps = all[0];
  if (sps.chromaArrayType === 0) return { reason: 'This video is black and white only (4:0:0), which VidStega rewrites only as a lossless copy.' };
  if (all.length !== 1) return { reason: 'This video has several H.264 sequence settings, so it cannot be rewritten in its own format.' };

  const samples = sampleTable(track);
  const n = samples.count;
  if (n === 0) return { reason: 'This video has no pictures.' };
  const header = (i: number) => {
    if (samples.offset[i] + samples.size[i] > src.size) throw new UnsupportedInputError('This video is cut short: its pictures run past the end of the file. Get the complete file and try again.');
    const head = firstSliceOf(src, samples.offset[i], samples.size[i], config.lengthSize);
    if (!head) throw new UnsupportedInputError(`Picture ${i + 1} of this video holds no slice, so it cannot be rewritten in its own format.`);
    // Parameter sets sent in band may change the picture format part way: only the ones in the header are trusted.
    if (head.inBand && !inBandMatches(src.read(samples.offset[i], head.at), config)) {
      throw new UnsupportedInputError('This video changes its H.264 settings part way through, so it cannot be rewritten in its own format.');
    }
    return { nalRefIdc: head.ref, idr: head.type === NalType.idrSlice };
  };
  const sync = track.syncSamples ? Uint32Array.from(track.syncSamples, (k) => k - 1) : undefined;
  const candidates = new CarrierList(n, sync, header);
  const v = visibleGeometry(sps);
  const layout = sps.chromaArrayType === 0 ? 'gray' : sps.chromaArrayType === 1 ? '420' : sps.chromaArrayType === 2 ? '422' : '444';
  const geometry = yuvGeometry(v.planes[0].width, v.planes[0].height, layout, n, v.bitDepth);
  const displayIndex = new Uint32Array(n);
  const byTime = Array.from({ length: n }, (_, i) => i).sort((a, b) => samples.compositionTime[a] - samples.compositionTime[b] || a - b);
  byTime.forEach((sample, rank) => (displayIndex[sample] = rank));
  return { movie, track, samples, config, params, sps, geometry, candidates, displayIndex };
}

/** Whether every parameter set in `bytes` (a sample's NAL units before its first slice) is byte for byte one of the header's. */
function inBandMatches(bytes: Uint8Array, config: AvcDecoderConfig): boolean {
  const known = [...config.sps, ...config.pps];
  for (let at = 0; at + config.lengthSize < bytes.length; ) {
    let len = 0;
    for (let k = 0; k < config.lengthSize; k++) len = len * 256 + bytes[at + k];
    const nal = bytes.subarray(at + config.lengthSize, at + config.lengthSize + len);
    const type = nal[0] & 0x1f;
    if ((type === NalType.sps || type === NalType.pps) && !known.some((k) => sameBytes(k, nal))) return false;
    at += config.lengthSize + len;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A sample's bytes, read straight from the file. */
export function readSample(src: ByteSource, t: H264Track, index: number): Uint8Array {
  return src.read(t.samples.offset[index], t.samples.size[index]);
}
