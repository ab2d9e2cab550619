/**
 * The steps a hide or reveal runs inside an engine worker, each on that
 * worker's own ffmpeg.wasm instance. The video is read in place (WORKERFS),
 * frames move between workers through a SharedArrayBuffer pipe, and output
 * goes straight to a file on disk (OPFS) through a sync access handle.
 */
import type { Payload } from '../core/container.ts';
import type { VideoGeometry } from '../core/geometry.ts';
import type { HideSettings } from '../core/settings.ts';
import { planHide, revealFromFrames, type HidePlan } from '../core/stego.ts';
import { BytePipe, READER_CLOSED, WRITER_CLOSED, WRITER_FAILED, type BytePipeBuffers } from './byte-pipe.ts';
import { createDeviceFile, syncHandleIO } from './emscripten-devices.ts';
import { loadCore, type FFmpegCore } from './ffmpeg-core.ts';
import { concatList, decodeSegmentArgs, encodeSegmentArgs, muxArgs, type ColourTags } from './hide-commands.ts';
import { embeddingHooks, type SegmentOutcome } from './hide-pipeline.ts';
import { mountBlobs, mountInput } from './input-mount.ts';
import { NutFrameTap } from './nut-frame-tap.ts';
import { cueIndex } from './matroska-cues.ts';
import { planesOfRawFrame, rawFrameBytes } from './pixel-formats.ts';
import { parseProbe, type VideoInfo } from './probe.ts';
import { probeJson, probePackets } from './probe-run.ts';
import { readFrameArgs } from './reveal-commands.ts';
import { parseTimeBase, type Segment, type TimeBase, type VideoPackets } from './segments.ts';
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

/** Joins the segments and copies the source's sound and subtitles beside them, into the output file; returns the frames the written file holds. */
export async function muxOutput(job: MuxJob): Promise<number> {
  const core = await loadCore();
  const dir = await jobDirectory(job.jobId);
  const source = mountInput(core, job.file);
  const segments = await Promise.all(job.segmentNames.map(async (name) => ({ name, data: await (await dir.getFileHandle(name)).getFile() })));
  const paths = mountBlobs(core, '/segments', segments);
  core.FS.writeFile('/list.ffconcat', new TextEncoder().encode(concatList(paths, job.durationsMs)));
  const handle = await (await dir.getFileHandle(job.outName, { create: true })).createSyncAccessHandle();
  try {
    handle.truncate(0);
    const out = syncHandleIO(handle);
    createDeviceFile(core, '/output', out);
    const rc = exec(core, muxArgs({ concatList: '/list.ffconcat', source, output: '/output', info: job.info, firstFrameMs: job.firstFrameMs }));
    core.FS.unlink('/output');
    if (out.full) throw new Error(NOT_ENOUGH_ROOM);
    if (rc !== 0) throw new Error(`The parts could not be joined (${logTail(core)}).`);
    handle.flush();
    checkAllWritten(handle, out);
  } finally {
    handle.close();
  }
  // Read the written file back as a recipient's app will: count its frames.
  const written = await (await dir.getFileHandle(job.outName)).getFile();
  return probePackets(core, mountBlobs(core, '/written', [{ name: 'video', data: written }])[0]).pts.length;
}

/**
 * Where each frame of a stego video starts. VidStega's FFV1 in Matroska has
 * every frame in its index, read from a few kilobytes; anything else (a MOV,
 * a remux without an index) is counted packet by packet.
 */
async function frameTimes(core: Core, file: File, input: string, info: VideoInfo): Promise<{ pts: readonly number[]; tb: TimeBase }> {
  if (info.video.codec === 'ffv1' && info.container.includes('matroska')) {
    const index = await cueIndex(file);
    if (index && index.times.length > 0) {
      const g = gcd(index.timecodeScaleNs, 1e9);
      return { pts: index.times, tb: { num: index.timecodeScaleNs / g, den: 1e9 / g } };
    }
  }
  return { pts: probePackets(core, input).pts, tb: parseTimeBase(info.video.timeBase) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Reveals the payload: reads the locator frame, then only the frames that carry data. */
export async function revealPayload(file: File, password: string, progress: SharedArrayBuffer): Promise<Payload> {
  const core = await loadCore();
  const input = mountInput(core, file);
  const json = probeJson(core, input, false);
  const { pts, tb } = await frameTimes(core, file, input, parseProbe(json, 1));
  const info = parseProbe(json, pts.length);
  const geometry = info.geometry;
  const frameBytes = rawFrameBytes(geometry);
  // Each frame lands straight in this buffer (MEMFS would grow a file by copying).
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  createDeviceFile(core, '/frame.raw', {
    seekable: false,
    write: (bytes) => {
      if (filled + bytes.length > frameBytes) return false;
      frame.set(bytes, filled);
      filled += bytes.length;
      return true;
    },
  });
  const counter = new Int32Array(progress);
  const readFrame = async (i: number) => {
    filled = 0;
    const rc = exec(core, readFrameArgs(input, '/frame.raw', pts[i], tb, info.startMicros));
    if (rc !== 0 || filled !== frameBytes) throw new Error(`Frame ${i} of this video could not be read. The file may be damaged.`);
    Atomics.add(counter, 0, 1);
    return planesOfRawFrame(geometry, frame);
  };
  return revealFromFrames(password, geometry, readFrame);
}
