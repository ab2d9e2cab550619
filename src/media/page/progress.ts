/**
 * A job's progress as the person sees it: the stage, frames done of the
 * stage's total, the speed, and the time left. Counted stages are sampled
 * every quarter second from counters the workers keep (shared memory), so
 * the page does not wait on a worker to learn how far it is.
 */
import type { JobProgress, JobStage } from '../shared/jobs.ts';

const TICK_MS = 250;
/** Speed is shown once this much of a counted stage has passed (earlier figures jump about). */
const SETTLE_SECONDS = 0.25;

export class ProgressReporter {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onProgress: ((p: JobProgress) => void) | undefined) {}

  /** Enters a stage that is not counted in frames. */
  stage(stage: JobStage): void {
    this.stop();
    this.onProgress?.({ stage, done: 0, total: 0, fps: 0, secondsLeft: undefined });
  }

  /**
   * Enters a stage counted in frames: `done()` is read on every tick, `total`
   * may be changed later (for example when a hide is run again over the true
   * frame count). `head` frames were done before the clock started.
   */
  count(stage: JobStage, total: () => number, done: () => number, head = 0): void {
    this.stop();
    const since = performance.now();
    const tick = () => {
      const all = total();
      const d = Math.min(done(), all);
      const seconds = (performance.now() - since) / 1000;
      const fps = seconds > SETTLE_SECONDS ? Math.max(0, d - head) / seconds : 0;
      this.onProgress?.({ stage, done: d, total: all, fps, secondsLeft: fps > 0 ? (all - d) / fps : undefined });
    };
    tick();
    this.timer = setInterval(tick, TICK_MS);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
