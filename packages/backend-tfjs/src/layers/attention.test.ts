import { describe, expect, it } from 'vitest';
import type { NetspecModel } from '../model/model.js';
import { Rng } from '../random.js';
import {
  at,
  causal,
  everywhere,
  type KeepFn,
  type MhaSizes,
  mha,
  randomSeq,
  type Seq,
  softmaxKept,
} from '../test-utils/attention-reference.js';
import {
  inferredShape,
  layerModel,
  layerWeights,
  maxAbsDiff,
  run,
  setLayerWeight,
  type TestInput,
} from '../test-utils/layer.js';
import { tf } from '../tf.js';

// Every expected value comes from the plain-JS loops of ./attention/reference.ts.

const f32 = (...shape: (number | null)[]): TestInput => ({ shape });

const weightsOf = layerWeights;
const setWeight = setLayerWeight;

/** Runs the one-output layer model and checks the output against `expected`. */
function expectClose(
  model: NetspecModel,
  inputs: tf.Tensor[],
  expected: Seq | number[][][][],
  extra: Record<string, tf.Tensor> = {},
  tol = 1e-5,
): tf.Tensor {
  const [out] = run(model, inputs, false, extra) as [tf.Tensor];
  const want = tf.tensor(expected);
  expect(out.shape).toEqual(want.shape);
  expect(maxAbsDiff(out, want)).toBeLessThan(tol);
  return out;
}

/** Keras Attention / AdditiveAttention by loops: softmax of scores(q_i, k_j), weighted values. */
function refAttention(
  q: Seq,
  v: Seq,
  k: Seq,
  score: (q: number[], k: number[]) => number,
  keep: KeepFn,
) {
  return q.map((qs, b) =>
    qs.map((qi, i) => {
      const keys = k[b] as number[][];
      const p = softmaxKept(
        keys.map((kj) => score(qi, kj)),
        keys.map((_, j) => keep(b, i, j)),
      );
      const values = v[b] as number[][];
      return (values[0] as number[]).map((_, f) =>
        values.reduce((a, vj, j) => a + at(p, j) * at(vj, f), 0),
      );
    }),
  );
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * at(b, i), 0);
const t3 = (s: Seq) => tf.tensor3d(s);

describe('attention (Luong)', () => {
  const [q, v, k] = [randomSeq(1, 2, 3, 4), randomSeq(2, 2, 5, 6), randomSeq(3, 2, 5, 4)];
  it('scales dot scores by the learned scale, key separate from value', () => {
    const model = layerModel({ type: 'attention', useScale: true }, [
      f32(3, 4),
      f32(5, 6),
      f32(5, 4),
    ]);
    expect(weightsOf(model)('scale')[0]).toBe(1); // Keras initializes the scale to one
    setWeight(model, 'scale', [0.7]);
    const want = refAttention(q, v, k, (a, b) => 0.7 * dot(a, b), everywhere);
    const out = expectClose(model, [t3(q), t3(v), t3(k)], want);
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('uses the value as key by default, and a causal mask over free lengths', () => {
    const model = layerModel({ type: 'attention', useCausalMask: true }, [
      f32(null, 4),
      f32(null, 4),
    ]);
    const vk = randomSeq(4, 2, 5, 4);
    for (const tq of [3, 5]) {
      const qq = randomSeq(5 + tq, 2, tq, 4);
      const out = expectClose(model, [t3(qq), t3(vk)], refAttention(qq, vk, vk, dot, causal));
      expect(out.shape).toEqual(inferredShape(model, 2, [tq, 4]));
    }
  });
  it('scores concat mode as w * sum(tanh(scale * (q + k)))', () => {
    const model = layerModel({ type: 'attention', useScale: true, scoreMode: 'concat' }, [
      f32(3, 4),
      f32(5, 6),
      f32(5, 4),
    ]);
    setWeight(model, 'scale', [0.5]);
    setWeight(model, 'concat_score_weight', [1.5]);
    const score = (a: number[], b: number[]) =>
      1.5 * a.reduce((s, x, f) => s + Math.tanh(0.5 * (x + at(b, f))), 0);
    expectClose(model, [t3(q), t3(v), t3(k)], refAttention(q, v, k, score, everywhere));
  });
  it('drops attention weights in training only', () => {
    const model = layerModel({ type: 'attention', dropout: 0.5 }, [
      f32(3, 4),
      f32(5, 6),
      f32(5, 4),
    ]);
    const inputs = [t3(q), t3(v), t3(k)];
    expectClose(model, inputs, refAttention(q, v, k, dot, everywhere));
    const [a] = run(model, inputs, true) as [tf.Tensor];
    const [b] = run(model, inputs, true) as [tf.Tensor];
    expect(maxAbsDiff(a, b)).toBe(0); // seeded: the same step drops the same weights
    expect(maxAbsDiff(a, run(model, inputs)[0] as tf.Tensor)).toBeGreaterThan(1e-3);
  });
});

describe('additiveAttention (Bahdanau)', () => {
  const [q, v, k] = [randomSeq(6, 2, 3, 4), randomSeq(7, 2, 5, 3), randomSeq(8, 2, 5, 4)];
  it('sums scale * tanh(q + k) over features', () => {
    const model = layerModel({ type: 'additiveAttention' }, [f32(3, 4), f32(5, 3), f32(5, 4)]);
    const scale = weightsOf(model)('scale');
    expect(model.weights.get('layer.scale')?.policy.initializer).toBe('glorotUniform');
    const score = (a: number[], b: number[]) =>
      a.reduce((s, x, f) => s + at(scale, f) * Math.tanh(x + at(b, f)), 0);
    const out = expectClose(model, [t3(q), t3(v), t3(k)], refAttention(q, v, k, score, everywhere));
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('without a scale, with a causal mask', () => {
    const model = layerModel({ type: 'additiveAttention', useScale: false, useCausalMask: true }, [
      f32(5, 4),
      f32(5, 4),
    ]);
    const x = randomSeq(9, 2, 5, 4);
    const score = (a: number[], b: number[]) =>
      a.reduce((s, e, f) => s + Math.tanh(e + at(b, f)), 0);
    expectClose(model, [t3(x), t3(k)], refAttention(x, k, k, score, causal));
  });
});

/** A multiHeadAttention layer model with non-zero biases, so a missing bias shows. */
function mhaModel(fields: Record<string, unknown>, inputs: TestInput[], mask?: TestInput) {
  const layer = {
    type: 'multiHeadAttention',
    biasInitializer: { type: 'randomNormal', stddev: 0.5 },
    ...fields,
    ...(mask ? { paddingMask: 'mask' } : {}),
  };
  return layerModel(layer, inputs, mask ? { extraInputs: [{ id: 'mask', ...mask }] } : {});
}

const sizes = (heads: number, keyDim: number, valueDim = keyDim, useBias = true): MhaSizes => ({
  heads,
  keyDim,
  valueDim,
  useBias,
});

describe('multiHeadAttention', () => {
  it('is self-attention with one input', () => {
    const model = mhaModel({ numHeads: 2, keyDim: 3 }, [f32(4, 5)]);
    const x = randomSeq(10, 2, 4, 5);
    const out = expectClose(
      model,
      [t3(x)],
      mha(x, x, x, weightsOf(model), sizes(2, 3), everywhere),
    );
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('attends from the query to a value of another length and width', () => {
    const model = mhaModel({ numHeads: 3, keyDim: 2 }, [f32(4, 5), f32(6, 7)]);
    const [q, v] = [randomSeq(11, 2, 4, 5), randomSeq(12, 2, 6, 7)];
    const want = mha(q, v, v, weightsOf(model), sizes(3, 2), everywhere);
    const out = expectClose(model, [t3(q), t3(v)], want);
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('takes a separate key, valueDim and an output shape', () => {
    const fields = { numHeads: 2, keyDim: 3, valueDim: 4, outputShape: [2, 3] };
    const model = mhaModel(fields, [f32(4, 5), f32(6, 7), f32(6, 3)]);
    const [q, v, k] = [randomSeq(13, 2, 4, 5), randomSeq(14, 2, 6, 7), randomSeq(15, 2, 6, 3)];
    const flat = mha(q, v, k, weightsOf(model), sizes(2, 3, 4), everywhere);
    const want = flat.map((s) => s.map((o) => [o.slice(0, 3), o.slice(3, 6)])); // (B, Tq, 2, 3)
    const out = expectClose(model, [t3(q), t3(v), t3(k)], want);
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('works without biases', () => {
    const model = mhaModel({ numHeads: 2, keyDim: 3, useBias: false }, [f32(4, 5)]);
    expect(model.weights.has('layer.query.bias')).toBe(false);
    const x = randomSeq(16, 1, 4, 5);
    expectClose(model, [t3(x)], mha(x, x, x, weightsOf(model), sizes(2, 3, 3, false), everywhere));
  });
  it('applies a causal mask over free lengths', () => {
    const model = mhaModel({ numHeads: 2, keyDim: 3, useCausalMask: true }, [f32(null, 5)]);
    for (const t of [2, 6]) {
      const x = randomSeq(17 + t, 2, t, 5);
      const out = expectClose(model, [t3(x)], mha(x, x, x, weightsOf(model), sizes(2, 3), causal));
      expect(out.shape).toEqual(inferredShape(model, 2, [t]));
    }
  });
  it('hides key positions where a (B, S) padding mask is zero, with the causal mask', () => {
    const mask = [
      [1, 1, 0, 1, 0, 0],
      [1, 0, 1, 1, 1, 1],
    ];
    const keep: KeepFn = (b, _i, j) => at(mask[b] as number[], j) !== 0;
    const withMask = (fields: object, inputs: TestInput[]) =>
      mhaModel({ numHeads: 2, keyDim: 3, ...fields }, inputs, { shape: [6], dtype: 'int32' });
    const [q, v] = [randomSeq(18, 2, 4, 5), randomSeq(19, 2, 6, 5)];
    const cross = withMask({}, [f32(4, 5), f32(6, 5)]);
    const m = { mask: tf.tensor2d(mask, [2, 6], 'int32') };
    expectClose(cross, [t3(q), t3(v)], mha(q, v, v, weightsOf(cross), sizes(2, 3), keep), m);
    const self = withMask({ useCausalMask: true }, [f32(6, 5)]);
    const both: KeepFn = (b, i, j) => keep(b, i, j) && j <= i;
    expectClose(self, [t3(v)], mha(v, v, v, weightsOf(self), sizes(2, 3), both), m);
  });
  it('takes a (B, Tq, S) float mask: nonzero entries may be attended to', () => {
    const rng = new Rng(20);
    const mask = [0, 1].map(() =>
      [0, 1, 2].map(() => [0, 1, 2, 3].map((j) => (j === 0 || rng.next() < 0.5 ? 0.5 : 0))),
    );
    const model = mhaModel({ numHeads: 1, keyDim: 4 }, [f32(3, 5), f32(4, 5)], { shape: [3, 4] });
    const [q, v] = [randomSeq(21, 2, 3, 5), randomSeq(22, 2, 4, 5)];
    const keep: KeepFn = (b, i, j) => mask[b]?.[i]?.[j] !== 0;
    const want = mha(q, v, v, weightsOf(model), sizes(1, 4), keep);
    expectClose(model, [t3(q), t3(v)], want, { mask: tf.tensor3d(mask) });
  });
  it('drops attention probabilities in training only, seeded', () => {
    const model = mhaModel({ numHeads: 2, keyDim: 3, dropout: 0.4 }, [f32(4, 5)]);
    const x = randomSeq(23, 2, 4, 5);
    expectClose(model, [t3(x)], mha(x, x, x, weightsOf(model), sizes(2, 3), everywhere));
    const [a] = run(model, [t3(x)], true) as [tf.Tensor];
    const [b] = run(model, [t3(x)], true) as [tf.Tensor];
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, run(model, [t3(x)])[0] as tf.Tensor)).toBeGreaterThan(1e-3);
  });
  it('initializes kernels and biases from the spec fields', () => {
    const model = mhaModel(
      { numHeads: 2, keyDim: 3, kernelInitializer: 'ones', biasInitializer: 'zeros' },
      [f32(4, 5)],
    );
    expect([...weightsOf(model)('value.kernel')].every((x) => x === 1)).toBe(true);
    expect([...weightsOf(model)('output.bias')].every((x) => x === 0)).toBe(true);
  });
});

describe('positionEmbedding', () => {
  it('returns the first T learned rows, broadcast over the batch', () => {
    const init = { type: 'randomNormal', stddev: 1 };
    const model = layerModel({ type: 'positionEmbedding', sequenceLength: 6, initializer: init }, [
      f32(null, 3),
    ]);
    expect(model.weights.get('layer.embeddings')?.policy.initializer).toMatchObject(init);
    const table = weightsOf(model)('embeddings');
    const rows = (t: number) =>
      Array.from({ length: t }, (_, i) => [0, 1, 2].map((f) => at(table, i * 3 + f)));
    for (const t of [4, 6]) {
      const x = randomSeq(30 + t, 2, t, 3);
      const out = expectClose(model, [t3(x)], [rows(t), rows(t)]);
      expect(out.shape).toEqual(inferredShape(model, 2, [t]));
    }
  });
});

describe('sinusoidalPositionEncoding', () => {
  /** keras-hub's formula in float64: sin on even features, cos on odd, wavelengths up to max. */
  const sine = (t: number, d: number, maxWavelength: number) =>
    Array.from({ length: t }, (_, p) =>
      Array.from({ length: d }, (_, i) => {
        const angle = p * (1 / maxWavelength) ** ((2 * Math.floor(i / 2)) / d);
        return i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }),
    );
  it('encodes each position with sines and cosines, for any length', () => {
    const model = layerModel({ type: 'sinusoidalPositionEncoding' }, [f32(null, 6)]);
    expect(model.weights.size).toBe(0);
    for (const t of [3, 20]) {
      const x = randomSeq(40, 2, t, 6);
      const out = expectClose(model, [t3(x)], [sine(t, 6, 10000), sine(t, 6, 10000)]);
      expect(out.shape).toEqual(inferredShape(model, 2, [t]));
    }
  });
  it('follows maxWavelength', () => {
    const model = layerModel({ type: 'sinusoidalPositionEncoding', maxWavelength: 50 }, [
      f32(7, 5),
    ]);
    expectClose(model, [t3(randomSeq(41, 1, 7, 5))], [sine(7, 5, 50)]);
  });
});

describe('tokenAndPositionEmbedding', () => {
  const layer = {
    type: 'tokenAndPositionEmbedding',
    vocabularySize: 9,
    sequenceLength: 5,
    embeddingDim: 3,
  };
  it('adds the token row of each id to its position row', () => {
    const model = layerModel(layer, [{ shape: [null], dtype: 'int32' }]);
    const w = weightsOf(model);
    const [tokens, positions] = [
      w('token_embedding.embeddings'),
      w('position_embedding.embeddings'),
    ];
    const ids = [
      [3, 0, 8, 1],
      [7, 7, 2, 5],
    ];
    const want = ids.map((r) =>
      r.map((id, p) => [0, 1, 2].map((f) => at(tokens, id * 3 + f) + at(positions, p * 3 + f))),
    );
    const out = expectClose(model, [tf.tensor2d(ids, [2, 4], 'int32')], want);
    expect(out.shape).toEqual(inferredShape(model, 2, [4]));
  });
  it("draws both tables from embeddingsInitializer (Keras's uniform by default)", () => {
    const model = layerModel(layer, [{ shape: [5], dtype: 'int32' }]);
    const all = [
      ...weightsOf(model)('token_embedding.embeddings'),
      ...weightsOf(model)('position_embedding.embeddings'),
    ];
    expect(all.every((x) => Math.abs(x) <= 0.05)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    const ones = layerModel({ ...layer, embeddingsInitializer: 'ones' }, [
      { shape: [5], dtype: 'int32' },
    ]);
    expect([...weightsOf(ones)('position_embedding.embeddings')].every((x) => x === 1)).toBe(true);
  });
});
