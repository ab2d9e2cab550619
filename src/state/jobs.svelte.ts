/**
 * The queue of hide and reveal jobs. Jobs run one at a time, in the order they
 * were added: the engine gives one job every core, so running two at once
 * would only make both slower. Each job has its own progress and can be
 * cancelled while it waits or while it runs.
 *
 * A job keeps its password only until it has run: the closure that holds it is
 * dropped as soon as the job starts.
 */
import { isVidStegaError, type ErrorKind } from '../core/errors.ts';
import type { Payload } from '../core/container.ts';
import type { HideSettings } from '../core/settings.ts';
import type { HideRequest, HideResult, JobOptions, JobProgress, OutputKind } from '../media/shared/jobs.ts';

/** What the queue needs of the engine (the real one in the app, a stand-in in unit tests). */
export interface QueueEngine {
  hide(request: HideRequest, options: JobOptions): Promise<HideResult>;
  reveal(file: File, password: string, options: JobOptions): Promise<Payload>;
}

export type JobKind = 'hide' | 'reveal';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a hide job hides, without its contents (for the job's card and the history). */
export interface HideJobDetails {
  readonly settings: HideSettings;
  /** Container bytes of the message and files. */
  readonly payloadBytes: number;
  readonly fileCount: number;
  /** The kind of video asked for: the same format or a lossless copy. */
  readonly output: OutputKind;
}

type Work = (job: Job, options: JobOptions) => Promise<void>;

let nextId = 1;

/** The person-facing message of a rejection; engine errors are already written for people. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return 'Something went wrong that VidStega did not expect. Try again; if it keeps happening, reload the page.';
}


export class Job {
  readonly id = nextId++;
  readonly kind: JobKind;
  /** The video hidden in, or read from. */
  readonly video: File;
  readonly hide: HideJobDetails | undefined;
  readonly queuedAt = Date.now();

  status = $state<JobStatus>('queued');
  /** True from the moment the person cancels a running job until the engine has stopped. */
  cancelling = $state(false);
  progress = $state.raw<JobProgress | undefined>();
  /** Why it failed, in plain words. */
  error = $state<string | undefined>();
  /** The failure's kind, when the engine named it (src/core/errors.ts). */
  errorKind = $state<ErrorKind | undefined>();
  hideResult = $state.raw<HideResult | undefined>();
  revealResult = $state.raw<Payload | undefined>();
  startedAt = $state<number | undefined>();
  finishedAt = $state<number | undefined>();

  #work: Work | undefined;
  readonly #controller = new AbortController();

  constructor(kind: JobKind, video: File, hide: HideJobDetails | undefined, work: Work) {
    this.kind = kind;
    this.video = video;
    this.hide = hide;
    this.#work = work;
  }

  get finished(): boolean {
    return this.status === 'done' || this.status === 'failed' || this.status === 'cancelled';
  }

  /** Runs the job once; never rejects (the outcome is in `status`). */
  async run(): Promise<void> {
    const work = this.#work;
    this.#work = undefined;
    if (!work || this.status !== 'queued') return;
    this.status = 'running';
    this.startedAt = Date.now();
    try {
      await work(this, {
        signal: this.#controller.signal,
        onProgress: (p) => {
          if (this.status === 'running') this.progress = p;
        },
      });
      this.status = this.#controller.signal.aborted ? 'cancelled' : 'done';
    } catch (e) {
      if (this.#controller.signal.aborted || isVidStegaError(e, 'cancelled')) {
        this.status = 'cancelled';
      } else {
        this.status = 'failed';
        this.error = errorMessage(e);
        this.errorKind = isVidStegaError(e) ? e.kind : undefined;
      }
    } finally {
      this.finishedAt = Date.now();
      this.cancelling = false;
    }
  }

  /** Cancels: a waiting job never starts; a running one is stopped by the engine. Returns true when it was waiting. */
  cancel(): boolean {
    if (this.status === 'queued') {
      this.#work = undefined;
      this.status = 'cancelled';
      this.finishedAt = Date.now();
      return true;
    }
    if (this.status === 'running' && !this.cancelling) {
      this.cancelling = true;
      this.#controller.abort();
    }
    return false;
  }
}

export class JobQueue {
  /** Every job still shown, oldest first. */
  jobs = $state<Job[]>([]);
  readonly #engine: QueueEngine;
  readonly #onFinished: ((job: Job) => void | Promise<void>) | undefined;
  #pumping: Promise<void> | undefined;

  constructor(engine: QueueEngine, onFinished?: (job: Job) => void | Promise<void>) {
    this.#engine = engine;
    this.#onFinished = onFinished;
  }

  /** The job running now, if any. */
  get running(): Job | undefined {
    return this.jobs.find((j) => j.status === 'running');
  }

  /** Jobs waiting their turn. */
  get waiting(): number {
    return this.jobs.filter((j) => j.status === 'queued').length;
  }

  /** Queues hiding; the request (with its password) is dropped once the job has run. */
  addHide(request: HideRequest, details: HideJobDetails): Job {
    const engine = this.#engine;
    return this.#add(
      new Job('hide', request.file, details, async (job, options) => {
        job.hideResult = await engine.hide(request, options);
      }),
    );
  }

  /** Queues revealing; the password is dropped once the job has run. */
  addReveal(video: File, password: string): Job {
    const engine = this.#engine;
    return this.#add(
      new Job('reveal', video, undefined, async (job, options) => {
        job.revealResult = await engine.reveal(video, password, options);
      }),
    );
  }

  cancel(job: Job): void {
    if (job.cancel()) void this.#finished(job);
  }

  /** Removes a finished job from the list. */
  dismiss(job: Job): void {
    if (!job.finished) return;
    this.jobs = this.jobs.filter((j) => j !== job);
  }

  /** Resolves when no job is running or waiting. */
  async idle(): Promise<void> {
    while (this.#pumping) await this.#pumping;
  }

  #add(job: Job): Job {
    this.jobs.push(job);
    this.#kick();
    return job;
  }

  #kick(): void {
    if (this.#pumping) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      // A job added between the pump's last look and here must not be left waiting.
      if (this.jobs.some((j) => j.status === 'queued')) this.#kick();
    });
  }

  async #pump(): Promise<void> {
    for (;;) {
      const next = this.jobs.find((j) => j.status === 'queued');
      if (!next) return;
      await next.run();
      await this.#finished(next);
    }
  }

  async #finished(job: Job): Promise<void> {
    try {
      await this.#onFinished?.(job);
    } catch {
      // Recording a finished job must never stop the queue.
    }
  }
}
