/**
 * Probes a `File` in place: the worker mounts it read-only (WORKERFS), so a
 * video of any size is read where it lies, never copied into memory.
 */
import { UnsupportedInputError, isVidStegaError } from '../../core/errors.ts';
import type { EngineEnv } from './env.ts';
import { mountInput } from './ffmpeg/mounts.ts';
import { checkWholeFile } from './read/whole-file.ts';
import { isMp4Family } from './read/h264-track.ts';
import { scanCarriers } from './same-format/carrier-steps.ts';
import { probeInfo } from './ffmpeg/ffprobe.ts';
import type { VideoInfo } from '../plan/video-info.ts';


/** What a person is told for a file that is not a video VidStega can read. */
const NOT_A_VIDEO =
  'This file could not be read as a video. It may be damaged, cut short, or not a video at all. Choose another file.';

export async function probeFile(env: EngineEnv, file: File): Promise<VideoInfo> {
  if (file.size === 0) throw new UnsupportedInputError('This file is empty (0 bytes). Choose a video file.');
  checkWholeFile(env.source(file));
  const core = await env.core();
  const input = mountInput(core, file);
  let info: VideoInfo;
  try {
    // Success is the JSON ffprobe writes, which parseProbe judges.
    info = probeInfo(core, input);
  } catch (e) {
    if (isVidStegaError(e)) throw e;
    throw new UnsupportedInputError(NOT_A_VIDEO);
  }
  if (info.video.codec !== 'h264' || !isMp4Family(info.container)) return info;
  // An H.264 MP4/MOV: can it come back in its own format, and with how many carrier pictures?
  const scan = scanCarriers(env, file);
  return { ...info, sameFormat: 'reason' in scan ? { reason: scan.reason } : { carriers: scan.geometry.frameCount, carrierBytes: scan.carrierBytes, geometry: scan.geometry } };
}
