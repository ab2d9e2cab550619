/**
 * Which kind of video a hide makes, from the person's remembered choice and
 * what the video allows. The choice is a preference, never tied to one
 * video: "lossless" always gives the lossless copy; "same format" gives it
 * where the video can come back in its own format (VideoInfo.sameFormat),
 * and the lossless copy, with the engine's reason, where it cannot. A
 * video that cannot never overwrites the preference, so the next MP4 gets
 * the same format again.
 */
import type { SameFormat } from '../media/plan/video-info.ts';
import type { OutputKind } from '../media/shared/jobs.ts';

export type { OutputKind } from '../media/shared/jobs.ts';

/** The output kinds, the default first. */
export const OUTPUT_KINDS: readonly OutputKind[] = ['same-format', 'lossless'];

export interface OutputDecision {
  /** What the hide makes. */
  readonly output: OutputKind;
  /** Why this video cannot come back in its own format, in the engine's plain words; undefined when it can (or before a video is open). */
  readonly sameFormatUnavailable: string | undefined;
  /** The video's carrier pictures, when it can come back in its own format. */
  readonly carriers: { readonly carriers: number; readonly carrierBytes: number } | undefined;
}

/**
 * The output for this video (undefined: none open yet, so the preference
 * stands as it is).
 */
export function decideOutput(preferred: OutputKind, sameFormat: SameFormat | undefined): OutputDecision {
  if (sameFormat === undefined) return { output: preferred, sameFormatUnavailable: undefined, carriers: undefined };
  if ('reason' in sameFormat) return { output: 'lossless', sameFormatUnavailable: sameFormat.reason, carriers: undefined };
  return { output: preferred, sameFormatUnavailable: undefined, carriers: sameFormat };
}

/** Reads a remembered output choice; anything else is the default. */
export function parseOutputKind(stored: unknown): OutputKind | undefined {
  return OUTPUT_KINDS.find((k) => k === stored);
}
