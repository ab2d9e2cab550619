/**
 * VidStega's errors across Comlink. Comlink carries a thrown Error as its
 * message and name only, so on its own an error's kind would be lost between
 * a worker and the page. This handler carries the kind and its facts, and the
 * other side rebuilds the same class (src/core/errors.ts). Both sides call
 * {@link carryErrorsAcrossWorkers} before any call crosses.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { errorOfKind, isErrorKind, VidStegaError, type ErrorFacts, type ErrorKind } from '../../core/errors.ts';

interface CarriedError {
  readonly vidstega: true;
  readonly kind: ErrorKind;
  readonly facts: ErrorFacts[ErrorKind];
}

function isCarried(v: unknown): v is CarriedError {
  return typeof v === 'object' && v !== null && (v as { vidstega?: unknown }).vidstega === true && isErrorKind((v as { kind?: unknown }).kind);
}

let installed = false;

export function carryErrorsAcrossWorkers(): void {
  if (installed) return;
  installed = true;
  const builtin = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;
  const handler: TransferHandler<{ value: unknown }, unknown> = {
    canHandle: (v): v is { value: unknown } => builtin.canHandle(v),
    serialize(thrown) {
      const e = thrown.value;
      if (e instanceof VidStegaError) return [{ vidstega: true, kind: e.kind, facts: e.facts } satisfies CarriedError, []];
      return builtin.serialize(thrown);
    },
    deserialize(wire) {
      if (isCarried(wire)) throw errorOfKind(wire.kind, wire.facts);
      return builtin.deserialize(wire);
    },
  };
  transferHandlers.set('throw', handler);
}
