/**
 * A small, honest password strength estimate: length and character classes
 * give an upper bound on the guesses needed, then the easy patterns people use
 * (common passwords, repeats, runs like "abcd" or "1234", keyboard rows) are
 * counted as almost free. No dictionary beyond a short list of the most common
 * passwords, so it errs on the side of "stronger than it is" only for long
 * passphrases, which are strong anyway.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordStrength {
  readonly score: StrengthScore;
  /** "Very weak" .. "Very strong". */
  readonly label: string;
  /** Estimated bits of guessing work (log2 of guesses), rounded. */
  readonly bits: number;
  /** What to do to make it stronger; empty when it is strong. */
  readonly advice: string;
}

/** The most common passwords (lower case, without digits or symbols around them). */
const COMMON = new Set([
  'password', 'passwort', 'motdepasse', 'contraseña', 'qwerty', 'qwertz', 'azerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl',
  'zxcvbnm', 'letmein', 'welcome', 'iloveyou', 'admin', 'administrator', 'root', 'login', 'monkey', 'dragon',
  'football', 'baseball', 'soccer', 'hockey', 'sunshine', 'princess', 'master', 'shadow', 'superman', 'batman',
  'trustno', 'abc', 'abcdef', 'secret', 'changeme', 'default', 'guest', 'hello', 'freedom', 'whatever', 'starwars',
  'pokemon', 'charlie', 'michael', 'jennifer', 'jordan', 'hunter', 'ranger', 'buster', 'thomas', 'tigger',
  'summer', 'winter', 'flower', 'cheese', 'computer', 'internet', 'samsung', 'google', 'apple', 'love', 'lovely',
  'ninja', 'mustang', 'access', 'killer', 'pepper', 'ginger', 'matrix', 'banana', 'chocolate', 'passpass',
  'vidstega', 'hidden', 'video', 'test', 'testing', 'user', 'pass', 'q1w2e3r4', 'zaq1zaq1', '1q2w3e4r', 'qazwsx',
]);

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'yxcvbnm', 'azertyuiop', 'wxcvbn'];

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

function poolSize(chars: readonly string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  let other = false;
  for (const c of chars) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else if (c.charCodeAt(0) < 128) symbol = true;
    else other = true;
  }
  return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
}

/** True when b follows a in a run: the same character, the next or previous code point, or the next key on a keyboard row. */
function continuesRun(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const d = y.codePointAt(0)! - x.codePointAt(0)!;
  if ((d === 1 || d === -1) && /[a-z0-9]/.test(x) && /[a-z0-9]/.test(y)) return true;
  for (const row of KEYBOARD_ROWS) {
    const i = row.indexOf(x);
    if (i >= 0 && (row[i + 1] === y || row[i - 1] === y)) return true;
  }
  return false;
}

/** The password with digits and symbols stripped from both ends and common letter swaps undone, lower case. */
function baseWord(password: string): string {
  const core = password.toLowerCase().replace(/^[^a-z]+|[^a-z]+$/g, '');
  const word = core || password.toLowerCase();
  return [...word].map((c) => LEET[c] ?? c).join('');
}

/** Estimates how hard a password is to guess. Pure and fast enough for every keystroke. */
export function passwordStrength(password: string): PasswordStrength {
  const chars = [...password];
  if (chars.length === 0) return { score: 0, label: LABELS[0], bits: 0, advice: 'Choose a password.' };

  const perChar = Math.log2(Math.max(poolSize(chars), 2));
  // Characters that continue a run (repeat, sequence, keyboard row) add about one bit, not a full character's worth.
  let bits = perChar;
  for (let i = 1; i < chars.length; i++) bits += continuesRun(chars[i - 1], chars[i]) ? 1 : perChar;

  const base = baseWord(password);
  const lower = password.toLowerCase();
  const strippedDigits = lower.replace(/[^0-9]/g, '');
  const onlyDigitRun = /^[0-9]+$/.test(lower) && KEYBOARD_ROWS[0].includes(strippedDigits);
  if (COMMON.has(base) || COMMON.has(lower) || onlyDigitRun) {
    // A common word with a few characters around it: a guesser tries these first.
    const extra = Math.max(0, chars.length - base.length);
    bits = Math.min(bits, 12 + extra * 3.5);
  }
  const distinct = new Set(chars.map((c) => c.toLowerCase())).size;
  if (distinct <= 2) bits = Math.min(bits, 8 + chars.length);

  const score: StrengthScore = bits < 30 ? 0 : bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  let advice = '';
  if (score <= 2) {
    advice =
      chars.length < 12
        ? 'Use at least 12 characters, or four or more unrelated words.'
        : 'Avoid common words, repeats and runs like 1234 or qwerty; unrelated words work well.';
  }
  return { score, label: LABELS[score], bits: Math.round(bits), advice };
}
