/** What a frame tap asks of its owner, frame by frame. */
export interface FrameTapHooks {
  /** Whether frame `index` is to be changed (it is then handed to `edit` whole). */
  wants(index: number): boolean;
  /** Changes a whole raw frame in place. */
  edit(index: number, frame: Uint8Array): void;
  /** Receives the stream's bytes in order; must copy them before returning. */
  out(bytes: Uint8Array): void;
}
