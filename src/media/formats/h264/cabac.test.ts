/**
 * The CABAC engine: context initialisation against 9.3.1.1 worked by hand,
 * the tables' fixed points, and the encoder and decoder against each other
 * on seeded bins, including the I_PCM pattern (flush, raw bytes, restart).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { BitWriter } from './bit-writer.ts';
import { CabacDecoder } from './cabac-decoder.ts';
import { CabacEncoder } from './cabac-encoder.ts';
import { CONTEXT_COUNT, RANGE_TAB_LPS, TRANS_IDX_LPS, TRANS_IDX_MPS, initContextStates, initialContextState } from './cabac-tables.ts';

describe('context initialisation (9.3.1.1)', () => {
  it('states worked by hand: preCtxState = Clip3(1, 126, ((m * Clip3(0, 51, SliceQPY)) >> 4) + n)', () => {
    // ctxIdx 3 (m 20, n -15) at QP 26: (520 >> 4) - 15 = 17 -> pStateIdx 46, valMPS 0.
    expect(initialContextState(3, 26)).toBe(46 * 2);
    // ctxIdx 5 (m 3, n 74) at QP 26: 4 + 74 = 78 -> pStateIdx 14, valMPS 1.
    expect(initialContextState(5, 26)).toBe(14 * 2 + 1);
    // ctxIdx 6 (m -28, n 127) at QP 26: (-728 >> 4) = -46, + 127 = 81 -> pStateIdx 17, valMPS 1.
    expect(initialContextState(6, 26)).toBe(17 * 2 + 1);
    // QP below 0 counts as 0: ctxIdx 3 gives -15, clipped to 1 -> pStateIdx 62, valMPS 0.
    expect(initialContextState(3, -12)).toBe(62 * 2);
    // QP above 51 counts as 51: ctxIdx 3 gives 63 - 15 = 48 -> pStateIdx 15, valMPS 0.
    expect(initialContextState(3, 60)).toBe(15 * 2);
    const states = new Uint8Array(CONTEXT_COUNT);
    initContextStates(states, 26);
    expect(states[4]).toBe(initialContextState(4, 26));
  });

  it('table fixed points: state 63 is terminal, 62 is the highest MPS state, LPS ranges fall with the state', () => {
    expect([TRANS_IDX_LPS[63], TRANS_IDX_MPS[63], TRANS_IDX_MPS[62], TRANS_IDX_MPS[0], TRANS_IDX_LPS[0]]).toEqual([63, 63, 62, 1, 0]);
    expect([...RANGE_TAB_LPS.subarray(0, 4)]).toEqual([128, 176, 208, 240]);
    expect([...RANGE_TAB_LPS.subarray(252, 256)]).toEqual([2, 2, 2, 2]);
    for (let p = 1; p < 63; p++) for (let q = 0; q < 4; q++) expect(RANGE_TAB_LPS[p * 4 + q]).toBeLessThanOrEqual(RANGE_TAB_LPS[(p - 1) * 4 + q]);
  });
});

describe('encoder and decoder agree', () => {
  it('seeded decisions over every context and QP, terminated by end_of_slice_flag', () => {
    const rnd = mulberry32(21);
    for (let t = 0; t < 200; t++) {
      const qp = Math.floor(rnd() * 52);
      const enc = new Uint8Array(CONTEXT_COUNT);
      const dec = new Uint8Array(CONTEXT_COUNT);
      initContextStates(enc, qp);
      initContextStates(dec, qp);
      const skew = rnd();
      const ops: [number, number][] = [];
      const n = 1 + Math.floor(rnd() * 500);
      for (let i = 0; i < n; i++) ops.push(rnd() < 0.1 ? [-1, 0] : [Math.floor(rnd() * CONTEXT_COUNT), rnd() < skew ? 1 : 0]);
      const w = new BitWriter(8);
      const e = new CabacEncoder(w);
      e.start();
      for (const [ctx, bin] of ops) {
        if (ctx < 0) e.encodeTerminate(0);
        else e.encodeDecision(enc, ctx, bin);
      }
      e.encodeTerminate(1);
      const written = w.bitPosition;
      w.align(0);
      const data = w.view();
      const d = new CabacDecoder();
      expect(d.start(data, 0)).toBe(true);
      for (const [ctx, bin] of ops) expect(ctx < 0 ? d.decodeTerminate() : d.decodeDecision(dec, ctx)).toBe(ctx < 0 ? 0 : bin);
      expect(d.decodeTerminate()).toBe(1);
      // The decoder stops exactly after the flush's last bit, which is a 1 (the rbsp_stop_one_bit at a slice's end).
      expect(d.bitPosition).toBe(written);
      expect((data[(written - 1) >> 3] >> (7 - ((written - 1) & 7))) & 1).toBe(1);
      expect(d.overrun).toBe(false);
      expect([...dec]).toEqual([...enc]);
    }
  });

  it('the I_PCM pattern: mb_type bins, flush, aligned raw bytes, a restarted engine, and again', () => {
    const rnd = mulberry32(8);
    const w = new BitWriter();
    const e = new CabacEncoder(w);
    const enc = new Uint8Array(CONTEXT_COUNT);
    initContextStates(enc, 30);
    const raw: Uint8Array[] = [];
    w.u(3, 0b101);
    w.align(1); // cabac_alignment_one_bit
    const start = w.bitPosition;
    for (let mb = 0; mb < 20; mb++) {
      e.start();
      if (mb > 0) e.encodeTerminate(0); // end_of_slice_flag
      e.encodeDecision(enc, 3 + (mb % 3), 1);
      e.encodeTerminate(1);
      w.align(0);
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256));
      w.bytes(bytes);
      raw.push(bytes);
    }
    e.start();
    e.encodeTerminate(1);
    w.align(0);
    const data = w.view();
    const dec = new Uint8Array(CONTEXT_COUNT);
    initContextStates(dec, 30);
    const d = new CabacDecoder();
    d.start(data, start);
    for (let mb = 0; mb < 20; mb++) {
      if (mb > 0) expect(d.decodeTerminate()).toBe(0);
      expect(d.decodeDecision(dec, 3 + (mb % 3))).toBe(1);
      expect(d.decodeTerminate()).toBe(1);
      const at = (d.bitPosition + 7) >> 3;
      expect([...data.subarray(at, at + raw[mb].length)]).toEqual([...raw[mb]]);
      d.start(data, (at + raw[mb].length) * 8);
    }
    expect(d.decodeTerminate()).toBe(1);
    expect((d.bitPosition + 7) >> 3).toBe(data.length);
  });
});
