import { CancelledError, NothingFoundError } from '../core/errors.ts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import type { HideRequest, HideResult, JobOptions } from '../media/shared/jobs.ts';
import type { VideoInfo } from '../media/plan/video-info.ts';
import { HistoryStore, historyEntry, memoryHistory } from './history.svelte.ts';
import { JobQueue, type QueueEngine } from './jobs.svelte.ts';

/** An engine stand-in whose jobs finish when the test says so, recording what ran and when. */
function controlledEngine() {
  const log: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void; options: JobOptions }>();
  const started = (name: string, options: JobOptions) =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${name}`);
      pending.set(name, { resolve, reject, options });
      options.signal?.addEventListener('abort', () => reject(new CancelledError()));
    });
  const engine: QueueEngine = {
    async hide(request: HideRequest, options: JobOptions): Promise<HideResult> {
      await started(request.file.name, options);
      const same = request.output === 'same-format';
      const name = same ? 'out.mp4' : 'out.mkv';
      return { file: new File([new Uint8Array(same ? 9 : 7)], name), name, output: same ? 'same-format' : 'lossless', container: same ? 'mp4' : 'matroska', frames: 3, leftOut: [], seconds: 1, jobId: 'j', carrierFrames: [0], browserDecodedFrames: 0, payloadBytes: 20 };
    },
    async reveal(file: File, _password: string, options: JobOptions) {
      await started(file.name, options);
      return { message: 'hi', files: [{ name: 'a.txt', type: 'text/plain', bytes: new Uint8Array(3) }] };
    },
  };
  return { engine, log, pending };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const video = (name: string) => new File([new Uint8Array(10)], name);
const request = (name: string, output: HideRequest['output'] = 'lossless'): HideRequest => ({
  file: video(name),
  info: {} as VideoInfo,
  payload: { message: 'secret message', files: [] },
  password: 'secret password',
  settings: DEFAULT_HIDE_SETTINGS,
  output,
});
const details = { settings: DEFAULT_HIDE_SETTINGS, payloadBytes: 23, fileCount: 0, output: 'lossless' as const };

describe('JobQueue', () => {
  it('runs jobs one at a time, in order', async () => {
    const { engine, log, pending } = controlledEngine();
    const q = new JobQueue(engine);
    const a = q.addHide(request('a.mp4'), details);
    const b = q.addReveal(video('b.mkv'), 'pw');
    const c = q.addHide(request('c.mp4'), details);
    await tick();
    expect(log).toEqual(['start a.mp4']);
    expect([a.status, b.status, c.status]).toEqual(['running', 'queued', 'queued']);
    expect(q.waiting).toBe(2);
    pending.get('a.mp4')!.resolve();
    await tick();
    expect(a.status).toBe('done');
    expect(a.hideResult?.name).toBe('out.mkv');
    expect(log).toEqual(['start a.mp4', 'start b.mkv']);
    pending.get('b.mkv')!.resolve();
    await tick();
    expect(b.revealResult?.message).toBe('hi');
    pending.get('c.mp4')!.resolve();
    await q.idle();
    expect(c.status).toBe('done');
  });

  it('cancels a running job through its signal, and the next one runs', async () => {
    const { engine, log, pending } = controlledEngine();
    const finished: string[] = [];
    const q = new JobQueue(engine, (j) => void finished.push(`${j.video.name} ${j.status}`));
    const a = q.addHide(request('a.mp4'), details);
    const b = q.addHide(request('b.mp4'), details);
    await tick();
    q.cancel(a);
    expect(a.cancelling).toBe(true);
    expect(pending.get('a.mp4')!.options.signal?.aborted).toBe(true);
    await tick();
    expect(a.status).toBe('cancelled');
    expect(a.error).toBeUndefined();
    expect(log).toEqual(['start a.mp4', 'start b.mp4']);
    pending.get('b.mp4')!.resolve();
    await q.idle();
    expect(b.status).toBe('done');
    expect(finished).toEqual(['a.mp4 cancelled', 'b.mp4 done']);
  });

  it('cancels a waiting job before it starts', async () => {
    const { engine, log, pending } = controlledEngine();
    const q = new JobQueue(engine);
    q.addHide(request('a.mp4'), details);
    const b = q.addHide(request('b.mp4'), details);
    q.cancel(b);
    expect(b.status).toBe('cancelled');
    await tick();
    pending.get('a.mp4')!.resolve();
    await q.idle();
    expect(log).toEqual(['start a.mp4']);
  });

  it('keeps the engine message of a failure, and goes on', async () => {
    const { engine, pending } = controlledEngine();
    const q = new JobQueue(engine);
    const a = q.addReveal(video('a.mkv'), 'wrong');
    const b = q.addReveal(video('b.mkv'), 'right');
    await tick();
    const e = new NothingFoundError();
    pending.get('a.mkv')!.reject(e);
    await tick();
    expect(a.status).toBe('failed');
    expect(a.error).toBe(e.message);
    expect(a.errorKind).toBe('nothing-found');
    pending.get('b.mkv')!.resolve();
    await q.idle();
    expect(b.status).toBe('done');
  });

  it('starts again for a job added after the queue went idle', async () => {
    const { engine, pending } = controlledEngine();
    const q = new JobQueue(engine);
    q.addHide(request('a.mp4'), details);
    await tick();
    pending.get('a.mp4')!.resolve();
    await q.idle();
    const b = q.addHide(request('b.mp4'), details);
    await tick();
    expect(b.status).toBe('running');
    pending.get('b.mp4')!.resolve();
    await q.idle();
    expect(b.status).toBe('done');
  });

  it('dismisses only finished jobs', async () => {
    const { engine, pending } = controlledEngine();
    const q = new JobQueue(engine);
    const a = q.addHide(request('a.mp4'), details);
    await tick();
    q.dismiss(a);
    expect(q.jobs).toHaveLength(1);
    pending.get('a.mp4')!.resolve();
    await q.idle();
    q.dismiss(a);
    expect(q.jobs).toHaveLength(0);
  });
});

describe('history', () => {
  it('records outcomes without the password or message', async () => {
    const { engine, pending } = controlledEngine();
    const backend = memoryHistory();
    const history = new HistoryStore(backend);
    await history.load();
    const q = new JobQueue(engine, (j) => history.add(historyEntry(j)));
    q.addHide(request('holiday.mp4'), details);
    const r = q.addReveal(video('sent.mkv'), 'secret password');
    await tick();
    pending.get('holiday.mp4')!.resolve();
    await tick();
    const e = new Error('Nothing was found for this password.');
    pending.get('sent.mkv')!.reject(e);
    await q.idle();
    expect(r.status).toBe('failed');

    const stored = JSON.stringify(backend.stored);
    expect(stored).not.toContain('secret password');
    expect(stored).not.toContain('secret message');
    expect(backend.stored.map((x) => [x.kind, x.video.name, x.outcome])).toEqual([
      ['reveal', 'sent.mkv', 'failed'],
      ['hide', 'holiday.mp4', 'done'],
    ]);
    expect(backend.stored[0].reason).toBe('Nothing was found for this password.');
    // Which output was made, from the engine's result.
    expect(backend.stored[1].output).toEqual({ name: 'out.mkv', size: 7, container: 'matroska', kind: 'lossless' });
    expect(backend.stored[1].settings).toMatch(/^AES-256/);

    // A hide in the same format is recorded as one.
    q.addHide(request('walk.mp4', 'same-format'), { ...details, output: 'same-format' });
    await tick();
    pending.get('walk.mp4')!.resolve();
    await q.idle();
    expect(backend.stored[0].output).toEqual({ name: 'out.mp4', size: 9, container: 'mp4', kind: 'same-format' });

    const again = new HistoryStore(backend);
    await again.load();
    expect(again.entries).toHaveLength(3);
    await again.clear();
    expect(again.entries).toEqual([]);
    expect(backend.stored).toEqual([]);
  });
});
