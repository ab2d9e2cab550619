/**
 * Running FFmpeg in a core: one place that clears the log, runs, and resets
 * the core for the next run, for every step of the engine.
 */
import type { Core } from './core-types.ts';

/** Runs an ffmpeg command line; returns its exit code (the log holds what it said). */
export function runFfmpeg(core: Core, args: readonly string[]): number {
  core.log.length = 0;
  const rc = core.exec(...args);
  core.reset();
  return rc;
}

/** The last lines FFmpeg logged, short enough to quote to a person. */
export function logTail(core: Core): string {
  return core.log.slice(-6).join(' ').slice(0, 600);
}
