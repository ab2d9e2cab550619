/**
 * What a person can choose when hiding. None of it is needed again to reveal:
 * the locator carries every choice, encrypted (docs/FORMAT.md).
 */
import type { KeyBits } from './seal.ts';
import type { VideoGeometry } from './geometry.ts';
import { UnsupportedInputError } from './errors.ts';
import type { CapacityFrames } from './capacity.ts';
import { normalizeRanges } from './locator.ts';

/** Reed-Solomon parity bytes per 255-byte codeword. */
export type ParityBytes = 0 | 16 | 32 | 64;

/** Error correction a person picks: none, standard (RS(255,223)), strong (RS(255,191)). */
export const ERROR_CORRECTION = { none: 0, standard: 32, strong: 64 } as const satisfies Record<string, ParityBytes>;

/** Which frames carry the body: chosen from the password, or a person's own ranges. */
export type FrameChoice = CapacityFrames;

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
  if (frames.ranges.length === 0) throw new UnsupportedInputError('Choose at least one frame, or let VidStega choose.');
  for (const r of frames.ranges) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.count) || r.start < 0 || r.count < 1 || r.start + r.count > g.frameCount) {
      throw new UnsupportedInputError(
        `Frames ${r.start}-${r.start + r.count - 1} are not all in this video, which has frames 0-${g.frameCount - 1}.`,
      );
    }
  }
  // Overlapping or touching ranges merge; throws when more remain than the locator holds.
  normalizeRanges(frames.ranges);
}
