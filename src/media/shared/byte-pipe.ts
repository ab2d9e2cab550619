/**
 * A one-way byte pipe between two workers over a SharedArrayBuffer: the
 * decoder's ffmpeg writes into it, the encoder's ffmpeg reads from it, both
 * blocking (Atomics.wait) the way a Unix pipe blocks. The ring holds a few
 * frames, so memory stays flat however long the video is.
 *
 * Single producer, single consumer. Either side may close; the reader sees
 * end of stream once the ring is drained, the writer learns the reader has
 * gone (and stops) when the reader closes early.
 *
 * FFmpeg moves data in 32 KiB pieces, about 170 for one 1440p frame. Waking
 * the other side for each piece would cost two thread switches a piece, so a
 * side that blocks asks for a quarter of the ring (free room for the writer,
 * bytes for the reader) and the other side wakes it only once that much is
 * there, or when it closes. Both cannot wait at once: that would need the
 * ring to be under half full and under half empty.
 */

const HEAD = 0; // next byte the writer fills (mod capacity)
const TAIL = 1; // next byte the reader takes (mod capacity)
const USED = 2; // bytes in the ring
const STATE = 3; // bit 0: writer closed, bit 1: reader closed, bit 2: writer failed
const WRITER_NEEDS = 4; // 0, or the free bytes a blocked writer waits for
const READER_NEEDS = 5; // 0, or the bytes a blocked reader waits for
const CONTROL_INTS = 6;

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
  if (!Number.isInteger(capacity) || capacity < 4) throw new RangeError(`bad pipe capacity ${capacity}`);
  return { control: new SharedArrayBuffer(CONTROL_INTS * 4), ring: new SharedArrayBuffer(capacity) };
}

export class BytePipe {
  private readonly control: Int32Array;
  private readonly ring: Uint8Array;
  private readonly capacity: number;
  /** What a blocked side waits for at most: a quarter of the ring. */
  private readonly batch: number;
  /** Times this side blocked (for tests and tuning). */
  blocks = 0;

  constructor(buffers: BytePipeBuffers) {
    this.control = new Int32Array(buffers.control);
    this.ring = new Uint8Array(buffers.ring);
    this.capacity = this.ring.length;
    this.batch = Math.max(1, Math.floor(this.capacity / 4));
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
        this.block(WRITER_NEEDS, this.batch, () => this.capacity - Atomics.load(c, USED), READER_CLOSED);
        continue;
      }
      const head = Atomics.load(c, HEAD);
      const n = Math.min(bytes.length - offset, this.capacity - used, this.capacity - head);
      this.ring.set(bytes.subarray(offset, offset + n), head);
      offset += n;
      Atomics.store(c, HEAD, (head + n) % this.capacity);
      const nowUsed = Atomics.add(c, USED, n) + n;
      this.wake(READER_NEEDS, nowUsed);
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
        this.block(READER_NEEDS, this.batch, () => Atomics.load(c, USED), WRITER_CLOSED | WRITER_FAILED);
        continue;
      }
      const tail = Atomics.load(c, TAIL);
      const n = Math.min(into.length, used, this.capacity - tail);
      into.set(this.ring.subarray(tail, tail + n));
      Atomics.store(c, TAIL, (tail + n) % this.capacity);
      const nowFree = this.capacity - (Atomics.sub(c, USED, n) - n);
      this.wake(WRITER_NEEDS, nowFree);
      return n;
    }
  }

  /**
   * Blocks until `available()` reaches `need` or the other side closes.
   * Publishes the need first and checks again, so a wake-up sent between the
   * check and the wait is not lost.
   */
  private block(slot: number, need: number, available: () => number, otherSideDone: number): void {
    const c = this.control;
    this.blocks++;
    Atomics.store(c, slot, need);
    while (available() < need && !(Atomics.load(c, STATE) & otherSideDone)) {
      Atomics.wait(c, slot, need, WAIT_MS);
      if (Atomics.load(c, slot) === 0) break; // woken by the other side
    }
    Atomics.store(c, slot, 0);
  }

  /** Wakes the other side when it is blocked and `have` reaches what it asked for. */
  private wake(slot: number, have: number): void {
    const c = this.control;
    const need = Atomics.load(c, slot);
    if (need !== 0 && have >= need && Atomics.compareExchange(c, slot, need, 0) === need) Atomics.notify(c, slot);
  }

  /** Marks one side as done; wakes the other. */
  close(flag: typeof WRITER_CLOSED | typeof READER_CLOSED | typeof WRITER_FAILED): void {
    const c = this.control;
    Atomics.or(c, STATE, flag);
    for (const slot of [WRITER_NEEDS, READER_NEEDS]) {
      Atomics.store(c, slot, 0);
      Atomics.notify(c, slot);
    }
  }

  get state(): number {
    return Atomics.load(this.control, STATE);
  }
}
