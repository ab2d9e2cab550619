/**
 * The one error the MP4/MOV reader and rewriter raise. Whatever bytes they are
 * given, they either succeed or throw this, with a reason a person can read
 * (never a RangeError from a stray read, never a hang).
 */
import { UnsupportedInputError } from '../../../core/errors.ts';

/** What kind of file or request was refused, so callers can tell cases apart without parsing the message. */
export type Mp4ErrorKind =
  /** Not an ISO base media (MP4) or QuickTime file at all. */
  | 'not-mp4'
  /** The file ends before a box it declares (a download or copy cut short). */
  | 'truncated'
  /** A box or table contradicts itself or the file. */
  | 'malformed'
  /** No movie box (`moov`): nothing says where the samples are. */
  | 'no-movie'
  /** Fragmented (`moof`/`mvex`): samples are described outside the movie box. */
  | 'fragmented'
  /** A track's samples live in another file (an external data reference). */
  | 'external-data'
  /** A sample lies outside every media data box (`mdat`). */
  | 'outside-media-data'
  /** Two samples share bytes of the file. */
  | 'overlapping-samples'
  /** Valid, but something the rewriter does not handle (or a file beyond its limits). */
  | 'unsupported'
  /** A request to the rewriter that does not fit the movie (unknown track, sample, or length). */
  | 'bad-request';

/**
 * A refusal by the MP4/MOV reader or rewriter; `message` is the plain-words
 * reason. To the rest of VidStega it is an unsupported input; `refusal`
 * says which.
 */
export class Mp4Error extends UnsupportedInputError {
  constructor(
    readonly refusal: Mp4ErrorKind,
    reason: string,
  ) {
    super(refusal === 'malformed' ? `This video file is damaged and cannot be used: ${reason}` : reason);
    this.name = 'Mp4Error';
  }
}
