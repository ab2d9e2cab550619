/**
 * A same-format hide inside engine workers, and the carrier pictures a reveal
 * reads. Frames are read by the browser's decoder or FFmpeg's
 * (../read/carrier-decoder.ts), changed by the core (src/core/stego.ts), and
 * written as raw I_PCM pictures (src/media/formats/h264/) into a scratch file
 * of the job; then one worker writes the output, the source with those
 * pictures replaced and every other byte as it was (../write/carrier-mp4.ts).
 */
import type { Payload } from '../../../core/container.ts';
import { VidStegaError } from '../../../core/errors.ts';
import type { HideSettings } from '../../../core/settings.ts';
import { embedInFrame, framesToEmbed, planHide, type DecoyRequest } from '../../../core/stego.ts';
import { describeSample, ipcmMacroblockBytes, IpcmPictureWriter, pictureCarrierSupport, carrierSampleParts } from '../../formats/h264/index.ts';
import { decodeRuns } from '../../plan/carriers.ts';
import type { CarrierEmbedJob, CarrierPiece, CarrierPlan, CarrierScan } from '../../shared/engine-api.ts';
import type { EngineEnv, JobFile } from '../env.ts';
import { BrowserCarrierDecoder, decodeRunWithFfmpeg } from '../read/carrier-decoder.ts';
import { openH264Track, readSample, type H264Track } from '../read/h264-track.ts';

/** Opens the file's H.264 track for carriers, or says in plain words why it cannot take them. */
export function openCarrierTrack(env: EngineEnv, file: Blob): H264Track | { readonly reason: string } {
  try {
    return openH264Track(env.source(file));
  } catch (e) {
    if (e instanceof VidStegaError) return { reason: e.message };
    throw e;
  }
}

/** Bytes one carrier picture takes: raw macroblocks, each one's mb_type and alignment, and emulation prevention for ordinary pictures. */
function carrierBytes(t: H264Track): number {
  return Math.ceil(t.sps.picSizeInMbs * (ipcmMacroblockBytes(t.sps) + 2) * 1.002) + 1024;
}

/**
 * What a person is told before a same-format hide: how many pictures can
 * carry data, and what one weighs. Counting them reads every group of
 * pictures' first headers: the probe does it once, the hide never.
 */
export function scanCarriers(env: EngineEnv, file: File): CarrierScan | { readonly reason: string } {
  const t = openCarrierTrack(env, file);
  if ('reason' in t) return t;
  let total: number;
  try {
    total = t.candidates.total();
  } catch (e) {
    if (e instanceof VidStegaError) return { reason: e.message };
    throw e;
  }
  if (total === 0) return { reason: 'No picture of this video can carry data without changing others, so VidStega makes a lossless copy instead.' };
  return { geometry: { ...t.geometry, frameCount: total }, pictures: t.samples.count, carrierBytes: carrierBytes(t) };
}

/**
 * The lead worker's first step of a same-format hide: the payload planned
 * over the carrier candidates (Argon2id runs here), with the decoy beside it
 * when there is one, and, for the page to share them out, each carrier's
 * group and cost: the carriers of both payloads.
 */
export async function planCarriers(env: EngineEnv, file: File, payload: Payload, password: string, settings: HideSettings, decoy?: DecoyRequest): Promise<CarrierPlan> {
  const t = openCarrierTrack(env, file);
  if ('reason' in t) throw new VidStegaError('unsupported-input', { reason: `${t.reason} Choose the lossless copy under Output.` });
  const plan = await planHide(payload, password, t.geometry, settings, { pools: t.candidates, ...(decoy ? { decoy } : {}) });
  const carriers = [...framesToEmbed(plan)].map((v) => {
    const c = t.candidates.at(v);
    return { position: v, idr: c.idr, cost: c.cost, displayIndex: t.displayIndex[c.sample] };
  });
  return { plan, carriers, pictures: t.samples.count, carrierBytes: carrierBytes(t) };
}

/** Appends bytes to a job file, as one writer does. */
class ScratchWriter {
  private at = 0;
  constructor(private readonly file: JobFile) {}
  /** Where the next byte goes. */
  get position(): number {
    return this.at;
  }
  append(bytes: Uint8Array): number {
    const start = this.at;
    for (let done = 0; done < bytes.length; ) {
      let n: number;
      try {
        n = this.file.write(bytes.subarray(done), { at: start + done });
      } catch (e) {
        if (e instanceof DOMException && e.name === 'QuotaExceededError') throw new VidStegaError('not-enough-room', {});
        throw e;
      }
      if (n <= 0) throw new VidStegaError('not-enough-room', {});
      done += n;
    }
    this.at += bytes.length;
    return start;
  }
}

/**
 * Decodes this worker's carriers (each run from its IDR picture), hides the
 * data in them, and writes each as a raw I_PCM picture into the scratch file.
 */
export async function embedCarriers(env: EngineEnv, job: CarrierEmbedJob, onProgress?: (done: number) => void): Promise<{ pieces: CarrierPiece[]; browserDecoded: number }> {
  const t = openCarrierTrack(env, job.file);
  if ('reason' in t) throw new VidStegaError('unsupported-input', { reason: t.reason });
  if (t.geometry.frameCount !== job.plan.geometry.frameCount) {
    throw new VidStegaError('engine-failed', { what: 'The video changed while it was being hidden in' });
  }
  const src = env.source(job.file);
  const listPosition = new Map<number, number>();
  for (const v of job.carriers) listPosition.set(t.candidates.at(v).sample, v);
  const runs = decodeRuns(t.candidates, job.carriers);
  const file = await env.openJobFile(job.jobId, job.scratch, { create: true });
  const scratch = new ScratchWriter(file);
  const writer = new IpcmPictureWriter();
  const pieces: CarrierPiece[] = [];
  let browserDecoded = 0;
  const done = new Set<number>();
  const sink = (sample: number, planes: Parameters<typeof embedInFrame>[2]) => {
    const v = listPosition.get(sample);
    if (v === undefined || done.has(sample)) return;
    done.add(sample);
    const original = readSample(src, t, sample);
    const support = pictureCarrierSupport(describeSample(original, t.config.lengthSize, t.params));
    if (!support.supported) throw new VidStegaError('unsupported-input', { reason: `${support.reason} Choose the lossless copy under Output.` });
    embedInFrame(job.plan, v, planes);
    const parts = carrierSampleParts(original, t.config.lengthSize, t.params, planes, { writer });
    const offset = scratch.position;
    for (const part of parts) scratch.append(part);
    pieces.push({ sample, scratch: job.scratch, offset, length: scratch.position - offset });
    void onProgress?.(pieces.length);
  };
  const browser = job.decoder === 'ffmpeg' ? undefined : await BrowserCarrierDecoder.open(t);
  try {
    if (browser) {
      try {
        await browser.decode(src, runs, sink);
      } catch (e) {
        if (!(e instanceof VidStegaError && e.kind === 'browser-decoder')) throw e;
        console.warn(e); // the carriers it did not give, again with FFmpeg
      }
      browserDecoded = done.size;
    }
    for (const run of runs) if (run.carriers.some((c) => !done.has(c))) decodeRunWithFfmpeg(await env.core(), src, t, run, sink);
    file.flush();
  } finally {
    browser?.close();
    file.close();
  }
  return { pieces, browserDecoded };
}
