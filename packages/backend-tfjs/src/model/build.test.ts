import { readSafetensors, SpecError } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { buildModel, loadWeights, saveWeights, WeightsError } from './build.js';

const spec = {
  specVersion: 1,
  name: 'w',
  inputs: [{ id: 'x', shape: [3, 2] }],
  layers: [
    { id: 'rnn', type: 'lstm', units: 2 },
    { id: 'out', type: 'dense', units: 1 },
  ],
};

describe('buildModel weights', () => {
  it('names weights by spec path, with Keras shapes', () => {
    const m = buildModel(spec);
    expect([...m.weights.keys()]).toEqual([
      'rnn.kernel',
      'rnn.recurrent_kernel',
      'rnn.bias',
      'out.kernel',
      'out.bias',
    ]);
    expect(m.weights.get('rnn.kernel')?.variable.shape).toEqual([2, 8]);
    m.dispose();
  });

  it('gives the same initial weights for the same seed, others for another', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => buildModel(spec, { seed }));
    const bytes = [a, b, c].map((m) => Buffer.from(saveWeights(m as never)));
    expect(bytes[0]?.equals(bytes[1] as Buffer)).toBe(true);
    expect(bytes[0]?.equals(bytes[2] as Buffer)).toBe(false);
    for (const m of [a, b, c]) m?.dispose();
  });

  it("starts the LSTM forget gate's bias at one (Keras's unitForgetBias)", () => {
    const m = buildModel(spec);
    // bias = [i (2), f (2), c (2), o (2)]
    expect(Array.from(m.weights.get('rnn.bias')?.variable.dataSync() ?? [])).toEqual([
      0, 0, 1, 1, 0, 0, 0, 0,
    ]);
    m.dispose();
  });

  it('round-trips weights through safetensors and predicts the same', () => {
    const a = buildModel(spec, { seed: 3 });
    const x = tf.randomUniform([2, 3, 2], -1, 1, 'float32', 1);
    const file = saveWeights(a);
    expect(readSafetensors(file).tensors.get('out.kernel')?.dtype).toBe('F32');
    const b = buildModel(spec, { seed: 9, weights: file });
    const [ya, yb] = [a.predict(x)[0], b.predict(x)[0]] as tf.Tensor[];
    expect(Array.from(yb?.dataSync() ?? [])).toEqual(Array.from(ya?.dataSync() ?? []));
    const c = buildModel(spec, { seed: 9 });
    loadWeights(c, file);
    expect(Array.from(c.predict(x)[0]?.dataSync() ?? [])).toEqual(Array.from(ya?.dataSync() ?? []));
    for (const m of [a, b, c]) m.dispose();
  });

  it('rejects weights that do not fit, listing every problem, and leaves the model as it was', () => {
    const other = buildModel({ ...spec, layers: [{ id: 'rnn', type: 'lstm', units: 3 }] });
    const m = buildModel(spec);
    const before = saveWeights(m);
    let error: unknown;
    try {
      loadWeights(m, saveWeights(other));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as WeightsError).problems).toEqual([
      'weight "rnn.kernel": expected shape [2, 8], got [2, 12]',
      'weight "rnn.recurrent_kernel": expected shape [2, 8], got [3, 12]',
      'weight "rnn.bias": expected shape [8], got [12]',
      'weight "out.kernel" [2, 1] is missing',
      'weight "out.bias" [1] is missing',
    ]);
    expect(Buffer.from(saveWeights(m)).equals(Buffer.from(before))).toBe(true);
    other.dispose();
    m.dispose();
  });

  it('rejects an invalid spec with a SpecError', () => {
    expect(() => buildModel({ ...spec, layers: [{ id: 'out', type: 'dense' }] })).toThrow(
      SpecError,
    );
  });
});
