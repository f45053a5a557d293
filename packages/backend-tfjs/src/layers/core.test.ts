// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import { layerModel, run } from '../test-utils/layer.js';
import {
  fitsShape,
  inferredShape,
  maxDiff,
  Nd,
  randomNd,
  setWeight,
} from '../test-utils/reference.js';
import { tf } from '../tf.js';

const TOL = 1e-5;

/** Builds a one-layer model on `x` (batch included), sets seeded weights, runs and checks shape. */
function check(
  layer: Record<string, unknown>,
  x: tf.Tensor,
  weights: Record<string, number> = {},
  opts: { training?: boolean; shape?: (number | null)[] } = {},
) {
  const model = layerModel(layer, [
    { shape: opts.shape ?? x.shape.slice(1), dtype: x.dtype as 'float32' },
  ]);
  const w = Object.fromEntries(
    Object.entries(weights).map(([name, seed]) => [name, setWeight(model, name, seed)]),
  ) as Record<string, Nd>;
  const y = run(model, [x], opts.training ?? false)[0] as tf.Tensor;
  expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
  return { y, w, model };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('dense', () => {
  it('rank 3: x · kernel + bias on the last axis, sigmoid', () => {
    const x = randomNd([2, 3, 4], 1);
    const { y, w } = check({ type: 'dense', units: 5, activation: 'sigmoid' }, x.tensor(), {
      kernel: 2,
      bias: 3,
    });
    const [k, b] = [w.kernel as Nd, w.bias as Nd];
    const want = new Nd([2, 3, 5]);
    for (let n = 0; n < 2; n++)
      for (let t = 0; t < 3; t++)
        for (let u = 0; u < 5; u++) {
          let z = b.get(u);
          for (let i = 0; i < 4; i++) z += x.get(n, t, i) * k.get(i, u);
          want.set(1 / (1 + Math.exp(-z)), n, t, u);
        }
    expect(y.shape).toEqual([2, 3, 5]);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('rank 2 without bias, and a free middle axis', () => {
    const x = randomNd([3, 4], 4);
    const { y, w } = check({ type: 'dense', units: 2, useBias: false }, x.tensor(), { kernel: 5 });
    const k = w.kernel as Nd;
    const want = new Nd([3, 2]);
    for (let n = 0; n < 3; n++)
      for (let u = 0; u < 2; u++)
        for (let i = 0; i < 4; i++) want.add(x.get(n, i) * k.get(i, u), n, u);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
    const free = check({ type: 'dense', units: 2 }, tf.ones([1, 7, 4]), {}, { shape: [null, 4] });
    expect(free.y.shape).toEqual([1, 7, 2]);
  });
});

describe('activation / prelu', () => {
  it('activation applies its function, parameters included', () => {
    const x = randomNd([2, 5], 6);
    const tanh = check({ type: 'activation', activation: 'tanh' }, x.tensor()).y;
    expect(maxDiff(tanh, new Nd(x.shape, x.data.map(Math.tanh)))).toBeLessThan(TOL);
    const leaky = check(
      { type: 'activation', activation: { type: 'leakyRelu', alpha: 0.1 } },
      x.tensor(),
    ).y;
    expect(
      maxDiff(
        leaky,
        new Nd(
          x.shape,
          x.data.map((v) => (v > 0 ? v : 0.1 * v)),
        ),
      ),
    ).toBeLessThan(TOL);
  });

  it('prelu: x > 0 ? x : alpha * x, alpha shared over axes 1 and 2', () => {
    const x = randomNd([2, 3, 4, 2], 7);
    const { y, w, model } = check({ type: 'prelu', sharedAxes: [1, 2] }, x.tensor(), { alpha: 8 });
    expect(model.weights.get('layer.alpha')?.param.shape).toEqual([1, 1, 2]);
    const a = w.alpha as Nd;
    const want = new Nd(
      x.shape,
      x.data.map((v, i) => (v > 0 ? v : a.get(0, 0, i % 2) * v)),
    );
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('prelu: one alpha per unit by default (initialized to zeros: relu)', () => {
    const x = randomNd([2, 3], 9);
    const { y } = check({ type: 'prelu' }, x.tensor());
    expect(
      maxDiff(
        y,
        new Nd(
          x.shape,
          x.data.map((v) => Math.max(v, 0)),
        ),
      ),
    ).toBeLessThan(TOL);
  });
});

describe('dropout', () => {
  const x = tf.add(tf.zeros([8, 50, 4]), 2);

  it('is the identity at inference', () => {
    expect(check({ type: 'dropout', rate: 0.5 }, x).y).toBe(x);
  });

  it('training: zeroes about rate of the units and scales the rest by 1/(1-rate)', () => {
    const { y } = check({ type: 'dropout', rate: 0.25 }, x, {}, { training: true });
    const v = values(y);
    // kept units: 2 / 0.75
    expect(v.every((t) => t === 0 || Math.abs(t - 2 / 0.75) < 1e-6)).toBe(true);
    const dropped = v.filter((t) => t === 0).length / v.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.05);
    // the same pass seed draws the same mask
    expect(values(check({ type: 'dropout', rate: 0.25 }, x, {}, { training: true }).y)).toEqual(v);
    // a layer seed changes it
    const seeded = check({ type: 'dropout', rate: 0.25, seed: 3 }, x, {}, { training: true }).y;
    expect(values(seeded)).not.toEqual(v);
  });

  it('noiseShape: one mask per sample and channel, shared over steps (with or without batch)', () => {
    for (const noiseShape of [
      [null, 1, 4],
      [1, 4],
    ]) {
      const y = new Nd(
        [8, 50, 4],
        values(check({ type: 'dropout', rate: 0.5, noiseShape }, x, {}, { training: true }).y),
      );
      let shared = true;
      for (let b = 0; b < 8; b++)
        for (let t = 1; t < 50; t++)
          for (let c = 0; c < 4; c++) shared &&= y.get(b, t, c) === y.get(b, 0, c);
      expect(shared).toBe(true);
      expect(new Set(y.data).size).toBe(2);
    }
  });
});

describe('flatten / reshape / permute / repeatVector', () => {
  const x = randomNd([2, 3, 4], 10);

  it('flatten and reshape keep row-major order', () => {
    const flat = check({ type: 'flatten' }, x.tensor()).y;
    expect(flat.shape).toEqual([2, 12]);
    expect(values(flat)).toEqual(Array.from(x.data));
    const r = check({ type: 'reshape', targetShape: [2, -1, 2] }, x.tensor()).y;
    expect(r.shape).toEqual([2, 2, 3, 2]);
    expect(values(r)).toEqual(Array.from(x.data));
  });

  it('permute [2, 1] swaps the axes after the batch', () => {
    const y = check({ type: 'permute', dims: [2, 1] }, x.tensor()).y;
    const want = new Nd([2, 4, 3]);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) want.set(x.get(n, i, j), n, j, i);
    expect(maxDiff(y, want)).toBe(0);
  });

  it('repeatVector copies each vector n times', () => {
    const y = check({ type: 'repeatVector', n: 2 }, tf.tensor([1, 2, 3, 4], [2, 2])).y;
    expect(y.shape).toEqual([2, 2, 2]);
    expect(values(y)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });
});

describe('embedding', () => {
  it('looks up rows by int32 id over a free length', () => {
    const ids = tf.tensor(
      [
        [0, 3, 3],
        [4, 1, 0],
      ],
      [2, 3],
      'int32',
    );
    const layer = { type: 'embedding', inputDim: 5, outputDim: 2, maskZero: true };
    const { y, w } = check(layer, ids, { embeddings: 11 }, { shape: [null] });
    const e = w.embeddings as Nd;
    const want = [0, 3, 3, 4, 1, 0].flatMap((id) => [e.get(id, 0), e.get(id, 1)]);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(maxDiff(y, new Nd([2, 3, 2], want))).toBe(0);
  });

  it('has a gradient for its table', () => {
    const model = layerModel({ type: 'embedding', inputDim: 4, outputDim: 1 }, [
      { shape: [3], dtype: 'int32' },
    ]);
    const table = model.weights.get('layer.embeddings')?.variable as tf.Variable;
    const ids = tf.tensor([[1, 1, 3]], [1, 3], 'int32');
    const { grads } = tf.variableGrads(
      () => tf.sum(run(model, [ids], true)[0] as tf.Tensor) as tf.Scalar,
      [table],
    );
    // row 1 read twice, row 3 once
    expect(values(grads[table.name] as tf.Tensor)).toEqual([0, 2, 0, 1]);
  });
});

describe('slice', () => {
  const x = tf.tensor(
    Array.from({ length: 20 }, (_, i) => i),
    [1, 2, 10],
  );

  it('start 2, end -2, step 2 on the last axis', () => {
    const y = check({ type: 'slice', axis: -1, start: 2, end: -2, step: 2 }, x).y;
    // columns 2, 4, 6 of rows [0..9] and [10..19]
    expect(y.shape).toEqual([1, 2, 3]);
    expect(values(y)).toEqual([2, 4, 6, 12, 14, 16]);
  });

  it('squeeze takes one element and drops its axis; the end defaults to the length', () => {
    const first = check({ type: 'slice', axis: 1, start: 0, end: 1, squeeze: true }, x).y;
    expect(first.shape).toEqual([1, 10]);
    expect(values(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const tail = check({ type: 'slice', axis: 2, start: -3 }, x).y;
    expect(values(tail)).toEqual([7, 8, 9, 17, 18, 19]);
  });
});

describe('reverseEmbedding', () => {
  // ids -> embedding E (5x3) -> logits = E[ids] · Eᵀ: one variable, used twice.
  const spec = {
    specVersion: 1,
    name: 'tied',
    inputs: [{ id: 'ids', shape: [4], dtype: 'int32' }],
    layers: [
      { id: 'e', type: 'embedding', inputDim: 5, outputDim: 3 },
      { id: 'logits', type: 'reverseEmbedding', embedding: 'e' },
    ],
  };
  const ids = [0, 3, 3, 1];

  // One row takes the path that copies the rows instead of the table (layers/core.ts).
  it.each([[ids], [[3]]])('computes x · Eᵀ with the embedding variable itself (ids %j)', (row) => {
    const n = row.length;
    const model = buildModel(
      { ...spec, inputs: [{ id: 'ids', shape: [n], dtype: 'int32' }] },
      {
        seed: 2,
      },
    );
    expect([...model.weights.keys()]).toEqual(['e.embeddings']);
    const e = new Nd([5, 3], model.weights.get('e.embeddings')?.variable.dataSync());
    const [y] = model.predict(tf.tensor2d([row], [1, n], 'int32'));
    const want = new Nd([1, n, 5]);
    for (let t = 0; t < n; t++)
      for (let v = 0; v < 5; v++)
        for (let k = 0; k < 3; k++) want.add(e.get(row[t] as number, k) * e.get(v, k), 0, t, v);
    expect(maxDiff(y as tf.Tensor, want)).toBeLessThan(TOL);
    model.dispose();
  });

  it('the gradient sums both uses: d/dE sum(E[ids] · Eᵀ) by hand', () => {
    const model = buildModel(spec, { seed: 2 });
    const variable = model.weights.get('e.embeddings')?.variable as tf.Variable;
    const e = new Nd([5, 3], variable.dataSync());
    const x = tf.tensor2d([ids], [1, 4], 'int32');
    const { grads } = tf.variableGrads(
      () => tf.sum(model.forward({ ids: x }).outputs.logits as tf.Tensor) as tf.Scalar,
      [variable],
    );
    // loss = sum_t sum_v E[id_t]·E[v]: dE[v] = sum_t E[id_t] (head use) + count_v * sum_u E[u] (lookup use)
    const want = new Nd([5, 3]);
    for (let v = 0; v < 5; v++)
      for (let k = 0; k < 3; k++) {
        let g = 0;
        for (const id of ids) g += e.get(id, k);
        const count = ids.filter((id) => id === v).length;
        for (let u = 0; u < 5; u++) g += count * e.get(u, k);
        want.set(g, v, k);
      }
    expect(maxDiff(grads[variable.name] as tf.Tensor, want)).toBeLessThan(TOL);
    model.dispose();
  });
});
