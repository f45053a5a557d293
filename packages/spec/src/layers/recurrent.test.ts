import { describe, expect, it } from 'vitest';
import { blame, f32, infer } from '../test-utils/tensors.js';
import { recurrentLayers as kinds } from './recurrent.js';

describe('simpleRnn', () => {
  const rnn = { type: 'simpleRnn', units: 32 };
  it('returns the last output; params = units*(features + units + 1)', () => {
    // SimpleRNN(32) on 8 features: 32*(8+32+1) = 1312
    expect(infer(rnn, f32(10, 8))).toMatchObject({
      shapes: [[32]],
      params: 1312,
      trainable: 1312,
      paramShapes: { kernel: [8, 32], recurrent_kernel: [32, 32], bias: [32] },
    });
    // no bias: 32*(8+32) = 1280
    expect(infer({ ...rnn, useBias: false }, f32(10, 8)).params).toBe(1280);
  });
  it('returns sequences over a free time dimension, and its one state', () => {
    expect(infer({ ...rnn, returnSequences: true }, f32(null, 8)).shapes).toEqual([[null, 32]]);
    expect(infer({ ...rnn, returnState: true }, f32(null, 8)).shapes).toEqual([[32], [32]]);
  });
  it('fills Keras defaults', () => {
    expect(kinds.simpleRnn.config.parse(rnn)).toMatchObject({
      activation: 'tanh',
      useBias: true,
      kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'orthogonal',
      biasInitializer: 'zeros',
      dropout: 0,
      recurrentDropout: 0,
      returnSequences: false,
      returnState: false,
      goBackwards: false,
    });
  });
});

describe('lstm', () => {
  const lstm = { type: 'lstm', units: 64 };
  it('stacks 4 gates; params = 4*units*(features + units + 1)', () => {
    // LSTM(64) on 32 features: 4*64*(32+64+1) = 24832
    expect(infer(lstm, f32(null, 32))).toMatchObject({
      shape: [64],
      params: 24832,
      trainable: 24832,
      paramShapes: { kernel: [32, 256], recurrent_kernel: [64, 256], bias: [256] },
    });
    // LSTM(128) on 300-d embeddings: 4*128*(300+128+1) = 219648
    expect(infer({ ...lstm, units: 128 }, f32(100, 300)).params).toBe(219648);
    // no bias: 4*64*(32+64) = 24576
    expect(infer({ ...lstm, useBias: false }, f32(10, 32)).params).toBe(24576);
  });
  it('returns [output, stateH, stateC] as Keras does', () => {
    const r = infer({ ...lstm, returnSequences: true, returnState: true }, f32(null, 32));
    expect(r.shapes).toEqual([[null, 64], [64], [64]]);
    expect(infer({ ...lstm, returnState: true }, f32(7, 32)).shapes).toEqual([[64], [64], [64]]);
  });
  it('adds the gate options with Keras defaults', () => {
    expect(kinds.lstm.config.parse(lstm)).toMatchObject({
      recurrentActivation: 'sigmoid',
      unitForgetBias: true,
    });
  });
});

describe('gru', () => {
  const gru = { type: 'gru', units: 64 };
  it('keeps two bias rows with resetAfter (the Keras default)', () => {
    // GRU(64) on 32 features, reset_after=True: 3*64*(32+64+2) = 18816
    expect(infer(gru, f32(null, 32))).toMatchObject({
      shape: [64],
      params: 18816,
      paramShapes: { kernel: [32, 192], recurrent_kernel: [64, 192], bias: [2, 192] },
    });
    expect(kinds.gru.config.parse(gru)).toMatchObject({
      resetAfter: true,
      recurrentActivation: 'sigmoid',
    });
  });
  it('keeps one bias row without resetAfter', () => {
    // reset_after=False: 3*64*(32+64+1) = 18624
    expect(infer({ ...gru, resetAfter: false }, f32(null, 32))).toMatchObject({
      params: 18624,
      paramShapes: { bias: [192] },
    });
    // no bias either way: 3*64*(32+64) = 18432
    expect(infer({ ...gru, useBias: false }, f32(null, 32)).params).toBe(18432);
  });
  it('returns [output, stateH]', () => {
    const r = infer({ ...gru, returnSequences: true, returnState: true }, f32(12, 32));
    expect(r.shapes).toEqual([[12, 64], [64]]);
  });
});

describe('recurrent inputs', () => {
  it('needs (batch, steps, features) with known features', () => {
    const lstm = { type: 'lstm', units: 8 };
    expect(() => infer(lstm, f32(10, null))).toThrow(/must be known to size the kernel/);
    expect(blame(() => infer(lstm, f32(10, null)))).toBe('inputs');
    expect(() => infer(lstm, f32(32))).toThrow(
      /expected input of rank 3 \(batch, steps, features\)/,
    );
    expect(() => infer({ type: 'gru', units: 0 }, f32(10, 4))).toThrow(/positive integer/);
  });
});

describe('bidirectional', () => {
  const lstm = { type: 'lstm', units: 64 };
  const bi = (layer: object, mergeMode?: string | null) => ({
    type: 'bidirectional',
    layer,
    ...(mergeMode === undefined ? {} : { mergeMode }),
  });
  it('doubles the weights under forward. and backward.', () => {
    // Bidirectional(LSTM(64)) on 32 features: 2*4*64*(32+64+1) = 49664
    const r = infer(bi(lstm), f32(null, 32));
    expect(r).toMatchObject({ shape: [128], params: 49664, trainable: 49664 });
    expect(r.paramShapes).toEqual({
      'forward.kernel': [32, 256],
      'forward.recurrent_kernel': [64, 256],
      'forward.bias': [256],
      'backward.kernel': [32, 256],
      'backward.recurrent_kernel': [64, 256],
      'backward.bias': [256],
    });
    // Bidirectional(GRU(32, reset_after=False)) on 16: 2*3*32*(16+32+1) = 9408
    expect(infer(bi({ type: 'gru', units: 32, resetAfter: false }), f32(20, 16)).params).toBe(9408);
    // Bidirectional(GRU(32)) on 16: 2*3*32*(16+32+2) = 9600
    expect(infer(bi({ type: 'gru', units: 32 }), f32(20, 16)).params).toBe(9600);
  });
  it('merges by every mode', () => {
    const seq = { ...lstm, returnSequences: true };
    expect(infer(bi(seq), f32(null, 32)).shapes).toEqual([[null, 128]]);
    for (const mode of ['sum', 'mul', 'ave']) {
      expect(infer(bi(seq, mode), f32(null, 32)).shapes).toEqual([[null, 64]]);
    }
    // mergeMode null: forward and backward outputs apart
    expect(infer(bi(seq, null), f32(null, 32)).shapes).toEqual([
      [null, 64],
      [null, 64],
    ]);
    // SimpleRNN(16) on 8, mul: 2*16*(8+16+1) = 800
    expect(infer(bi({ type: 'simpleRnn', units: 16 }, 'mul'), f32(5, 8))).toMatchObject({
      shape: [16],
      params: 800,
    });
    expect(() => infer(bi(seq, 'max'), f32(5, 32))).toThrow(
      /one of concat, sum, mul, ave, or null/,
    );
  });
  it('returns forward states then backward states after the output(s)', () => {
    const state = { ...lstm, returnState: true };
    // [merged, fwd h, fwd c, bwd h, bwd c]
    expect(infer(bi(state), f32(10, 32)).shapes).toEqual([[128], [64], [64], [64], [64]]);
    // [fwd out, bwd out, fwd h, fwd c, bwd h, bwd c]
    expect(infer(bi(state, null), f32(10, 32)).shapes).toHaveLength(6);
    // GRU: [merged, fwd h, bwd h]
    const gru = { type: 'gru', units: 8, returnState: true };
    expect(infer(bi(gru, 'ave'), f32(10, 4)).shapes).toEqual([[8], [8], [8]]);
  });
  it('wraps only recurrent layers and reports their errors', () => {
    expect(() => infer(bi({ type: 'dense', units: 4 }), f32(10, 4))).toThrow();
    const bad = kinds.bidirectional.config.safeParse(bi({ type: 'lstm', units: 0 }));
    expect(bad.error?.issues[0]?.path).toEqual(['layer', 'units']);
    // the wrapped layer reads the wrapper's own input, so the input is blamed
    expect(blame(() => infer(bi(lstm), f32(10, null)))).toBe('inputs');
  });
});
