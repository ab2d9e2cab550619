/**
 * Output files of a job as FFmpeg devices, and the checks that what was
 * written is all there. Some storage (a private window's, held in memory)
 * drops writes past its quota instead of failing them: a file shorter than
 * what was written means the disk ran out.
 */
import { VidStegaError } from '../../../core/errors.ts';
import type { JobFile } from '../env.ts';
import { jobFileDevice } from '../ffmpeg/devices.ts';

export type OutputDevice = ReturnType<typeof jobFileDevice>;

/** After FFmpeg wrote `out` into `file`: out of room is told as such; the file is flushed. */
export function finishOutput(file: JobFile, out: OutputDevice, rc: number, failure: () => VidStegaError): void {
  if (out.full) throw new VidStegaError('not-enough-room', {});
  if (rc !== 0) throw failure();
  file.flush();
  if (file.getSize() < out.end) throw new VidStegaError('not-enough-room', {});
}
