/**
 * The steps a hide or reveal runs inside an engine worker, each on that
 * worker's own ffmpeg.wasm instance. The video is read in place (WORKERFS),
 * frames move between workers through a SharedArrayBuffer pipe, and output
 * goes straight to a file on disk (OPFS) through a sync access handle.
 */
import { transfer } from 'comlink';
import type { Payload } from '../core/container.ts';
import type { FramePlanes, VideoGeometry } from '../core/geometry.ts';
import type { HideSettings } from '../core/settings.ts';
import {
  bodyReader,
  extractFromFrame,
  findLocator,
  finishReveal,
  planHide,
  readFrameSymbols,
  storeFrameSymbols,
  type BodyReader,
  type HidePlan,
  type RevealPlan,
} from '../core/stego.ts';
import { BytePipe, READER_CLOSED, WRITER_CLOSED, WRITER_FAILED, type BytePipeBuffers } from './byte-pipe.ts';
import { createDeviceFile, syncHandleIO } from './emscripten-devices.ts';
import { loadCore, type FFmpegCore } from './ffmpeg-core.ts';
import { concatList, decodeSegmentArgs, encodeSegmentArgs, muxArgs, outputContainer, type ColourTags } from './hide-commands.ts';
import { embeddingHooks, type SegmentOutcome } from './hide-pipeline.ts';
import { mountBlobs, mountInput } from './input-mount.ts';
import { NutFrameTap } from './nut-frame-tap.ts';
import { cueIndex } from './matroska-cues.ts';
import { rawFrameBytes } from './pixel-formats.ts';
import type { VideoInfo } from './probe.ts';
import { probeExtradata, probePackets } from './probe-run.ts';
import { avcCodecString, browserDecodable, decodeInBrowser, nutPts, type BrowserDecoding } from './browser-decoder.ts';
import { NutFrameWriter, readNutHeaders } from './nut-frame-writer.ts';
import { KEY, sliceTable, type SegmentPackets } from './packet-table.ts';
import { openFrameReader } from './frame-reader.ts';
import { parseTimeBase, type Segment, type VideoPackets } from './segments.ts';
import { NOT_ENOUGH_ROOM, jobDirectory } from './job-files.ts';

type Core = FFmpegCore & { log: string[] };

function exec(core: Core, args: string[]): number {
  core.log.length = 0;
  const rc = core.exec(...args);
  core.reset();
  return rc;
}

function logTail(core: Core): string {
  return core.log.slice(-6).join(' ').slice(0, 600);
}

/**
 * Some storage (a private window's, held in memory) drops writes past its
 * quota instead of failing them: a file shorter than what was written means
 * the disk ran out.
 */
function checkAllWritten(handle: FileSystemSyncAccessHandle, out: { end: number }): void {
  if (handle.getSize() < out.end) throw new Error(NOT_ENOUGH_ROOM);
}

/** The video stream's packet timestamps and keyframes. */
export async function videoPackets(file: File): Promise<VideoPackets> {
  const core = await loadCore();
  return probePackets(core, mountInput(core, file));
}

/** Compresses, encrypts and lays out the payload (Argon2id runs here, off the page's thread). */
export function makePlan(payload: Payload, password: string, geometry: VideoGeometry, settings: HideSettings): Promise<HidePlan> {
  return planHide(payload, password, geometry, settings);
}

export interface DecodeJob {
  readonly file: File;
  readonly segment: Segment;
  readonly plan: HidePlan;
  readonly pipe: BytePipeBuffers;
  /** Frames done so far are written to `progress[slot]`. */
  readonly progress: SharedArrayBuffer;
  readonly slot: number;
}

/** Decodes a segment to raw frames, hides data in the frames that carry it, and sends them down the pipe. */
export async function decodeSegment(job: DecodeJob): Promise<SegmentOutcome> {
  const pipe = new BytePipe(job.pipe);
  try {
    const core = await loadCore();
    const input = mountInput(core, job.file);
    const counter = new Int32Array(job.progress);
    const tap = new NutFrameTap(
      rawFrameBytes(job.plan.geometry),
      embeddingHooks(job.plan, job.segment.firstFrame, (bytes) => {
        if (!pipe.write(bytes)) throw new Error('the encoder stopped');
      }),
    );
    createDeviceFile(core, '/pipe-out', {
      seekable: false,
      write: (bytes) => {
        tap.push(bytes);
        Atomics.store(counter, job.slot, tap.frames);
        return true;
      },
    });
    const rc = exec(core, decodeSegmentArgs(input, '/pipe-out', job.segment));
    core.FS.unlink('/pipe-out');
    if (rc !== 0) throw new Error(`The video could not be decoded (${logTail(core)}). The file may be damaged.`);
    tap.end();
    pipe.close(WRITER_CLOSED);
    return { frames: tap.frames };
  } catch (e) {
    pipe.close(WRITER_FAILED);
    throw e;
  }
}

/**
 * Whether this video's frames can be decoded by the browser (WebCodecs) for a
 * hide, and how. The first frames are decoded both ways, by FFmpeg as the
 * rest of the engine does and by the browser, and must be byte-identical.
 * Undefined when the video is not one the browser path takes, or the trial
 * differs in any way: the hide then decodes with FFmpeg alone. Run it in a
 * worker of its own: it leaves ffprobe options set in that worker's core.
 */
export async function browserDecoding(file: File, info: VideoInfo, packets: VideoPackets): Promise<BrowserDecoding | undefined> {
  const t = packets.table;
  if (!t || !browserDecodable(info.video.codec, info.video.pixFmt, info.container) || !(t.flags[0] & KEY)) return undefined;
  const geometry = { ...info.geometry, frameCount: packets.pts.length };
  if (geometry.bitDepth !== 8 || packets.pts[0] < 0) return undefined;
  const core = await loadCore();
  const input = mountInput(core, file);
  const avcC = probeExtradata(core, input);
  if (avcC[0] !== 1) return undefined;
  const config = { codec: avcCodecString(avcC), description: avcC, codedWidth: info.video.width, codedHeight: info.video.height };
  if (!(await VideoDecoder.isConfigSupported({ ...config, hardwareAcceleration: 'prefer-software' })).supported) return undefined;

  // FFmpeg's first frames, and the NUT headers it writes for them.
  const count = Math.min(TRIAL_FRAMES, packets.pts.length);
  const whole = { startPts: packets.pts[0], firstFrame: 0, frames: packets.pts.length, seekMicros: undefined, durationMicros: undefined };
  const rc = exec(core, decodeSegmentArgs(input, '/trial.nut', whole, count));
  if (rc !== 0) return undefined;
  const nut = core.FS.readFile('/trial.nut');
  const headers = readNutHeaders(nut);
  const nutTb = headers.main.timeBases[headers.timeBaseId];
  const srcTb = parseTimeBase(info.video.timeBase);
  const ptsScale = { mul: srcTb.num * nutTb.den, div: srcTb.den * nutTb.num };
  core.FS.writeFile('/trial.nut', nut);
  const nutTimes = probePackets(core, '/trial.nut').pts;
  core.FS.unlink('/trial.nut');
  try {
    if (nutTimes.length !== count || nutTimes.some((p, i) => p !== nutPts(packets.pts[i], ptsScale))) return undefined;
  } catch {
    return undefined;
  }
  const expected: Uint8Array[] = [];
  const tap = new NutFrameTap(rawFrameBytes(geometry), { wants: () => true, edit: (_, f) => void expected.push(f.slice()), out: () => undefined });
  tap.push(nut);
  tap.end();
  if (expected.length !== count) return undefined;

  // The browser's, from the fewest packets in decode order that hold them.
  let end = 0;
  for (let have = 0; have < count && end < t.pts.length; end++) if (t.pts[end] <= packets.pts[count - 1]) have++;
  const first = sliceTable(t, 0, end);
  const trial: SegmentPackets = { ...first, framePts: first.pts.slice().sort() };
  const decoding: BrowserDecoding = { config, nutHeaders: headers.bytes, ptsScale };
  let same = true;
  try {
    await decodeInBrowser(file, trial, decoding, geometry, (i, _, frame) => {
      if (i < count && !sameBytes(frame, expected[i])) same = false;
    });
  } catch {
    return undefined;
  }
  return same ? decoding : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Frames a trial decodes both ways before a hide lets the browser decode. */
const TRIAL_FRAMES = 3;

/** As {@link decodeSegment}, with the browser's decoder reading the segment's packets straight from the file. */
export async function decodeSegmentInBrowser(job: DecodeJob & { readonly decoding: BrowserDecoding; readonly packets: SegmentPackets }): Promise<SegmentOutcome> {
  const pipe = new BytePipe(job.pipe);
  try {
    const counter = new Int32Array(job.progress);
    const headers = readNutHeaders(job.decoding.nutHeaders);
    const writer = new NutFrameWriter(headers);
    const send = (bytes: Uint8Array) => {
      if (!pipe.write(bytes)) throw new Error('the encoder stopped');
    };
    const hooks = embeddingHooks(job.plan, job.segment.firstFrame, send);
    send(headers.bytes);
    const frames = await decodeInBrowser(job.file, job.packets, job.decoding, job.plan.geometry, (i, pts, frame) => {
      if (hooks.wants(i)) hooks.edit(i, frame);
      send(writer.frameHeader(nutPts(pts, job.decoding.ptsScale), frame.length));
      send(frame);
      Atomics.store(counter, job.slot, i + 1);
    });
    pipe.close(WRITER_CLOSED);
    return { frames };
  } catch (e) {
    pipe.close(WRITER_FAILED);
    throw e;
  }
}

export interface EncodeJob {
  readonly colour: ColourTags;
  readonly jobId: string;
  readonly name: string;
  readonly pipe: BytePipeBuffers;
}

/** Encodes the frames coming down the pipe as FFV1, straight into a file on disk. */
export async function encodeSegment(job: EncodeJob): Promise<number> {
  const pipe = new BytePipe(job.pipe);
  let handle: FileSystemSyncAccessHandle | undefined;
  try {
    const core = await loadCore();
    const dir = await jobDirectory(job.jobId);
    handle = await (await dir.getFileHandle(job.name, { create: true })).createSyncAccessHandle();
    handle.truncate(0);
    const out = syncHandleIO(handle);
    createDeviceFile(core, '/pipe-in', { seekable: false, read: (into) => pipe.read(into) });
    createDeviceFile(core, '/segment.mkv', out);
    const rc = exec(core, encodeSegmentArgs('/pipe-in', '/segment.mkv', job.colour));
    core.FS.unlink('/pipe-in');
    core.FS.unlink('/segment.mkv');
    if (out.full) throw new Error(NOT_ENOUGH_ROOM);
    if (rc !== 0) throw new Error(`The lossless encoder stopped (${logTail(core)}).`);
    handle.flush();
    checkAllWritten(handle, out);
    return handle.getSize();
  } finally {
    pipe.close(READER_CLOSED);
    handle?.close();
  }
}

export interface MuxJob {
  readonly jobId: string;
  readonly file: File;
  readonly info: VideoInfo;
  readonly segmentNames: readonly string[];
  readonly durationsMs: readonly number[];
  readonly firstFrameMs: number;
  readonly outName: string;
}

/**
 * Joins the segments and copies the source's sound and subtitles beside them,
 * into the output file; returns how many video frames the written file holds.
 *
 * The parts are read through sync access handles rather than as `File`s
 * slice by slice (with the count below, the joining step of a 30 s 1440p
 * hide went from 4.6 s to 1.4 s). The count comes from the
 * written file: for Matroska, from its index, which the muxer writes from
 * what it actually muxed and which lists every frame (each FFV1 frame is a
 * keyframe); a MOV is read back packet by packet.
 */
export async function muxOutput(job: MuxJob): Promise<number> {
  const core = await loadCore();
  const dir = await jobDirectory(job.jobId);
  const source = mountInput(core, job.file);
  const parts: FileSystemSyncAccessHandle[] = [];
  const handle = await (await dir.getFileHandle(job.outName, { create: true })).createSyncAccessHandle();
  try {
    for (const name of job.segmentNames) parts.push(await (await dir.getFileHandle(name)).createSyncAccessHandle());
    const paths = parts.map((part, i) => {
      const path = `/part${i}.mkv`;
      createDeviceFile(core, path, syncHandleIO(part));
      return path;
    });
    core.FS.writeFile('/list.ffconcat', new TextEncoder().encode(concatList(paths, job.durationsMs)));
    handle.truncate(0);
    const out = syncHandleIO(handle);
    createDeviceFile(core, '/output', out);
    const rc = exec(core, muxArgs({ concatList: '/list.ffconcat', source, output: '/output', info: job.info, firstFrameMs: job.firstFrameMs }));
    for (const path of ['/output', '/list.ffconcat', ...paths]) core.FS.unlink(path);
    if (out.full) throw new Error(NOT_ENOUGH_ROOM);
    if (rc !== 0) throw new Error(`The parts could not be joined (${logTail(core)}).`);
    handle.flush();
    checkAllWritten(handle, out);
  } finally {
    handle.close();
    for (const part of parts) part.close();
  }
  const written = await (await dir.getFileHandle(job.outName)).getFile();
  if (outputContainer(job.info) === 'matroska') return (await cueIndex(written))?.times.length ?? 0;
  return probePackets(core, mountBlobs(core, '/written', [{ name: 'video', data: written }])[0]).pts.length;
}

/** A stego video opened for reading single frames by their index. */
interface FrameSource {
  readonly geometry: VideoGeometry;
  /** Frame `i`'s planes; valid until the next call. Counts the frame in `progress[0]`. */
  readFrame(i: number): FramePlanes;
}

async function openFrameSource(file: File, progress: SharedArrayBuffer): Promise<FrameSource> {
  const reader = await openFrameReader(await loadCore(), file);
  const counter = new Int32Array(progress);
  return {
    geometry: reader.info.geometry,
    readFrame(i: number): FramePlanes {
      const planes = reader.readFrame(i);
      Atomics.add(counter, 0, 1);
      return planes;
    },
  };
}

/** Symbols read from one body frame by a helper worker. */
export interface FrameSymbols {
  readonly frame: number;
  readonly symbols: Uint8Array;
}

/** The stego video this worker reads frames of, for a reveal. */
let frameSource: FrameSource | undefined;
/** The reveal this worker leads: it alone holds the keys. */
let revealing: { plan: RevealPlan; read: number } | undefined;

function openedSource(): FrameSource {
  if (!frameSource) throw new Error('No video is open in this worker.');
  return frameSource;
}

function leadReveal(): NonNullable<typeof revealing> {
  if (!revealing) throw new Error('No reveal is under way in this worker.');
  return revealing;
}

/** The next index into the body's frame list, from a queue shared by every worker of a reveal. */
function takeNext(queue: SharedArrayBuffer): number {
  return Atomics.add(new Int32Array(queue), 0, 1);
}

/**
 * Opens a stego video for reading frames: every worker of a reveal does this
 * first, helpers while the lead derives the key. Frames read are counted in
 * `progress[0]`.
 */
export async function openFrames(file: File, progress: SharedArrayBuffer): Promise<void> {
  frameSource = undefined;
  revealing = undefined;
  frameSource = await openFrameSource(file, progress);
}

/**
 * A reveal's first step, after {@link openFrames}: finds and opens the
 * locator (Argon2id runs here). This worker keeps the plan; helpers get the
 * keyless part, to read body frames side by side with it.
 */
export async function revealLocate(password: string): Promise<BodyReader> {
  const source = openedSource();
  const plan = await findLocator(password, source.geometry, async (i) => source.readFrame(i));
  revealing = { plan, read: 0 };
  return bodyReader(plan);
}

/** The lead worker's share: body frames taken from the shared queue, read straight into the plan. */
export function revealReadFrames(queue: SharedArrayBuffer): void {
  const r = leadReveal();
  const source = openedSource();
  const frames = r.plan.layout.frames;
  for (let k = takeNext(queue); k < frames.length; k = takeNext(queue)) {
    extractFromFrame(r.plan, frames[k], source.readFrame(frames[k]));
    r.read++;
  }
}

/** A helper's share: body frames taken from the shared queue; returns their symbols for the lead worker. */
export function readBodySymbols(reader: BodyReader, queue: SharedArrayBuffer): FrameSymbols[] {
  const source = openedSource();
  const frames = reader.layout.frames;
  const out: FrameSymbols[] = [];
  for (let k = takeNext(queue); k < frames.length; k = takeNext(queue)) {
    out.push({ frame: frames[k], symbols: readFrameSymbols(reader, frames[k], source.readFrame(frames[k])) });
  }
  return transfer(out, out.map((s) => s.symbols.buffer));
}

/** Puts the helpers' symbols in place, then repairs, authenticates, decrypts and unpacks the payload. */
export function revealFinish(helped: readonly FrameSymbols[]): Promise<Payload> {
  const r = leadReveal();
  revealing = undefined;
  for (const h of helped) storeFrameSymbols(r.plan, h.frame, h.symbols);
  if (r.read + helped.length !== r.plan.layout.frames.length) {
    throw new Error(`Only ${r.read + helped.length} of the ${r.plan.layout.frames.length} frames holding data were read. Try again.`);
  }
  return finishReveal(r.plan);
}
