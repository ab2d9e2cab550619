/**
 * A segment of a hide, decoder side: frames are read (FFmpeg's decoder, or
 * the browser's), the ones that carry data are changed on their way
 * (./embedding.ts), and every frame goes down the pipe to the encoder worker
 * as raw video in NUT.
 */
import { rawFrameBytes } from '../../../core/geometry.ts';
import { NutFrameTap } from '../../formats/nut/frame-tap.ts';
import { NutFrameWriter, readNutHeaders } from '../../formats/nut/frame-writer.ts';
import { BytePipe, WRITER_CLOSED, WRITER_FAILED } from '../../shared/byte-pipe.ts';
import type { BrowserDecodeJob, DecodeJob } from '../../shared/engine-api.ts';
import { VidStegaError } from '../../../core/errors.ts';
import type { EngineEnv } from '../env.ts';
import { decodeSegmentArgs } from '../ffmpeg/commands.ts';
import { createDeviceFile } from '../ffmpeg/devices.ts';
import { mountInput } from '../ffmpeg/mounts.ts';
import { logTail, runFfmpeg } from '../ffmpeg/run.ts';
import { decodeInBrowser, nutPts } from '../read/browser-decoder.ts';
import { embeddingHooks } from './embedding.ts';

/** Writes to the pipe; the encoder closing it early stops the decoder. */
function pipeSender(pipe: BytePipe): (bytes: Uint8Array) => void {
  return (bytes) => {
    if (!pipe.write(bytes)) throw new VidStegaError('engine-failed', { what: 'The lossless encoder stopped' });
  };
}

/** Decodes a segment with FFmpeg, hides data in the frames that carry it, and sends every frame down the pipe. */
export async function decodeSegment(env: EngineEnv, job: DecodeJob): Promise<{ frames: number }> {
  const pipe = new BytePipe(job.pipe);
  try {
    const core = await env.core();
    const input = mountInput(core, job.file);
    const counter = new Int32Array(job.progress);
    const tap = new NutFrameTap(rawFrameBytes(job.plan.geometry), embeddingHooks(job.plan, job.segment.firstFrame, pipeSender(pipe)));
    createDeviceFile(core, '/pipe-out', {
      seekable: false,
      write: (bytes) => {
        tap.push(bytes);
        Atomics.store(counter, job.slot, tap.frames);
        return true;
      },
    });
    const rc = runFfmpeg(core, decodeSegmentArgs(input, '/pipe-out', job.segment));
    core.FS.unlink('/pipe-out');
    if (rc !== 0) throw new VidStegaError('video-damaged', { what: 'The video could not be decoded', log: logTail(core) });
    tap.end();
    pipe.close(WRITER_CLOSED);
    return { frames: tap.frames };
  } catch (e) {
    pipe.close(WRITER_FAILED);
    throw e;
  }
}

/** As {@link decodeSegment}, with the browser's decoder reading the segment's packets straight from the file. */
export async function decodeSegmentInBrowser(job: BrowserDecodeJob): Promise<{ frames: number }> {
  const pipe = new BytePipe(job.pipe);
  try {
    const counter = new Int32Array(job.progress);
    const headers = readNutHeaders(job.decoding.nutHeaders);
    const writer = new NutFrameWriter(headers);
    const send = pipeSender(pipe);
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
