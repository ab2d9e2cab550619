/**
 * A segment of a hide, encoder side: the raw frames coming down the pipe are
 * written as FFV1 (lossless, every frame a keyframe) in Matroska, straight
 * into a file of the job on disk.
 */
import { VidStegaError } from '../../../core/errors.ts';
import { BytePipe, READER_CLOSED } from '../../shared/byte-pipe.ts';
import type { EncodeJob } from '../../shared/engine-api.ts';
import type { EngineEnv, JobFile } from '../env.ts';
import { encodeSegmentArgs } from '../ffmpeg/commands.ts';
import { createDeviceFile, jobFileDevice } from '../ffmpeg/devices.ts';
import { logTail, runFfmpeg } from '../ffmpeg/run.ts';
import { finishOutput } from './disk-output.ts';

/** Encodes the frames coming down the pipe as FFV1; resolves with the bytes written. */
export async function encodeSegment(env: EngineEnv, job: EncodeJob): Promise<number> {
  const pipe = new BytePipe(job.pipe);
  let file: JobFile | undefined;
  try {
    const core = await env.core();
    file = await env.openJobFile(job.jobId, job.name, { create: true });
    const out = jobFileDevice(file);
    createDeviceFile(core, '/pipe-in', { seekable: false, read: (into) => pipe.read(into) });
    createDeviceFile(core, '/segment.mkv', out);
    const rc = runFfmpeg(core, encodeSegmentArgs('/pipe-in', '/segment.mkv', job.colour));
    core.FS.unlink('/pipe-in');
    core.FS.unlink('/segment.mkv');
    finishOutput(file, out, rc, () => new VidStegaError('engine-failed', { what: 'The lossless encoder stopped', log: logTail(core) }));
    return file.getSize();
  } finally {
    pipe.close(READER_CLOSED);
    file?.close();
  }
}
