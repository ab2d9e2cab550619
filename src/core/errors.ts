/**
 * Every failure a person can meet, as one error type: a `kind`, the few
 * facts its message needs, and the message in plain words that says what
 * happened and what to do. The words live here, in {@link describe}, and
 * nowhere else.
 *
 * An error crosses from a worker to the page as its kind and facts (see
 * src/media/shared/error-transfer.ts) and is rebuilt there as the same class,
 * so `instanceof` and `kind` work on either side. The decoder of hidden data
 * raises nothing else, whatever bytes it is fed.
 */

/** What went wrong, and the facts the person's words need. */
export interface ErrorFacts {
  /** Wrong password, or nothing hidden: one answer for both, so trying passwords teaches nothing. */
  'nothing-found': Record<string, never>;
  /** The message and files do not fit with these settings. */
  'payload-too-large': { readonly neededBytes: number; readonly availableBytes: number; readonly hint?: string };
  /**
   * A decoy payload does not fit beside the message: too large for the video
   * (bytes given), or too little room left in the frames the two share.
   */
  'decoy-too-large': { readonly neededBytes?: number; readonly availableBytes?: number };
  /** The password was right, but the hidden data cannot be repaired. */
  'data-damaged': { readonly detail?: string };
  /** An input VidStega cannot work with; `reason` is already in plain words (many inputs, many reasons). */
  'unsupported-input': { readonly reason: string };
  /** The person stopped the job. */
  cancelled: Record<string, never>;
  /** The disk or the browser's quota ran out, or would. */
  'not-enough-room': { readonly neededBytes?: number; readonly availableBytes?: number };
  /** The video itself could not be read as far as a job needed. */
  'video-damaged': { readonly what: string; readonly log?: string };
  /** A worker died under the job: most often out of memory. */
  'engine-stopped': Record<string, never>;
  /** A step of the engine failed in a way that is not the video's fault. */
  'engine-failed': { readonly what: string; readonly log?: string };
  /**
   * The browser's own decoder could not be used for part of a hide. Never
   * shown: that part is done again with FFmpeg's decoder.
   */
  'browser-decoder': { readonly detail: string };
}

export type ErrorKind = keyof ErrorFacts;

const gb = (n: number) => (n / 1e9).toFixed(1);

/** The person's words for each kind of failure. */
function describe<K extends ErrorKind>(kind: K, facts: ErrorFacts[K]): string {
  const f = facts as ErrorFacts[ErrorKind] & Record<string, unknown>;
  switch (kind) {
    case 'nothing-found':
      return (
        'Nothing was found for this password. Either the password is wrong, nothing is hidden in this video, ' +
        'or the video was re-encoded after hiding (which destroys hidden data). Check the password and that this is the file you were sent.'
      );
    case 'payload-too-large':
      return (
        `The message and files need ${f.neededBytes} bytes but this video holds ${f.availableBytes} bytes with these settings. ` +
        (typeof f.hint === 'string' ? f.hint : 'Use a longer or larger video, remove some files, or allow 2 bits per sample or more planes.')
      );
    case 'decoy-too-large':
      return (
        'The decoy does not fit beside the message; make it smaller' +
        (typeof f.neededBytes === 'number' && typeof f.availableBytes === 'number'
          ? ` (it needs ${f.neededBytes} bytes and this video holds ${f.availableBytes} bytes for it with these settings)`
          : ', or make the message smaller, or use a longer video') +
        '.'
      );
    case 'data-damaged':
      return (
        'The password is right, but the hidden data is damaged beyond repair' +
        (typeof f.detail === 'string' ? ` (${f.detail})` : '') +
        '. The video was probably edited or re-encoded after hiding. Ask the sender for the original file.'
      );
    case 'unsupported-input':
      return String(f.reason);
    case 'cancelled':
      return 'Cancelled. Nothing was written.';
    case 'not-enough-room':
      return (
        'There is not enough free space for the new video. Free some space on this device, or use a shorter video, and try again. ' +
        '(A private or incognito window has much less room: use a normal window for long videos.)' +
        (typeof f.neededBytes === 'number' && typeof f.availableBytes === 'number'
          ? ` It needs about ${gb(f.neededBytes)} GB; this browser can use ${gb(Math.max(0, f.availableBytes))} GB.`
          : '')
      );
    case 'video-damaged':
      return `${String(f.what)}${typeof f.log === 'string' && f.log ? ` (${f.log})` : ''}. The file may be damaged or cut short; try the complete original.`;
    case 'engine-stopped':
      return 'The video engine stopped unexpectedly (it may have run out of memory). Close other tabs and try again.';
    case 'engine-failed':
      return `${String(f.what)}${typeof f.log === 'string' && f.log ? ` (${f.log})` : ''}. Try again; if it keeps happening, reload the page.`;
    case 'browser-decoder':
      return `The browser’s video decoder could not be used: ${String(f.detail)}`;
  }
  return 'Something went wrong that VidStega did not expect. Try again; if it keeps happening, reload the page.';
}

/** The one error type. Subclasses below exist for the kinds the core raises, so code can test them by class. */
export class VidStegaError<K extends ErrorKind = ErrorKind> extends Error {
  constructor(
    readonly kind: K,
    readonly facts: ErrorFacts[K],
  ) {
    super(describe(kind, facts));
    this.name = ERROR_NAMES[kind];
  }
}

/** Wrong password, or nothing hidden in this video. */
export class NothingFoundError extends VidStegaError<'nothing-found'> {
  constructor() {
    super('nothing-found', {});
  }
}

/** The message and files do not fit in this video with these settings. */
export class PayloadTooLargeError extends VidStegaError<'payload-too-large'> {
  /** Bytes the payload needs, all overhead counted. */
  readonly neededBytes: number;
  /** Bytes this video holds with these settings. */
  readonly availableBytes: number;
  constructor(neededBytes: number, availableBytes: number, hint?: string) {
    super('payload-too-large', hint === undefined ? { neededBytes, availableBytes } : { neededBytes, availableBytes, hint });
    this.neededBytes = neededBytes;
    this.availableBytes = availableBytes;
  }
}

/** A decoy payload does not fit beside the message. */
export class DecoyTooLargeError extends VidStegaError<'decoy-too-large'> {
  constructor(neededBytes?: number, availableBytes?: number) {
    super('decoy-too-large', neededBytes === undefined || availableBytes === undefined ? {} : { neededBytes, availableBytes });
  }
}

/** The password was right but the hidden data is damaged beyond what error correction can repair. */
export class DataDamagedError extends VidStegaError<'data-damaged'> {
  constructor(detail?: string) {
    super('data-damaged', detail === undefined ? {} : { detail });
  }
}

/** An input the core cannot work with (a geometry, a setting, a file it cannot hold). */
export class UnsupportedInputError extends VidStegaError<'unsupported-input'> {
  readonly reason: string;
  constructor(reason: string) {
    super('unsupported-input', { reason });
    this.reason = reason;
  }
}

/** The person cancelled the job. */
export class CancelledError extends VidStegaError<'cancelled'> {
  constructor() {
    super('cancelled', {});
  }
}

/** Class names by kind, so an error keeps its name wherever it is rebuilt. */
const ERROR_NAMES: Record<ErrorKind, string> = {
  'nothing-found': 'NothingFoundError',
  'payload-too-large': 'PayloadTooLargeError',
  'decoy-too-large': 'DecoyTooLargeError',
  'data-damaged': 'DataDamagedError',
  'unsupported-input': 'UnsupportedInputError',
  cancelled: 'CancelledError',
  'not-enough-room': 'NotEnoughRoomError',
  'video-damaged': 'VideoDamagedError',
  'engine-stopped': 'EngineStoppedError',
  'engine-failed': 'EngineFailedError',
  'browser-decoder': 'BrowserDecoderError',
};

/** Rebuilds an error from its kind and facts (after a trip between workers), as the class the core would have thrown. */
export function errorOfKind(kind: ErrorKind, facts: ErrorFacts[ErrorKind]): VidStegaError {
  const f = facts as Record<string, unknown>;
  switch (kind) {
    case 'nothing-found':
      return new NothingFoundError();
    case 'payload-too-large':
      return new PayloadTooLargeError(Number(f.neededBytes), Number(f.availableBytes), typeof f.hint === 'string' ? f.hint : undefined);
    case 'decoy-too-large':
      return typeof f.neededBytes === 'number' && typeof f.availableBytes === 'number' ? new DecoyTooLargeError(f.neededBytes, f.availableBytes) : new DecoyTooLargeError();
    case 'data-damaged':
      return new DataDamagedError(typeof f.detail === 'string' ? f.detail : undefined);
    case 'unsupported-input':
      return new UnsupportedInputError(String(f.reason));
    case 'cancelled':
      return new CancelledError();
    default:
      return new VidStegaError(kind, facts as never);
  }
}

/** Whether `kind` is one of the kinds above (a value from another worker is checked before it is trusted). */
export function isErrorKind(kind: unknown): kind is ErrorKind {
  return typeof kind === 'string' && Object.hasOwn(ERROR_NAMES, kind);
}

/** True for any VidStega error; with `kind`, for that kind only. */
export function isVidStegaError<K extends ErrorKind>(e: unknown, kind?: K): e is VidStegaError<K> {
  return e instanceof VidStegaError && (kind === undefined || e.kind === kind);
}
