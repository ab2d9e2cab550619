/**
 * The hiding settings as a person chooses them in the form, how they are
 * remembered between visits, and how they become the core's HideSettings for
 * one video. Never holds a password or a message.
 */
import { checkFrameChoice, DEFAULT_HIDE_SETTINGS, ERROR_CORRECTION, settingsProblem, type Density, type EmbeddingMode, type HideSettings } from '../core/settings.ts';
import type { VideoGeometry } from '../core/geometry.ts';
import type { KeyBits } from '../core/seal.ts';
import type { FrameChoice } from '../core/frame-ranges.ts';
import { parseFrameList } from './frame-list.ts';
import { parseOutputKind, type OutputKind } from './output-choice.ts';

export type ErrorCorrectionName = keyof typeof ERROR_CORRECTION;

export interface SettingsChoice {
  /**
   * What a hide makes: the same format where the video allows it (else the
   * lossless copy), or always the lossless copy. Chosen frames
   * (`frameMode: 'list'`) go only with the lossless copy.
   */
  output: OutputKind;
  keyBits: KeyBits;
  errorCorrection: ErrorCorrectionName;
  mode: EmbeddingMode;
  bitsPerSample: 1 | 2;
  /** Stay within the stealth budget, or allow the full capacity (adaptive embedding). */
  density: Density;
  planes: { y: boolean; u: boolean; v: boolean };
  frameMode: 'auto' | 'list';
  /** The frames as typed, e.g. "0-99, 150". */
  frameList: string;
}

function errorCorrectionName(parity: number): ErrorCorrectionName {
  const found = (Object.keys(ERROR_CORRECTION) as ErrorCorrectionName[]).find((k) => ERROR_CORRECTION[k] === parity);
  return found ?? 'standard';
}

/** The defaults, from the core's DEFAULT_HIDE_SETTINGS. */
export function defaultChoice(): SettingsChoice {
  const d = DEFAULT_HIDE_SETTINGS;
  return {
    output: 'same-format',
    keyBits: d.keyBits,
    errorCorrection: errorCorrectionName(d.parityBytes),
    mode: d.mode,
    bitsPerSample: d.bitsPerSample,
    density: d.density ?? 'stealth',
    planes: { y: (d.planeMask & 1) !== 0, u: (d.planeMask & 2) !== 0, v: (d.planeMask & 4) !== 0 },
    frameMode: 'auto',
    frameList: '',
  };
}

/** Reads remembered settings, keeping only valid fields; anything else falls back to the default. */
export function parseStoredChoice(stored: unknown): SettingsChoice {
  const c = defaultChoice();
  if (typeof stored !== 'object' || stored === null) return c;
  const s = stored as Record<string, unknown>;
  if (s.keyBits === 128 || s.keyBits === 192 || s.keyBits === 256) c.keyBits = s.keyBits;
  if (typeof s.errorCorrection === 'string' && Object.hasOwn(ERROR_CORRECTION, s.errorCorrection)) {
    c.errorCorrection = s.errorCorrection as ErrorCorrectionName;
  }
  if (s.mode === 'adaptive' || s.mode === 'matching' || s.mode === 'replacement') c.mode = s.mode;
  if (s.bitsPerSample === 1 || s.bitsPerSample === 2) c.bitsPerSample = s.bitsPerSample;
  if (s.density === 'stealth' || s.density === 'full') c.density = s.density;
  if (typeof s.planes === 'object' && s.planes !== null) {
    const p = s.planes as Record<string, unknown>;
    for (const k of ['y', 'u', 'v'] as const) if (typeof p[k] === 'boolean') c.planes[k] = p[k];
  }
  if (s.frameMode === 'auto' || s.frameMode === 'list') c.frameMode = s.frameMode;
  if (typeof s.frameList === 'string') c.frameList = s.frameList.slice(0, 10_000);
  // Chosen frames go only with the lossless copy (and meant it before there was a choice of output).
  c.output = c.frameMode === 'list' ? 'lossless' : (parseOutputKind(s.output) ?? 'same-format');
  return c;
}

/**
 * Chooses the output. The same format picks its own pictures (those no
 * other picture depends on), so chosen frames go back to Automatic; the
 * frame list stays as typed. Returns what else changed, in plain words, or
 * undefined.
 */
export function chooseOutput(c: SettingsChoice, output: OutputKind): string | undefined {
  c.output = output;
  if (output === 'same-format' && c.frameMode === 'list') {
    c.frameMode = 'auto';
    return 'The same format chooses the pictures that hold the data itself, so Frames (under Settings) is now Automatic.';
  }
  return undefined;
}

/**
 * Chooses how frames are picked. Chosen frames need the lossless copy, so
 * the output switches to it. Returns what else changed, in plain words, or
 * undefined.
 */
export function chooseFrameMode(c: SettingsChoice, mode: SettingsChoice['frameMode']): string | undefined {
  c.frameMode = mode;
  if (mode === 'list' && c.output === 'same-format') {
    c.output = 'lossless';
    return 'Chosen frames need the lossless copy, so Output is now “Lossless copy”. The same format chooses its own pictures.';
  }
  return undefined;
}

/** The plane mask of the chosen planes (bit 0 = Y, 1 = U, 2 = V). */
export function planeMaskOf(c: SettingsChoice): number {
  return (c.planes.y ? 1 : 0) | (c.planes.u ? 2 : 0) | (c.planes.v ? 4 : 0);
}

export type ResolvedSettings =
  | { readonly ok: true; readonly settings: HideSettings }
  | { readonly ok: false; readonly field: 'planes' | 'frames' | 'bits'; readonly error: string };

/** The core's settings for this video, or the first thing wrong with the choice, in plain words. */
export function resolveSettings(c: SettingsChoice, g: VideoGeometry): ResolvedSettings {
  const problem = settingsProblem(c);
  if (problem) return { ok: false, field: 'bits', error: problem };
  const planeMask = planeMaskOf(c) & ((1 << Math.min(g.planes.length, 3)) - 1);
  if (planeMask === 0) {
    return {
      ok: false,
      field: 'planes',
      error: g.planes.length === 1 ? 'This video has only the Y plane: tick Y.' : 'Tick at least one plane (Y, U or V).',
    };
  }
  let frames: FrameChoice = { kind: 'auto' };
  if (c.frameMode === 'list') {
    const parsed = parseFrameList(c.frameList);
    if (!parsed.ok) return { ok: false, field: 'frames', error: parsed.error };
    frames = { kind: 'ranges', ranges: parsed.ranges };
    try {
      checkFrameChoice(g, frames);
    } catch (e) {
      return { ok: false, field: 'frames', error: e instanceof Error ? e.message : String(e) };
    }
  }
  return {
    ok: true,
    settings: {
      keyBits: c.keyBits,
      parityBytes: ERROR_CORRECTION[c.errorCorrection],
      mode: c.mode,
      bitsPerSample: c.bitsPerSample,
      planeMask,
      frames,
      density: c.density,
    },
  };
}

/** A one-line description of the settings, for the history. */
export function describeSettings(s: HideSettings): string {
  const planes = ['Y', 'U', 'V'].filter((_, i) => s.planeMask & (1 << i)).join('');
  const frames = s.frames.kind === 'auto' ? 'frames chosen automatically' : `${s.frames.ranges.length} frame range${s.frames.ranges.length === 1 ? '' : 's'}`;
  const method = s.mode === 'adaptive' ? `adaptive embedding, ${(s.density ?? 'stealth') === 'stealth' ? 'within the stealth budget' : 'full capacity allowed'}` : `LSB ${s.mode}`;
  return `AES-${s.keyBits}, error correction ${errorCorrectionName(s.parityBytes)}, ${method}, ${s.bitsPerSample} bit${s.bitsPerSample === 1 ? '' : 's'} per sample, planes ${planes}, ${frames}`;
}
