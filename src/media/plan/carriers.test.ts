import { describe, expect, it } from 'vitest';
import { CARRIER_WINDOW, CarrierList, decodeRuns, shareCarriers } from './carriers.ts';

/** A video from a pattern (I = IDR, i = non-IDR I picture, P = reference, b = no reference); sync samples at I and i. */
function video(pattern: string) {
  const reads: number[] = [];
  const sync = Uint32Array.from([...pattern].flatMap((c, k) => (c === 'I' || c === 'i' ? [k] : [])));
  const list = new CarrierList(pattern.length, sync, (k) => {
    reads.push(k);
    return { idr: pattern[k] === 'I', nalRefIdc: pattern[k] === 'b' ? 0 : 2 };
  });
  return { list, reads };
}

const samples = (l: CarrierList) => Array.from({ length: l.total() }, (_, v) => l.at(v).sample);

describe('carrier candidates', () => {
  it('are the pictures without references in the window after each IDR picture, group by group', () => {
    //                       0123456789012
    const { list } = video('IPbbPbbIPbbPP');
    expect(samples(list)).toEqual([2, 3, 5, 6, 9, 10]);
    expect(list.at(0)).toMatchObject({ sample: 2, idr: 0, cost: 3 });
    expect([...list.at(3).path]).toEqual([0, 1, 4, 6]);
    expect(list.at(4)).toMatchObject({ sample: 9, idr: 7, cost: 3 });
  });

  it('fall back to a group’s last picture when the window has none and an IDR picture or the end follows', () => {
    const { list } = video('IPPPPPPPPPPIPPPIPP');
    expect(samples(list)).toEqual([10, 14, 17]);
    expect(list.at(0).cost).toBe(11);
    expect([...list.at(1).path]).toEqual([11, 12, 13, 14]);
  });

  it('take nothing from an open group (its first picture is not an IDR picture), nor its last picture before one', () => {
    const { list } = video('IPPPiPPPIPbP');
    // Group 0's last picture is followed by a non-IDR sync picture: it may still be referred to.
    expect(samples(list)).toEqual([10]);
  });

  it('go through every group a second time for their other unreferenced pictures, once the first round is done', () => {
    //                       0         1         2
    //                       0123456789012345678901234
    const { list, reads } = video('IPbbPbbPbbPbbPbbIPbbPbbPb');
    // First round: b at 2, 3, 5, 6, 8 (window of 8) and 18, 19, 21, 22, 24 (the last, at the end of the video).
    expect(list.count(10)).toBe(10);
    expect(reads.length).toBe(2 * (CARRIER_WINDOW + 1));
    // Second round: group 0's b past its window (9, 11, 12, 14, 15).
    expect(samples(list)).toEqual([2, 3, 5, 6, 8, 18, 19, 21, 22, 24, 9, 11, 12, 14, 15]);
    const late = list.at(10);
    expect(late.sample).toBe(9);
    expect([...late.path]).toEqual([0, 1, 4, 7, 9]);
  });

  it('take a stream of IDR pictures only as all candidates', () => {
    const { list } = video('IIII');
    expect(samples(list)).toEqual([0, 1, 2, 3]);
    expect(list.at(2).cost).toBe(1);
  });

  it('read only the groups the pools ask for, each header once', () => {
    const gop = 'IPbbPbbPbbPbbPbbPbbPbbPbbPbb';
    const { list, reads } = video(gop.repeat(50));
    expect(list.count(16)).toBe(16);
    // Five cheap candidates per group in the window (b at 2, 3, 5, 6, 8): 4 groups looked at, CARRIER_WINDOW + 1 headers each.
    expect(reads.length).toBe(4 * (CARRIER_WINDOW + 1));
    expect(new Set(reads).size).toBe(reads.length);
    // Then the second round: 13 more per group.
    expect(list.total()).toBe(900);
    expect(() => list.at(900)).toThrow(RangeError);
  });
});

describe('decode runs and shares', () => {
  it('feed each IDR picture, the reference pictures on the way, and the carriers only', () => {
    const { list } = video('IPbbPbbIPbbP');
    const pos = (sample: number) => samples(list).indexOf(sample);
    const runs = decodeRuns(list, [pos(6), pos(2), pos(9)]);
    expect(runs.map((r) => [...r.feed])).toEqual([
      [0, 1, 2, 4, 6],
      [7, 8, 9],
    ]);
    expect(runs.map((r) => [...r.carriers])).toEqual([[2, 6], [9]]);
  });

  it('keep a group together and balance the groups over the workers', () => {
    const idr = (v: number) => [0, 0, 7, 7, 14][v];
    const cost = (v: number) => [3, 5, 9, 2, 4][v];
    const shares = shareCarriers([0, 1, 2, 3, 4], idr, cost, 2);
    expect(shares.map((s) => [...s].sort())).toEqual([[2, 3], [0, 1, 4]]);
    expect(shareCarriers([0, 1], idr, cost, 4)).toEqual([[0, 1]]);
  });
});
