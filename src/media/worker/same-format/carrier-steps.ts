/**
 * A same-format hide inside engine workers, and the carrier pictures a reveal
 * reads. Frames are read by the browser's decoder or FFmpeg's
 * (../read/carrier-decoder.ts), changed by the core (src/core/stego.ts), and
 * written as raw I_PCM pictures (src/media/formats/h264/) into a scratch file
 * of the job; then one worker writes the output, the source with those
 * pictures replaced and every other byte as it was (../write/carrier-mp4.ts).
 */
import { transfer } from 'comlink';
import { VidStegaError } from '../../../core/errors.ts';
import { embedInFrame } from '../../../core/stego.ts';
import { describeSample, ipcmMacroblockBytes, IpcmPictureWriter, pictureCarrierSupport, writeCarrierSample } from '../../formats/h264/index.ts';
import { decodeRuns } from '../../plan/carriers.ts';
import type { CarrierEmbedJob, CarrierPiece, CarrierScan } from '../../shared/engine-api.ts';
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

/** What the page needs to plan a same-format hide. */
export function scanCarriers(env: EngineEnv, file: File): CarrierScan | { readonly reason: string } {
  const t = openCarrierTrack(env, file);
  if ('reason' in t) return t;
  const c = t.candidates;
  const displayIndex = Uint32Array.from(c.sample, (s) => t.displayIndex[s]);
  // Raw macroblocks, plus each one's mb_type and alignment, and emulation prevention for ordinary picture content.
  const carrierBytes = Math.ceil(t.sps.picSizeInMbs * (ipcmMacroblockBytes(t.sps) + 2) * 1.002) + 1024;
  const scan: CarrierScan = { geometry: t.geometry, pictures: t.samples.count, idr: c.idr.slice(), cost: c.cost.slice(), displayIndex, carrierBytes };
  return transfer(scan, [scan.idr.buffer, scan.cost.buffer, scan.displayIndex.buffer]);
}

/** Appends bytes to a job file, as one writer does. */
class ScratchWriter {
  private at = 0;
  constructor(private readonly file: JobFile) {}
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
  for (const v of job.carriers) listPosition.set(t.candidates.sample[v], v);
  const runs = decodeRuns(t.candidates, job.carriers, t.pictures);
  const file = await env.openJobFile(job.jobId, job.scratch, { create: true });
  const scratch = new ScratchWriter(file);
  const writer = new IpcmPictureWriter();
  const pieces: CarrierPiece[] = [];
  let browserDecoded = 0;
  const sink = (sample: number, planes: Parameters<typeof embedInFrame>[2]) => {
    const v = listPosition.get(sample);
    if (v === undefined) return;
    const original = readSample(src, t, sample);
    const support = pictureCarrierSupport(describeSample(original, t.config.lengthSize, t.params));
    if (!support.supported) throw new VidStegaError('unsupported-input', { reason: `${support.reason} Choose the lossless copy under Output.` });
    embedInFrame(job.plan, v, planes);
    const bytes = writeCarrierSample(original, t.config.lengthSize, t.params, planes, { writer });
    pieces.push({ sample, scratch: job.scratch, offset: scratch.append(bytes), length: bytes.length });
    void onProgress?.(pieces.length);
  };
  const browser = job.decoder === 'ffmpeg' ? undefined : await BrowserCarrierDecoder.open(t);
  try {
    for (const run of runs) {
      const before = pieces.length;
      if (browser) {
        try {
          await browser.decode(src, run, sink);
          browserDecoded += run.carriers.length;
          continue;
        } catch (e) {
          if (!(e instanceof VidStegaError && e.kind === 'browser-decoder')) throw e;
          console.warn(e);
          pieces.length = before; // this run again, with FFmpeg; its scratch bytes are simply not used
        }
      }
      decodeRunWithFfmpeg(await env.core(), src, t, run, sink);
    }
    file.flush();
  } finally {
    browser?.close();
    file.close();
  }
  return { pieces, browserDecoded };
}
