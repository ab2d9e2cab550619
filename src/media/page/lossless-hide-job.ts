/**
 * A hide as the page runs it: workers in pairs (decoder → pipe → FFV1
 * encoder), one pair per segment of the video, all at once; then a joiner.
 * Cancelling terminates every worker and removes the job's files.
 */
import { rawFrameBytes } from '../../core/geometry.ts';
import { payloadContainerSize } from '../../core/container.ts';
import { CancelledError, isVidStegaError, VidStegaError } from '../../core/errors.ts';
import { framesToEmbed, type HidePlan } from '../../core/stego.ts';
import { outputContainer, streamsLeftOut } from '../plan/output-container.ts';
import { runSegments, segmentDurationsMs, type SegmentOutcome } from '../plan/hide-run.ts';
import type { VideoPackets } from '../plan/packet-table.ts';
import { MAX_SEGMENTS, planSegments, segmentCount, segmentPackets, type Segment } from '../plan/segments.ts';
import { parseTimeBase, roundMillis } from '../plan/time-base.ts';
import type { VideoInfo } from '../plan/video-info.ts';
import { createBytePipe } from '../shared/byte-pipe.ts';
import type { BrowserDecoding } from '../shared/engine-api.ts';
import type { HideRequest, HideResult, JobOptions } from '../shared/jobs.ts';
import { checkRoom, finishOutput, outputName, runHide } from './job-output.ts';
import type { WorkerSet } from './workers.ts';

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

/** FFV1 keeps at least about this share of the raw frames' size (clean, synthetic content). */
const FFV1_SHARE_OF_RAW = 0.15;

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

/** A lossless copy of the whole video (FFV1), data hidden in the frames that carry it. */
export function hideLosslessCopy(request: HideRequest, options: JobOptions = {}): Promise<HideResult> {
  const { file, info, payload, password, settings, decoy } = request;
  const { signal } = options;
  return runHide(options, async ({ jobId, workers, progress, started }) => {
    const main = workers.spawn();
    const packets = await workers.run(main.api.videoPackets(file));
    const frames = packets.pts.length;
    const geometry = { ...info.geometry, frameCount: frames };
    // Room on disk first: a hide that cannot be written is refused before any long work.
    const rawTotal = rawFrameBytes(geometry) * frames;
    // FFV1 keeps a tenth (clean, synthetic) to two thirds (noisy camera footage) of the raw frames; parts and the
    // joined video exist together for a moment. Running out later is caught as it happens.
    await checkRoom(rawTotal * FFV1_SHARE_OF_RAW * 2);
    const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
    const count = segmentCount(info.video.width, info.video.height, navigator.hardwareConcurrency || 2, memory, options.maxSegments);
    const tb = parseTimeBase(info.video.timeBase);
    const segments = planSegments(packets, tb, info.startMicros, count);
    // The browser decoder's trial runs beside the key derivation below.
    const trial = options.decoder === 'ffmpeg' ? Promise.resolve(undefined) : browserTrial(workers, file, info, packets);
    trial.catch(() => undefined);

    const frameCounters = new SharedArrayBuffer(4 * MAX_SEGMENTS);
    const counters = new Int32Array(frameCounters);
    const framesDone = () => {
      let done = 0;
      for (let i = 0; i < MAX_SEGMENTS; i++) done += Atomics.load(counters, i);
      return done;
    };

    const run = await runSegments(
      geometry,
      segments,
      (g) => workers.run(main.api.makePlan(payload, password, g, settings, decoy)),
      async (segs: readonly Segment[], plan: HidePlan) => {
        const decoding = await trial;
        const total = segs.reduce((n, s) => n + s.frames, 0);
        counters.fill(0);
        progress.count('hiding', () => total, framesDone);
        return Promise.all(
          segs.map(async (segment, slot) => {
            // One decoder → pipe → encoder pair per segment; the browser's decoder where it may.
            const pair = async (inBrowser: boolean, name: string): Promise<SegmentOutcome & { name: string; inBrowser: boolean }> => {
              const pipe = createBytePipe(pipeBytes(rawFrameBytes(plan.geometry)));
              const decoder = workers.spawn();
              const encoder = workers.spawn();
              try {
                const job = { file, segment, plan, pipe, progress: frameCounters, slot };
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
              if (!decoding || !isVidStegaError(e, 'browser-decoder') || signal?.aborted) throw e;
              console.warn(e);
              return await pair(false, `part${slot}-ffmpeg.mkv`);
            }
          }),
        );
      },
    );
    progress.stage('finishing');
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
    // The joiner read the file back as a recipient's app will: every frame must be there.
    if (written !== run.plan.geometry.frameCount) {
      throw new VidStegaError('engine-failed', { what: `The finished video has ${written} frames where ${run.plan.geometry.frameCount} were written, so nothing was saved` });
    }
    const name = outputName(file.name, extension);
    return {
      file: await finishOutput(jobId, outName, name),
      name,
      output: 'lossless',
      container,
      frames: written,
      leftOut: streamsLeftOut(info),
      seconds: (performance.now() - started) / 1000,
      jobId,
      carrierFrames: [...framesToEmbed(run.plan)],
      browserDecodedFrames: run.outcomes.reduce((n, o) => n + (o.inBrowser ? o.frames : 0), 0),
      payloadBytes: payloadContainerSize(payload),
    };
  });
}


