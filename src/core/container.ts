/**
 * The plaintext container: the message and the hidden files, serialised into
 * the bytes that get (optionally) deflated and then sealed with AES-GCM as the
 * body. Layout (docs/FORMAT.md, "Container"), all integers little-endian:
 *
 * | bytes | field |
 * |---|---|
 * | 1 | container version (1) |
 * | 4 | message length m (UTF-8 bytes) |
 * | m | message |
 * | 4 | file count |
 * | per file: 2 + n | name (UTF-8) |
 * | per file: 2 + t | MIME type (UTF-8) |
 * | per file: 4 + s | size and bytes |
 */
import { DataDamagedError, UnsupportedInputError } from './errors.ts';

/** One hidden file. */
export interface HiddenFile {
  /** File name as the sender had it (UTF-8, at most {@link MAX_NAME_BYTES} bytes). */
  name: string;
  /** MIME type, possibly empty (UTF-8, at most {@link MAX_TYPE_BYTES} bytes). */
  type: string;
  /** The file's contents (less than 2^32 bytes). */
  bytes: Uint8Array;
}

/** Everything a sender hides: a message (possibly empty) and any number of files. */
export interface Payload {
  message: string;
  files: HiddenFile[];
}

/**
 * The sizes that determine a container's length, without its contents. Lets
 * the UI compute the exact size of a payload from `File.size` and the names
 * alone, before reading any file into memory.
 */
export interface ContainerShape {
  /** UTF-8 length of the message. */
  readonly messageBytes: number;
  readonly files: readonly {
    /** UTF-8 length of the name. */
    readonly nameBytes: number;
    /** UTF-8 length of the MIME type. */
    readonly typeBytes: number;
    /** File size in bytes. */
    readonly size: number;
  }[];
}

/** The only container version this code writes and reads. */
export const CONTAINER_VERSION = 1;
/** Longest file name, in UTF-8 bytes. Far above any real file system's limit (255 on most). */
export const MAX_NAME_BYTES = 1024;
/** Longest MIME type, in UTF-8 bytes (RFC 6838 caps type and subtype at 127 each). */
export const MAX_TYPE_BYTES = 255;
/** Largest message, in UTF-8 bytes: its length field is 32 bits. */
export const MAX_MESSAGE_BYTES = 0xffff_ffff;
/** Largest single file, in bytes: its size field is 32 bits. */
export const MAX_FILE_BYTES = 0xffff_ffff;
/** Most files in one container: the count field is 32 bits. */
export const MAX_FILES = 0xffff_ffff;

/** Fixed bytes of a container: version, message length, file count. */
const HEADER_BYTES = 1 + 4 + 4;
/** Fixed bytes per file: name length, type length, size. */
const FILE_HEADER_BYTES = 2 + 2 + 4;

/**
 * The number of bytes `TextEncoder` produces for `s`, without allocating.
 * Lone surrogates count 3 bytes, as the encoder replaces them with U+FFFD.
 */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The exact byte length of a container of this shape. Cheap: no encoding. */
export function containerSize(shape: ContainerShape): number {
  let n = HEADER_BYTES + shape.messageBytes;
  for (const f of shape.files) n += FILE_HEADER_BYTES + f.nameBytes + f.typeBytes + f.size;
  return n;
}

/** The shape of a payload (UTF-8 lengths computed without encoding). */
export function payloadShape(p: Payload): ContainerShape {
  return {
    messageBytes: utf8ByteLength(p.message),
    files: p.files.map((f) => ({
      nameBytes: utf8ByteLength(f.name),
      typeBytes: utf8ByteLength(f.type),
      size: f.bytes.length,
    })),
  };
}

/** The exact byte length of `encodeContainer(p)`. */
export function payloadContainerSize(p: Payload): number {
  return containerSize(payloadShape(p));
}

/** Shortens a name for an error message, so a pathological name cannot flood the UI. */
function shown(name: string): string {
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}

/**
 * Throws {@link UnsupportedInputError} with a plain explanation if a payload of
 * this shape cannot be stored (a field over its limit). `names`, when given,
 * are used only to name the offending file in the message. Lets the UI refuse
 * a file as soon as it is picked rather than at hiding time.
 */
export function checkContainerLimits(shape: ContainerShape, names?: readonly string[]): void {
  if (shape.messageBytes > MAX_MESSAGE_BYTES) {
    throw new UnsupportedInputError('The message is too long: a message can be at most 4 GiB.');
  }
  if (shape.files.length > MAX_FILES) {
    throw new UnsupportedInputError('Too many files to hide at once.');
  }
  shape.files.forEach((f, i) => {
    const label = names?.[i] !== undefined ? `“${shown(names[i])}”` : `number ${i + 1}`;
    if (f.nameBytes > MAX_NAME_BYTES) {
      throw new UnsupportedInputError(
        `The name of file ${label} is too long (${f.nameBytes} bytes; at most ${MAX_NAME_BYTES}). Rename it and try again.`,
      );
    }
    if (f.typeBytes > MAX_TYPE_BYTES) {
      throw new UnsupportedInputError(
        `The file type of file ${label} is too long (${f.typeBytes} bytes; at most ${MAX_TYPE_BYTES}).`,
      );
    }
    if (f.size > MAX_FILE_BYTES) {
      throw new UnsupportedInputError(`File ${label} is too large: a hidden file can be at most 4 GiB.`);
    }
  });
}

/**
 * Serialises a payload. Throws {@link UnsupportedInputError} if a name, type,
 * the message or a file is over its limit, or the whole does not fit in memory.
 */
export function encodeContainer(p: Payload): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const message = enc.encode(p.message);
  const files = p.files.map((f) => ({ name: enc.encode(f.name), type: enc.encode(f.type), bytes: f.bytes }));
  const shape: ContainerShape = {
    messageBytes: message.length,
    files: files.map((f) => ({ nameBytes: f.name.length, typeBytes: f.type.length, size: f.bytes.length })),
  };
  checkContainerLimits(
    shape,
    p.files.map((f) => f.name),
  );
  const size = containerSize(shape);
  let out: Uint8Array<ArrayBuffer>;
  try {
    out = new Uint8Array(size);
  } catch {
    // A multi-gigabyte payload can exceed what the browser lets one buffer hold.
    throw new UnsupportedInputError(
      `The message and files are too large to prepare in this browser (${size} bytes). Hide fewer or smaller files.`,
    );
  }
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let pos = 0;
  out[pos++] = CONTAINER_VERSION;
  v.setUint32(pos, message.length, true);
  pos += 4;
  out.set(message, pos);
  pos += message.length;
  v.setUint32(pos, files.length, true);
  pos += 4;
  for (const f of files) {
    v.setUint16(pos, f.name.length, true);
    pos += 2;
    out.set(f.name, pos);
    pos += f.name.length;
    v.setUint16(pos, f.type.length, true);
    pos += 2;
    out.set(f.type, pos);
    pos += f.type.length;
    v.setUint32(pos, f.bytes.length, true);
    pos += 4;
    out.set(f.bytes, pos);
    pos += f.bytes.length;
  }
  return out;
}

/**
 * Strict UTF-8 decoding. The `fatal` decoder rejects invalid sequences; its
 * BOM sniffing would silently drop a leading U+FEFF (a legal character in a
 * name or message), so one that was stripped is put back.
 */
function utf8Decode(dec: TextDecoder, b: Uint8Array): string {
  const s = dec.decode(b);
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? `\uFEFF${s}` : s;
}

/**
 * Parses a container. Validates everything: version, every length within its
 * limit and within the input, UTF-8 validity of all strings, and no trailing
 * bytes. Only ever throws {@link DataDamagedError}: it runs after AES-GCM has
 * authenticated the bytes, so anything malformed is a bug or deliberate
 * tampering by someone holding the key, never a benign accident.
 *
 * The returned files' `bytes` are views into `bytes` (no copy: files can be
 * large); copy them if `bytes` is reused or transferred.
 */
export function decodeContainer(bytes: Uint8Array): Payload {
  try {
    return decodeUnchecked(bytes);
  } catch (e) {
    if (e instanceof DataDamagedError) throw e;
    // Invalid UTF-8 (TypeError from the fatal decoder) and anything unforeseen.
    throw new DataDamagedError('the hidden content is malformed');
  }
}

function decodeUnchecked(bytes: Uint8Array): Payload {
  const bad = (what: string): never => {
    throw new DataDamagedError(`the hidden content is malformed: ${what}`);
  };
  const len = bytes.length;
  if (len < HEADER_BYTES) bad('too short');
  if (bytes[0] !== CONTAINER_VERSION) bad('unknown version');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder('utf-8', { fatal: true });
  let pos = 1;
  const take = (n: number, what: string): Uint8Array => {
    if (n > len - pos) bad(`${what} runs past the end`);
    const b = bytes.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  const u16 = (what: string): number => {
    if (len - pos < 2) bad(`${what} runs past the end`);
    const x = v.getUint16(pos, true);
    pos += 2;
    return x;
  };
  const u32 = (what: string): number => {
    if (len - pos < 4) bad(`${what} runs past the end`);
    const x = v.getUint32(pos, true);
    pos += 4;
    return x;
  };

  const message = utf8Decode(dec, take(u32('message length'), 'message'));
  const count = u32('file count');
  // Every file takes at least its fixed header, so a count the remaining bytes
  // cannot hold is rejected before looping (a huge count must not spin).
  if (count > (len - pos) / FILE_HEADER_BYTES) bad('file count too large');
  const files: HiddenFile[] = [];
  for (let i = 0; i < count; i++) {
    const nameLen = u16('name length');
    if (nameLen > MAX_NAME_BYTES) bad('file name too long');
    const name = utf8Decode(dec, take(nameLen, 'file name'));
    const typeLen = u16('type length');
    if (typeLen > MAX_TYPE_BYTES) bad('file type too long');
    const type = utf8Decode(dec, take(typeLen, 'file type'));
    const data = take(u32('file size'), 'file');
    files.push({ name, type, bytes: data });
  }
  if (pos !== len) bad('trailing bytes');
  return { message, files };
}
