/**
 * The capacity meter's figures: how many payload bytes fit in the output
 * chosen, how many the message and files use, about what share of the
 * video's samples change and, for the same format, how many pictures are
 * rewritten raw and what the new video weighs. Computed from sizes and
 * names alone, without reading any file.
 */
import { acceptedCapacity, autoBodyFrames, payloadCapacity, stealthCapacity } from '../core/capacity.ts';
import { containerSize, type ContainerShape } from '../core/container.ts';
import { frameSize, type VideoGeometry } from '../core/geometry.ts';
import { rsEncodedLength } from '../core/rs/index.ts';
import { LOCATOR_SAMPLES } from '../core/sample-order.ts';
import { GCM_TAG_BYTES } from '../core/seal.ts';
import { STEALTH_DENSITY } from '../core/adaptive-format.ts';
import type { Density, HideSettings } from '../core/settings.ts';
import { formatBytesExact, formatCount } from './format.ts';
import type { OutputKind } from '../state/output-choice.ts';

/** The video as the meter sees it. */
export interface CapacityVideo {
  /** Its geometry, every frame counted. */
  readonly geometry: VideoGeometry;
  /** Its file's size in bytes. */
  readonly bytes: number;
  /** Its carrier pictures (VideoInfo.sameFormat), when it can come back in its own format. */
  readonly sameFormat: { readonly carriers: number; readonly carrierBytes: number; readonly geometry?: VideoGeometry } | undefined;
}

/** What a same-format hide rewrites, and what the new video weighs. */
export interface CarrierFigures {
  /** Pictures that may carry data: those no other picture depends on. */
  readonly available: number;
  /** The most pictures this payload is written into: the body's automatic count, and perhaps one more for the locator. */
  readonly most: number;
  /** What one rewritten picture weighs in the output. */
  readonly bytesEach: number;
  /** About what the new video weighs at most: the original plus `most` rewritten pictures. */
  readonly outputBytes: number;
  /** The most the hide writes to this device's disk while it runs (each picture waits in a scratch file first). */
  readonly diskBytes: number;
}

export interface CapacitySummary {
  readonly output: OutputKind;
  /** Payload container bytes the chosen output accepts with these settings: within the stealth budget unless full capacity is chosen. */
  readonly capacityBytes: number;
  /** The stealth budget of the chosen output (adaptive embedding), whatever the density chosen; null for LSB matching and replacement. */
  readonly stealthBytes: number | null;
  /** The chosen output's full capacity, above the budget. */
  readonly fullCapacityBytes: number;
  /** Container bytes of the message and files (before compression, which can only shrink it). */
  readonly usedBytes: number;
  readonly fits: boolean;
  /** Bytes too many; 0 when it fits. */
  readonly overBytes: number;
  /** About what share (0..1) of all the video's samples change. */
  readonly changedShare: number;
  /** What a lossless copy of this video accepts with these settings (the same as `capacityBytes` when it is the output). */
  readonly losslessCapacityBytes: number;
  /** The same format's pictures and weight; undefined for the lossless copy. */
  readonly carriers: CarrierFigures | undefined;
}

/**
 * Figures for the meter. In the same format only the carrier pictures hold
 * data: the core sees a video of that many frames (src/media/plan/carriers.ts).
 *
 * The changed share counts the samples that carry the locator and the coded
 * body (ceil(bits / bits per sample)) over all the video's samples; a
 * carrying sample keeps its value only when its low bits already equal the
 * hidden bits, which for random (encrypted) bits happens with chance 1/2 for
 * one bit per sample and 1/4 for two, by matching and by replacement alike.
 *
 * @param output the output chosen; 'same-format' needs `video.sameFormat`.
 */
export function capacitySummary(video: CapacityVideo, settings: HideSettings, shape: ContainerShape, output: OutputKind): CapacitySummary {
  const g = video.geometry;
  const losslessCapacityBytes = acceptedCapacity(g, settings);
  const sameFormat = output === 'same-format' ? video.sameFormat : undefined;
  if (output === 'same-format' && !sameFormat) throw new RangeError('the same format needs the video’s carrier pictures');
  // The carriers' own frames (the whole coded picture, which a container may crop further for display).
  const carrierGeometry = sameFormat ? { ...(sameFormat.geometry ?? g), frameCount: sameFormat.carriers } : g;
  const capacityBytes = sameFormat ? acceptedCapacity(carrierGeometry, settings) : losslessCapacityBytes;
  const stealthBytes = stealthCapacity(carrierGeometry, settings);
  const fullCapacityBytes = payloadCapacity(carrierGeometry, settings);

  const usedBytes = containerSize(shape);
  const fits = usedBytes <= capacityBytes;
  const coded = rsEncodedLength(usedBytes + GCM_TAG_BYTES, settings.parityBytes);
  const carrying = Math.ceil((coded * 8) / settings.bitsPerSample) + LOCATOR_SAMPLES;
  const changeChance = 1 - 2 ** -settings.bitsPerSample;
  const total = frameSize(g) * g.frameCount;
  const changedShare = total > 0 ? Math.min(1, (carrying * changeChance) / total) : 0;

  let carriers: CarrierFigures | undefined;
  if (sameFormat) {
    // The locator's picture is chosen apart from the body's, so it may be one more.
    const body = autoBodyFrames(carrierGeometry, settings, usedBytes);
    const most = Math.min(body + 1, sameFormat.carriers);
    const added = most * sameFormat.carrierBytes;
    carriers = { available: sameFormat.carriers, most, bytesEach: sameFormat.carrierBytes, outputBytes: video.bytes + added, diskBytes: video.bytes + 2 * added };
  }
  return { output, capacityBytes, stealthBytes, fullCapacityBytes, usedBytes, fits, overBytes: fits ? 0 : usedBytes - capacityBytes, changedShare, losslessCapacityBytes, carriers };
}

/** A share as a percentage for people: "0.42%", "under 0.01%". */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0%';
  if (pct < 0.01) return 'under 0.01%';
  if (pct < 1) return `${pct.toFixed(2)}%`;
  if (pct < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** A share of samples at the start of a sentence: "About 0.42%", "Under 0.01%". */
export function shareInWords(share: number): string {
  const f = formatShare(share);
  return f.startsWith('under ') ? `Under ${f.slice(6)}` : `About ${f}`;
}

/** What the meter says about the stealth budget (adaptive embedding). */
export interface StealthWords {
  /** "Within the stealth budget: up to X." */
  readonly budget: string;
  /**
   * 'offer-full': above the budget, within the full capacity, which is not
   * chosen: the hide is refused until it is. 'above': above the budget with
   * the full capacity chosen (a calm note). 'beyond': above even the full
   * capacity. undefined: within the budget.
   */
  readonly state: 'offer-full' | 'above' | 'beyond' | undefined;
  /** What being above the budget means, in plain words; undefined within it. */
  readonly warning: string | undefined;
  /** Where the budget's mark sits on the meter, 0..1 of the full capacity. */
  readonly mark: number;
}

/**
 * The stealth budget in words, for a summary and the density chosen;
 * undefined for LSB matching and replacement, which have no budget (their
 * capacity is their full capacity, and nothing here would be true of them).
 * The warning cites STEALTH_DENSITY, the rate the budget keeps every frame
 * within.
 */
export function stealthWords(s: CapacitySummary, density: Density): StealthWords | undefined {
  const budget = s.stealthBytes;
  if (budget === null) return undefined;
  const rate = `${STEALTH_DENSITY} bits per sample, ${Math.round(STEALTH_DENSITY * 100)} in every 100 samples`;
  const mark = s.fullCapacityBytes > 0 ? Math.min(1, budget / s.fullCapacityBytes) : 0;
  const words = `Within the stealth budget: up to ${formatBytesExact(budget)}.`;
  if (s.usedBytes <= budget) return { budget: words, state: undefined, warning: undefined, mark };
  if (s.usedBytes > s.fullCapacityBytes) {
    return { budget: words, state: 'beyond', warning: 'This is more than even the full capacity of this video holds.', mark };
  }
  const over = s.usedBytes - budget;
  const what = `more samples change in each frame than the stealth budget allows (at most ${rate}), so the hidden data is easier for steganalysis to detect`;
  if (density === 'full') {
    return { budget: words, state: 'above', warning: `Full capacity is allowed: ${formatCount(over)} byte${over === 1 ? '' : 's'} above the stealth budget, so ${what}.`, mark };
  }
  return {
    budget: words,
    state: 'offer-full',
    warning: `This is ${formatCount(over)} byte${over === 1 ? '' : 's'} above the stealth budget. It fits if you use the full capacity, but then ${what}. Hide less to stay within the budget.`,
    mark,
  };
}
