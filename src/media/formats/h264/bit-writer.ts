/**
 * Writing the bits of an H.264 RBSP: u(n), ue(v), se(v), alignment, the
 * trailing bits, and verbatim copies of bit ranges (dec_ref_pic_marking is
 * copied bit for bit from the original slice header).
 *
 * The writer owns a buffer that grows when needed and is reused across
 * `reset()` calls, so a writer kept for a stream allocates once.
 */
export class BitWriter {
  private buf: Uint8Array;
  private bytePos = 0;
  private cur = 0;
  private curBits = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
  }

  /** Empties the writer, keeping its buffer. */
  reset(): void {
    this.bytePos = 0;
    this.cur = 0;
    this.curBits = 0;
  }

  /** Bits written so far. */
  get bitPosition(): number {
    return this.bytePos * 8 + this.curBits;
  }

  /** Whether the next bit starts a byte. */
  byteAligned(): boolean {
    return this.curBits === 0;
  }

  /** Writes one bit. */
  bit(b: number): void {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.curBits === 8) {
      if (this.bytePos === this.buf.length) this.grow(1);
      this.buf[this.bytePos++] = this.cur;
      this.cur = 0;
      this.curBits = 0;
    }
  }

  /** Writes the n (0..32) low bits of v, most significant first. */
  u(n: number, v: number): void {
    if (n < 0 || n > 32) throw new RangeError(`u(${n}) is not a valid write`);
    if (v < 0 || (n < 32 && v >= 2 ** n) || v >= 2 ** 32) throw new RangeError(`${v} does not fit in ${n} bits`);
    for (let i = n - 1; i >= 0; i--) this.bit(Math.floor(v / 2 ** i) & 1);
  }

  /** ue(v), v in [0, 2^32 - 2]. */
  ue(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xfffffffe) throw new RangeError(`ue(${v}) is not encodable`);
    const x = v + 1;
    let len = 0;
    while (2 ** (len + 1) <= x) len++;
    for (let i = 0; i < len; i++) this.bit(0);
    this.u(len + 1, x);
  }

  /** se(v). */
  se(v: number): void {
    this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }

  /** Pads with `bitValue` to the next byte boundary. */
  align(bitValue: 0 | 1): void {
    while (this.curBits !== 0) this.bit(bitValue);
  }

  /** rbsp_trailing_bits(): the stop bit, then zeros to the byte boundary. */
  trailingBits(): void {
    this.bit(1);
    this.align(0);
  }

  /** Copies `bitLength` bits of `src` starting at bit `startBit` (MSB-first numbering). */
  copyBits(src: Uint8Array, startBit: number, bitLength: number): void {
    if (startBit < 0 || startBit + bitLength > src.length * 8) throw new RangeError('copyBits outside the source');
    for (let p = startBit, end = startBit + bitLength; p < end; p++) this.bit((src[p >> 3] >> (7 - (p & 7))) & 1);
  }

  /** Appends whole bytes; the writer must be byte aligned. */
  bytes(data: Uint8Array): void {
    if (this.curBits !== 0) throw new Error('BitWriter.bytes: not byte aligned');
    if (this.bytePos + data.length > this.buf.length) this.grow(data.length);
    this.buf.set(data, this.bytePos);
    this.bytePos += data.length;
  }

  /** The bytes written (a view of the writer's buffer, valid until the next write); must be byte aligned. */
  view(): Uint8Array {
    if (this.curBits !== 0) throw new Error('BitWriter.view: not byte aligned');
    return this.buf.subarray(0, this.bytePos);
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.bytePos + extra + 16));
    next.set(this.buf.subarray(0, this.bytePos));
    this.buf = next;
  }
}
