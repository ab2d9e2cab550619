/**
 * A one-way byte pipe between two workers over a SharedArrayBuffer: the
 * decoder's ffmpeg writes into it, the encoder's ffmpeg reads from it, both
 * blocking (Atomics.wait) the way a Unix pipe blocks. The ring holds a few
 * frames, so memory stays flat however long the video is.
 *
 * Single producer, single consumer. Either side may close; the reader sees
 * end of stream once the ring is drained, the writer learns the reader has
 * gone (and stops) when the reader closes early.
 */

const HEAD = 0; // next byte the writer fills (mod capacity)
const TAIL = 1; // next byte the reader takes (mod capacity)
const USED = 2; // bytes in the ring
const STATE = 3; // bit 0: writer closed, bit 1: reader closed, bit 2: writer failed
const CONTROL_INTS = 4;

export const WRITER_CLOSED = 1;
export const READER_CLOSED = 2;
export const WRITER_FAILED = 4;

/** How long one wait may block before re-checking (a guard, not a timeout). */
const WAIT_MS = 1000;

export interface BytePipeBuffers {
  readonly control: SharedArrayBuffer;
  readonly ring: SharedArrayBuffer;
}

export function createBytePipe(capacity: number): BytePipeBuffers {
  return { control: new SharedArrayBuffer(CONTROL_INTS * 4), ring: new SharedArrayBuffer(capacity) };
}

export class BytePipe {
  private readonly control: Int32Array;
  private readonly ring: Uint8Array;
  private readonly capacity: number;

  constructor(buffers: BytePipeBuffers) {
    this.control = new Int32Array(buffers.control);
    this.ring = new Uint8Array(buffers.ring);
    this.capacity = this.ring.length;
  }

  /**
   * Writes all of `bytes`, blocking while the ring is full. Returns false when
   * the reader has closed (nothing more will be read).
   */
  write(bytes: Uint8Array): boolean {
    const c = this.control;
    let offset = 0;
    while (offset < bytes.length) {
      if (Atomics.load(c, STATE) & READER_CLOSED) return false;
      const used = Atomics.load(c, USED);
      if (used === this.capacity) {
        Atomics.wait(c, USED, used, WAIT_MS);
        continue;
      }
      const head = Atomics.load(c, HEAD);
      const n = Math.min(bytes.length - offset, this.capacity - used, this.capacity - head);
      this.ring.set(bytes.subarray(offset, offset + n), head);
      offset += n;
      Atomics.store(c, HEAD, (head + n) % this.capacity);
      Atomics.add(c, USED, n);
      Atomics.notify(c, USED);
    }
    return true;
  }

  /**
   * Reads up to `into.length` bytes, blocking until at least one is there.
   * Returns 0 at end of stream. Throws when the writer failed.
   */
  read(into: Uint8Array): number {
    const c = this.control;
    for (;;) {
      const used = Atomics.load(c, USED);
      if (used === 0) {
        const state = Atomics.load(c, STATE);
        if (state & WRITER_FAILED) throw new Error('the decoder stopped with an error');
        if (state & WRITER_CLOSED) return 0;
        Atomics.wait(c, USED, 0, WAIT_MS);
        continue;
      }
      const tail = Atomics.load(c, TAIL);
      const n = Math.min(into.length, used, this.capacity - tail);
      into.set(this.ring.subarray(tail, tail + n));
      Atomics.store(c, TAIL, (tail + n) % this.capacity);
      Atomics.sub(c, USED, n);
      Atomics.notify(c, USED);
      return n;
    }
  }

  /** Marks one side as done; wakes the other. */
  close(flag: typeof WRITER_CLOSED | typeof READER_CLOSED | typeof WRITER_FAILED): void {
    Atomics.or(this.control, STATE, flag);
    // Wake a waiter: USED is what both sides wait on.
    Atomics.notify(this.control, USED);
  }

  get state(): number {
    return Atomics.load(this.control, STATE);
  }
}
