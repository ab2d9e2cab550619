/**
 * Probes a `File` in place: the worker mounts it read-only (WORKERFS), so a
 * video of any size is read where it lies, never copied into memory.
 */
import { UnsupportedInputError, isVidStegaError } from '../core/errors.ts';
import { loadCore } from './ffmpeg-core.ts';
import { parseProbe, probeArgs, type VideoInfo } from './probe.ts';

const INPUT_DIR = '/input';
let mounted = false;

/** What a person is told for a file that is not a video VidStega can read. */
const NOT_A_VIDEO =
  'This file could not be read as a video. It may be damaged, cut short, or not a video at all. Choose another file.';

export async function probeFile(file: File): Promise<VideoInfo> {
  if (file.size === 0) throw new UnsupportedInputError('This file is empty (0 bytes). Choose a video file.');
  const core = await loadCore();
  if (!mounted) {
    core.FS.mkdir(INPUT_DIR);
    mounted = true;
  } else {
    core.FS.unmount(INPUT_DIR);
  }
  // Mount under a fixed name: WORKERFS exposes the File by its name, and names can hold anything.
  core.FS.mount(core.FS.filesystems.WORKERFS, { blobs: [{ name: 'video', data: file }] }, INPUT_DIR);
  try {
    // ffprobe's return value is not an exit status in this core (it is -1 on
    // success too): success is the JSON it writes, which parseProbe judges.
    core.ffprobe(...probeArgs(`${INPUT_DIR}/video`, '/probe.json'));
    core.reset();
    const json = core.FS.readFile('/probe.json', { encoding: 'utf8' });
    core.FS.unlink('/probe.json');
    return parseProbe(json);
  } catch (e) {
    if (isVidStegaError(e)) throw e;
    throw new UnsupportedInputError(NOT_A_VIDEO);
  }
}
