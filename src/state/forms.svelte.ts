/**
 * What the person has typed and picked on the Hide and Reveal screens. It
 * lives here, not in the components, so switching screens or a failed job
 * loses nothing.
 */
import { utf8ByteLength, type ContainerShape, type Payload } from '../core/container.ts';
import { posterFrame, probeVideo, type DisplayFrame } from './engine-client.ts';
import type { VideoInfo } from '../media/plan/video-info.ts';
import { errorMessage } from './jobs.svelte.ts';

/** A picked video and what was read from it. */
export class VideoSlot {
  file = $state.raw<File | undefined>();
  info = $state.raw<VideoInfo | undefined>();
  probing = $state(false);
  error = $state<string | undefined>();
  poster = $state.raw<DisplayFrame | undefined>();
  posterFailed = $state(false);

  /** Reads the video's streams, then its first frame for a poster. A newer pick wins over one still being read. */
  async open(file: File): Promise<void> {
    this.file = file;
    this.info = undefined;
    this.error = undefined;
    this.poster = undefined;
    this.posterFailed = false;
    this.probing = true;
    try {
      const info = await probeVideo(file);
      if (this.file !== file) return;
      this.info = info;
    } catch (e) {
      if (this.file === file) this.error = errorMessage(e);
      return;
    } finally {
      if (this.file === file) this.probing = false;
    }
    try {
      const poster = await posterFrame(file, 640);
      if (this.file === file) this.poster = poster;
    } catch {
      // A poster is a nicety: without one, the details still show.
      if (this.file === file) this.posterFailed = true;
    }
  }
}

export class HideForm {
  readonly video = new VideoSlot();
  message = $state('');
  files = $state.raw<File[]>([]);
  password = $state('');
  confirm = $state('');
  showPassword = $state(false);
  /** Set while the hidden files are being read into memory for a new job. */
  preparing = $state(false);
  /** "Add a decoy" is open: the hide carries the decoy below. Like the real password, none of it is ever stored. */
  decoyOpen = $state(false);
  decoyPassword = $state('');
  decoyConfirm = $state('');
  decoyMessage = $state('');
  showDecoyPassword = $state(false);

  addFiles(list: Iterable<File>): void {
    this.files = [...this.files, ...list];
  }

  removeFile(file: File): void {
    this.files = this.files.filter((f) => f !== file);
  }

  /** The container's shape from sizes and names alone, for the capacity meter. */
  get shape(): ContainerShape {
    return {
      messageBytes: utf8ByteLength(this.message),
      files: this.files.map((f) => ({ nameBytes: utf8ByteLength(f.name), typeBytes: utf8ByteLength(f.type), size: f.size })),
    };
  }

  /** The payload a job hides, as the form holds it now: taken at once, so typing on while files are read changes nothing. */
  async payload(): Promise<Payload> {
    const message = this.message;
    const picked = [...this.files];
    const files = await Promise.all(
      picked.map(async (f) => ({ name: f.name, type: f.type, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    return { message, files };
  }
}

export class RevealForm {
  video = $state.raw<File | undefined>();
  password = $state('');
  showPassword = $state(false);
}
