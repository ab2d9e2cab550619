/**
 * A hide as the page runs it: workers in pairs (decoder → pipe → FFV1
 * encoder), one pair per segment of the video, all at once; then a joiner.
 * Cancelling terminates every worker and removes the job's files.
 */
import { payloadContainerSize } from '../core/container.ts';
import { framesToEmbed, type HidePlan } from '../core/stego.ts';
import { createBytePipe } from './byte-pipe.ts';
import { outputContainer, streamsLeftOut } from './hide-commands.ts';
import { runSegments, segmentDurationsMs } from './hide-pipeline.ts';
import { CancelledError, type HideRequest, type HideResult, type JobOptions, type JobProgress } from './jobs.ts';
import { NOT_ENOUGH_ROOM, jobDirectory, removeJob } from './job-files.ts';
import { rawFrameBytes } from './pixel-formats.ts';
import { parseTimeBase, planSegments, roundMillis, type Segment } from './segments.ts';
import { WorkerSet } from './worker-set.ts';

/** One progress counter per segment. */
const MAX_SEGMENTS = 64;

/**
 * Ring size of each decoder → encoder pipe. Frames stream through, so any
 * size passes; 64 MiB hid no faster than 8 MiB (30 s 1440p bench) and held
 * 110 MiB more of the browser's memory.
 */
const PIPE_BYTES = 8 * 1024 * 1024;

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
        total = segs.reduce((n, s) => n + s.frames, 0);
        counters.fill(0);
        hidingSince = performance.now();
        return Promise.all(
          segs.map(async (segment, slot) => {
            const pipe = createBytePipe(PIPE_BYTES);
            const decoder = workers.spawn();
            const encoder = workers.spawn();
            const [outcome] = await Promise.all([
              workers.run(decoder.api.decodeSegment({ file, segment, plan, pipe, progress, slot })),
              workers.run(encoder.api.encodeSegment({ jobId, name: `part${slot}.mkv`, pipe, colour: info.video })),
            ]);
            workers.retire(decoder);
            workers.retire(encoder);
            return outcome;
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
        segmentNames: run.outcomes.map((_, i) => `part${i}.mkv`),
        durationsMs: segmentDurationsMs(run.segments, tb),
        firstFrameMs: roundMillis(run.segments[0].startPts, tb),
        outName,
      }),
    );
    const dir = await jobDirectory(jobId);
    for (let i = 0; i < run.outcomes.length; i++) await dir.removeEntry(`part${i}.mkv`);

    // The joiner read the file back as a recipient's app will: every frame must be there.
    const output = await (await dir.getFileHandle(outName)).getFile();
    if (written !== run.plan.geometry.frameCount) {
      throw new Error(`The finished video has ${written} frames where ${run.plan.geometry.frameCount} were written. Nothing was saved; try again.`);
    }
    const carriers = framesToEmbed(run.plan);
    return {
      file: output,
      name: `${baseName(file.name)}-hidden.${extension}`,
      container,
      frames: written,
      leftOut: streamsLeftOut(info),
      seconds: (performance.now() - started) / 1000,
      jobId,
      carrierFrame: carriers.length > 0 ? carriers[0] : 0,
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
