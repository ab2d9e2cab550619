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

/**
 * How samples are changed. `adaptive` (format v2, the default): a
 * syndrome-trellis code picks the cheapest samples to change by ±1 under
 * HILL's texture costs, so smooth areas stay untouched and fewer samples
 * change per hidden bit. `matching` (±1 at every carrying sample) and
 * `replacement` (the low bits overwritten) write format v1.
 */
export type EmbeddingMode = 'adaptive' | 'matching' | 'replacement';

/**
 * How densely the automatic frame choice may fill a frame. `stealth`: no
 * frame carries more than the stealth budget (src/core/adaptive-format.ts,
 * STEALTH_DENSITY); a payload above it is refused with that figure.
 * `full`: above the budget, every frame is used, as densely as needed, up to
 * the video's full capacity. Applies to adaptive embedding; format v1 keeps
 * its own rule.
 */
export type Density = 'stealth' | 'full';

export interface HideSettings {
  /** AES-GCM key size. */
  readonly keyBits: KeyBits;
  /** Reed-Solomon parity bytes per codeword. */
  readonly parityBytes: ParityBytes;
  readonly mode: EmbeddingMode;
  /** Bits hidden in each chosen sample; 2 only with `matching` or `replacement`. */
  readonly bitsPerSample: 1 | 2;
  /** Planes that may carry data: bit p set = plane p (0 = Y, 1 = U, 2 = V). */
  readonly planeMask: number;
  /** Which frames carry the body. */
  readonly frames: FrameChoice;
  /** Absent means `stealth`. */
  readonly density?: Density;
}

export const DEFAULT_HIDE_SETTINGS: HideSettings = Object.freeze({
  keyBits: 256,
  parityBytes: ERROR_CORRECTION.standard,
  mode: 'adaptive',
  bitsPerSample: 1,
  planeMask: 0b111,
  frames: Object.freeze({ kind: 'auto' }),
  density: 'stealth',
});

/** The stego format a hide with these settings writes: 2 for adaptive embedding, 1 otherwise. */
export function formatVersionOf(settings: Pick<HideSettings, 'mode'>): 1 | 2 {
  return settings.mode === 'adaptive' ? 2 : 1;
}

/** Bits per sample as the format writes them: adaptive embedding hides 1 bit per sample. */
export function effectiveBitsPerSample(settings: Pick<HideSettings, 'mode' | 'bitsPerSample'>): 1 | 2 {
  return settings.mode === 'adaptive' ? 1 : settings.bitsPerSample;
}

/** The first thing wrong with a combination of settings, in plain words, or undefined. */
export function settingsProblem(settings: Pick<HideSettings, 'mode' | 'bitsPerSample'>): string | undefined {
  if (settings.mode === 'adaptive' && settings.bitsPerSample !== 1) {
    return 'Adaptive embedding hides 1 bit per sample. 2 bits per sample works only with LSB matching or LSB replacement.';
  }
  return undefined;
}

/** Throws {@link UnsupportedInputError} with {@link settingsProblem}'s words. */
export function checkSettings(settings: Pick<HideSettings, 'mode' | 'bitsPerSample'>): void {
  const problem = settingsProblem(settings);
  if (problem) throw new UnsupportedInputError(problem);
}

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
