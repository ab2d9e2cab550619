/**
 * Reading the bits of an H.264 RBSP (emulation prevention already removed):
 * u(n), ue(v), se(v) (7.2, 9.1), byte alignment and more_rbsp_data().
 *
 * Every read checks the end: a damaged or foreign stream raises
 * {@link H264SyntaxError}, which callers that must never throw (the I_PCM
 * reader) catch, and nothing else.
 */

/** The bytes are not valid H.264 syntax (truncated, out of range, or not what was expected). */
export class H264SyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'H264SyntaxError';
  }
}

/** MSB-first bit reader over `data[0 .. end)`, starting at bit `startBit`. */
export class BitReader {
  private readonly data: Uint8Array;
  private readonly endBit: number;
  private pos: number;
  private stopBit = -2;

  constructor(data: Uint8Array, startBit = 0, endByte = data.length) {
    this.data = data;
    this.endBit = Math.min(endByte, data.length) * 8;
    this.pos = startBit;
  }

  /** The position of the next bit to read, in bits from the start of the data. */
  get position(): number {
    return this.pos;
  }

  /** Bits between the position and the end of the data. */
  get bitsLeft(): number {
    return this.endBit - this.pos;
  }

  /** Reads n bits (0..32) as an unsigned number. */
  u(n: number): number {
    if (n === 0) return 0;
    if (n > 32 || n < 0) throw new H264SyntaxError(`u(${n}) is not a valid read`);
    let p = this.pos;
    if (p + n > this.endBit) throw new H264SyntaxError('read past the end of the data');
    const data = this.data;
    let v = 0;
    let left = n;
    while (left > 0) {
      const avail = 8 - (p & 7);
      const take = left < avail ? left : avail;
      const bits = (data[p >> 3] >> (avail - take)) & ((1 << take) - 1);
      // Multiplication, not a shift: a 32-bit value stays positive.
      v = v * (1 << take) + bits;
      left -= take;
      p += take;
    }
    this.pos = p;
    return v;
  }

  /** Reads one bit. */
  u1(): number {
    const p = this.pos;
    if (p >= this.endBit) throw new H264SyntaxError('read past the end of the data');
    this.pos = p + 1;
    return (this.data[p >> 3] >> (7 - (p & 7))) & 1;
  }

  /** Reads one bit as a flag. */
  flag(): boolean {
    return this.u1() === 1;
  }

  /** ue(v): unsigned Exp-Golomb (9.1), up to 2^32 - 2. */
  ue(): number {
    let zeros = 0;
    while (this.u1() === 0) {
      zeros++;
      if (zeros > 31) throw new H264SyntaxError('Exp-Golomb code too long');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** ue(v) that must not exceed `max` (a syntax element's range). */
  ueMax(max: number, name: string): number {
    const v = this.ue();
    if (v > max) throw new H264SyntaxError(`${name} = ${v} is out of range (at most ${max})`);
    return v;
  }

  /** se(v): signed Exp-Golomb (9.1.1). */
  se(): number {
    const k = this.ue();
    if (k === 0) return 0;
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** se(v) that must lie in [min, max]. */
  seRange(min: number, max: number, name: string): number {
    const v = this.se();
    if (v < min || v > max) throw new H264SyntaxError(`${name} = ${v} is out of range [${min}, ${max}]`);
    return v;
  }

  /** Skips n bits. */
  skip(n: number): void {
    if (this.pos + n > this.endBit) throw new H264SyntaxError('skip past the end of the data');
    this.pos += n;
  }

  /** Moves to bit `position` (within the data). */
  seek(position: number): void {
    if (position < 0 || position > this.endBit) throw new H264SyntaxError('seek outside the data');
    this.pos = position;
  }

  /** Whether the position is on a byte boundary. */
  byteAligned(): boolean {
    return (this.pos & 7) === 0;
  }

  /** Reads up to the next byte boundary; returns the bits read (as a number, MSB first). */
  alignmentBits(): number {
    const n = (8 - (this.pos & 7)) & 7;
    return this.u(n);
  }

  /**
   * more_rbsp_data() (7.2): whether anything comes before the
   * rbsp_stop_one_bit, the last 1 bit of the data.
   */
  moreRbspData(): boolean {
    return this.pos < this.stopBitPosition();
  }

  /** Position of the rbsp_stop_one_bit (the last 1 bit of the data), or -1 when every bit is 0. */
  stopBitPosition(): number {
    if (this.stopBit === -2) this.stopBit = this.findStopBit();
    return this.stopBit;
  }

  private findStopBit(): number {
    const data = this.data;
    let i = (this.endBit >> 3) - 1;
    while (i >= 0 && data[i] === 0) i--;
    if (i < 0) return -1;
    const b = data[i];
    let bit = 7;
    while (((b >> (7 - bit)) & 1) === 0) bit--;
    return i * 8 + bit;
  }
}
