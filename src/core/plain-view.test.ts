import { describe, expect, it } from 'vitest';
import { plainView } from './plain-view.ts';

describe('plainView', () => {
  it('hands back a view on a plain ArrayBuffer as it is, offset and length kept', () => {
    const buf = new Uint8Array([9, 1, 2, 3, 9]);
    const v = buf.subarray(1, 4);
    expect(plainView(v)).toBe(v);
  });

  it('copies a view of shared memory into a plain ArrayBuffer, with the same bytes', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    shared.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const v = plainView(shared.subarray(2, 6));
    expect(v.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(v)).toEqual([3, 4, 5, 6]);
    shared[2] = 99; // a copy: later writes to the shared memory do not reach it
    expect(v[0]).toBe(3);
  });
});
