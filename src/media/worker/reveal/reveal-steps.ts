/**
 * A reveal's steps inside an engine worker. Every worker of a reveal opens
 * the stego video first (its carrier pictures, or its lossless frames); one (the lead) then finds and opens the locator and
 * alone holds the keys; it and the helpers take body frames from a shared
 * queue and read them side by side, the helpers handing back only the
 * symbols they read; the lead puts them in place and opens the payload.
 */
import { transfer } from 'comlink';
import type { Payload } from '../../../core/container.ts';
import { VidStegaError } from '../../../core/errors.ts';
import type { FramePlanes, VideoGeometry } from '../../../core/geometry.ts';
import {
  bodyReader,
  extractFromFrame,
  findLocator,
  finishReveal,
  readFrameSymbols,
  storeFrameSymbols,
  type BodyReader,
  type RevealPlan,
} from '../../../core/stego.ts';
import type { FramePools } from '../../../core/sample-order.ts';
import { IpcmPictureReader, readCarrierSample } from '../../formats/h264/index.ts';
import type { FrameSymbols } from '../../shared/engine-api.ts';
import { openCarrierTrack } from '../same-format/carrier-steps.ts';
import type { EngineEnv } from '../env.ts';
import { openFrameReader } from '../read/frame-reader.ts';
import { readSample, type H264Track } from '../read/h264-track.ts';

/** A stego video opened for reading single frames by their index. */
interface FrameSource {
  readonly kind: 'carriers' | 'frames';
  readonly geometry: VideoGeometry;
  /** How the frames are listed: carriers cheapest first, lossless frames all. */
  readonly pools: FramePools;
  /** Frame `i`'s planes; valid until the next call. Counts the frame in `progress[0]`. */
  readFrame(i: number): FramePlanes;
}

/**
 * An H.264 video's carrier pictures, read raw from their I_PCM slices with no
 * decoder. A picture that is not all I_PCM holds nothing: it reads as zero
 * samples, which no locator opens (a wrong password lands on such pictures).
 */
function carrierSource(env: EngineEnv, file: Blob, t: H264Track, count: (n: number) => void): FrameSource {
  const src = env.source(file);
  const reader = new IpcmPictureReader();
  const empty = t.geometry.planes.map((p) => (t.geometry.bitDepth > 8 ? new Uint16Array(p.width * p.height) : new Uint8Array(p.width * p.height)));
  return {
    kind: 'carriers',
    geometry: t.geometry,
    pools: t.candidates,
    readFrame(i: number): FramePlanes {
      const sample = t.candidates.at(i).sample;
      const planes = readCarrierSample(readSample(src, t, sample), t.config.lengthSize, t.params, t.geometry, { reader });
      count(1);
      if (planes) return planes;
      for (const p of empty) p.fill(0);
      return empty;
    },
  };
}

/** The next index into the body's frame list, from a queue shared by every worker of a reveal. */
function takeNext(queue: SharedArrayBuffer | ArrayBuffer): number {
  return Atomics.add(new Int32Array(queue), 0, 1);
}

function misuse(what: string): VidStegaError {
  return new VidStegaError('engine-failed', { what });
}

/** One worker's part in reveals: the video it has open, and the reveal it leads. */
export class RevealSteps {
  private source: FrameSource | undefined;
  private revealing: { plan: RevealPlan; read: number } | undefined;

  constructor(private readonly env: EngineEnv) {}

  /**
   * Opens a stego video for reading frames: every worker of a reveal does
   * this first, helpers while the lead derives the key. Frames read are
   * counted in `progress[0]`.
   */
  async openFrames(file: File, progress?: SharedArrayBuffer): Promise<'carriers' | 'frames'> {
    this.source = undefined;
    this.revealing = undefined;
    const counter = progress ? new Int32Array(progress) : undefined;
    const count = (n: number) => counter && Atomics.add(counter, 0, n);
    // An H.264 MP4/MOV carries data in raw pictures; everything else in lossless frames.
    const t = openCarrierTrack(this.env, file);
    if (!('reason' in t)) {
      this.source = carrierSource(this.env, file, t, count);
      return 'carriers';
    }
    const reader = await openFrameReader(this.env, file);
    this.source = {
      kind: 'frames',
      geometry: reader.info.geometry,
      pools: 'all',
      readFrame(i: number): FramePlanes {
        const planes = reader.readFrame(i);
        count(1);
        return planes;
      },
    };
    return 'frames';
  }

  /**
   * The lead's first step, after {@link openFrames}: finds and opens the
   * locator (Argon2id runs here). This worker keeps the plan; helpers get the
   * keyless part, to read body frames side by side with it.
   */
  async revealLocate(password: string): Promise<BodyReader> {
    const source = this.opened();
    const plan = await findLocator(password, source.geometry, async (i) => source.readFrame(i), { pools: source.pools });
    this.revealing = { plan, read: 0 };
    return bodyReader(plan);
  }

  /** The lead's share: body frames taken from the shared queue, read straight into the plan. */
  revealReadFrames(queue: SharedArrayBuffer | ArrayBuffer): void {
    const r = this.lead();
    const source = this.opened();
    const frames = r.plan.layout.frames;
    for (let k = takeNext(queue); k < frames.length; k = takeNext(queue)) {
      extractFromFrame(r.plan, frames[k], source.readFrame(frames[k]));
      r.read++;
    }
  }

  /** A helper's share: body frames taken from the shared queue; returns their symbols for the lead. */
  readBodySymbols(reader: BodyReader, queue: SharedArrayBuffer): FrameSymbols[] {
    const source = this.opened();
    const frames = reader.layout.frames;
    const out: FrameSymbols[] = [];
    for (let k = takeNext(queue); k < frames.length; k = takeNext(queue)) {
      out.push({ frame: frames[k], symbols: readFrameSymbols(reader, frames[k], source.readFrame(frames[k])) });
    }
    return transfer(out, out.map((s) => s.symbols.buffer));
  }

  /** Puts the helpers' symbols in place, then repairs, authenticates, decrypts and unpacks the payload. */
  revealFinish(helped: readonly FrameSymbols[]): Promise<Payload> {
    const r = this.lead();
    this.revealing = undefined;
    for (const h of helped) storeFrameSymbols(r.plan, h.frame, h.symbols);
    const read = r.read + helped.length;
    if (read !== r.plan.layout.frames.length) {
      throw new VidStegaError('engine-failed', { what: `Only ${read} of the ${r.plan.layout.frames.length} frames holding data were read` });
    }
    return finishReveal(r.plan);
  }

  private opened(): FrameSource {
    if (!this.source) throw misuse('No video is open in this worker');
    return this.source;
  }

  private lead(): NonNullable<RevealSteps['revealing']> {
    if (!this.revealing) throw misuse('No reveal is under way in this worker');
    return this.revealing;
  }
}
