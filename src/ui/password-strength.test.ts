import { describe, expect, it } from 'vitest';
import { passwordStrength } from './password-strength.ts';

describe('passwordStrength', () => {
  it('calls an empty password very weak and asks for one', () => {
    const s = passwordStrength('');
    expect(s.score).toBe(0);
    expect(s.advice).toBe('Choose a password.');
  });

  it.each(['password', 'Password1', 'P@ssw0rd!', 'qwerty123', '123456789012', 'iloveyou2024', 'letmein'])(
    'calls the common password %s very weak or weak',
    (p) => expect(passwordStrength(p).score).toBeLessThanOrEqual(1),
  );

  it.each(['aaaaaaaaaaaaaaaa', 'abcdefghijklmnop', '1111111111111111', 'asdfghjklasdfghj'])('sees through runs and repeats: %s', (p) => {
    expect(passwordStrength(p).score).toBeLessThanOrEqual(1);
  });

  it('rates length and variety', () => {
    expect(passwordStrength('kX9#mQ2$vL7!pR4&').score).toBe(4);
    expect(passwordStrength('correct horse battery staple').score).toBe(4);
    expect(passwordStrength('Tk8#dz').score).toBeLessThanOrEqual(1);
  });

  it('never rates a longer random password lower than its prefix', () => {
    const p = 'h7Rq!x2Lm9#vBz4';
    for (let i = 1; i < p.length; i++) expect(passwordStrength(p.slice(0, i + 1)).bits).toBeGreaterThanOrEqual(passwordStrength(p.slice(0, i)).bits);
  });

  it('gives advice only when the password is not strong', () => {
    expect(passwordStrength('hello').advice).toMatch(/12 characters/);
    expect(passwordStrength('kX9#mQ2$vL7!pR4&').advice).toBe('');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordStrength('😀😀😀😀😀😀😀😀').score).toBeLessThanOrEqual(1);
    expect(passwordStrength('日本語のパスワードです長い').score).toBeGreaterThanOrEqual(3);
  });
});
