/** Searching ascending sorted arrays: the one binary search of the code base. */

/** The first index whose value is not below `v` (the length when all are). */
export function lowerBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of `v` in `sorted`, or -1 when it is not there. */
export function indexOfSorted(sorted: ArrayLike<number>, v: number): number {
  const i = lowerBound(sorted, v);
  return i < sorted.length && sorted[i] === v ? i : -1;
}
