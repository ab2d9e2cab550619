/**
 * ISO base media (MP4) and QuickTime boxes ("atoms"): headers, full-box
 * version and flags, the children of container boxes, and the top-level
 * layout of a file read header by header, so a media data box (`mdat`) of
 * any size costs one small read.
 *
 * A box is `size:u32 type:4cc [largesize:u64 when size = 1] [usertype:16
 * when type = 'uuid'] payload`; size 0 means "to the end of the file" (last
 * box only). Numbers are big-endian. Offsets are plain numbers: exact up to
 * 2^53, far past any file a browser can hold.
 */
import type { ByteSource } from '../byte-source.ts';
import { Mp4Error } from './errors.ts';

/** Where one box sits and how its header is written. */
export interface BoxHeader {
  /** Four characters, one per byte (Latin-1, so QuickTime's `©nam` reads as such). */
  readonly type: string;
  /** Offset of the box's first byte: in the file for top-level boxes, in the enclosing buffer for children. */
  readonly offset: number;
  /** Whole box in bytes, header included (for size 0, up to the end of what encloses it). */
  readonly size: number;
  /** 8, 16 with a 64-bit largesize, plus 16 for a `uuid` box's user type. */
  readonly headerSize: number;
  /** The size is in a 64-bit largesize field (size field 1). */
  readonly largeSize: boolean;
  /** The size field was 0: the box runs to the end of the file. */
  readonly toEnd: boolean;
}

/** 2^32: the first value a 32-bit size or offset field cannot hold. */
export const TWO_POW_32 = 0x1_0000_0000;

/**
 * Boxes an MP4 or QuickTime file can start with. Anything else first means
 * the bytes are some other kind of file (or garbage), which is said as such
 * rather than as a damaged movie.
 */
const FIRST_BOX_TYPES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid', 'styp', 'sidx', 'moof', 'junk', 'PICT', 'meta']);

/** Top-level box types: four printable ASCII characters. */
function isPrintableType(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) if (b[i] < 0x20 || b[i] > 0x7e) return false;
  return true;
}

/** A box type as messages show it: characters that are not printable become '?'. */
export function shownType(type: string): string {
  return type.replace(/[^\x20-\x7e\u00a9]/g, '?');
}

/** The four characters at `at`. */
export function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

/** Big-endian unsigned 32-bit integer. */
export function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Big-endian signed 32-bit integer. */
export function i32(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

/** Big-endian unsigned 16-bit integer. */
export function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/** Big-endian unsigned 64-bit integer; refuses values past 2^53 (no file holds that many bytes). */
export function u64(b: Uint8Array, at: number, what: string): number {
  const hi = u32(b, at);
  if (hi >= 0x20_0000) throw new Mp4Error('unsupported', `The file gives ${what} beyond 2^53, which no real file reaches.`);
  return hi * TWO_POW_32 + u32(b, at + 4);
}

/** Big-endian signed 64-bit integer, for edit-list media times; refuses magnitudes past 2^53. */
export function i64(b: Uint8Array, at: number, what: string): number {
  const hi = i32(b, at);
  if (hi >= 0x20_0000 || hi < -0x20_0000) throw new Mp4Error('unsupported', `The file gives ${what} beyond 2^53, which no real file reaches.`);
  return hi * TWO_POW_32 + u32(b, at + 4);
}

/** Writes a big-endian unsigned 32-bit integer. */
export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/** Writes a big-endian unsigned 64-bit integer (any safe integer ≥ 0). */
export function putU64(b: Uint8Array, at: number, v: number): void {
  const hi = Math.floor(v / TWO_POW_32);
  putU32(b, at, hi);
  putU32(b, at + 4, v - hi * TWO_POW_32);
}

/**
 * The header of the box at `at` in `b`, which must end by `end` (the end of
 * the enclosing box or buffer). `fileOffset` is added to the position in
 * error messages only. Throws when the header does not fit or the box
 * claims more room than `end` leaves.
 */
export function parseBoxHeader(b: Uint8Array, at: number, end: number, fileOffset = 0): BoxHeader {
  if (end - at < 8) throw new Mp4Error('malformed', `A box at byte ${fileOffset + at} is cut off: ${end - at} bytes where a header needs 8.`);
  const sizeField = u32(b, at);
  const type = fourcc(b, at + 4);
  let headerSize = 8;
  let size = sizeField;
  const largeSize = sizeField === 1;
  const toEnd = sizeField === 0;
  if (largeSize) {
    if (end - at < 16) throw new Mp4Error('malformed', `The '${shownType(type)}' box at byte ${fileOffset + at} is cut off inside its 64-bit size.`);
    size = u64(b, at + 8, `the size of the '${shownType(type)}' box at byte ${fileOffset + at}`);
    headerSize = 16;
  } else if (toEnd) {
    size = end - at;
  }
  if (type === 'uuid') headerSize += 16;
  if (size < headerSize) throw new Mp4Error('malformed', `The '${shownType(type)}' box at byte ${fileOffset + at} declares ${size} bytes, less than its own ${headerSize}-byte header.`);
  if (at + size > end) {
    throw new Mp4Error('malformed', `The '${shownType(type)}' box at byte ${fileOffset + at} declares ${size} bytes, ${at + size - end} more than the box around it holds.`);
  }
  return { type, offset: at, size, headerSize, largeSize, toEnd };
}

/** Version and flags of a full box (the 4 bytes after its header); throws when the box is too short for them. */
export function fullBoxHead(b: Uint8Array, box: BoxHeader, minPayload = 4): { version: number; flags: number } {
  if (box.size - box.headerSize < minPayload) throw new Mp4Error('malformed', `The '${box.type}' box is ${box.size} bytes, too short for its fields.`);
  const at = box.offset + box.headerSize;
  return { version: b[at], flags: ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0 };
}

/**
 * The boxes inside `[start, end)` of `b`, in order. Stops at fewer than 8
 * trailing bytes or at a 32-bit zero, which QuickTime writes as a terminator
 * inside some containers; whatever follows is kept, not interpreted.
 */
export function childBoxes(b: Uint8Array, start: number, end: number, fileOffset = 0): BoxHeader[] {
  const out: BoxHeader[] = [];
  let at = start;
  while (end - at >= 8) {
    if (u32(b, at) === 0) break;
    const box = parseBoxHeader(b, at, end, fileOffset);
    out.push(box);
    at += box.size;
  }
  return out;
}

/** The first child of type `type`, or undefined. */
export function findChild(children: readonly BoxHeader[], type: string): BoxHeader | undefined {
  for (const c of children) if (c.type === type) return c;
  return undefined;
}

/** The children of a container box that is itself a child in `b`. */
export function childrenOf(b: Uint8Array, box: BoxHeader, fileOffset = 0): BoxHeader[] {
  return childBoxes(b, box.offset + box.headerSize, box.offset + box.size, fileOffset);
}

/** The top-level boxes of a file, and what follows the last one. */
export interface TopLevelLayout {
  readonly boxes: readonly BoxHeader[];
  /**
   * Bytes after the last box that are not a box: fewer than 8, or zero
   * padding some recorders add. Kept as they are by the rewriter.
   */
  readonly trailingBytes: number;
}

/**
 * Reads the top-level boxes of `src` one header at a time (at most 32 bytes
 * per box: never a box's payload). Throws `not-mp4` when the file does not
 * start with a box, `truncated` when a box runs past the end of the file.
 */
export function readTopLevelBoxes(src: ByteSource): TopLevelLayout {
  const boxes: BoxHeader[] = [];
  const fileSize = src.size;
  let at = 0;
  while (fileSize - at >= 8) {
    const head = src.read(at, Math.min(32, fileSize - at));
    if (!isPrintableType(head, 4)) {
      if (boxes.length === 0) throw new Mp4Error('not-mp4', 'This is not an MP4 or QuickTime (MOV) file: it does not start with a box.');
      if (isZero(head, 8)) return { boxes, trailingBytes: fileSize - at };
      throw new Mp4Error('malformed', `The file has bytes that are not a box at byte ${at}, after its '${boxes[boxes.length - 1].type}' box.`);
    }
    const sizeField = u32(head, 0);
    const type = fourcc(head, 4);
    if (boxes.length === 0 && !FIRST_BOX_TYPES.has(type)) {
      throw new Mp4Error('not-mp4', 'This is not an MP4 or QuickTime (MOV) file: it does not start with a box these files start with.');
    }
    let size = sizeField;
    let headerSize = 8;
    if (sizeField === 1) {
      if (head.length < 16) throw new Mp4Error('truncated', `The file is cut short: it ends inside the header of its '${type}' box.`);
      size = u64(head, 8, `the size of the '${type}' box at byte ${at}`);
      headerSize = 16;
    } else if (sizeField === 0) {
      size = fileSize - at;
    }
    if (type === 'uuid') headerSize += 16;
    if (size < headerSize) {
      if (boxes.length === 0) throw new Mp4Error('not-mp4', 'This is not an MP4 or QuickTime (MOV) file: its first box has an impossible size.');
      throw new Mp4Error('malformed', `The '${type}' box at byte ${at} declares ${size} bytes, less than its own header.`);
    }
    if (at + size > fileSize) {
      throw new Mp4Error(
        'truncated',
        `The file is cut short: its '${type}' box at byte ${at} needs ${size} bytes but only ${fileSize - at} remain. ` +
          'It was probably not fully downloaded or copied.',
      );
    }
    boxes.push({ type, offset: at, size, headerSize, largeSize: sizeField === 1, toEnd: sizeField === 0 });
    at += size;
  }
  if (boxes.length === 0) throw new Mp4Error('not-mp4', 'This is not an MP4 or QuickTime (MOV) file: it is too short to hold a box.');
  return { boxes, trailingBytes: fileSize - at };
}

function isZero(b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n && i < b.length; i++) if (b[i] !== 0) return false;
  return b.length >= n;
}
