/**
 * The capacity meter's figures: how many payload bytes fit, how many the
 * message and files use, and about what share of the video's samples change.
 * Computed from sizes and names alone, without reading any file.
 */
import { payloadCapacity } from '../core/capacity.ts';
import { containerSize, type ContainerShape } from '../core/container.ts';
import { frameSize, type VideoGeometry } from '../core/geometry.ts';
import { rsEncodedLength } from '../core/rs/index.ts';
import { LOCATOR_SAMPLES } from '../core/sample-order.ts';
import { GCM_TAG_BYTES } from '../core/seal.ts';
import type { HideSettings } from '../core/settings.ts';

export interface CapacitySummary {
  /** Payload container bytes this video holds with these settings. */
  readonly capacityBytes: number;
  /** Container bytes of the message and files (before compression, which can only shrink it). */
  readonly usedBytes: number;
  readonly fits: boolean;
  /** Bytes too many; 0 when it fits. */
  readonly overBytes: number;
  /** About what share (0..1) of all the video's samples change. */
  readonly changedShare: number;
}

/**
 * Figures for the meter. The changed share counts the samples that carry the
 * locator and the coded body (ceil(bits / bits per sample)); a carrying sample
 * keeps its value only when its low bits already equal the hidden bits, which
 * for random (encrypted) bits happens with chance 1/2 for one bit per sample
 * and 1/4 for two, by matching and by replacement alike.
 */
export function capacitySummary(g: VideoGeometry, settings: HideSettings, shape: ContainerShape): CapacitySummary {
  const capacityBytes = payloadCapacity(g, settings);
  const usedBytes = containerSize(shape);
  const fits = usedBytes <= capacityBytes;
  const coded = rsEncodedLength(usedBytes + GCM_TAG_BYTES, settings.parityBytes);
  const carrying = Math.ceil((coded * 8) / settings.bitsPerSample) + LOCATOR_SAMPLES;
  const changeChance = 1 - 2 ** -settings.bitsPerSample;
  const total = frameSize(g) * g.frameCount;
  const changedShare = total > 0 ? Math.min(1, (carrying * changeChance) / total) : 0;
  return { capacityBytes, usedBytes, fits, overBytes: fits ? 0 : usedBytes - capacityBytes, changedShare };
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
