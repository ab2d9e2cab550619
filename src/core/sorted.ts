/**
 * Binary search over ascending numbers: the one way the core (and the media
 * layer's segment planning) finds a value in a sorted list. Works on plain
 * arrays and typed arrays alike; allocates nothing.
 */

/**
 * The first index in `[lo, hi)` whose value is not below `v` (`hi` when every
 * value is below it): where `v` is, or would be inserted to keep the order.
 * `sorted` must be ascending over `[lo, hi)`.
 */
export function lowerBound(sorted: ArrayLike<number>, v: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = lo + ((hi - lo) >>> 1);
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of `v` in the ascending `sorted`, or -1 when it is not there (the first index when it repeats). */
export function indexOfSorted(sorted: ArrayLike<number>, v: number): number {
  const i = lowerBound(sorted, v);
  return i < sorted.length && sorted[i] === v ? i : -1;
}
