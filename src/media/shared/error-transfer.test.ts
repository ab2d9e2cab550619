import { expose, wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDamagedError, NothingFoundError, PayloadTooLargeError, VidStegaError, isVidStegaError } from '../../core/errors.ts';
import { carryErrorsAcrossWorkers } from './error-transfer.ts';

/** Two ends of a real message channel, one exposing `api` over Comlink as a worker does. */
function across<T extends object>(api: T) {
  const { port1, port2 } = new MessageChannel();
  expose(api, port1 as unknown as Parameters<typeof expose>[1]);
  const remote = wrap<T>(port2 as unknown as Parameters<typeof wrap>[0]);
  return { remote, close: () => (port1.close(), port2.close()) };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

async function thrownAcross(error: unknown): Promise<unknown> {
  const c = across({
    fail: () => {
      throw error;
    },
  });
  close = c.close;
  try {
    await c.remote.fail();
  } catch (e) {
    return e;
  }
  throw new Error('the call did not fail');
}

describe('errors across workers', () => {
  carryErrorsAcrossWorkers();

  it('keep their kind, facts, class and words', async () => {
    const sent = new VidStegaError('not-enough-room', { neededBytes: 3e9, availableBytes: 1e9 });
    const got = await thrownAcross(sent);
    expect(got).toBeInstanceOf(VidStegaError);
    expect(isVidStegaError(got, 'not-enough-room')).toBe(true);
    expect((got as VidStegaError).message).toBe(sent.message);
    expect((got as VidStegaError).message).toContain('It needs about 3.0 GB; this browser can use 1.0 GB.');
    expect((got as Error).name).toBe('NotEnoughRoomError');
  });

  it('come back as the core’s own classes', async () => {
    const tooLarge = await thrownAcross(new PayloadTooLargeError(5000, 1200));
    expect(tooLarge).toBeInstanceOf(PayloadTooLargeError);
    expect((tooLarge as PayloadTooLargeError).neededBytes).toBe(5000);
    expect((tooLarge as PayloadTooLargeError).availableBytes).toBe(1200);
    expect(await thrownAcross(new NothingFoundError())).toBeInstanceOf(NothingFoundError);
    const damaged = await thrownAcross(new DataDamagedError('too many damaged samples to repair'));
    expect(damaged).toBeInstanceOf(DataDamagedError);
    expect((damaged as Error).message).toContain('(too many damaged samples to repair)');
  });

  it('leave other errors as Comlink carries them', async () => {
    const got = await thrownAcross(new RangeError('bad pipe capacity 2'));
    expect(got).not.toBeInstanceOf(VidStegaError);
    expect((got as Error).message).toBe('bad pipe capacity 2');
    expect((got as Error).name).toBe('RangeError');
  });
});
