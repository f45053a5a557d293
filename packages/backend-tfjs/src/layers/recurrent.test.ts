// Training registers tfjs's gradients; this test differentiates through the layers directly.
// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import type { NetspecModel } from '../model/model.js';
import { deriveSeed, Rng } from '../random.js';
import { layerModel, run } from '../test-utils/layer.js';
import {
  inferredShapes,
  maxDiff,
  type RefOptions,
  randomizeWeights,
  randomSeq,
  refRnn,
  refWeights,
  type Seq,
} from '../test-utils/recurrent-reference.js';
import { tf } from '../tf.js';
import { forgetBiasValues, type ValuesPolicy } from './recurrent/cells.js';
import { recurrentImpls } from './recurrent.js';

// Every expected value comes from the plain-JS loops of ./recurrent/reference.ts (Keras 3's cell
// equations in float64), fed the model's own weights after seeding them with random values.

const F = 3;
const U = 4;

type Layer = Record<string, unknown> & { type: RefOptions['kind']; units: number };

/** A one-layer model over (T, F) (T free when `steps` is null) with random weights. */
function model(layer: Layer, steps: number | null = 5): NetspecModel {
  const m = layerModel(layer, [{ shape: [steps, F] }]);
  randomizeWeights(m, 11);
  return m;
}

/** The reference options of a layer config. */
const refOptions = (layer: Layer): RefOptions => ({
  kind: layer.type,
  units: layer.units,
  activation: layer.activation as string | undefined,
  recurrentActivation: layer.recurrentActivation as string | undefined,
  goBackwards: layer.goBackwards as boolean | undefined,
  resetAfter: layer.resetAfter as boolean | undefined,
});

/** Runs the model and the reference on x; checks shapes, then every output to 1e-5. */
function expectMatches(m: NetspecModel, layer: Layer, x: Seq): void {
  const outs = run(m, [tf.tensor3d(x)]);
  const b = x.length;
  const t = x[0]?.length ?? 0;
  expect(outs.map((o) => o.shape)).toEqual(inferredShapes(m, b, t));
  const ref = refRnn(x, refWeights(m), refOptions(layer));
  const last = ref.sequence.map((hs) => hs[hs.length - 1] as number[]);
  const expected = [
    layer.returnSequences ? ref.sequence : last,
    ...(layer.returnState ? ref.states : []),
  ];
  expected.forEach((e, k) => {
    expect(maxDiff(outs[k] as tf.Tensor, e)).toBeLessThan(1e-5);
  });
}

describe('simpleRnn', () => {
  it('computes h = tanh(x·kernel + bias + h·recurrent_kernel) and returns the last h', () => {
    const layer: Layer = { type: 'simpleRnn', units: U };
    expectMatches(model(layer), layer, randomSeq(1, 2, 5, F));
  });
  it('returns every step and its state, backwards, with relu and no bias, over free T', () => {
    const layer: Layer = {
      type: 'simpleRnn',
      units: U,
      activation: 'relu',
      useBias: false,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
    };
    const m = model(layer, null);
    expect(m.weights.has('layer.bias')).toBe(false);
    expectMatches(m, layer, randomSeq(2, 3, 6, F));
    expectMatches(m, layer, randomSeq(3, 1, 2, F));
  });
});

describe('lstm', () => {
  it('follows Keras gates i, f, c, o and returns the last h', () => {
    const layer: Layer = { type: 'lstm', units: U };
    expectMatches(model(layer), layer, randomSeq(4, 2, 5, F));
  });
  it('returns [sequence, h, c] as Keras does, backwards, with other activations, free T', () => {
    const layer: Layer = {
      type: 'lstm',
      units: U,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
      recurrentActivation: 'hardSigmoid',
      activation: 'relu',
    };
    const m = model(layer, null);
    expectMatches(m, layer, randomSeq(5, 2, 7, F));
    expectMatches(m, layer, randomSeq(6, 3, 1, F));
  });
  it('runs without a bias', () => {
    const layer: Layer = { type: 'lstm', units: U, useBias: false, returnState: true };
    expectMatches(model(layer), layer, randomSeq(7, 2, 4, F));
  });
  it('initializes the forget slice of the bias to ones with unitForgetBias', () => {
    const impl = recurrentImpls.lstm;
    const config = { units: U, unitForgetBias: true, biasInitializer: 'zeros' } as never;
    const policy = impl.weight?.(config, 'bias') as ValuesPolicy;
    // Keras: concat(zeros(U), ones(U), zeros(2U))
    expect([...(policy.values?.([4 * U], 1) ?? [])]).toEqual([
      ...Array(U).fill(0),
      ...Array(U).fill(1),
      ...Array(2 * U).fill(0),
    ]);
    // another initializer fills i, c and o; f stays ones
    const uniform = forgetBiasValues({ type: 'randomUniform', minval: 2, maxval: 3 }, U, 5);
    expect([...uniform.slice(U, 2 * U)]).toEqual(Array(U).fill(1));
    expect([...uniform.slice(0, U), ...uniform.slice(2 * U)].every((v) => v >= 2 && v < 3)).toBe(
      true,
    );
    // without it, the bias policy is the plain biasInitializer
    const plain = impl.weight?.({ ...(config as object), unitForgetBias: false } as never, 'bias');
    expect(plain).toEqual({ initializer: 'zeros', regularizer: undefined, constraint: undefined });
  });
});

describe('gru', () => {
  it('uses reset-after by default, with bias rows [input; recurrent]', () => {
    const layer: Layer = { type: 'gru', units: U };
    const m = model(layer);
    expect(m.weights.get('layer.bias')?.param.shape).toEqual([2, 3 * U]);
    expectMatches(m, layer, randomSeq(8, 2, 5, F));
  });
  it('resets before the recurrent matmul with resetAfter false, backwards, every step', () => {
    const layer: Layer = {
      type: 'gru',
      units: U,
      resetAfter: false,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
    };
    const m = model(layer, null);
    expect(m.weights.get('layer.bias')?.param.shape).toEqual([3 * U]);
    expectMatches(m, layer, randomSeq(9, 3, 6, F));
  });
});

describe('recurrent dropout, as Keras', () => {
  /** A linear simpleRnn whose h_t = x_t·m + h_{t-1}·r·rm shows the masks (identity kernels). */
  function linearRnn(dropout: number, recurrentDropout: number, units: number, r: number) {
    const layer = { type: 'simpleRnn', units, activation: 'linear', useBias: false };
    const m = layerModel({ ...layer, dropout, recurrentDropout, returnSequences: true }, [
      { shape: [null, units] },
    ]);
    const eye = tf.eye(units);
    m.weights.get('layer.kernel')?.variable.assign(eye);
    m.weights.get('layer.recurrent_kernel')?.variable.assign(tf.mul(eye, r));
    return m;
  }

  it('drops inputs with one mask for every step, scaled by 1/(1 - rate), only in training', () => {
    const units = 64;
    const m = linearRnn(0.25, 0, units, 0);
    const ones = tf.ones([8, 3, units]);
    // recurrent kernel 0: h_t = 1 · mask, the same mask at each step
    const h = (run(m, [ones], true)[0] as tf.Tensor).arraySync() as number[][][];
    for (const sample of h) {
      expect(sample[1]).toEqual(sample[0]);
      expect(sample[2]).toEqual(sample[0]);
    }
    const values = h.flatMap((s) => s[0] as number[]);
    expect(values.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.18);
    expect(dropped).toBeLessThan(0.32);
    // inference: no mask at all
    expect(
      maxDiff(
        run(m, [ones])[0] as tf.Tensor,
        h.map((s) => s.map((r) => r.map(() => 1))),
      ),
    ).toBe(0);
  });

  it('drops the recurrent state with one mask reused at every step', () => {
    const m = linearRnn(0, 0.5, 32, 1);
    // h1 = 1, h2 = 1 + rm, h3 = 1 + rm·(1 + rm): rm in {0, 2}
    const h = (run(m, [tf.ones([4, 3, 32])], true)[0] as tf.Tensor).arraySync() as number[][][];
    for (const sample of h)
      for (let j = 0; j < 32; j++) {
        const rm = (sample[1]?.[j] as number) - 1;
        expect([0, 2]).toContain(rm);
        expect(sample[2]?.[j]).toBeCloseTo(1 + rm * (1 + rm), 6);
      }
  });

  it('masks each gate separately under recurrent dropout (Keras implementation 1)', () => {
    // The masks are netspec's draws: pass seed 7 (run), node "layer", draw k = input masks
    // gate by gate, then recurrent masks; kept entries are 1 / (1 - rate).
    const draw = (k: number, rows: number, cols: number, rate: number) => {
      const rng = new Rng(deriveSeed(7, 'layer', k));
      return Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (rng.next() >= rate ? 1 / (1 - rate) : 0)),
      );
    };
    const cases: [Layer, number][] = [
      [{ type: 'lstm', units: U, dropout: 0.3, recurrentDropout: 0.4 }, 4],
      [{ type: 'gru', units: U, dropout: 0.3, recurrentDropout: 0.4 }, 3],
      [{ type: 'gru', units: U, dropout: 0.3, recurrentDropout: 0.4, resetAfter: false }, 3],
      // input dropout alone: one mask for every gate (implementation 2)
      [{ type: 'lstm', units: U, dropout: 0.3 }, 1],
    ];
    for (const [layer, count] of cases) {
      const seq = { ...layer, returnSequences: true };
      const m = model(seq);
      const x = randomSeq(16, 3, 5, F);
      const input = Array.from({ length: count }, (_, g) => draw(g, 3, F, 0.3));
      const rec = layer.recurrentDropout
        ? Array.from({ length: count }, (_, g) => draw(count + g, 3, U, 0.4))
        : [];
      const masks = (b: number) => ({
        input: input.map((mk) => mk[b] as number[]),
        recurrent: rec.map((mk) => mk[b] as number[]),
      });
      const ref = refRnn(x, refWeights(m), refOptions(seq), masks);
      expect(maxDiff(run(m, [tf.tensor3d(x)], true)[0] as tf.Tensor, ref.sequence)).toBeLessThan(
        1e-5,
      );
    }
  });

  it('is seeded: the same pass repeats, another layer seed draws other masks', () => {
    for (const type of ['lstm', 'gru'] as const) {
      const layer = { type, units: U, dropout: 0.3, recurrentDropout: 0.4, returnSequences: true };
      const x = tf.tensor3d(randomSeq(10, 4, 5, F));
      const a = model(layer);
      const b = model({ ...layer, seed: 3 });
      const [first, again, other, inference] = [
        run(a, [x], true),
        run(a, [x], true),
        run(b, [x], true),
        run(a, [x], false),
      ].map((o) => o[0] as tf.Tensor);
      expect(maxDiff(again as tf.Tensor, first?.arraySync() as unknown[])).toBe(0);
      expect(maxDiff(other as tf.Tensor, first?.arraySync() as unknown[])).toBeGreaterThan(1e-3);
      expect(maxDiff(inference as tf.Tensor, first?.arraySync() as unknown[])).toBeGreaterThan(
        1e-3,
      );
      // inference ignores both rates: the plain equations
      const ref = refRnn(randomSeq(10, 4, 5, F), refWeights(a), { kind: type, units: U });
      expect(maxDiff(inference as tf.Tensor, ref.sequence)).toBeLessThan(1e-5);
    }
  });
});

describe('gradients through the time loop', () => {
  /** sum(out · coef) of a layer as a float64 function of x, by the reference. */
  function refLoss(x: Seq, m: NetspecModel, layer: Layer, coef: number[]): number {
    const out = refRnn(x, refWeights(m), refOptions(layer)).sequence.flat(2);
    return out.reduce((s, v, i) => s + v * (coef[i] as number), 0);
  }

  for (const layer of [
    { type: 'lstm', units: 3, returnSequences: true },
    { type: 'gru', units: 3, returnSequences: true, resetAfter: false },
    { type: 'gru', units: 3, returnSequences: true },
    { type: 'simpleRnn', units: 3, returnSequences: true },
  ] as Layer[]) {
    it(`${layer.type}${layer.resetAfter === false ? ' (reset before)' : ''}: d/dx matches central differences`, () => {
      const m = model(layer, 4);
      const x = randomSeq(12, 2, 4, F);
      const coef = randomSeq(13, 1, 1, 2 * 4 * 3)[0]?.[0] as number[];
      const loss = (t: tf.Tensor) =>
        tf.sum(tf.mul(run(m, [t])[0] as tf.Tensor, tf.tensor(coef, [2, 4, 3])));
      const grad = tf.grad(loss)(tf.tensor3d(x)).arraySync() as Seq;
      const h = 1e-5;
      for (let b = 0; b < 2; b++)
        for (let t = 0; t < 4; t++)
          for (let f = 0; f < F; f++) {
            const shifted = (d: number) =>
              x.map((s, bi) =>
                s.map((r, ti) => r.map((v, fi) => (bi === b && ti === t && fi === f ? v + d : v))),
              );
            const fd =
              (refLoss(shifted(h), m, layer, coef) - refLoss(shifted(-h), m, layer, coef)) /
              (2 * h);
            expect(Math.abs((grad[b]?.[t]?.[f] as number) - fd)).toBeLessThan(1e-4);
          }
    });
  }

  it('lstm: d/d recurrent_kernel is finite and matches central differences', () => {
    const layer: Layer = { type: 'lstm', units: 3, returnSequences: true };
    const m = model(layer, 4);
    const x = randomSeq(14, 2, 4, F);
    const coef = randomSeq(15, 1, 1, 2 * 4 * 3)[0]?.[0] as number[];
    const variable = m.weights.get('layer.recurrent_kernel')?.variable as tf.Variable;
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(run(m, [tf.tensor3d(x)])[0] as tf.Tensor, tf.tensor(coef, [2, 4, 3]))),
      [variable],
    );
    const grad = (Object.values(grads)[0] as tf.Tensor).dataSync();
    expect(grad.every(Number.isFinite)).toBe(true);
    const base = Float64Array.from(variable.dataSync());
    const lossAt = (k: number, d: number) => {
      const w = { ...refWeights(m), recurrent: base.map((v, i) => (i === k ? v + d : v)) };
      const out = refRnn(x, w, refOptions(layer)).sequence.flat(2);
      return out.reduce((s, v, i) => s + v * (coef[i] as number), 0);
    };
    for (let k = 0; k < base.length; k++) {
      const fd = (lossAt(k, 1e-5) - lossAt(k, -1e-5)) / 2e-5;
      expect(Math.abs((grad[k] as number) - fd)).toBeLessThan(1e-4);
    }
  });
});
