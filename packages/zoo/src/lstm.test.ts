import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { lstmClassifier, lstmForecaster } from './lstm.js';

// Keras counts: embedding V*E; LSTM 4*(in*u + u*u + u); GRU (resetAfter, Keras 2.x/3 default)
// 3*(in*u + u*u + 2u); bidirectional doubles the wrapped layer; dense in*out + out.
describe('lstmClassifier', () => {
  it('defaults: embedding 20,000x128, bidirectional LSTM(64), 2 classes', () => {
    const spec = lstmClassifier({ bidirectional: true });
    const model = resolveSpec(spec);
    // 20000*128 + 2*4*(128*64 + 64*64 + 64) + (128*2 + 2)
    expect(model.totalParams).toBe(20_000 * 128 + 2 * 4 * (128 * 64 + 64 * 64 + 64) + 258);
    expect(model.totalParams).toBe(2_659_074);
    expect(model.outputs[0]?.shape).toEqual([2]);
    expect(spec.inputs[0]).toMatchObject({ shape: [200], dtype: 'int32' });
    expect(spec.training?.loss).toBe('sparseCategoricalCrossentropy');
  });

  it('a plain LSTM, custom sizes, and a sigmoid for one class', () => {
    const model = resolveSpec(
      lstmClassifier({
        vocabularySize: 1000,
        sequenceLength: 50,
        embeddingDim: 32,
        units: 16,
        classes: 3,
      }),
    );
    // 1000*32 + 4*(32*16 + 16*16 + 16) + (16*3 + 3) = 32,000 + 3,136 + 51
    expect(model.totalParams).toBe(35_187);
    expect(model.nodes.map((n) => n.path)).toContain('lstm');
    const binary = lstmClassifier({ classes: 1 });
    expect(binary.layers.at(-1)).toMatchObject({ units: 1, activation: 'sigmoid' });
    expect(binary.training?.loss).toBe('binaryCrossentropy');
  });
});

describe('lstmForecaster', () => {
  it('defaults: LSTM 64 (sequences) -> LSTM 32 -> dense 1, mse', () => {
    const spec = lstmForecaster();
    const model = resolveSpec(spec);
    // 4*(1*64 + 64*64 + 64) + 4*(64*32 + 32*32 + 32) + (32*1 + 1) = 16,896 + 12,416 + 33
    expect(model.totalParams).toBe(29_345);
    expect(model.outputs[0]?.shape).toEqual([1]);
    expect(spec.layers[0]).toMatchObject({ type: 'lstm', returnSequences: true });
    expect(spec.layers[1]).not.toHaveProperty('returnSequences');
    expect(spec.training?.loss).toBe('mse');
  });

  it('stacked GRU with a longer horizon', () => {
    const model = resolveSpec(
      lstmForecaster({ steps: 10, features: 3, units: [16, 8], cell: 'gru', horizon: 2 }),
    );
    // 3*(3*16 + 16*16 + 2*16) + 3*(16*8 + 8*8 + 2*8) + (8*2 + 2) = 1,008 + 624 + 18
    expect(model.totalParams).toBe(1_650);
    expect(model.outputs[0]?.shape).toEqual([2]);
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('gru1')).toEqual([10, 16]);
    expect(shape('gru2')).toEqual([8]);
    expect(() => lstmForecaster({ units: [] })).toThrow(/at least one/);
  });
});
