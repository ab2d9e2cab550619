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
 *
 * Two format versions: v2 (adaptive embedding, the default) and v1 (LSB
 * matching or replacement). They share keys, frame choice and sample orders;
 * the reveal reads the locator frame once and tries v2, then v1.
 *
 * A hide may carry a decoy: a second payload under a second password, with
 * its own keys, frames and positions, embedded after the first with every
 * sample the first's reveal reads left wet, so it never disturbs the first.
 * Each password's reveal finds only its own payload.
 */
import {
  coverLength,
  DECOY_LOCATOR_MAX_WET,
  DECOY_MAX_DRY_LOAD,
  DECOY_ROOM_COVER_WIDTH,
  STEALTH_DENSITY,
  V2_BODY_HEIGHT,
  V2_LOCATOR_COVER,
  V2_LOCATOR_HEIGHT,
  WHOLE_FRAME_COVER_WIDTH,
} from './adaptive-format.ts';
import { acceptedCapacity, autoBodyFrames, payloadCapacity } from './capacity.ts';
import { deflateRaw, inflateRaw } from './compress.ts';
import { decodeContainer, encodeContainer, type Payload } from './container.ts';
import { DataDamagedError, DecoyTooLargeError, NothingFoundError, PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import {
  addLocatorSamples,
  addReadSamples,
  codingTools,
  embedBodyPart,
  embedLocatorPart,
  embedPlacement,
  placementNeedsCosts,
  placementTouches,
  readBodyFrame,
  readBodyFrameInto,
  readSlotCount,
  type PayloadPlacement,
  type PlacementShape,
} from './frame-coding.ts';
import { frameSize, planeSize, type FramePlanes, type VideoGeometry } from './geometry.ts';
import { currentKdfSet, deriveArgon2id, KDF_SETS, kdfSetsNewestFirst, locatorSalt, type KdfParams } from './kdf.ts';
import { LOCATOR_SALT_BYTES, normalizeRanges, openLocator, sealLocator, type FormatVersion, type FrameSelection, type LocatorRecord } from './locator.ts';
import { bytesToSymbols, extractSymbols, symbolsToBytes } from './lsb.ts';
import { Xorshift } from './prng.ts';
import { rsDecodeInterleaved, rsEncodeInterleaved, rsEncodedLength, RsDecodeFailure } from './rs/index.ts';
import {
  autoFrameCount,
  bodyFrames,
  bodyLayout,
  eligibleSpace,
  frameSymbolPlan,
  LOCATOR_BYTES,
  LOCATOR_SAMPLES,
  locatorFits,
  locatorFrame,
  locatorPositions,
  scatterSymbols,
  symbolsForBytes,
  type BodyLayout,
  type FramePools,
} from './sample-order.ts';
import { deriveKeys, GCM_NONCE_BYTES, GCM_TAG_BYTES, openBytes, randomBytes, sealBytes, type SealKeys } from './seal.ts';
import { checkFrameChoice, checkSettings, effectiveBitsPerSample, effectivePlaneMask, formatVersionOf, type HideSettings } from './settings.ts';
import { indexOfSorted } from './sorted.ts';
import { stcExtract, stcParams, StcInfeasibleError } from './stc/index.ts';

export type { PayloadPlacement } from './frame-coding.ts';

/** Reed-Solomon parity bytes of the locator's single codeword: RS(236, 172). */
const LOCATOR_PARITY = 64;
/** The body's AAD binds it to its format version. */
const BODY_AAD: Readonly<Record<FormatVersion, Uint8Array>> = {
  1: new TextEncoder().encode('VidStega/v1/body'),
  2: new TextEncoder().encode('VidStega/v2/body'),
};

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

/** A second payload that its own password reveals, and which never disturbs the first. */
export interface DecoyRequest {
  readonly password: string;
  readonly payload: Payload;
}

/** What a hide may add to the layout options. */
export interface HideOptions extends LayoutOptions {
  readonly decoy?: DecoyRequest;
  /**
   * Format v2's cover width for the message (and the decoy), instead of the
   * defaults (src/core/adaptive-format.ts): for measurements and tests.
   */
  readonly coverWidth?: number;
  /** Format v2's body code height instead of V2_BODY_HEIGHT: for measurements and tests. */
  readonly stcHeight?: number;
}

/** Everything a worker needs to embed into any frame: the message's placement, and the decoy's. Plain data: it structured-clones. */
export interface HidePlan extends PayloadPlacement {
  readonly geometry: VideoGeometry;
  readonly maxValue: number;
  /** Seeds the random signs of LSB matching (fresh per hide). */
  readonly signSeed: Uint8Array;
  /** Embedded after the message, in the frames it shares with it, with the message's read samples wet. */
  readonly decoy?: PayloadPlacement;
}

/** What the extractor learns from the locator; enough to read the body. */
export interface RevealPlan extends PlacementShape {
  readonly geometry: VideoGeometry;
  readonly record: LocatorRecord;
  readonly keys: SealKeys;
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

/** A payload packed for sealing: the container, deflated when that helps. */
interface Packed {
  readonly containerBytes: number;
  readonly stored: Uint8Array;
  readonly compressed: boolean;
}

async function pack(payload: Payload): Promise<Packed> {
  const container = encodeContainer(payload);
  const deflated = await deflateRaw(container);
  const compressed = deflated.length < container.length;
  return { containerBytes: container.length, stored: compressed ? deflated : container, compressed };
}

/** The most stored bytes these settings accept over the frames of `g`, and the words for going over it. */
function roomFor(g: VideoGeometry, settings: HideSettings): { bytes: number; hint?: string } {
  if (g.frameCount < 1) return { bytes: 0 };
  const bytes = acceptedCapacity(g, settings);
  if (bytes >= payloadCapacity(g, settings)) return { bytes };
  return {
    bytes,
    hint:
      'That is more than this video hides within its stealth budget, the most that stays hard to detect. ' +
      'Shorten the message, remove files or use a longer video; or choose full capacity, which is easier to detect.',
  };
}

/**
 * The body's frames as the locator records them, once a payload of
 * `storedBytes` is known to fit (within the stealth budget with density
 * `stealth`): `tooLarge` otherwise. With candidate frames, the automatic
 * count is the one every frame would give, unless the video has fewer
 * candidates than that: then over all of them, if the payload fits them.
 */
function frameSelection(
  settings: HideSettings,
  g: VideoGeometry,
  storedBytes: number,
  pools: FramePools,
  tooLarge: (needed: number, available: number, hint?: string) => Error,
): FrameSelection {
  const fits = (frames: VideoGeometry) => {
    const room = roomFor(frames, settings);
    if (storedBytes > room.bytes) throw tooLarge(storedBytes, room.bytes, room.hint);
  };
  if (settings.frames.kind === 'ranges') {
    fits(g);
    return { kind: 'ranges', ranges: normalizeRanges(settings.frames.ranges) };
  }
  const n = autoBodyFrames(g, settings, storedBytes);
  if (pools === 'all' || pools.count(n) >= n) {
    fits(g);
    return { kind: 'auto', frameCount: n };
  }
  const all = { ...g, frameCount: Math.min(g.frameCount, pools.count(Infinity)) };
  fits(all);
  return { kind: 'auto', frameCount: autoBodyFrames(all, settings, storedBytes) };
}

/** What one payload's placement is made from. */
interface PlacementInput {
  readonly packed: Packed;
  readonly selection: FrameSelection;
  readonly password: string;
  readonly locatorSeed: Uint8Array;
  readonly coverWidth: number;
  readonly stcHeight: number;
}

/**
 * Seals one payload under its password and lays it out: a fresh master
 * salt (Argon2id once), the body's keys, ciphertext and frames, and the
 * sealed locator.
 */
async function placePayload(
  input: PlacementInput,
  g: VideoGeometry,
  settings: HideSettings,
  pools: FramePools,
  kdf: KdfParams,
): Promise<PayloadPlacement> {
  const version = formatVersionOf(settings);
  const bitsPerSample = effectiveBitsPerSample(settings);
  const { packed, locatorSeed } = input;
  const salt = randomBytes(LOCATOR_SALT_BYTES);
  const master = await deriveArgon2id(input.password, salt, kdf);
  const keys = await deriveKeys(master, settings.keyBits);

  const bodyNonce = randomBytes(GCM_NONCE_BYTES);
  const ciphertext = await sealBytes(keys.aes, bodyNonce, packed.stored, BODY_AAD[version]);
  const body = rsEncodeInterleaved(ciphertext, settings.parityBytes);
  if (body.length !== rsEncodedLength(packed.stored.length + GCM_TAG_BYTES, settings.parityBytes)) throw new Error('body size mismatch');
  const symbols = symbolsForBytes(body.length, bitsPerSample);

  const locatorSamples = version === 2 ? V2_LOCATOR_COVER : LOCATOR_SAMPLES;
  const f0 = locatorFrame(locatorSeed, g, pools);
  const { selection } = input;
  const layout = bodyLayout(bodyFrames(keys.bodyOrderSeed, f0, g, selection, pools), g, settings.planeMask, bitsPerSample, symbols, f0, locatorSamples);

  const common = {
    compressed: packed.compressed,
    planeMask: settings.planeMask,
    parityBytes: settings.parityBytes,
    bodyNonce,
    bodyLength: body.length,
    ciphertextLength: ciphertext.length,
    keyBits: settings.keyBits,
    selection,
  };
  const record: LocatorRecord =
    version === 2
      ? { ...common, formatVersion: 2, bitsPerSample: 1, stcHeight: input.stcHeight, coverWidth: input.coverWidth }
      : { ...common, formatVersion: 1, bitsPerSample };
  const sealed = await sealLocator(record, master, salt, settings.keyBits);
  const locatorCoded = rsEncodeInterleaved(sealed, LOCATOR_PARITY);
  if (locatorCoded.length !== LOCATOR_BYTES) throw new Error('locator size mismatch');

  return {
    formatVersion: version,
    mode: settings.mode,
    locatorFrame: f0,
    locatorPositions: locatorPositions(locatorSeed, g, f0, locatorSamples),
    locatorBits: bytesToBits(locatorCoded),
    bodySeed: keys.bodyOrderSeed,
    layout,
    body,
    coverWidth: version === 2 ? input.coverWidth : 0,
    stcHeight: version === 2 ? input.stcHeight : 0,
    containerBytes: packed.containerBytes,
    storedBytes: packed.stored.length,
  };
}

/**
 * Samples the message's reveal reads in frame `f`, of its body (in the
 * eligible planes) and of its locator (in luma): what a decoy must leave wet
 * there. O(1).
 */
function messageReads(message: PayloadPlacement, f: number): { readonly body: number; readonly locator: number } {
  const locator = f === message.locatorFrame ? message.locatorPositions.length : 0;
  const k = indexOfSorted(message.layout.frames, f);
  const body = k < 0 ? 0 : readSlotCount(message, k, frameSymbolPlan(message.layout, k));
  return { body, locator };
}

/**
 * Whether the decoy can be embedded beside the message, from the two
 * layouts alone (the keyed orders spread every payload's positions evenly,
 * so the wet share in each frame is known without listing them). In each
 * frame the decoy's locator goes in first, then the message with the decoy
 * locator's positions wet, then the decoy's body with everything the
 * message's reveal reads wet. So: each decoy body frame must keep its bits
 * within DECOY_MAX_DRY_LOAD of the dry part of its cover, the message's body
 * in the decoy's locator frame likewise, and where both locators share a
 * frame, the message's locator cover must stay within DECOY_LOCATOR_MAX_WET.
 */
function decoyFits(message: PayloadPlacement, decoy: PayloadPlacement, g: VideoGeometry): boolean {
  const layout = decoy.layout;
  const space = layout.slotsPerFrame;
  for (let k = 0; k < layout.frames.length; k++) {
    const r = messageReads(message, layout.frames[k]);
    if (r.body === 0 && r.locator === 0) continue;
    const fp = frameSymbolPlan(layout, k);
    // Message and decoy share the plane mask: the message's body reads lie in the decoy's space, its locator's too when luma is in it.
    const wet = (r.body + (layout.lumaEligible ? r.locator : 0)) / space;
    if (fp.count > DECOY_MAX_DRY_LOAD * coverLength(layout, k, fp, decoy.coverWidth) * Math.max(0, 1 - wet)) return false;
  }
  const f0 = decoy.locatorFrame;
  const luma = planeSize(g.planes[0]);
  if (f0 === message.locatorFrame && decoy.locatorPositions.length / luma > DECOY_LOCATOR_MAX_WET) return false;
  const k = indexOfSorted(message.layout.frames, f0);
  if (k >= 0 && message.layout.lumaEligible) {
    const fp = frameSymbolPlan(message.layout, k);
    const n = readSlotCount(message, k, fp);
    if (fp.count > DECOY_MAX_DRY_LOAD * n * Math.max(0, 1 - decoy.locatorPositions.length / space)) return false;
  }
  return true;
}

function normalisedPassword(p: string): string {
  return p.normalize('NFC');
}

/**
 * Packs, compresses (when that helps), encrypts and error-protects the
 * payload, and lays it out over the video: format v2 for adaptive
 * embedding, v1 for LSB matching and replacement. With `options.decoy`,
 * does the same for the decoy (always v2) beside it.
 *
 * Throws before any expensive work: PayloadTooLargeError (bytes needed vs
 * available: the full capacity, or the stealth budget with density
 * `stealth`, with words saying which) when the payload does not fit,
 * DecoyTooLargeError when the decoy does not (alone, or beside the message),
 * and UnsupportedInputError for settings the video cannot take.
 */
export async function planHide(payload: Payload, password: string, g: VideoGeometry, settings: HideSettings, options: HideOptions = {}): Promise<HidePlan> {
  const pools = options.pools ?? 'all';
  if (password.length === 0) throw new UnsupportedInputError('Type a password.');
  checkSettings(settings);
  const version = formatVersionOf(settings);
  const planeMask = effectivePlaneMask(g, settings.planeMask);
  checkFrameChoice(g, settings.frames);
  if (pools !== 'all' && settings.frames.kind === 'ranges') {
    throw new UnsupportedInputError('Chosen frame ranges need the lossless copy: choose it under Output, or let VidStega choose the frames.');
  }
  const s: HideSettings = { ...settings, planeMask };
  if (version === 2 && g.planes.length > 0 && planeSize(g.planes[0]) >= LOCATOR_SAMPLES && !locatorFits(g, V2_LOCATOR_COVER)) {
    const p = g.planes[0];
    throw new UnsupportedInputError(
      `This video's frames (${p.width}x${p.height}) are too small for adaptive embedding, which needs at least ${V2_LOCATOR_COVER} pixels per frame. Choose LSB matching.`,
    );
  }
  const decoy = options.decoy;
  if (decoy) {
    if (decoy.password.length === 0) throw new UnsupportedInputError('Type a password for the decoy.');
    if (normalisedPassword(decoy.password) === normalisedPassword(password)) throw new UnsupportedInputError('The decoy needs a password of its own, different from the real one.');
    if (version !== 2) throw new UnsupportedInputError('A decoy needs adaptive embedding: choose it under Method.');
  }

  // Laid out before any key is derived, so a payload that cannot fit is refused at once.
  const packed = await pack(payload);
  const selection = frameSelection(s, g, packed.stored.length, pools, (needed, available, hint) => new PayloadTooLargeError(needed, available, hint));
  const decoyPacked = decoy ? await pack(decoy.payload) : undefined;
  const decoySelection = decoyPacked ? frameSelection(s, g, decoyPacked.stored.length, pools, (needed, available) => new DecoyTooLargeError(needed, available)) : undefined;

  const kdf = currentKdfSet(options.kdfSets ?? KDF_SETS);
  const geometrySalt = await locatorSalt(g);
  const [locatorSeed, decoyLocatorSeed] = await Promise.all([
    deriveArgon2id(password, geometrySalt, kdf),
    decoy ? deriveArgon2id(decoy.password, geometrySalt, kdf) : undefined,
  ]);
  const stcHeight = options.stcHeight ?? V2_BODY_HEIGHT;
  const decoyWidth = options.coverWidth ?? WHOLE_FRAME_COVER_WIDTH;
  const messageWidth = options.coverWidth ?? (decoy ? DECOY_ROOM_COVER_WIDTH : WHOLE_FRAME_COVER_WIDTH);
  const messageInput: PlacementInput = { packed, selection, password, locatorSeed, coverWidth: messageWidth, stcHeight };

  const [message, decoyPlacement] = await Promise.all([
    placePayload(messageInput, g, s, pools, kdf),
    decoy && decoyPacked && decoySelection && decoyLocatorSeed
      ? placePayload({ packed: decoyPacked, selection: decoySelection, password: decoy.password, locatorSeed: decoyLocatorSeed, coverWidth: decoyWidth, stcHeight }, g, s, pools, kdf)
      : undefined,
  ]);
  if (decoyPlacement && !decoyFits(message, decoyPlacement, g)) throw new DecoyTooLargeError();

  return {
    ...message,
    geometry: g,
    maxValue: maxSampleValue(g),
    signSeed: randomBytes(16),
    ...(decoyPlacement ? { decoy: decoyPlacement } : {}),
  };
}

/** The frames a hide changes, ascending: the locator frames and the body frames of the message and of the decoy. */
export function framesToEmbed(plan: HidePlan): Uint32Array {
  const frames = new Set<number>(plan.layout.frames);
  frames.add(plan.locatorFrame);
  if (plan.decoy) {
    for (const f of plan.decoy.layout.frames) frames.add(f);
    frames.add(plan.decoy.locatorFrame);
  }
  return Uint32Array.from(frames).sort();
}

/** The body's frames, ascending: what a reveal reads after the locator. */
export function framesToExtract(plan: RevealPlan): Uint32Array {
  return plan.layout.frames;
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
 * With a decoy, in this order: the decoy's locator (in its frame), the
 * message with those positions wet, the decoy's body with every sample the
 * message's reveal reads wet; so neither payload disturbs what the other's
 * reveal reads. Frames not in {@link framesToEmbed} are left alone.
 * Returns how many samples changed (a sample changed twice counts twice).
 *
 * @throws DecoyTooLargeError when a code finds no room in this frame for
 *   the two payloads together (planHide's estimate makes this rare).
 */
export function embedInFrame(plan: HidePlan, frameIndex: number, planes: FramePlanes): number {
  const g = plan.geometry;
  checkPlanes(g, planes);
  const decoy = plan.decoy && placementTouches(plan.decoy, frameIndex) ? plan.decoy : undefined;
  if (!placementTouches(plan, frameIndex) && !decoy) return 0;
  const tools = codingTools();
  // The costs of the frame as it came in serve both payloads.
  const costs = placementNeedsCosts(plan, frameIndex) || decoy ? tools.costs(planes, g) : null;
  const rng = signRng(plan.signSeed, frameIndex);
  const ctx = { geometry: g, maxValue: plan.maxValue, rng, costs, wet: null };
  if (!decoy) return embedPlacement(plan, frameIndex, planes, ctx);
  try {
    let changed = embedLocatorPart(decoy, frameIndex, planes, ctx);
    let wet = null;
    if (frameIndex === decoy.locatorFrame) {
      wet = tools.emptySet(frameSize(g));
      addLocatorSamples(decoy, g, wet);
    }
    changed += embedPlacement(plan, frameIndex, planes, { ...ctx, wet });
    wet = tools.emptySet(frameSize(g));
    addReadSamples(plan, g, frameIndex, wet);
    return changed + embedBodyPart(decoy, frameIndex, planes, { ...ctx, wet });
  } catch (e) {
    if (e instanceof StcInfeasibleError) throw new DecoyTooLargeError();
    throw e;
  }
}

function checkPlanes(g: VideoGeometry, planes: FramePlanes): void {
  if (planes.length !== g.planes.length) throw new RangeError(`expected ${g.planes.length} planes, got ${planes.length}`);
  for (let p = 0; p < planes.length; p++) {
    const want = g.planes[p].width * g.planes[p].height;
    if (planes[p].length !== want) throw new RangeError(`plane ${p}: expected ${want} samples, got ${planes[p].length}`);
  }
}

/** RS-decodes and opens a locator read from the video as `version`; null when it does not open. */
async function openLocatorBits(
  bits: Uint8Array,
  version: FormatVersion,
  password: string,
  kdf: KdfParams,
): Promise<{ record: LocatorRecord; master: Uint8Array } | null> {
  let sealed: Uint8Array;
  try {
    sealed = rsDecodeInterleaved(bitsToBytes(bits), LOCATOR_BYTES - LOCATOR_PARITY, LOCATOR_PARITY);
  } catch (e) {
    if (e instanceof RsDecodeFailure) return null;
    throw e;
  }
  return openLocator(sealed, (s) => deriveArgon2id(password, s, kdf), version);
}

/**
 * Finds and opens the locator: derives the locator seed for each KDF set,
 * reads that set's locator frame (through `readFrame`) once, and tries to
 * open it as format v2 (the code over the first V2_LOCATOR_COVER luma
 * positions), then as v1 (the first LOCATOR_SAMPLES of the same positions).
 * Throws NothingFoundError when nothing opens: wrong password, nothing
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
  const v2 = locatorFits(g, V2_LOCATOR_COVER);
  for (const kdf of kdfSetsNewestFirst(options.kdfSets ?? KDF_SETS)) {
    const locatorSeed = await deriveArgon2id(password, salt, kdf);
    const f0 = locatorFrame(locatorSeed, g, pools);
    const positions = locatorPositions(locatorSeed, g, f0, v2 ? V2_LOCATOR_COVER : LOCATOR_SAMPLES);
    const planes = await readFrame(f0);
    checkPlanes(g, planes);
    const lsbs = new Uint8Array(positions.length);
    extractSymbols(planes, lumaSpace, positions, positions.length, 1, lsbs);
    if (v2) {
      const opened = await openLocatorBits(stcExtract(lsbs, LOCATOR_SAMPLES, stcParams(V2_LOCATOR_HEIGHT)), 2, password, kdf);
      if (opened) return revealPlanFor(g, opened.record, opened.master, f0, positions, pools);
    }
    const opened = await openLocatorBits(lsbs.subarray(0, LOCATOR_SAMPLES), 1, password, kdf);
    if (opened) return revealPlanFor(g, opened.record, opened.master, f0, positions.slice(0, LOCATOR_SAMPLES), pools);
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
    layout = bodyLayout(bodyFrames(keys.bodyOrderSeed, f0, g, record.selection, pools), g, record.planeMask, record.bitsPerSample, symbols, f0, locatorLuma.length);
  } catch {
    // An authenticated locator that does not fit this video: it was hidden in another video of the same shape.
    throw new DataDamagedError('the hidden data does not fit this video');
  }
  return {
    geometry: g,
    record,
    keys,
    formatVersion: record.formatVersion,
    layout,
    bodySeed: keys.bodyOrderSeed,
    locatorPositions: locatorLuma,
    coverWidth: record.formatVersion === 2 ? record.coverWidth : 0,
    stcHeight: record.formatVersion === 2 ? record.stcHeight : 0,
    body: new Uint8Array(record.bodyLength),
  };
}

/**
 * What reading the body's symbols out of frames needs, and nothing that opens
 * them: no cipher key. Plain data (structured-cloneable), so several workers
 * can read frames side by side while one holds the {@link RevealPlan}.
 */
export interface BodyReader extends PlacementShape {
  readonly geometry: VideoGeometry;
}

/** The keyless part of a reveal plan, for workers that read frames. */
export function bodyReader(plan: RevealPlan): BodyReader {
  return {
    geometry: plan.geometry,
    formatVersion: plan.formatVersion,
    layout: plan.layout,
    bodySeed: plan.bodySeed,
    locatorPositions: plan.locatorPositions,
    coverWidth: plan.coverWidth,
    stcHeight: plan.stcHeight,
  };
}

/**
 * The body symbols frame `frameIndex` carries, in slot order (v1) or code
 * order (v2, one bit each), for {@link storeFrameSymbols}. Throws RangeError
 * for a frame outside the body.
 */
export function readFrameSymbols(reader: BodyReader, frameIndex: number, planes: FramePlanes): Uint8Array {
  checkPlanes(reader.geometry, planes);
  const k = indexOfSorted(reader.layout.frames, frameIndex);
  if (k < 0) throw new RangeError(`frame ${frameIndex} carries no body`);
  const syms = new Uint8Array(frameSymbolPlan(reader.layout, k).count); // the result, handed on: not scratch
  readBodyFrame(reader, frameIndex, planes, syms);
  return syms;
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
  checkPlanes(plan.geometry, planes);
  if (indexOfSorted(plan.layout.frames, frameIndex) < 0) return;
  readBodyFrameInto(plan, frameIndex, planes, plan.body);
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
  const stored = await openBytes(plan.keys.aes, record.bodyNonce, ciphertext, BODY_AAD[record.formatVersion]);
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
