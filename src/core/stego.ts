/**
 * Hiding and revealing at the level of frames: the one place where the
 * payload, the keys, Reed-Solomon and the sample layout meet
 * (docs/FORMAT.md). The media engine decodes frames, hands their planes to
 * {@link embedInFrame} or {@link extractFromFrame}, and writes them back; it
 * never needs to know what is inside.
 *
 * Hiding: {@link planHide} (async, once) → {@link embedInFrame} for each frame
 * of {@link framesToEmbed} (sync, in any order, in any worker: a plan is plain
 * data and structured-clones).
 *
 * Revealing: {@link findLocator} (reads one frame) → {@link extractFromFrame}
 * for each frame of {@link framesToExtract} → {@link finishReveal}.
 */
import { payloadCapacity } from './capacity.ts';
import { deflateRaw, inflateRaw } from './compress.ts';
import { decodeContainer, encodeContainer, type Payload } from './container.ts';
import { DataDamagedError, NothingFoundError, PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import type { FramePlanes, VideoGeometry } from './geometry.ts';
import { currentKdfSet, deriveArgon2id, KDF_SETS, kdfSetsNewestFirst, locatorSalt, type KdfParams } from './kdf.ts';
import { LOCATOR_SALT_BYTES, normalizeRanges, openLocator, sealLocator, type FrameSelection, type LocatorRecord } from './locator.ts';
import { bytesToSymbols, embedSymbols, extractSymbols, symbolsToBytes, type EmbedMode } from './lsb.ts';
import { Xorshift } from './prng.ts';
import { rsDecodeInterleaved, rsEncodeInterleaved, rsEncodedLength, RsDecodeFailure } from './rs/index.ts';
import {
  autoFrameCount,
  BodySlotOrder,
  bodyFrames,
  bodyLayout,
  eligibleSpace,
  frameSymbolPlan,
  gatherSymbols,
  LOCATOR_BYTES,
  LOCATOR_SAMPLES,
  locatorFrame,
  locatorPositions,
  scatterSymbols,
  symbolsForBytes,
  type BodyLayout,
  type FramePools,
  type FrameSymbolPlan,
} from './sample-order.ts';
import { deriveKeys, GCM_NONCE_BYTES, GCM_TAG_BYTES, openBytes, randomBytes, sealBytes, type SealKeys } from './seal.ts';
import { checkFrameChoice, effectivePlaneMask, type HideSettings } from './settings.ts';
import { indexOfSorted } from './sorted.ts';

/** Reed-Solomon parity bytes of the locator's single codeword: RS(236, 172). */
const LOCATOR_PARITY = 64;
/** The body's AAD binds it to this format. */
const BODY_AAD = new TextEncoder().encode('VidStega/v1/body');

/** Options for tests and future formats; the app uses the defaults. */
export interface KdfOptions {
  /** Parameter sets: hiding uses the newest, revealing tries all, newest first. */
  readonly kdfSets?: readonly KdfParams[];
}

/** How a hide or reveal goes about a video. */
export interface LayoutOptions extends KdfOptions {
  /**
   * Which frames the keyed choices pick from (src/core/sample-order.ts):
   * every frame (the default, the lossless copy), or a prefix of a list of
   * candidates (an H.264 video's carrier pictures, frame indices being
   * positions in the list). The hide and the reveal must agree; the reveal
   * knows from the kind of video it reads.
   */
  readonly pools?: FramePools;
}

/** Everything a worker needs to embed into any frame. Plain data: it structured-clones. */
export interface HidePlan {
  readonly geometry: VideoGeometry;
  readonly mode: EmbedMode;
  readonly maxValue: number;
  readonly locatorFrame: number;
  /** Luma sample indices of the locator, in bit order. */
  readonly locatorPositions: Uint32Array;
  /** The sealed, RS-coded locator: LOCATOR_SAMPLES bits, one per entry. */
  readonly locatorBits: Uint8Array;
  readonly bodySeed: Uint8Array;
  readonly layout: BodyLayout;
  /** The RS-coded, encrypted body. */
  readonly body: Uint8Array;
  /** Seeds the random signs of LSB matching (fresh per hide). */
  readonly signSeed: Uint8Array;
  /** Bytes of the container before compression, and as stored. */
  readonly containerBytes: number;
  readonly storedBytes: number;
}

/** What the extractor learns from the locator; enough to read the body. */
export interface RevealPlan {
  readonly geometry: VideoGeometry;
  readonly record: LocatorRecord;
  readonly keys: SealKeys;
  readonly layout: BodyLayout;
  readonly bodySeed: Uint8Array;
  /** Luma sample indices of the locator (the body skips them). */
  readonly locatorPositions: Uint32Array;
  /** Filled by {@link extractFromFrame}; handed to {@link finishReveal}. */
  readonly body: Uint8Array;
}

function maxSampleValue(g: VideoGeometry): number {
  return 2 ** g.bitDepth - 1;
}

/** Bytes → one bit per entry, most significant bit first. */
function bytesToBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  bytesToSymbols(bytes, 1, bits);
  return bits;
}

function bitsToBytes(bits: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(bits.length >> 3);
  symbolsToBytes(bits, 1, bytes);
  return bytes;
}

/**
 * The body's frames as the locator records them, once the payload is known
 * to fit: throws PayloadTooLargeError otherwise. With candidate frames, the
 * automatic count is the one every frame would give, unless the video has
 * fewer candidates than that: then all of them, if the payload fits at all.
 */
function frameSelection(settings: HideSettings, g: VideoGeometry, bodySymbols: number, planeMask: number, storedBytes: number, pools: FramePools): FrameSelection {
  const fits = (frames: VideoGeometry) => {
    const available = frames.frameCount > 0 ? payloadCapacity(frames, { ...settings, planeMask }) : 0;
    if (storedBytes > available) throw new PayloadTooLargeError(storedBytes, available);
  };
  if (settings.frames.kind === 'ranges') {
    fits(g);
    return { kind: 'ranges', ranges: normalizeRanges(settings.frames.ranges) };
  }
  const n = autoFrameCount(g, planeMask, settings.bitsPerSample, bodySymbols);
  if (pools === 'all') {
    fits(g);
    return { kind: 'auto', frameCount: n };
  }
  if (pools.count(n) >= n) return { kind: 'auto', frameCount: n };
  const all = { ...g, frameCount: Math.min(g.frameCount, pools.count(Infinity)) };
  fits(all);
  return { kind: 'auto', frameCount: autoFrameCount(all, planeMask, settings.bitsPerSample, bodySymbols) };
}

/**
 * Packs, compresses (when that helps), encrypts and error-protects the
 * payload, and lays it out over the video. Throws PayloadTooLargeError
 * (payload bytes needed vs available) before any expensive work when it
 * cannot fit, and UnsupportedInputError for settings the video cannot take.
 */
export async function planHide(
  payload: Payload,
  password: string,
  g: VideoGeometry,
  settings: HideSettings,
  options: LayoutOptions = {},
): Promise<HidePlan> {
  const pools = options.pools ?? 'all';
  if (password.length === 0) throw new UnsupportedInputError('Type a password.');
  const planeMask = effectivePlaneMask(g, settings.planeMask);
  checkFrameChoice(g, settings.frames);
  if (pools !== 'all' && settings.frames.kind === 'ranges') {
    throw new UnsupportedInputError('Chosen frame ranges need the lossless copy: choose it under Output, or let VidStega choose the frames.');
  }

  const container = encodeContainer(payload);
  const deflated = await deflateRaw(container);
  const compressed = deflated.length < container.length;
  const stored = compressed ? deflated : container;
  // Laid out before any key is derived, so a payload that cannot fit is refused at once.
  const bodyBytes = rsEncodedLength(stored.length + GCM_TAG_BYTES, settings.parityBytes);
  const symbols = symbolsForBytes(bodyBytes, settings.bitsPerSample);
  const selection = frameSelection(settings, g, symbols, planeMask, stored.length, pools);

  const kdf = currentKdfSet(options.kdfSets ?? KDF_SETS);
  const salt = randomBytes(LOCATOR_SALT_BYTES);
  const [locatorSeed, master] = await Promise.all([
    deriveArgon2id(password, await locatorSalt(g), kdf),
    deriveArgon2id(password, salt, kdf),
  ]);
  const keys = await deriveKeys(master, settings.keyBits);

  const bodyNonce = randomBytes(GCM_NONCE_BYTES);
  const ciphertext = await sealBytes(keys.aes, bodyNonce, stored, BODY_AAD);
  const body = rsEncodeInterleaved(ciphertext, settings.parityBytes);
  if (body.length !== bodyBytes) throw new Error('body size mismatch');

  const f0 = locatorFrame(locatorSeed, g, pools);
  const layout = bodyLayout(bodyFrames(keys.bodyOrderSeed, f0, g, selection, pools), g, planeMask, settings.bitsPerSample, symbols, f0);

  const record: LocatorRecord = {
    formatVersion: 1,
    compressed,
    bitsPerSample: settings.bitsPerSample,
    planeMask,
    parityBytes: settings.parityBytes,
    bodyNonce,
    bodyLength: body.length,
    ciphertextLength: ciphertext.length,
    keyBits: settings.keyBits,
    selection,
  };
  const sealed = await sealLocator(record, master, salt, settings.keyBits);
  const locatorCoded = rsEncodeInterleaved(sealed, LOCATOR_PARITY);
  if (locatorCoded.length !== LOCATOR_BYTES) throw new Error('locator size mismatch');

  return {
    geometry: g,
    mode: settings.mode,
    maxValue: maxSampleValue(g),
    locatorFrame: f0,
    locatorPositions: locatorPositions(locatorSeed, g, f0),
    locatorBits: bytesToBits(locatorCoded),
    bodySeed: keys.bodyOrderSeed,
    layout,
    body,
    signSeed: randomBytes(16),
    containerBytes: container.length,
    storedBytes: stored.length,
  };
}

/** The frames a hide changes, ascending: the locator frame and the body's frames. */
export function framesToEmbed(plan: HidePlan): Uint32Array {
  return unionSorted(plan.layout.frames, plan.locatorFrame);
}

/** The body's frames, ascending: what a reveal reads after the locator. */
export function framesToExtract(plan: RevealPlan): Uint32Array {
  return plan.layout.frames;
}

function unionSorted(frames: Uint32Array, extra: number): Uint32Array {
  if (indexOfSorted(frames, extra) >= 0) return frames;
  const out = new Uint32Array(frames.length + 1);
  out.set(frames);
  out[frames.length] = extra;
  return out.sort();
}

/** A per-frame PRNG for the signs of LSB matching: independent across frames and workers. */
function signRng(signSeed: Uint8Array, frameIndex: number): Xorshift {
  const seed = signSeed.slice(0, 16);
  const v = new DataView(seed.buffer);
  v.setUint32(0, v.getUint32(0, true) ^ frameIndex, true);
  v.setUint32(4, v.getUint32(4, true) ^ Math.floor(frameIndex / 2 ** 32), true);
  return new Xorshift(seed);
}

/**
 * Changes, in place, the samples of frame `frameIndex` that carry data.
 * Frames not in {@link framesToEmbed} are left alone. Returns how many
 * samples changed.
 */
export function embedInFrame(plan: HidePlan, frameIndex: number, planes: FramePlanes): number {
  checkPlanes(plan.geometry, planes);
  const rng = signRng(plan.signSeed, frameIndex);
  let changed = 0;
  if (frameIndex === plan.locatorFrame) {
    const lumaSpace = eligibleSpace(plan.geometry, 1);
    changed += embedSymbols(planes, lumaSpace, plan.locatorPositions, plan.locatorBits, LOCATOR_SAMPLES, 1, 'matching', plan.maxValue, rng);
  }
  const k = indexOfSorted(plan.layout.frames, frameIndex);
  if (k >= 0) {
    const fp = frameSymbolPlan(plan.layout, k);
    const w = frameWork(plan);
    const idx = w.slotsOf(fp);
    const syms = w.symbols(fp.count);
    gatherSymbols(plan.body, plan.layout.bitsPerSample, fp, syms);
    changed += embedSymbols(planes, plan.layout.space, idx, syms, fp.count, plan.layout.bitsPerSample, plan.mode, plan.maxValue, rng);
  }
  return changed;
}

/**
 * What every frame of one plan reuses: its slot order (built once from the
 * layout) and scratch buffers for one frame's sample indices and symbols.
 * Kept per layout object, so each worker, holding its own structured clone
 * of a plan, builds its own once; it goes with the plan.
 */
class FrameWork {
  readonly #order: BodySlotOrder;
  #idx = new Uint32Array(0);
  #syms = new Uint8Array(0);

  constructor(
    readonly bodySeed: Uint8Array,
    readonly locatorPositions: Uint32Array,
    layout: BodyLayout,
  ) {
    this.#order = new BodySlotOrder(bodySeed, layout, locatorPositions);
  }

  /** The frame's slot positions, in a scratch buffer valid until the next call. */
  slotsOf(fp: FrameSymbolPlan): Uint32Array {
    if (this.#idx.length < fp.count) this.#idx = new Uint32Array(fp.count);
    this.#order.slots(fp.frameIndex, fp.count, this.#idx);
    return this.#idx;
  }

  /** A scratch buffer for `count` symbols, valid until the next call. */
  symbols(count: number): Uint8Array {
    if (this.#syms.length < count) this.#syms = new Uint8Array(count);
    return this.#syms;
  }
}

const frameWorkOf = new WeakMap<BodyLayout, FrameWork>();

function frameWork(plan: { readonly layout: BodyLayout; readonly bodySeed: Uint8Array; readonly locatorPositions: Uint32Array }): FrameWork {
  let w = frameWorkOf.get(plan.layout);
  if (!w || w.bodySeed !== plan.bodySeed || w.locatorPositions !== plan.locatorPositions) {
    w = new FrameWork(plan.bodySeed, plan.locatorPositions, plan.layout);
    frameWorkOf.set(plan.layout, w);
  }
  return w;
}

function checkPlanes(g: VideoGeometry, planes: FramePlanes): void {
  if (planes.length !== g.planes.length) throw new RangeError(`expected ${g.planes.length} planes, got ${planes.length}`);
  for (let p = 0; p < planes.length; p++) {
    const want = g.planes[p].width * g.planes[p].height;
    if (planes[p].length !== want) throw new RangeError(`plane ${p}: expected ${want} samples, got ${planes[p].length}`);
  }
}

/**
 * Finds and opens the locator: derives the locator seed for each KDF set,
 * reads that set's locator frame (through `readFrame`), and tries to open it.
 * Throws NothingFoundError when no set opens it: wrong password, nothing
 * hidden, or a re-encoded video, which look the same by design.
 */
export async function findLocator(
  password: string,
  g: VideoGeometry,
  readFrame: (frameIndex: number) => Promise<FramePlanes>,
  options: LayoutOptions = {},
): Promise<RevealPlan> {
  const pools = options.pools ?? 'all';
  if (password.length === 0) throw new UnsupportedInputError('Type the password the video was hidden with.');
  if (g.frameCount < 1) throw new UnsupportedInputError('This video has no frames.');
  const lumaSpace = eligibleSpace(g, 1);
  const salt = await locatorSalt(g);
  for (const kdf of kdfSetsNewestFirst(options.kdfSets ?? KDF_SETS)) {
    const locatorSeed = await deriveArgon2id(password, salt, kdf);
    const f0 = locatorFrame(locatorSeed, g, pools);
    const positions = locatorPositions(locatorSeed, g, f0);
    const planes = await readFrame(f0);
    checkPlanes(g, planes);
    const bits = new Uint8Array(LOCATOR_SAMPLES);
    extractSymbols(planes, lumaSpace, positions, LOCATOR_SAMPLES, 1, bits);
    let sealed: Uint8Array;
    try {
      sealed = rsDecodeInterleaved(bitsToBytes(bits), LOCATOR_BYTES - LOCATOR_PARITY, LOCATOR_PARITY);
    } catch (e) {
      if (e instanceof RsDecodeFailure) continue;
      throw e;
    }
    const opened = await openLocator(sealed, (s) => deriveArgon2id(password, s, kdf));
    if (!opened) continue;
    return revealPlanFor(g, opened.record, opened.master, f0, positions, pools);
  }
  throw new NothingFoundError();
}

async function revealPlanFor(
  g: VideoGeometry,
  record: LocatorRecord,
  master: Uint8Array,
  f0: number,
  locatorLuma: Uint32Array,
  pools: FramePools,
): Promise<RevealPlan> {
  const keys = await deriveKeys(master, record.keyBits);
  const symbols = symbolsForBytes(record.bodyLength, record.bitsPerSample);
  if (rsEncodedLength(record.ciphertextLength, record.parityBytes) !== record.bodyLength) {
    throw new DataDamagedError('the hidden settings are inconsistent');
  }
  let layout: BodyLayout;
  try {
    layout = bodyLayout(bodyFrames(keys.bodyOrderSeed, f0, g, record.selection, pools), g, record.planeMask, record.bitsPerSample, symbols, f0);
  } catch {
    // An authenticated locator that does not fit this video: it was hidden in another video of the same shape.
    throw new DataDamagedError('the hidden data does not fit this video');
  }
  return { geometry: g, record, keys, layout, bodySeed: keys.bodyOrderSeed, locatorPositions: locatorLuma, body: new Uint8Array(record.bodyLength) };
}

/**
 * What reading the body's symbols out of frames needs, and nothing that opens
 * them: no cipher key. Plain data (structured-cloneable), so several workers
 * can read frames side by side while one holds the {@link RevealPlan}.
 */
export interface BodyReader {
  readonly geometry: VideoGeometry;
  readonly layout: BodyLayout;
  readonly bodySeed: Uint8Array;
  /** Luma sample indices of the locator (the body skips them). */
  readonly locatorPositions: Uint32Array;
}

/** The keyless part of a reveal plan, for workers that read frames. */
export function bodyReader(plan: RevealPlan): BodyReader {
  return { geometry: plan.geometry, layout: plan.layout, bodySeed: plan.bodySeed, locatorPositions: plan.locatorPositions };
}

/**
 * The body symbols frame `frameIndex` carries, in slot order, for
 * {@link storeFrameSymbols}. Throws RangeError for a frame outside the body.
 */
export function readFrameSymbols(reader: BodyReader, frameIndex: number, planes: FramePlanes): Uint8Array {
  const fp = carrierPlan(reader, frameIndex, planes);
  const syms = new Uint8Array(fp.count); // the result, handed on: not scratch
  readSymbolsInto(reader, fp, planes, syms);
  return syms;
}

/** The symbol plan of a body frame, after checking the planes; RangeError for a frame outside the body. */
function carrierPlan(reader: BodyReader, frameIndex: number, planes: FramePlanes): FrameSymbolPlan {
  checkPlanes(reader.geometry, planes);
  const k = indexOfSorted(reader.layout.frames, frameIndex);
  if (k < 0) throw new RangeError(`frame ${frameIndex} carries no body`);
  return frameSymbolPlan(reader.layout, k);
}

function readSymbolsInto(reader: BodyReader, fp: FrameSymbolPlan, planes: FramePlanes, out: Uint8Array): void {
  extractSymbols(planes, reader.layout.space, frameWork(reader).slotsOf(fp), fp.count, reader.layout.bitsPerSample, out);
}

/** Puts one frame's symbols (from {@link readFrameSymbols}) in their places in `plan.body`. */
export function storeFrameSymbols(plan: RevealPlan, frameIndex: number, symbols: Uint8Array): void {
  const k = indexOfSorted(plan.layout.frames, frameIndex);
  if (k < 0) throw new RangeError(`frame ${frameIndex} carries no body`);
  const fp = frameSymbolPlan(plan.layout, k);
  if (symbols.length !== fp.count) throw new RangeError(`frame ${frameIndex} has ${fp.count} symbols, got ${symbols.length}`);
  scatterSymbols(symbols, plan.layout.bitsPerSample, fp, plan.body);
}

/** Reads the body's samples of one frame into `plan.body`. Frames outside the body are ignored. */
export function extractFromFrame(plan: RevealPlan, frameIndex: number, planes: FramePlanes): void {
  if (indexOfSorted(plan.layout.frames, frameIndex) < 0) {
    checkPlanes(plan.geometry, planes);
    return;
  }
  const fp = carrierPlan(plan, frameIndex, planes);
  const syms = frameWork(plan).symbols(fp.count);
  readSymbolsInto(plan, fp, planes, syms);
  scatterSymbols(syms, plan.layout.bitsPerSample, fp, plan.body);
}

/**
 * Repairs, authenticates, decrypts and unpacks the body once every frame of
 * {@link framesToExtract} went through {@link extractFromFrame}. Throws
 * DataDamagedError when the body cannot be repaired or authenticated.
 */
export async function finishReveal(plan: RevealPlan): Promise<Payload> {
  const { record } = plan;
  let ciphertext: Uint8Array;
  try {
    ciphertext = rsDecodeInterleaved(plan.body, record.ciphertextLength, record.parityBytes);
  } catch (e) {
    if (e instanceof RsDecodeFailure) throw new DataDamagedError('too many damaged samples to repair');
    throw e;
  }
  const stored = await openBytes(plan.keys.aes, record.bodyNonce, ciphertext, BODY_AAD);
  if (!stored) throw new DataDamagedError('the data does not authenticate');
  const container = record.compressed ? await inflateRaw(stored, MAX_INFLATED_BYTES) : stored;
  return decodeContainer(container);
}

/** A ceiling on what a compressed body may inflate to (it was written by us, so it is far under). */
const MAX_INFLATED_BYTES = 2 ** 31 - 1;

/**
 * Reveals from frames the caller can read at random (tests, small clips):
 * {@link findLocator}, then every body frame, then {@link finishReveal}.
 */
export async function revealFromFrames(
  password: string,
  g: VideoGeometry,
  readFrame: (frameIndex: number) => Promise<FramePlanes>,
  options: LayoutOptions = {},
): Promise<Payload> {
  const plan = await findLocator(password, g, readFrame, options);
  for (const f of framesToExtract(plan)) extractFromFrame(plan, f, await readFrame(f));
  return finishReveal(plan);
}
