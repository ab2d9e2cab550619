/** Best of `reps` timed runs of fn in milliseconds (after one untimed warm-up run). */
export function timeBest(reps: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    const t = performance.now() - t0;
    if (t < best) best = t;
  }
  return best;
}
