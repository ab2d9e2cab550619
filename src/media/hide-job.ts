/**
 * A hide as the page runs it: workers in pairs (decoder → pipe → FFV1
 * encoder), one pair per segment of the video, all at once; then a joiner.
 * Cancelling terminates every worker and removes the job's files.
 */
import { payloadContainerSize } from '../core/container.ts';
import { framesToEmbed, type HidePlan } from '../core/stego.ts';
import { createBytePipe } from './byte-pipe.ts';
import { outputContainer, streamsLeftOut } from './hide-commands.ts';
import { isBrowserDecoderFailure, type BrowserDecoding } from './browser-decoder.ts';
import type { VideoInfo } from './probe.ts';
import { runSegments, segmentDurationsMs, type SegmentOutcome } from './hide-pipeline.ts';
import { segmentPackets } from './packet-table.ts';
import { CancelledError, type HideRequest, type HideResult, type JobOptions, type JobProgress } from './jobs.ts';
import { NOT_ENOUGH_ROOM, claimJob, jobDirectory, markFinished, removeJob } from './job-files.ts';
import { rawFrameBytes } from './pixel-formats.ts';
import { parseTimeBase, planSegments, roundMillis, type Segment, type VideoPackets } from './segments.ts';
import { WorkerSet } from './worker-set.ts';

/** One progress counter per segment. */
const MAX_SEGMENTS = 64;

/**
 * Ring size of each decoder → encoder pipe: room for a few whole frames, at
 * least 8 MiB. FFmpeg's decoder streams a frame in small pieces, so any size
 * passes (64 MiB hid no faster than 8 MiB on the 30 s 1440p bench); the
 * browser's decoder hands over whole frames, and with room for only one the
 * encoder waited between them.
 */
function pipeBytes(frameBytes: number): number {
  return Math.max(8 * 1024 * 1024, Math.min(64 * 1024 * 1024, PIPE_FRAMES * frameBytes));
}
const PIPE_FRAMES = 4;

/**
 * Parallel segments: one per core, as memory allows (each pair holds an FFV1
 * encoder's heap), and no more than `limit` (JobOptions.maxSegments).
 */
export function segmentCount(width: number, height: number, cores: number, deviceMemoryGiB: number | undefined, limit = MAX_SEGMENTS): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`bad segment limit ${limit}`);
  const perPairMiB = 160 + (width * height * 260) / (1024 * 1024); // ~410 MB at 1080p, ~2.2 GB at 4K
  const budgetMiB = (deviceMemoryGiB ?? 4) * 1024 * 0.5;
  return Math.max(1, Math.min(cores, limit, MAX_SEGMENTS, Math.floor(budgetMiB / perPairMiB)));
}

/**
 * FFV1 keeps between about a tenth (clean, synthetic) and two thirds (noisy
 * camera footage) of the raw frames' size. The check before starting asks
 * for room at the low end, twice over (parts and the joined video exist
 * together for a moment); running out later is caught as it happens.
 */
const FFV1_SHARE_OF_RAW = 0.15;

async function checkRoom(bytesNeeded: number): Promise<void> {
  if (!navigator.storage?.estimate) return;
  void navigator.storage.persist?.().catch(() => false);
  const { quota = Infinity, usage = 0 } = await navigator.storage.estimate();
  if (quota - usage < bytesNeeded) {
    const gb = (n: number) => (n / 1e9).toFixed(1);
    throw new Error(`${NOT_ENOUGH_ROOM} It needs about ${gb(bytesNeeded)} GB; this browser can use ${gb(Math.max(0, quota - usage))} GB.`);
  }
}

/** Whether, and how, the browser's decoder may read this video (a trial in a worker of its own). */
async function browserTrial(workers: WorkerSet, file: File, info: VideoInfo, packets: VideoPackets): Promise<BrowserDecoding | undefined> {
  const w = workers.spawn();
  try {
    return await workers.run(w.api.browserDecoding(file, info, packets));
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    console.warn(e); // FFmpeg decodes, as without the trial
    return undefined;
  } finally {
    workers.retire(w);
  }
}

/** The segments' parts, including any abandoned for FFmpeg's decoder: everything in the job but the output goes. */
async function removeAllBut(dir: FileSystemDirectoryHandle, keep: string): Promise<void> {
  const names: string[] = [];
  for await (const name of (dir as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) if (name !== keep) names.push(name);
  for (const name of names) await dir.removeEntry(name).catch(() => undefined);
}

function baseName(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'video';
}

export async function hideInVideo(request: HideRequest, options: JobOptions = {}): Promise<HideResult> {
  const { file, info, payload, password, settings } = request;
  const { signal, onProgress } = options;
  const started = performance.now();
  const jobId = `hide-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const workers = new WorkerSet();
  const report = (p: JobProgress) => onProgress?.(p);
  const abort = () => workers.terminateAll();
  signal?.addEventListener('abort', abort);
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    if (signal?.aborted) throw new CancelledError();
    // Held while the job runs and its result is shown: another tab's start-up leaves these files alone.
    await claimJob(jobId);
    report({ stage: 'preparing', done: 0, total: 0, fps: 0, secondsLeft: undefined });
    const main = workers.spawn();
    const packets = await workers.run(main.api.videoPackets(file));
    const frames = packets.pts.length;
    const geometry = { ...info.geometry, frameCount: frames };
    // Room on disk first: a hide that cannot be written is refused before any long work.
    const rawTotal = rawFrameBytes(geometry) * frames;
    await checkRoom(rawTotal * FFV1_SHARE_OF_RAW * 2);
    const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
    const count = segmentCount(info.video.width, info.video.height, navigator.hardwareConcurrency || 2, memory, options.maxSegments);
    const tb = parseTimeBase(info.video.timeBase);
    const segments = planSegments(packets, tb, info.startMicros, count);
    // The browser decoder's trial runs beside the key derivation below.
    const trial = options.decoder === 'ffmpeg' ? Promise.resolve(undefined) : browserTrial(workers, file, info, packets);
    trial.catch(() => undefined);

    const progress = new SharedArrayBuffer(4 * MAX_SEGMENTS);
    const counters = new Int32Array(progress);
    let hidingSince = 0;
    let total = frames;
    timer = setInterval(() => {
      if (!hidingSince) return;
      let done = 0;
      for (let i = 0; i < segments.length; i++) done += Atomics.load(counters, i);
      const seconds = (performance.now() - hidingSince) / 1000;
      const fps = seconds > 0.5 ? done / seconds : 0;
      report({ stage: 'hiding', done: Math.min(done, total), total, fps, secondsLeft: fps > 0 ? (total - done) / fps : undefined });
    }, 250);

    const run = await runSegments(
      geometry,
      segments,
      (g) => workers.run(main.api.makePlan(payload, password, g, settings)),
      async (segs: readonly Segment[], plan: HidePlan) => {
        const decoding = await trial;
        total = segs.reduce((n, s) => n + s.frames, 0);
        counters.fill(0);
        hidingSince = performance.now();
        return Promise.all(
          segs.map(async (segment, slot) => {
            // One decoder → pipe → encoder pair per segment; the browser's decoder where it may.
            const pair = async (inBrowser: boolean, name: string): Promise<SegmentOutcome & { name: string; inBrowser: boolean }> => {
              const pipe = createBytePipe(pipeBytes(rawFrameBytes(plan.geometry)));
              const decoder = workers.spawn();
              const encoder = workers.spawn();
              try {
                const job = { file, segment, plan, pipe, progress, slot };
                const browserPackets = inBrowser && decoding && packets.table ? segmentPackets(packets.table, segs, slot, packets.pts) : undefined;
                const [outcome] = await Promise.all([
                  workers.run(browserPackets ? decoder.api.decodeSegmentInBrowser({ ...job, decoding: decoding!, packets: browserPackets }) : decoder.api.decodeSegment(job)),
                  workers.run(encoder.api.encodeSegment({ jobId, name, pipe, colour: info.video })),
                ]);
                return { ...outcome, name, inBrowser: !!browserPackets };
              } finally {
                workers.retire(decoder);
                workers.retire(encoder);
              }
            };
            try {
              return await pair(true, `part${slot}.mkv`);
            } catch (e) {
              // The browser's decoder failed where FFmpeg's would not: this part again, with FFmpeg.
              if (!decoding || !isBrowserDecoderFailure(e) || signal?.aborted) throw e;
              console.warn(e);
              return await pair(false, `part${slot}-ffmpeg.mkv`);
            }
          }),
        );
      },
    );
    clearInterval(timer);
    timer = undefined;

    report({ stage: 'finishing', done: 0, total: 0, fps: 0, secondsLeft: undefined });
    const container = outputContainer(info);
    const extension = container === 'mov' ? 'mov' : 'mkv';
    const outName = `output.${extension}`;
    const written = await workers.run(
      main.api.muxOutput({
        jobId,
        file,
        info,
        segmentNames: run.outcomes.map((o) => o.name),
        durationsMs: segmentDurationsMs(run.segments, tb),
        firstFrameMs: roundMillis(run.segments[0].startPts, tb),
        outName,
      }),
    );
    const dir = await jobDirectory(jobId);
    await removeAllBut(dir, outName);

    // The joiner read the file back as a recipient's app will: every frame must be there.
    const output = await (await dir.getFileHandle(outName)).getFile();
    if (written !== run.plan.geometry.frameCount) {
      throw new Error(`The finished video has ${written} frames where ${run.plan.geometry.frameCount} were written. Nothing was saved; try again.`);
    }
    const name = `${baseName(file.name)}-hidden.${extension}`;
    await markFinished(jobId, { output: outName, name, finishedAt: Date.now(), saved: false });
    return {
      file: output,
      name,
      container,
      frames: written,
      leftOut: streamsLeftOut(info),
      seconds: (performance.now() - started) / 1000,
      jobId,
      carrierFrames: [...framesToEmbed(run.plan)],
      browserDecodedFrames: run.outcomes.reduce((n, o) => n + (o.inBrowser ? o.frames : 0), 0),
      payloadBytes: payloadContainerSize(payload),
    };
  } catch (e) {
    await removeJob(jobId).catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    throw e instanceof Error ? e : new Error(String(e));
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', abort);
    workers.terminateAll();
  }
}

/** Removes a hide's output from this device's disk. */
export async function discardResult(result: HideResult): Promise<void> {
  await removeJob(result.jobId);
}
