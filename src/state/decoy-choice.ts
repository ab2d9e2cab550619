/**
 * The decoy as the Hide form holds it: a second password and a harmless
 * message that password reveals instead of the real one. Lives only in the
 * form, for this visit: never remembered, never in the history.
 */
import type { EmbeddingMode } from '../core/settings.ts';

/** What the person typed in "Add a decoy". */
export interface DecoyFields {
  readonly password: string;
  readonly confirm: string;
  readonly message: string;
}

/** Passwords compare as the core compares them (NFC), so a decoy that reads the same as the real one is refused here, not in the worker. */
const same = (a: string, b: string): boolean => a.normalize('NFC') === b.normalize('NFC');

/**
 * The first thing that keeps this decoy from being hidden, in plain words,
 * or undefined when it can be.
 *
 * @param mainPassword the real password, which the decoy's must differ from.
 * @param mode the embedding chosen: only adaptive embedding (format v2) holds a decoy.
 */
export function decoyProblem(decoy: DecoyFields, mainPassword: string, mode: EmbeddingMode): string | undefined {
  if (mode !== 'adaptive') return 'A decoy needs adaptive embedding: choose Adaptive under Settings > Method, or close “Add a decoy”.';
  if (decoy.message.length === 0) return 'Type the decoy message, or close “Add a decoy”.';
  if (decoy.password.length === 0) return 'Choose a password for the decoy.';
  if (decoy.confirm !== decoy.password) return 'Type the same decoy password in both decoy password fields.';
  if (same(decoy.password, mainPassword)) return 'The decoy password must differ from the real password: each one reveals only its own message.';
  return undefined;
}
