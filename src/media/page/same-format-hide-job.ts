/**
 * A same-format hide as the page runs it: an H.264 MP4/MOV comes back as the
 * same kind of file, only the carrier pictures changed. One worker plans the
 * payload over the carrier candidates (src/media/plan/carriers.ts); the
 * carriers, grouped by the IDR picture each is decoded from, are shared out among one worker per core, which decode, change and write them
 * raw; the first worker then writes the output. Nothing here needs
 * SharedArrayBuffer.
 */
import { proxy } from 'comlink';
import { payloadContainerSize } from '../../core/container.ts';
import { VidStegaError } from '../../core/errors.ts';
import { shareCarriers } from '../plan/carriers.ts';
import type { CarrierPiece } from '../shared/engine-api.ts';
import type { HideRequest, HideResult, JobOptions } from '../shared/jobs.ts';
import { checkRoom, finishOutput, outputName, runHide } from './job-output.ts';

export function hideInCarriers(request: HideRequest, options: JobOptions = {}): Promise<HideResult> {
  const { file, payload, password, settings, decoy } = request;
  return runHide(options, async ({ jobId, workers, progress, started }) => {
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
          const job = { jobId, file, plan, carriers: share, scratch: `carriers-${w}.bin`, decoder: options.decoder ?? 'auto' } as const;
          return await workers.run(worker.api.embedCarriers(job, proxy((n: number) => void (done[w] = n))));
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
    const name = outputName(file.name, extensionOf(file.name).slice(1) || 'mp4');
    return {
      file: await finishOutput(jobId, outName, name),
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
  });
}

/** The file's extension with its dot, as it was written (".MOV" stays ".MOV"); ".mp4" when it has none. */
function extensionOf(name: string): string {
  const m = /\.[A-Za-z0-9]{1,5}$/.exec(name);
  return m ? m[0] : '.mp4';
}
