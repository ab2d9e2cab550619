/**
 * The engine's surroundings in Node, for tests that run the engine's real
 * steps (src/media/worker/engine.ts): the same ffmpeg.wasm core the app
 * ships, job files held in memory, and files whose bytes can be read at once
 * (FileReaderSync does not exist in Node; WORKERFS and the container readers
 * need it, so a tiny stand-in reads these files' bytes directly).
 */
import type { ByteSource } from '../src/media/formats/byte-source.ts';
import type { Core } from '../src/media/worker/ffmpeg/core-types.ts';
import type { EngineEnv, JobFile } from '../src/media/worker/env.ts';
import { bufferSource } from './byte-sources.ts';
import { loadFFmpegCore } from './ffmpeg-node.ts';

const BYTES = Symbol('bytes');

/** A `File` whose bytes are in memory and can be read synchronously, as a browser worker reads a `File`. */
export class MemoryFile extends File {
  readonly [BYTES]: Uint8Array;
  constructor(bytes: Uint8Array, name = 'video') {
    super([bytes as Uint8Array<ArrayBuffer>], name);
    this[BYTES] = bytes;
  }
  override slice(start = 0, end = this.size): MemoryFile {
    const s = Math.max(0, start < 0 ? this.size + start : Math.min(start, this.size));
    const e = Math.max(s, end < 0 ? this.size + end : Math.min(end, this.size));
    return new MemoryFile(this[BYTES].subarray(s, e), this.name);
  }
}

function bytesOf(blob: Blob): Uint8Array {
  const bytes = (blob as Partial<MemoryFile>)[BYTES];
  if (!bytes) throw new Error('Node tests read only MemoryFile blobs synchronously');
  return bytes;
}

const g = globalThis as Record<string, unknown>;
g.FileReaderSync ??= class {
  readAsArrayBuffer(blob: Blob): ArrayBuffer {
    const b = bytesOf(blob);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
};

/** A job file in memory, growing as it is written; `quota` makes writes past it fail as a full disk does. */
class MemoryJobFile implements JobFile {
  constructor(
    private readonly store: { bytes: Uint8Array; size: number },
    private readonly quota: number,
  ) {}
  read(into: Uint8Array, { at }: { at: number }): number {
    const n = Math.max(0, Math.min(into.length, this.store.size - at));
    into.set(this.store.bytes.subarray(at, at + n));
    return n;
  }
  write(bytes: Uint8Array, { at }: { at: number }): number {
    const end = at + bytes.length;
    if (end > this.quota) throw new DOMException('the test quota is full', 'QuotaExceededError');
    if (end > this.store.bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.store.bytes.length * 2, 1 << 16));
      grown.set(this.store.bytes.subarray(0, this.store.size));
      this.store.bytes = grown;
    }
    this.store.bytes.set(bytes, at);
    this.store.size = Math.max(this.store.size, end);
    return bytes.length;
  }
  getSize(): number {
    return this.store.size;
  }
  truncate(size: number): void {
    this.store.size = Math.min(this.store.size, size);
  }
  flush(): void {}
  close(): void {}
}

export interface NodeEngineEnv extends EngineEnv {
  /** The files of every job, by "jobId/name". */
  readonly files: Map<string, { bytes: Uint8Array; size: number }>;
  /** A job file's bytes as written. */
  fileBytes(jobId: string, name: string): Uint8Array;
}

/** An engine environment over `core` (a fresh wasm core when not given), with job files in memory. */
export async function nodeEngineEnv(options: { core?: Core; quotaBytes?: number } = {}): Promise<NodeEngineEnv> {
  const core = options.core ?? (await loadFFmpegCore());
  const quota = options.quotaBytes ?? Infinity;
  const files = new Map<string, { bytes: Uint8Array; size: number }>();
  const key = (jobId: string, name: string) => `${jobId}/${name}`;
  const fileBytes = (jobId: string, name: string) => {
    const f = files.get(key(jobId, name));
    if (!f) throw new DOMException(`${name} is not in job ${jobId}`, 'NotFoundError');
    return f.bytes.subarray(0, f.size);
  };
  return {
    files,
    fileBytes,
    core: async () => core,
    async openJobFile(jobId, name, { create }) {
      let f = files.get(key(jobId, name));
      if (!f) {
        if (!create) throw new DOMException(`${name} is not in job ${jobId}`, 'NotFoundError');
        f = { bytes: new Uint8Array(0), size: 0 };
        files.set(key(jobId, name), f);
      }
      if (create) f.size = 0;
      return new MemoryJobFile(f, quota);
    },
    async jobFileBlob(jobId, name) {
      return new MemoryFile(fileBytes(jobId, name).slice(), name);
    },
    source(blob): ByteSource {
      return bufferSource(bytesOf(blob));
    },
  };
}
