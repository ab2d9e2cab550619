/**
 * Files in the ffmpeg core's file system whose bytes live somewhere else:
 * a pipe to another worker, or a file on disk (OPFS). FFmpeg opens them by
 * path like any file; reads and writes go straight to our callbacks, so no
 * video ever piles up in the wasm heap or in MEMFS.
 */
import type { FFmpegCore } from './core-types.ts';
import type { JobFile } from '../env.ts';

export interface DeviceIO {
  /** A pipe cannot seek (FFmpeg then writes Matroska as a stream); a disk file can. */
  readonly seekable: boolean;
  /** Fills `into` from `position`; returns bytes read, 0 at the end. */
  read?(into: Uint8Array, position: number): number;
  /** Writes `bytes` at `position`; returns false when the other end is gone. */
  write?(bytes: Uint8Array, position: number): boolean;
  /** Current size, for seeks from the end and for stat. */
  size?(): number;
  close?(): void;
}

// Emscripten errno values.
const EIO = 29;
const EINVAL = 28;
const EPIPE = 64;
const S_IFIFO = 0o010000;
const S_IFREG = 0o100000;

interface EmStream {
  node: { rdev: number };
  seekable: boolean;
  position: number;
}
interface EmNode {
  id: number;
  rdev: number;
  node_ops: Record<string, unknown>;
}
interface EmFS {
  makedev(major: number, minor: number): number;
  registerDevice(dev: number, ops: Record<string, unknown>): void;
  mkdev(path: string, mode: number, dev: number): void;
  lookupPath(path: string): { node: EmNode };
  unlink(path: string): void;
  ErrnoError: new (errno: number) => Error;
}

let nextMinor = 0;

/** Emscripten hands devices a view of the heap as signed bytes (HEAP8); callers get unsigned bytes. */
function bytesOf(view: ArrayBufferView, offset: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

/** Makes `path` a device whose reads and writes go to `io`. Unlink it when done. */
export function createDeviceFile(core: FFmpegCore, path: string, io: DeviceIO): void {
  const fs = core.FS as unknown as EmFS;
  const dev = fs.makedev(64, nextMinor++ % 256);
  const fail = (errno: number) => new fs.ErrnoError(errno);
  fs.registerDevice(dev, {
    open(stream: EmStream) {
      stream.seekable = io.seekable;
    },
    close() {
      io.close?.();
    },
    read(_stream: EmStream, buffer: ArrayBufferView, offset: number, length: number, position: number) {
      if (!io.read) throw fail(EIO);
      try {
        return io.read(bytesOf(buffer, offset, length), position);
      } catch {
        throw fail(EIO);
      }
    },
    write(_stream: EmStream, buffer: ArrayBufferView, offset: number, length: number, position: number) {
      if (!io.write) throw fail(EIO);
      let ok: boolean;
      try {
        ok = io.write(bytesOf(buffer, offset, length), position);
      } catch {
        throw fail(EIO);
      }
      if (!ok) throw fail(EPIPE);
      return length;
    },
    llseek(stream: EmStream, offset: number, whence: number) {
      const base = whence === 0 ? 0 : whence === 1 ? stream.position : (io.size?.() ?? 0);
      const position = base + offset;
      if (position < 0) throw fail(EINVAL);
      return position;
    },
  });
  fs.mkdev(path, 0o666, dev);
  const node = fs.lookupPath(path).node;
  // stat/fstat: FFmpeg asks for the size (and whether it is a FIFO) this way.
  node.node_ops = {
    ...node.node_ops,
    getattr: (n: EmNode) => {
      const size = io.size?.() ?? 0;
      const now = new Date();
      return {
        dev: 1, ino: n.id, mode: (io.seekable ? S_IFREG : S_IFIFO) | 0o666, nlink: 1, uid: 0, gid: 0,
        rdev: n.rdev, size, atime: now, mtime: now, ctime: now, blksize: 4096, blocks: Math.ceil(size / 4096),
      };
    },
  };
}

/** A job's file on disk as a device. `full` turns true when the disk or quota ran out. */
export function jobFileDevice(handle: JobFile): DeviceIO & { full: boolean; end: number } {
  const io = {
    full: false,
    /** One past the furthest byte written. */
    end: 0,
    seekable: true,
    read: (into: Uint8Array, position: number) => handle.read(into, { at: position }),
    write: (bytes: Uint8Array, position: number) => {
      let done = 0;
      try {
        while (done < bytes.length) {
          const n = handle.write(bytes.subarray(done), { at: position + done });
          if (n <= 0) throw new DOMException('no room', 'QuotaExceededError');
          done += n;
        }
        io.end = Math.max(io.end, position + done);
      } catch (e) {
        if (e instanceof DOMException && e.name === 'QuotaExceededError') io.full = true;
        throw e;
      }
      return true;
    },
    size: () => handle.getSize(),
    close: () => handle.flush(),
  };
  return io;
}

/**
 * A device FFmpeg writes raw frames into (`-f rawvideo`), cut into whole
 * frames of `frameBytes` as they come: each is handed to `onFrame` (valid
 * until it returns) with its place in the output. An error thrown by
 * `onFrame` stops FFmpeg and is kept in `error` for the caller to throw.
 */
export function rawFrameDevice(frameBytes: number, onFrame: (k: number, frame: Uint8Array) => void): DeviceIO & { frames: number; partial: number; error: unknown } {
  const frame = new Uint8Array(frameBytes);
  const io = {
    frames: 0,
    /** Bytes of a frame begun but not finished. */
    partial: 0,
    error: undefined as unknown,
    seekable: false,
    write: (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, frameBytes - io.partial);
        frame.set(bytes.subarray(at, at + n), io.partial);
        io.partial += n;
        at += n;
        if (io.partial === frameBytes) {
          io.partial = 0;
          try {
            onFrame(io.frames++, frame);
          } catch (e) {
            io.error = e;
            return false;
          }
        }
      }
      return true;
    },
  };
  return io;
}
