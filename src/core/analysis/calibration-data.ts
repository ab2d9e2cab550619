/**
 * The calibrated data the detectors ship with, written by
 * `npm run calibrate` (scripts/calibrate-analysis.ts; figures in
 * docs/CALIBRATION.md): the residual detector's classifiers and the
 * verdict's thresholds. Both are checked on load, so a damaged file fails
 * at once rather than scoring nonsense.
 */
import type { LinearModel } from './linear-classifier.ts';
import type { ResidualModel } from './frame-analyzer.ts';
import { SPAM_FEATURES } from './spam-features.ts';
import { DETECTORS, type KindThresholds, type VerdictThresholds } from './verdict.ts';
import residualModelJson from './residual-model.json' with { type: 'json' };
import verdictThresholdsJson from './verdict-thresholds.json' with { type: 'json' };

function fail(what: string): never {
  throw new Error(`steganalysis calibration data: ${what}`);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function linearModel(j: unknown, name: string): LinearModel {
  const o = j as { weights?: unknown; bias?: unknown } | null;
  if (!o || !Array.isArray(o.weights) || o.weights.length !== SPAM_FEATURES || !o.weights.every(isNumber)) fail(`${name}: expected ${SPAM_FEATURES} weights`);
  if (!isNumber(o.bias)) fail(`${name}: no bias`);
  return { weights: Float64Array.from(o.weights as number[]), bias: o.bias };
}

/** A residual model from its JSON form (`features`, `bitDepth`, `luma`, `chroma`). */
export function parseResidualModel(j: unknown): ResidualModel & { readonly trainedOn: { readonly videos: readonly string[] } } {
  const o = j as { features?: unknown; bitDepth?: unknown; luma?: unknown; chroma?: unknown; trainedOn?: { videos?: unknown } } | null;
  if (!o || o.features !== 'spam2-T3-686') fail('residual model: unknown feature set');
  if (!isNumber(o.bitDepth)) fail('residual model: no bit depth');
  const videos = Array.isArray(o.trainedOn?.videos) ? (o.trainedOn.videos as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  return { bitDepth: o.bitDepth, luma: linearModel(o.luma, 'luma'), chroma: linearModel(o.chroma, 'chroma'), trainedOn: { videos } };
}

function kindThresholds(j: unknown, name: string): KindThresholds {
  const o = j as Record<string, { flag?: unknown; strong?: unknown }> | null;
  if (!o) fail(`${name}: missing`);
  const out = {} as Record<(typeof DETECTORS)[number], { flag: number; strong: number }>;
  for (const d of DETECTORS) {
    const t = o[d];
    if (!t || !isNumber(t.flag) || !isNumber(t.strong) || t.strong < t.flag) fail(`${name}.${d}: expected flag <= strong`);
    out[d] = { flag: t.flag, strong: t.strong };
  }
  return out;
}

/** Verdict thresholds from their JSON form. */
export function parseVerdictThresholds(j: unknown): VerdictThresholds {
  const o = j as { bitDepth?: unknown; luma?: unknown; chroma?: unknown; cleanFrameRates?: { flagged?: unknown; likely?: unknown } } | null;
  if (!o || !isNumber(o.bitDepth)) fail('thresholds: no bit depth');
  const r = o.cleanFrameRates;
  if (!r || !isNumber(r.flagged) || !isNumber(r.likely)) fail('thresholds: no clean frame rates');
  return { bitDepth: o.bitDepth, luma: kindThresholds(o.luma, 'luma'), chroma: kindThresholds(o.chroma, 'chroma'), cleanFrameRates: { flagged: r.flagged, likely: r.likely } };
}

/** The shipped residual classifiers (8-bit, SPAM features). */
export const RESIDUAL_MODEL = parseResidualModel(residualModelJson);

/** The shipped verdict thresholds. */
export const VERDICT_THRESHOLDS = parseVerdictThresholds(verdictThresholdsJson);
