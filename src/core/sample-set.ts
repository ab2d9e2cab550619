/**
 * A set of one frame's samples, one bit each. Sample i of a frame is index i
 * of its planes concatenated in plane order (Y, U, V, alpha), each plane
 * row-major: the same numbering whatever planes a payload may use, so sets
 * built from different index spaces (the locator's luma, a body's eligible
 * planes) meet in one place. Hot code reads {@link SampleSet.bits} directly.
 */
import type { EligibleSpace } from './sample-order.ts';

export class SampleSet {
  /** Bit i of word i >>> 5 set = sample i is in the set. */
  readonly bits: Uint32Array;

  /** An empty set for frames of `frameSamples` samples. */
  constructor(readonly frameSamples: number) {
    this.bits = new Uint32Array(Math.ceil(frameSamples / 32));
  }

  clear(): void {
    this.bits.fill(0);
  }

  has(sample: number): boolean {
    return ((this.bits[sample >>> 5] >>> (sample & 31)) & 1) === 1;
  }

  /** Adds `positions[0 .. count)`, indices in `space` (an eligible index space of the same frames). */
  addPositions(space: EligibleSpace, positions: Uint32Array, count: number = positions.length): void {
    const bits = this.bits;
    const np = space.planeCount;
    const starts = space.starts;
    const frameStarts = space.frameStarts;
    for (let j = 0; j < count; j++) {
      const e = positions[j];
      let p = 0;
      while (p + 1 < np && e >= starts[p + 1]) p++;
      const i = frameStarts[p] + (e - starts[p]);
      bits[i >>> 5] |= 1 << (i & 31);
    }
  }

  /** How many samples are in the set. */
  size(): number {
    let count = 0;
    const bits = this.bits;
    for (let k = 0; k < bits.length; k++) for (let w = bits[k]; w !== 0; w &= w - 1) count++;
    return count;
  }
}
