/**
 * Raw H.264 test streams made and checked by the real ffmpeg.wasm core:
 * x264 encodes of lavfi's testsrc2 written as Annex B, their decoded frames,
 * FFmpeg's own trace of every header (the trace_headers bitstream filter),
 * and ffprobe's view of the decoded frames. Everything stays in MEMFS, so
 * streams are small.
 */
import type { Core } from './ffmpeg-node.ts';
import { run } from './ffmpeg-node.ts';

export type { Core };

export interface StreamSpec {
  /** WxH, for example 320x240. */
  readonly size: string;
  readonly seconds: number;
  /** FFmpeg's pixel format name, also the decoded frames' format. */
  readonly pixFmt: string;
  /** libx264 options after `-c:v libx264`. */
  readonly x264: readonly string[];
  /** A bitstream filter applied after encoding (h264_metadata, to change the cropping for example). */
  readonly bsf?: string;
}

let serial = 0;

/** Encodes testsrc2 with libx264 and returns the raw Annex B stream. */
export function encodeStream(core: Core, spec: StreamSpec): Uint8Array {
  const path = `/enc${serial++}.h264`;
  run(core, [
    '-f', 'lavfi', '-i', `testsrc2=size=${spec.size}:rate=30`, '-t', String(spec.seconds),
    '-c:v', 'libx264', '-pix_fmt', spec.pixFmt, ...spec.x264,
    ...(spec.bsf ? ['-bsf:v', spec.bsf] : []),
    '-f', 'h264', path,
  ]);
  const bytes = core.FS.readFile(path);
  core.FS.unlink(path);
  return bytes;
}

/** What FFmpeg logged while decoding, without the core's own exit line. */
export function decoderMessages(core: Core): string[] {
  return core.log.filter((l) => l.trim() && l.trim() !== 'Aborted()');
}

export interface DecodeResult {
  /** Raw frames in output order, rawvideo layout (little-endian above 8 bits). */
  readonly frames: Uint8Array[];
  /** Everything FFmpeg logged at warning level and above. */
  readonly messages: string[];
}

/**
 * Decodes a raw H.264 stream to frames in its own pixel format, every frame
 * kept, cropping applied exactly (`-flags unaligned`, so a left crop is not
 * rounded). With `strict`, FFmpeg checks the stream as hard as it can
 * (`-err_detect +crccheck+bitstream+buffer+careful+explode`).
 * `messages` is everything FFmpeg logged at warning level and above.
 */
export function decodeStream(core: Core, stream: Uint8Array, pixFmt: string, frameBytes: number, strict: boolean): DecodeResult {
  const input = `/dec${serial++}.h264`;
  const output = `/dec${serial++}.raw`;
  core.FS.writeFile(input, stream);
  run(core, [
    '-v', 'warning', '-flags', 'unaligned',
    ...(strict ? ['-err_detect', '+crccheck+bitstream+buffer+careful+explode'] : []),
    // A probe size that holds a few I_PCM pictures, so the demuxer sees enough frames to find the rate.
    '-probesize', '64M', '-f', 'h264', '-i', input, '-map', '0:v:0', '-fps_mode', 'passthrough', '-pix_fmt', pixFmt, '-f', 'rawvideo', output,
  ]);
  const messages = decoderMessages(core);
  const raw = core.FS.readFile(output);
  core.FS.unlink(input);
  core.FS.unlink(output);
  if (raw.length % frameBytes !== 0) throw new Error(`decoded ${raw.length} bytes, not a whole number of ${frameBytes}-byte frames`);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < raw.length; i += frameBytes) frames.push(raw.slice(i, i + frameBytes));
  return { frames, messages };
}

/** One traced syntax element: its bit position in the NAL unit's RBSP (header byte included), its bits as coded, its value. */
export interface TracedElement {
  readonly name: string;
  readonly bit: number;
  readonly bits: string;
  readonly value: number;
}

/** One traced NAL unit or header: "Sequence Parameter Set", "Slice Header", ... */
export interface TracedUnit {
  readonly kind: string;
  readonly elements: TracedElement[];
  /** The first element called `name` (or the i-th). */
  get(name: string, i?: number): TracedElement | undefined;
  all(name: string): TracedElement[];
}

/** FFmpeg's trace of every header of a raw H.264 stream's packets, in order (the extradata's left out). */
export function traceHeaders(core: Core, stream: Uint8Array): { packets: TracedUnit[][] } {
  const input = `/trace${serial++}.h264`;
  core.FS.writeFile(input, stream);
  // The trace is logged at info level; the core keeps the level an earlier call set, so it is set here.
  run(core, ['-v', 'info', '-f', 'h264', '-i', input, '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-']);
  core.FS.unlink(input);
  const packets: TracedUnit[][] = [];
  let current: TracedUnit[] | undefined;
  let unit: { kind: string; elements: TracedElement[] } | undefined;
  const make = (kind: string): TracedUnit => {
    const elements: TracedElement[] = [];
    return {
      kind,
      elements,
      get: (name, i = 0) => elements.filter((e) => e.name === name)[i],
      all: (name) => elements.filter((e) => e.name === name),
    };
  };
  for (const line of core.log) {
    // A progress line may come first on the same line.
    const m = /\[trace_headers @ [^\]]+\] (.*)$/.exec(line);
    if (!m) continue;
    const text = m[1];
    if (text.startsWith('Packet:')) {
      current = [];
      packets.push(current);
      unit = undefined;
      continue;
    }
    const el = /^(\d+)\s+(\S+)\s+([01]+) = (-?\d+)$/.exec(text);
    if (el) {
      unit?.elements.push({ bit: Number(el[1]), name: el[2], bits: el[3], value: Number(el[4]) });
      continue;
    }
    if (current) {
      const u = make(text.trim());
      current.push(u);
      unit = u;
    } else {
      unit = undefined; // extradata
    }
  }
  return { packets };
}

/** ffprobe's decoded frames of a raw H.264 stream, in output order. */
export function probeFrames(core: Core, stream: Uint8Array): { codedPictureNumber: number; pictType: string; width: number; height: number }[] {
  const input = `/probe${serial++}.h264`;
  const output = `/probe${serial++}.csv`;
  core.FS.writeFile(input, stream);
  core.ffprobe('-v', 'error', '-flags', 'unaligned', '-f', 'h264', '-show_entries', 'frame=coded_picture_number,pict_type,width,height', '-of', 'compact=p=0', '-o', output, input);
  core.reset();
  const text = core.FS.readFile(output, { encoding: 'utf8' });
  core.FS.unlink(input);
  core.FS.unlink(output);
  return text
    .split('\n')
    .filter((l) => l.includes('coded_picture_number='))
    .map((l) => Object.fromEntries(l.split('|').map((kv) => kv.split('=') as [string, string])))
    .map((f) => ({ codedPictureNumber: Number(f.coded_picture_number), pictType: f.pict_type, width: Number(f.width), height: Number(f.height) }));
}

/** ffprobe's view of the stream: size, coded size, profile, pixel format. */
export function probeStream(core: Core, stream: Uint8Array): Record<string, string> {
  const input = `/probe${serial++}.h264`;
  const output = `/probe${serial++}.txt`;
  core.FS.writeFile(input, stream);
  core.ffprobe('-v', 'error', '-flags', 'unaligned', '-f', 'h264', '-select_streams', 'v:0', '-show_entries', 'stream', '-of', 'default=nw=1', '-o', output, input);
  core.reset();
  const text = core.FS.readFile(output, { encoding: 'utf8' });
  core.FS.unlink(input);
  core.FS.unlink(output);
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}
