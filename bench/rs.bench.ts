/**
 * Reed-Solomon RS(255, 223) throughput, in MB/s of data bytes (223 per
 * codeword): encode, decode of clean codewords, decode with 16 random errors
 * (t = 16, the correction limit) in every codeword. Uses the per-codeword
 * encoder/decoder directly, so the figures are the codec's, not the
 * interleaver's.
 */
import { getRsDecoder } from '../src/core/rs/rs-decode.ts';
import { getRsEncoder } from '../src/core/rs/rs-encode.ts';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { timeBest } from './time-best.ts';

const N = 255;
const NSYM = 32;
const K = N - NSYM;

/** `codewords` consecutive RS(255,223) codewords of seeded random data. */
function makeCodewords(codewords: number, seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  const buf = new Uint8Array(codewords * N);
  const enc = getRsEncoder(NSYM);
  for (let c = 0; c < codewords; c++) {
    const off = c * N;
    for (let i = 0; i < K; i++) buf[off + i] = (rnd() * 256) | 0;
    enc.encodeInto(buf, off, K, buf, off + K);
  }
  return buf;
}

/** Put `errors` random non-zero errors at distinct positions in every codeword. */
function addErrors(buf: Uint8Array, errors: number, seed: number): void {
  const rnd = mulberry32(seed);
  const hit = new Uint8Array(N);
  for (let off = 0; off < buf.length; off += N) {
    hit.fill(0);
    for (let e = 0; e < errors; ) {
      const p = (rnd() * N) | 0;
      if (hit[p]) continue;
      hit[p] = 1;
      buf[off + p] ^= 1 + ((rnd() * 255) | 0);
      e++;
    }
  }
}

function mbps(dataBytes: number, ms: number): number {
  return dataBytes / 1e6 / (ms / 1000);
}

/** Run the Reed-Solomon benchmarks; returns MB/s figures keyed by name. */
export async function benchReedSolomon(): Promise<Record<string, number>> {
  const enc = getRsEncoder(NSYM);
  const dec = getRsDecoder(NSYM);

  // ~16 MB of data for encode and clean decode.
  const bigCount = Math.ceil((16 * 1024 * 1024) / K);
  const clean = makeCodewords(bigCount, 1);
  const parity = new Uint8Array(NSYM);
  const encodeMs = timeBest(5, () => {
    for (let off = 0; off < clean.length; off += N) enc.encodeInto(clean, off, K, parity, 0);
  });
  const cleanMs = timeBest(5, () => {
    for (let off = 0; off < clean.length; off += N) dec.decode(clean, off, N);
  });

  // ~4 MB of data with 16 errors per codeword; each run decodes a fresh copy.
  const errCount = Math.ceil((4 * 1024 * 1024) / K);
  const damaged = makeCodewords(errCount, 2);
  addErrors(damaged, 16, 3);
  const work = new Uint8Array(damaged.length);
  let fixed = 0;
  const reps = 3;
  const errMs = timeBest(reps, () => {
    work.set(damaged);
    for (let off = 0; off < work.length; off += N) fixed += dec.decode(work, off, N);
  });
  if (fixed !== (reps + 1) * 16 * errCount) throw new Error('benchReedSolomon: decoder did not correct every error');

  return {
    rs255_223_encode_MBps: mbps(bigCount * K, encodeMs),
    rs255_223_decode_clean_MBps: mbps(bigCount * K, cleanMs),
    rs255_223_decode_16err_MBps: mbps(errCount * K, errMs),
  };
}
