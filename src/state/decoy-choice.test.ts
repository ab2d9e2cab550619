import { describe, expect, it } from 'vitest';
import { decoyProblem } from './decoy-choice.ts';

const ok = { password: 'an innocent password', confirm: 'an innocent password', message: 'holiday plans' };

describe('decoyProblem', () => {
  it('accepts a decoy with its own confirmed password and a message', () => {
    expect(decoyProblem(ok, 'the real password', 'adaptive')).toBeUndefined();
  });

  it('refuses the real password, also when it is typed in another Unicode form', () => {
    expect(decoyProblem(ok, ok.password, 'adaptive')).toBe('The decoy password must differ from the real password: each one reveals only its own message.');
    // "é" composed and decomposed: the same password to the core.
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';
    expect(decoyProblem({ ...ok, password: decomposed, confirm: decomposed }, composed, 'adaptive')).toMatch(/must differ from the real password/);
  });

  it('needs a message, a password and the same password twice, in that order', () => {
    expect(decoyProblem({ ...ok, message: '' }, 'x', 'adaptive')).toBe('Type the decoy message, or close “Add a decoy”.');
    expect(decoyProblem({ ...ok, password: '', confirm: '' }, 'x', 'adaptive')).toBe('Choose a password for the decoy.');
    expect(decoyProblem({ ...ok, confirm: 'an innocent passwor' }, 'x', 'adaptive')).toBe('Type the same decoy password in both decoy password fields.');
  });

  it('needs adaptive embedding', () => {
    expect(decoyProblem(ok, 'x', 'matching')).toMatch(/^A decoy needs adaptive embedding/);
    expect(decoyProblem(ok, 'x', 'replacement')).toMatch(/^A decoy needs adaptive embedding/);
  });
});
