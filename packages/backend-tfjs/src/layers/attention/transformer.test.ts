import { describe, expect, it } from 'vitest';
// tf.ts registers no gradients yet; training code will, until then the test does.
import type { NetspecModel } from '../../model/model.js';
import { Rng } from '../../random.js';
import {
  at,
  type BlockOptions,
  causal,
  everywhere,
  geluExact,
  geluTanh,
  type KeepFn,
  mha,
  randomSeq,
  type Seq,
  transformerBlock,
  type Weights,
} from '../../test-utils/attention-reference.js';
import {
  inferredShape,
  layerModel,
  layerWeights,
  maxAbsDiff,
  run,
  setLayerWeight,
  type TestInput,
} from '../../test-utils/layer.js';
import { tf } from '../../tf.js';

// Expected values come from the plain-JS loops of ./reference.ts; gradients from central
// differences of those loops in float64.

const f32 = (...shape: (number | null)[]): TestInput => ({ shape });
const t3 = (s: Seq) => tf.tensor3d(s);
const relu = (x: number) => Math.max(0, x);

/** A block model whose biases and norms are random, so a missing term shows. */
function blockModel(fields: Record<string, unknown>, inputs: TestInput[], masks: TestInput[] = []) {
  const layer = {
    intermediateDim: 6,
    numHeads: 2,
    biasInitializer: { type: 'randomNormal', stddev: 0.3 },
    ...fields,
  };
  const extraInputs = masks.map((m, i) => ({ id: `mask${i}`, ...m }));
  const model = layerModel(layer, inputs, { extraInputs, seed: 3 });
  const rng = new Rng(5);
  for (const [path, w] of model.weights)
    if (/(gamma|beta)$/.test(path)) {
      const base = path.endsWith('gamma') ? 1 : 0;
      const values = Array.from({ length: w.variable.size }, () => base + 0.3 * rng.normal());
      setLayerWeight(model, path.slice('layer.'.length), values);
    }
  return model;
}

const options = (o: Partial<BlockOptions> = {}): BlockOptions => ({
  heads: 2,
  eps: 1e-5,
  normalizeFirst: false,
  activation: relu,
  ...o,
});

function expectClose(
  model: NetspecModel,
  inputs: tf.Tensor[],
  want: Seq,
  extra: Record<string, tf.Tensor> = {},
): tf.Tensor {
  const [out] = run(model, inputs, false, extra) as [tf.Tensor];
  expect(out.shape).toEqual([want.length, want[0]?.length, want[0]?.[0]?.length]);
  expect(maxAbsDiff(out, tf.tensor3d(want))).toBeLessThan(1e-5);
  return out;
}

const padding =
  (mask: number[][]): KeepFn =>
  (b, _i, j) =>
    at(mask[b] as number[], j) !== 0;

describe('transformerEncoder', () => {
  const encoder = { type: 'transformerEncoder' };
  it('is post-norm with relu by default, hiding padded keys', () => {
    const mask = [
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ];
    const model = blockModel(
      { ...encoder, paddingMask: 'mask0' },
      [f32(5, 4)],
      [{ shape: [5], dtype: 'int32' }],
    );
    const x = randomSeq(1, 2, 5, 4);
    const want = transformerBlock(x, layerWeights(model), options(), padding(mask));
    const out = expectClose(model, [t3(x)], want, { mask0: tf.tensor2d(mask, [2, 5], 'int32') });
    expect(out.shape).toEqual(inferredShape(model, 2));
  });
  it('normalizes first, with exact GELU and a causal mask, over free lengths', () => {
    const fields = { ...encoder, normalizeFirst: true, activation: 'gelu', useCausalMask: true };
    const model = blockModel(fields, [f32(null, 4)]);
    const o = options({ normalizeFirst: true, activation: geluExact });
    for (const t of [3, 7]) {
      const x = randomSeq(t, 2, t, 4);
      const out = expectClose(model, [t3(x)], transformerBlock(x, layerWeights(model), o, causal));
      expect(out.shape).toEqual(inferredShape(model, 2, [t]));
    }
  });
  it('takes the tanh GELU in both spellings and the norm epsilon', () => {
    const x = randomSeq(8, 2, 4, 6);
    for (const activation of ['geluTanh', { type: 'gelu', approximate: true }]) {
      const model = blockModel({ ...encoder, numHeads: 3, activation, layerNormEpsilon: 0.5 }, [
        f32(4, 6),
      ]);
      const o = options({ heads: 3, activation: geluTanh, eps: 0.5 });
      expectClose(model, [t3(x)], transformerBlock(x, layerWeights(model), o, everywhere));
    }
  });
  it('drops in training only, seeded', () => {
    const model = blockModel({ ...encoder, dropout: 0.3 }, [f32(5, 4)]);
    const x = [t3(randomSeq(9, 2, 5, 4))];
    expectClose(
      model,
      x,
      transformerBlock(randomSeq(9, 2, 5, 4), layerWeights(model), options(), everywhere),
    );
    const [a] = run(model, x, true) as [tf.Tensor];
    const [b] = run(model, x, true) as [tf.Tensor];
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, run(model, x)[0] as tf.Tensor)).toBeGreaterThan(1e-3);
  });
  it('initializes norms to the identity and the rest from the spec initializers', () => {
    const model = layerModel(
      {
        ...encoder,
        intermediateDim: 6,
        numHeads: 2,
        kernelInitializer: 'ones',
        biasInitializer: { type: 'constant', value: 2 },
      },
      [f32(5, 4)],
    );
    const w = layerWeights(model);
    const all = (name: string, v: number) => [...w(name)].every((x) => x === v);
    expect(all('selfAttentionNorm.gamma', 1) && all('ffnNorm.beta', 0)).toBe(true);
    expect(all('selfAttention.key.kernel', 1) && all('ffn.output.kernel', 1)).toBe(true);
    expect(all('selfAttention.output.bias', 2) && all('ffn.intermediate.bias', 2)).toBe(true);
  });
});

describe('transformerDecoder', () => {
  const decoder = { type: 'transformerDecoder' };
  it('without an encoder is causal, with a (B, T, T) mask on top', () => {
    const rng = new Rng(10);
    const mask = [0, 1].map(() =>
      [0, 1, 2, 3].map((i) =>
        [0, 1, 2, 3].map((j) => (j === 0 || i === j || rng.next() < 0.5 ? 1 : 0)),
      ),
    );
    const model = blockModel(
      { ...decoder, paddingMask: 'mask0' },
      [f32(4, 4)],
      [{ shape: [4, 4] }],
    );
    const x = randomSeq(11, 2, 4, 4);
    const keep: KeepFn = (b, i, j) => j <= i && mask[b]?.[i]?.[j] === 1;
    const want = transformerBlock(x, layerWeights(model), options(), keep);
    expectClose(model, [t3(x)], want, { mask0: tf.tensor3d(mask) });
    expect(model.weights.has('layer.crossAttention.query.kernel')).toBe(false);
  });
  it('cross-attends to an encoder sequence of another width, with its padding mask', () => {
    const encMask = [
      [1, 1, 0, 1, 0, 1],
      [0, 1, 1, 1, 1, 1],
    ];
    const fields = { ...decoder, encoderPaddingMask: 'mask0', activation: 'gelu' };
    const x = randomSeq(12, 2, 3, 4);
    const enc = randomSeq(13, 2, 6, 5);
    for (const normalizeFirst of [false, true]) {
      const model = blockModel(
        { ...fields, normalizeFirst },
        [f32(null, 4), f32(null, 5)],
        [{ shape: [null], dtype: 'int32' }],
      );
      const o = options({ normalizeFirst, activation: geluExact });
      const want = transformerBlock(x, layerWeights(model), o, causal, {
        seq: enc,
        keep: padding(encMask),
      });
      const m = { mask0: tf.tensor2d(encMask, [2, 6], 'int32') };
      const out = expectClose(model, [t3(x), t3(enc)], want, m);
      expect(out.shape).toEqual(inferredShape(model, 2, [3]));
    }
  });
});

/** Sum of output * coef, the scalar whose gradients are checked. */
const weighted = (out: Seq, coef: Seq) =>
  out.flat(2).reduce((s, v, i) => s + v * at(coef.flat(2), i), 0);

/**
 * Checks tf.grad of sum(output * coef) for the input and the `checked` weights against central
 * differences of the reference `ref`, and that every weight gradient is finite.
 */
function checkGradients(
  model: NetspecModel,
  x: Seq,
  ref: (x: Seq, w: Weights) => Seq,
  checked: string[],
) {
  const w = layerWeights(model);
  const coef = randomSeq(99, x.length, x[0]?.length ?? 0, ref(x, w)[0]?.[0]?.length ?? 0);
  const name = model.outputNames[0] as string;
  const loss = (xt: tf.Tensor) =>
    tf.sum(tf.mul(model.forward({ x0: xt }).outputs[name] as tf.Tensor, tf.tensor3d(coef)));
  const h = 1e-5;
  const central = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
  const [b, t, d] = [x.length, x[0]?.length ?? 0, x[0]?.[0]?.length ?? 0];
  const unflat = (v: number[]): Seq =>
    Array.from({ length: b }, (_, i) =>
      Array.from({ length: t }, (_, j) => v.slice((i * t + j) * d, (i * t + j + 1) * d)),
    );

  const gx = tf.grad(loss)(t3(x)).dataSync();
  const flat = x.flat(2);
  flat.forEach((_, i) => {
    const shifted = (d: number) => {
      const moved = flat.map((v, j) => (j === i ? v + d : v));
      return weighted(ref(unflat(moved), w), coef);
    };
    expect(Math.abs(at(gx, i) - central(shifted))).toBeLessThan(1e-3);
  });

  const { grads } = tf.variableGrads(() => loss(t3(x)) as tf.Scalar);
  for (const [path, weight] of model.weights) {
    const g = grads[weight.variable.name]?.dataSync() ?? [];
    expect([...g].every(Number.isFinite), path).toBe(true);
    const local = path.slice('layer.'.length);
    if (!checked.includes(local)) continue;
    const base = Float64Array.from(w(local));
    base.forEach((_, i) => {
      const shifted = (d: number) => {
        const moved = base.map((v, j) => (j === i ? v + d : v));
        return weighted(
          ref(x, (n) => (n === local ? moved : w(n))),
          coef,
        );
      };
      expect(Math.abs(at(g, i) - central(shifted)), `${local}[${i}]`).toBeLessThan(1e-3);
    });
  }
}

describe('gradients', () => {
  it('flow through multiHeadAttention as finite differences of the reference say', () => {
    const layer = { type: 'multiHeadAttention', numHeads: 2, keyDim: 2, useCausalMask: true };
    const model = layerModel({ ...layer, biasInitializer: { type: 'randomNormal', stddev: 0.3 } }, [
      f32(3, 4),
    ]);
    const sizes = { heads: 2, keyDim: 2, valueDim: 2, useBias: true };
    const ref = (x: Seq, w: Weights) => mha(x, x, x, w, sizes, causal);
    checkGradients(model, randomSeq(20, 1, 3, 4), ref, [
      'query.kernel',
      'key.bias',
      'value.kernel',
      'output.kernel',
    ]);
  });
  it('flow through transformerEncoder as finite differences of the reference say', () => {
    const model = blockModel(
      { type: 'transformerEncoder', activation: 'gelu', normalizeFirst: true },
      [f32(3, 4)],
    );
    const o = options({ normalizeFirst: true, activation: geluExact });
    const ref = (x: Seq, w: Weights) => transformerBlock(x, w, o, everywhere);
    const checked = [
      'selfAttention.query.kernel',
      'selfAttentionNorm.gamma',
      'ffn.intermediate.bias',
      'ffnNorm.beta',
    ];
    checkGradients(model, randomSeq(21, 1, 3, 4), ref, checked);
  });
});
