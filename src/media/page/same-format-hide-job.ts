/**
 * A same-format hide as the page runs it: an H.264 MP4/MOV comes back as the
 * same kind of file, only the carrier pictures changed. One worker plans the
 * payload over the carrier candidates (src/media/plan/carriers.ts); the carriers, grouped by the IDR picture each is decoded from, are
 * shared out among one worker per core, which decode, change and write them
 * raw; the first worker then writes the output. Nothing here needs
 * SharedArrayBuffer. Cancelling terminates every worker and removes the
 * job's files.
 */
import { proxy } from 'comlink';
import { payloadContainerSize } from '../../core/container.ts';
import { CancelledError, VidStegaError } from '../../core/errors.ts';
import { shareCarriers } from '../plan/carriers.ts';
import type { CarrierPiece } from '../shared/engine-api.ts';
import { claimJob, jobDirectory, markFinished, removeJob } from '../shared/job-files.ts';
import type { HideRequest, HideResult, JobOptions } from '../shared/jobs.ts';
import { checkRoom, newJobId, outputName, removeAllBut } from './job-output.ts';
import { ProgressReporter } from './progress.ts';
import { WorkerSet } from './workers.ts';

export async function hideInCarriers(request: HideRequest, options: JobOptions = {}): Promise<HideResult> {
  const { file, payload, password, settings, decoy } = request;
  const { signal, onProgress } = options;
  const started = performance.now();
  const jobId = newJobId();
  const workers = new WorkerSet();
  const progress = new ProgressReporter(onProgress);
  const abort = () => workers.terminateAll();
  signal?.addEventListener('abort', abort);
  try {
    if (signal?.aborted) throw new CancelledError();
    // Held while the job runs and its result is shown: another tab's start-up leaves these files alone.
    await claimJob(jobId);
    progress.stage('preparing');
    const lead = workers.spawn();
    // The other workers start while the lead derives the keys.
    const helpers = Array.from({ length: Math.max(0, (navigator.hardwareConcurrency || 2) - 1) }, () => workers.spawn());
    const { plan, carriers, carrierBytes, pictures } = await workers.run(lead.api.planCarriers(file, payload, password, settings, decoy));
    // Each carrier waits in a scratch file, then goes into the output beside a copy of the source.
    await checkRoom(file.size + 2 * carriers.length * carrierBytes);

    const byPosition = new Map(carriers.map((c) => [c.position, c]));
    const shares = shareCarriers(carriers.map((c) => c.position), (v) => byPosition.get(v)!.idr, (v) => byPosition.get(v)!.cost, 1 + helpers.length);
    for (const idle of helpers.slice(shares.length - 1)) workers.retire(idle);
    const done = new Array<number>(shares.length).fill(0);
    progress.count('hiding', () => carriers.length, () => done.reduce((a, b) => a + b, 0));
    const results = await Promise.all(
      shares.map(async (share, w) => {
        const worker = w === 0 ? lead : helpers[w - 1];
        try {
          return await workers.run(
            worker.api.embedCarriers({
              jobId,
              file,
              plan,
              carriers: share,
              scratch: `carriers-${w}.bin`,
              decoder: options.decoder ?? 'auto',
            }, proxy((n: number) => void (done[w] = n))),
          );
        } finally {
          if (worker !== lead) workers.retire(worker);
        }
      }),
    );
    const pieces: CarrierPiece[] = results.flatMap((r) => r.pieces);
    if (pieces.length !== carriers.length) {
      throw new VidStegaError('engine-failed', { what: `${pieces.length} of ${carriers.length} carrier pictures were made, so nothing was saved` });
    }

    progress.stage('finishing');
    const outName = `output${extensionOf(file.name)}`;
    await workers.run(lead.api.writeCarrierOutput({ jobId, file, pieces, outName }));
    const dir = await jobDirectory(jobId);
    await removeAllBut(dir, outName);
    const output = await (await dir.getFileHandle(outName)).getFile();
    const name = outputName(file.name, extensionOf(file.name).slice(1) || 'mp4');
    await markFinished(jobId, { output: outName, name, finishedAt: Date.now(), saved: false });
    return {
      file: output,
      name,
      output: 'same-format',
      container: /\.mov$/i.test(file.name) ? 'mov' : 'mp4',
      frames: pictures,
      leftOut: [],
      seconds: (performance.now() - started) / 1000,
      jobId,
      carrierFrames: carriers.map((c) => c.displayIndex).sort((a, b) => a - b),
      browserDecodedFrames: results.reduce((n, r) => n + r.browserDecoded, 0),
      payloadBytes: payloadContainerSize(payload),
    };
  } catch (e) {
    await removeJob(jobId).catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    throw e instanceof Error ? e : new VidStegaError('engine-failed', { what: String(e) });
  } finally {
    progress.stop();
    signal?.removeEventListener('abort', abort);
    workers.terminateAll();
  }
}

/** The file's extension with its dot, as it was written (".MOV" stays ".MOV"); ".mp4" when it has none. */
function extensionOf(name: string): string {
  const m = /\.[A-Za-z0-9]{1,5}$/.exec(name);
  return m ? m[0] : '.mp4';
}
