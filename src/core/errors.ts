/**
 * The errors the core raises. Every failure a person can meet is one of these,
 * with a message in plain words that says what happened and what to do. The
 * decoder raises nothing else, whatever bytes it is fed.
 */

export type VidStegaErrorCode =
  | 'nothing-found'
  | 'payload-too-large'
  | 'data-damaged'
  | 'unsupported-input';

/** Base class: `code` tells the kinds apart without `instanceof` across workers. */
export abstract class VidStegaError extends Error {
  abstract readonly code: VidStegaErrorCode;
}

/**
 * Wrong password, or nothing hidden in this video. One error for both, so a
 * person trying passwords learns nothing about whether the video holds data.
 */
export class NothingFoundError extends VidStegaError {
  readonly code = 'nothing-found';
  constructor() {
    super(
      'Nothing was found for this password. Either the password is wrong, nothing is hidden in this video, ' +
        'or the video was re-encoded after hiding (which destroys hidden data). Check the password and that this is the file you were sent.',
    );
    this.name = 'NothingFoundError';
  }
}

/** The message and files do not fit in this video with these settings. */
export class PayloadTooLargeError extends VidStegaError {
  readonly code = 'payload-too-large';
  constructor(
    /** Bytes the payload needs, all overhead counted. */
    readonly neededBytes: number,
    /** Bytes this video holds with these settings. */
    readonly availableBytes: number,
  ) {
    super(
      `The message and files need ${neededBytes} bytes but this video holds ${availableBytes} bytes with these settings. ` +
        'Use a longer or larger video, remove some files, or allow 2 bits per sample or more planes.',
    );
    this.name = 'PayloadTooLargeError';
  }
}

/** The password was right but the hidden data is damaged beyond what error correction can repair. */
export class DataDamagedError extends VidStegaError {
  readonly code = 'data-damaged';
  constructor(detail?: string) {
    super(
      'The password is right, but the hidden data is damaged beyond repair' +
        (detail ? ` (${detail})` : '') +
        '. The video was probably edited or re-encoded after hiding. Ask the sender for the original file.',
    );
    this.name = 'DataDamagedError';
  }
}

/** An input the core cannot work with (a geometry, a setting, a file it cannot hold). */
export class UnsupportedInputError extends VidStegaError {
  readonly code = 'unsupported-input';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsupportedInputError';
  }
}

/** True for any of the typed errors above. */
export function isVidStegaError(e: unknown): e is VidStegaError {
  return e instanceof VidStegaError;
}
