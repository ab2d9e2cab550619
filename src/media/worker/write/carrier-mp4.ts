/**
 * The last step of a same-format hide: the output written as a stream, the
 * source file with the carrier pictures replaced (their new bytes from the
 * job's scratch files) and every other byte as it was, the sample tables
 * updated (src/media/formats/mp4/rewrite.ts). Then its tables are read back:
 * the same pictures, every other one the same size, each carrier's bytes
 * where the tables say.
 */
import { VidStegaError } from '../../../core/errors.ts';
import { planRewrite, readMovie, sampleTable, writeRewrite } from '../../formats/mp4/index.ts';
import type { CarrierPiece, CarrierWriteJob } from '../../shared/engine-api.ts';
import type { EngineEnv, JobFile } from '../env.ts';
import { openCarrierTrack } from '../same-format/carrier-steps.ts';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readExactly(file: JobFile, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = file.read(out.subarray(done), { at: offset + done });
    if (n <= 0) throw new VidStegaError('engine-failed', { what: 'A carrier picture could not be read back from the disk' });
    done += n;
  }
  return out;
}

/** Writes the same-format output; resolves with its size in bytes. */
export async function writeCarrierOutput(env: EngineEnv, job: CarrierWriteJob): Promise<number> {
  const t = openCarrierTrack(env, job.file);
  if ('reason' in t) throw new VidStegaError('unsupported-input', { reason: t.reason });
  const bySample = new Map<number, CarrierPiece>();
  for (const p of job.pieces) bySample.set(p.sample, p);
  const plan = planRewrite(t.movie, t.track.id, new Map([...bySample].map(([s, p]) => [s, p.length])));
  const scratch = new Map<string, JobFile>();
  try {
    for (const p of job.pieces) if (!scratch.has(p.scratch)) scratch.set(p.scratch, await env.openJobFile(job.jobId, p.scratch, { create: false }));
    const piece = (p: CarrierPiece) => readExactly(scratch.get(p.scratch)!, p.offset, p.length);
    const out = await env.openJobFile(job.jobId, job.outName, { create: true });
    try {
      let at = 0;
      writeRewrite(
        plan,
        env.source(job.file),
        (index) => piece(bySample.get(index)!),
        (bytes) => {
          for (let done = 0; done < bytes.length; ) {
            let n: number;
            try {
              n = out.write(bytes.subarray(done), { at: at + done });
            } catch (e) {
              if (e instanceof DOMException && e.name === 'QuotaExceededError') throw new VidStegaError('not-enough-room', {});
              throw e;
            }
            if (n <= 0) throw new VidStegaError('not-enough-room', {});
            done += n;
          }
          at += bytes.length;
        },
      );
      out.flush();
      if (out.getSize() !== plan.outputSize) throw new VidStegaError('not-enough-room', {});
    } finally {
      out.close();
    }

    // Read back as a recipient's app will: the same pictures, each carrier where the tables say, the others the same size.
    const written = await env.jobFileBlob(job.jobId, job.outName);
    const backSrc = env.source(written);
    const fail = (what: string) => new VidStegaError('engine-failed', { what: `${what}, so nothing was saved` });
    let back;
    try {
      back = sampleTable(readMovie(backSrc).tracks.find((tr) => tr.id === t.track.id)!);
    } catch (e) {
      throw fail(`The finished video could not be read back (${e instanceof Error ? e.message : String(e)})`);
    }
    if (back.count !== t.samples.count) throw fail('The finished video lists its pictures differently from the source');
    for (let i = 0; i < back.count; i++) {
      const p = bySample.get(i);
      if (!p && back.size[i] !== t.samples.size[i]) throw fail(`Picture ${i} changed size`);
      if (p && !sameBytes(backSrc.read(back.offset[i], back.size[i]), piece(p))) throw fail(`Carrier picture ${i} did not land where the video says`);
    }
  } finally {
    for (const f of scratch.values()) f.close();
  }
  return plan.outputSize;
}
