/**
 * The keyed sample positions of format v1 exactly as `src/core/keyed-permutation.ts`
 * and `src/core/sample-order.ts` computed them at commit 541bfaa, before the
 * positions were made faster: the oracle the fast code is tested against
 * (`src/core/sample-positions-oracle.test.ts`) and timed beside
 * (`npm run bench -- positions`). The positions are part of the format, so
 * this copy must never change; it is deliberately the slow, plain form
 * (the rounds in a loop, a new permutation and buffers per frame).
 */

const FEISTEL_ROUNDS = 6;

function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Round keys of a 32-byte seed and a tweak, as format v1 defines them. */
export function oracleRoundKeys(seed: Uint8Array, tweak: number): Uint32Array {
  if (seed.length !== 32) throw new RangeError(`permutation seed must be 32 bytes, got ${seed.length}`);
  const out = new Uint32Array(FEISTEL_ROUNDS);
  const w = (i: number) => (seed[4 * i] | (seed[4 * i + 1] << 8) | (seed[4 * i + 2] << 16) | (seed[4 * i + 3] << 24)) >>> 0;
  let h = fmix32((tweak ^ 0x243f6a88) >>> 0);
  for (let j = 0; j < 8; j++) h = fmix32((h ^ w(j)) + 0x9e3779b9);
  for (let i = 0; i < FEISTEL_ROUNDS; i++) {
    h = fmix32((h + Math.imul(i + 1, 0x9e3779b9) + tweak) ^ w(i));
    out[i] = (h ^ w((i + 6) & 7)) >>> 0;
  }
  return out;
}

/** The keyed permutation of `[0, n)`, element by element, as format v1 defines it. */
export class OraclePermutation {
  readonly n: number;
  private readonly h: number;
  private readonly half: number;
  private readonly mask: number;
  private readonly keys: Int32Array;

  constructor(seed: Uint8Array, n: number, tweak = 0) {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 52) throw new RangeError(`bad permutation size ${n}`);
    this.n = n;
    let h = 1;
    while (4 ** h < n) h++;
    this.h = h;
    this.half = 2 ** h;
    this.mask = this.half - 1;
    this.keys = Int32Array.from(oracleRoundKeys(seed, tweak));
  }

  at(i: number): number {
    const { n, h, half, mask, keys } = this;
    let x = i;
    do {
      let l = h <= 15 ? x >>> h : Math.floor(x / half);
      let r = h <= 15 ? x & mask : x - l * half;
      for (let k = 0; k < FEISTEL_ROUNDS; k++) {
        const key = keys[k];
        let z = r ^ key;
        z ^= z >>> 16;
        z = Math.imul(z, 0x85ebca6b);
        z ^= z >>> 13;
        z = Math.imul(z, 0xc2b2ae35);
        z ^= z >>> 16;
        const t = l ^ ((z + key) & mask);
        l = r;
        r = t;
      }
      x = h <= 15 ? ((l << h) | r) >>> 0 : l * half + r;
    } while (x >= n);
    return x;
  }
}

/** Tweak of the frame orders. */
const FRAME_ORDER_TWEAK = 0xffffffff;
/** Luma samples of the locator. */
const LOCATOR_SAMPLES = 1888;

/** The locator's frame f0. */
export function oracleLocatorFrame(seed: Uint8Array, frameCount: number): number {
  return new OraclePermutation(seed, frameCount, FRAME_ORDER_TWEAK).at(0);
}

/** The locator's luma sample indices in frame f0, in bit order. */
export function oracleLocatorPositions(seed: Uint8Array, lumaSamples: number, frame: number): Uint32Array {
  const sigma = new OraclePermutation(seed, lumaSamples, frame);
  const out = new Uint32Array(LOCATOR_SAMPLES);
  for (let i = 0; i < LOCATOR_SAMPLES; i++) out[i] = sigma.at(i);
  return out;
}

/** The first `count` frames of the body's automatic frame order, sorted. */
export function oracleAutoFrames(bodySeed: Uint8Array, frameCount: number, count: number): Uint32Array {
  const pi = new OraclePermutation(bodySeed, frameCount, FRAME_ORDER_TWEAK);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = pi.at(i);
  return out.sort();
}

/**
 * Eligible indices of slots 0 .. slotCount-1 of frame `frameIndex`, as the
 * reveal computed them per carrier frame: a new permutation and a new output
 * array, the locator's positions sorted again when the frame is f0.
 *
 * @param locatorPositions the locator's luma positions when this frame is f0
 *   and luma is eligible, else null.
 */
export function oracleSlotSampleIndices(
  bodySeed: Uint8Array,
  eligibleSamples: number,
  frameIndex: number,
  slotCount: number,
  locatorPositions: Uint32Array | null,
): Uint32Array {
  const out = new Uint32Array(slotCount);
  if (slotCount === 0) return out;
  const excludeSorted = locatorPositions ? locatorPositions.slice().sort() : null;
  const sigma = new OraclePermutation(bodySeed, eligibleSamples, frameIndex);
  if (!excludeSorted) {
    for (let i = 0; i < slotCount; i++) out[i] = sigma.at(i);
    return out;
  }
  const maxExcluded = excludeSorted[excludeSorted.length - 1];
  let s = 0;
  for (let j = 0; s < slotCount; j++) {
    const e = sigma.at(j);
    if (e <= maxExcluded && containsSorted(excludeSorted, e)) continue;
    out[s++] = e;
  }
  return out;
}

function containsSorted(a: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
