/**
 * The last step of a lossless hide: the encoded segments joined into one
 * video with the source's sound and subtitles copied beside them, then
 * counted back from the written file.
 */
import { VidStegaError } from '../../../core/errors.ts';
import { outputContainer } from '../../plan/output-container.ts';
import type { MuxJob } from '../../shared/engine-api.ts';
import type { EngineEnv, JobFile } from '../env.ts';
import { concatList, muxArgs } from '../ffmpeg/commands.ts';
import { createDeviceFile, jobFileDevice } from '../ffmpeg/devices.ts';
import { mountBlobs, mountInput } from '../ffmpeg/mounts.ts';
import { logTail, runFfmpeg } from '../ffmpeg/run.ts';
import { frameTimes } from '../read/frame-times.ts';
import { finishOutput } from './disk-output.ts';

/**
 * Joins the segments and copies the source's sound and subtitles beside them,
 * into the output file; returns how many video frames the written file holds.
 *
 * The parts are read through sync access handles rather than as `File`s
 * slice by slice (with the count below, the joining step of a 30 s 1440p
 * hide went from 4.6 s to 1.4 s). The count comes from the written file: for
 * Matroska from its index, which the muxer writes from what it actually
 * muxed and which lists every frame (each FFV1 frame is a keyframe).
 */
export async function muxOutput(env: EngineEnv, job: MuxJob): Promise<number> {
  const core = await env.core();
  const source = mountInput(core, job.file);
  const parts: JobFile[] = [];
  const file = await env.openJobFile(job.jobId, job.outName, { create: true });
  try {
    for (const name of job.segmentNames) parts.push(await env.openJobFile(job.jobId, name, { create: false }));
    const paths = parts.map((part, i) => {
      const path = `/part${i}.mkv`;
      createDeviceFile(core, path, jobFileDevice(part));
      return path;
    });
    core.FS.writeFile('/list.ffconcat', new TextEncoder().encode(concatList(paths, job.durationsMs)));
    const out = jobFileDevice(file);
    createDeviceFile(core, '/output', out);
    const rc = runFfmpeg(core, muxArgs({ concatList: '/list.ffconcat', source, output: '/output', info: job.info, firstFrameMs: job.firstFrameMs }));
    for (const path of ['/output', '/list.ffconcat', ...paths]) core.FS.unlink(path);
    finishOutput(file, out, rc, () => new VidStegaError('engine-failed', { what: 'The parts could not be joined', log: logTail(core) }));
  } finally {
    file.close();
    for (const part of parts) part.close();
  }
  const written = await env.jobFileBlob(job.jobId, job.outName);
  const container = outputContainer(job.info) === 'matroska' ? 'matroska' : 'mov';
  const [path] = mountBlobs(core, '/written', [{ name: 'video', data: written }]);
  return (frameTimes(core, env.source(written), path, { codec: 'ffv1', container, timeBase: job.info.video.timeBase })).pts.length;
}
