import { expect } from 'vitest';
import type { Payload } from '../src/core/container.ts';

/** Asserts that a revealed payload is the hidden one: the message, and every file's name, type and bytes. */
export function expectSamePayload(actual: Payload, expected: Payload): void {
  expect(actual.message).toBe(expected.message);
  expect(actual.files.length).toBe(expected.files.length);
  actual.files.forEach((f, i) => {
    expect(f.name).toBe(expected.files[i].name);
    expect(f.type).toBe(expected.files[i].type);
    expect(Buffer.from(f.bytes).equals(Buffer.from(expected.files[i].bytes))).toBe(true);
  });
}
