/**
 * One track's samples in decode order, expanded from the movie's compact
 * tables into flat typed arrays: where each sample's bytes are, how many,
 * its decode and composition time, and whether it is a sync sample. Built in
 * integer loops with no object per sample.
 */
import type { Track } from './movie.ts';

/** Per-sample arrays of one track, index = sample number in decode order (0-based). */
export interface SampleTable {
  readonly count: number;
  /** Bytes of each sample. */
  readonly size: Uint32Array;
  /** File offset of each sample's first byte. */
  readonly offset: Float64Array;
  /** Decode time in the track's timescale (from `stts`; the first sample at 0). */
  readonly decodeTime: Float64Array;
  /** Composition (presentation) time in the track's timescale: decode time plus the `ctts` offset; edit lists not applied. */
  readonly compositionTime: Float64Array;
  /** 1 for a sync sample (random access point: an IDR picture for H.264), else 0. */
  readonly sync: Uint8Array;
}

/** Expands `track`'s tables into per-sample arrays (for a video track: a few bytes per frame). */
export function sampleTable(track: Track): SampleTable {
  const n = track.sampleCount;
  const size = new Uint32Array(n);
  if (track.sampleSizes) size.set(track.sampleSizes);
  else size.fill(track.constantSampleSize);

  const offset = new Float64Array(n);
  const { offset: chunkOffset, firstSample, sampleCount } = track.chunks;
  for (let c = 0; c < chunkOffset.length; c++) {
    let at = chunkOffset[c];
    const end = firstSample[c] + sampleCount[c];
    for (let k = firstSample[c]; k < end; k++) {
      offset[k] = at;
      at += size[k];
    }
  }

  const decodeTime = new Float64Array(n);
  const tts = track.timeToSample;
  let t = 0;
  for (let r = 0, k = 0; r < tts.count.length && k < n; r++) {
    const d = tts.delta[r];
    for (let i = 0; i < tts.count[r] && k < n; i++, k++) {
      decodeTime[k] = t;
      t += d;
    }
  }

  const compositionTime = decodeTime.slice();
  const ctts = track.compositionOffsets;
  if (ctts) {
    for (let r = 0, k = 0; r < ctts.count.length && k < n; r++) {
      const o = ctts.offset[r];
      for (let i = 0; i < ctts.count[r] && k < n; i++, k++) compositionTime[k] += o;
    }
  }

  const sync = new Uint8Array(n);
  const stss = track.syncSamples;
  if (stss) {
    for (let i = 0; i < stss.length; i++) {
      const s = stss[i];
      if (s >= 1 && s <= n) sync[s - 1] = 1;
    }
  } else {
    sync.fill(1);
  }
  return { count: n, size, offset, decodeTime, compositionTime, sync };
}

/** Bytes of sample `k` of `track`. */
export function sampleSize(track: Track, k: number): number {
  return track.sampleSizes ? track.sampleSizes[k] : track.constantSampleSize;
}

/**
 * The chunk holding sample `k`: the last chunk whose first sample is at most
 * `k` (an empty chunk's first sample is the next chunk's, so it never wins).
 */
export function chunkOfSample(track: Track, k: number): number {
  const { firstSample } = track.chunks;
  let lo = 0;
  let hi = firstSample.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firstSample[mid] <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** File offset of sample `k` of `track`, without expanding the whole table. */
export function sampleOffset(track: Track, k: number): number {
  const c = chunkOfSample(track, k);
  let at = track.chunks.offset[c];
  for (let i = track.chunks.firstSample[c]; i < k; i++) at += sampleSize(track, i);
  return at;
}
