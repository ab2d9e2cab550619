/**
 * What a person can choose when hiding. None of it is needed again to reveal:
 * the locator carries every choice, encrypted (docs/FORMAT.md).
 */
import type { KeyBits } from './seal.ts';
import type { VideoGeometry } from './geometry.ts';
import { UnsupportedInputError } from './errors.ts';
import { checkRanges, type FrameChoice } from './frame-ranges.ts';
import { normalizeRanges } from './locator.ts';

/** Reed-Solomon parity bytes per 255-byte codeword. */
export type ParityBytes = 0 | 16 | 32 | 64;

/** Error correction a person picks: none, standard (RS(255,223)), strong (RS(255,191)). */
export const ERROR_CORRECTION = { none: 0, standard: 32, strong: 64 } as const satisfies Record<string, ParityBytes>;

export type { FrameChoice } from './frame-ranges.ts';

export interface HideSettings {
  /** AES-GCM key size. */
  readonly keyBits: KeyBits;
  /** Reed-Solomon parity bytes per codeword. */
  readonly parityBytes: ParityBytes;
  /** LSB matching (+/-1 at random, default) or LSB replacement. */
  readonly mode: 'matching' | 'replacement';
  /** Bits hidden in each chosen sample. */
  readonly bitsPerSample: 1 | 2;
  /** Planes that may carry data: bit p set = plane p (0 = Y, 1 = U, 2 = V). */
  readonly planeMask: number;
  /** Which frames carry the body. */
  readonly frames: FrameChoice;
}

export const DEFAULT_HIDE_SETTINGS: HideSettings = Object.freeze({
  keyBits: 256,
  parityBytes: ERROR_CORRECTION.standard,
  mode: 'matching',
  bitsPerSample: 1,
  planeMask: 0b111,
  frames: Object.freeze({ kind: 'auto' }),
});

/** The plane mask limited to the planes the geometry has; throws when nothing is left. */
export function effectivePlaneMask(g: VideoGeometry, planeMask: number): number {
  const all = (1 << g.planes.length) - 1;
  const mask = planeMask & all;
  if (mask === 0) throw new UnsupportedInputError('Choose at least one plane of the video to hide data in.');
  return mask;
}

/** Validates a person's frame ranges against the video; throws with a plain message. */
export function checkFrameChoice(g: VideoGeometry, frames: FrameChoice): void {
  if (frames.kind === 'auto') return;
  checkRanges(frames.ranges, g.frameCount);
  // Overlapping or touching ranges merge; throws when more remain than the locator holds.
  normalizeRanges(frames.ranges);
}
