import { describe, expect, it } from 'vitest';
import { carrierCandidates, decodeRuns, type PictureHeaders } from './carriers.ts';

/** Pictures from a pattern: I = IDR, P = reference, b = no reference. */
function pictures(pattern: string): PictureHeaders {
  return {
    nalRefIdc: Uint8Array.from(pattern, (c) => (c === 'b' ? 0 : 2)),
    idr: Uint8Array.from(pattern, (c) => (c === 'I' ? 1 : 0)),
  };
}

describe('carrier candidates', () => {
  it('are the pictures nothing refers to, cheapest to reach first', () => {
    //                 0123456789
    const p = pictures('IPbbPbbIPP');
    const list = carrierCandidates(p);
    // Unreferenced: 2, 3, 5, 6 (nal_ref_idc 0), 6 also last before the IDR at 7, and 9 (last of the stream).
    // Costs: reference pictures since the IDR, plus itself: 2 and 3 need I, P (0, 1); 9 needs I, P (7, 8);
    // 5 and 6 need I, P, P (0, 1, 4). Cheapest first, ties in decode order.
    expect([...list.sample]).toEqual([2, 3, 9, 5, 6]);
    expect([...list.cost]).toEqual([3, 3, 3, 4, 4]);
    expect([...list.idr]).toEqual([0, 0, 7, 0, 0]);
  });

  it('list cheaper candidates before dearer ones whatever their place', () => {
    const p = pictures('IPPPPPPPbIb');
    const list = carrierCandidates(p);
    expect([...list.sample]).toEqual([10, 8]);
    expect([...list.cost]).toEqual([2, 9]);
  });

  it('leave out pictures before the first IDR picture, which cannot be reached', () => {
    expect([...carrierCandidates(pictures('PbbIbP')).sample]).toEqual([4, 5]);
  });

  it('take a stream of IDR pictures only as all candidates', () => {
    const list = carrierCandidates(pictures('IIII'));
    expect([...list.sample]).toEqual([0, 1, 2, 3]);
    expect([...list.cost]).toEqual([1, 1, 1, 1]);
  });
});

describe('decode runs', () => {
  it('feed each IDR picture, the reference pictures on the way, and the carriers only', () => {
    const p = pictures('IPbbPbbIPbP');
    const list = carrierCandidates(p);
    const at = (sample: number) => list.sample.indexOf(sample);
    const runs = decodeRuns(list, [at(6), at(2), at(9)], p);
    expect(runs.map((r) => [...r.feed])).toEqual([
      [0, 1, 2, 4, 6],
      [7, 8, 9],
    ]);
    expect(runs.map((r) => [...r.carriers])).toEqual([[2, 6], [9]]);
  });

  it('refuse a position that is not a candidate', () => {
    const p = pictures('IPb');
    expect(() => decodeRuns(carrierCandidates(p), [5], p)).toThrow(RangeError);
  });
});
