// The fused recurrent layers (fused.ts) against the step-by-step path they replace (loop.ts,
// differentiated by tfjs's autodiff), on the cpu and wasm engines: outputs, and the gradients
// of every weight and of the input, over the options the fused path takes and those it leaves.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../engine.js';
import { randomValues, relativeError } from '../../test-utils/cross-backend.js';
import { layerModel, run } from '../../test-utils/layer.js';
import { randomizeWeights } from '../../test-utils/recurrent-reference.js';
import { tf } from '../../tf.js';
import { useFusedRecurrence } from './fused.js';

type Layer = Record<string, unknown> & { type: 'lstm' | 'gru' | 'simpleRnn'; units: number };

interface Case {
  layer: Layer;
  /** (B, T, F) */
  x: [number, number, number];
  training?: boolean;
}

const TOLERANCE = 1e-5;

interface Result {
  kernels: number;
  /** Tensors alive after a forward pass, then after a training pass, that were not before. */
  left: number[];
  values: { name: string; shape: number[]; values: number[] }[];
}

/**
 * Outputs, d(sum of outputs x fixed weights)/d(every weight, x), and the kernels of one forward
 * pass, on the current backend with the fused path on or off.
 */
async function evaluate(c: Case, fused: boolean): Promise<Result> {
  const was = useFusedRecurrence(fused);
  try {
    const m = layerModel(c.layer, [{ shape: [c.x[1], c.x[2]] }]);
    randomizeWeights(m, 5);
    const x = tf.variable(tf.tensor3d(randomValues(c.x[0] * c.x[1] * c.x[2], 6), c.x));
    const forward = () => run(m, [x], c.training ?? false);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => tf.dispose(forward()));
    const left = [tf.memory().numTensors - before];
    const names = [...m.weights.keys()];
    const vars = [...m.weights.values()].map((w) => w.variable);
    const outputs: tf.Tensor[] = [];
    const { grads } = tf.variableGrads(() => {
      const outs = forward();
      outputs.push(...outs.map((o) => tf.keep(o)));
      const terms = outs.map((o, k) =>
        tf.sum(tf.mul(o, tf.tensor(randomValues(o.size, 50 + k), o.shape))),
      );
      return tf.addN(terms) as tf.Scalar;
    }, [...vars, x]);
    const read = (name: string, t: tf.Tensor) => ({
      name,
      shape: t.shape,
      values: Array.from(t.dataSync()),
    });
    const values = [
      ...outputs.map((o, k) => read(`output ${k}`, o)),
      ...[...names, 'x'].map((n, k) => read(`d ${n}`, grads[(vars[k] ?? x).name] as tf.Tensor)),
    ];
    tf.dispose([...outputs, ...Object.values(grads)]);
    left.push(tf.memory().numTensors - before);
    x.dispose();
    m.dispose();
    return { kernels: profile.kernels.length, values, left };
  } finally {
    useFusedRecurrence(was);
  }
}

const read = (t: tf.Tensor) => ({ shape: t.shape, values: Array.from(t.dataSync()) });

/** The fused and step-by-step results of `c` on the current backend agree. */
async function expectSame(c: Case, fusedApplies = true): Promise<void> {
  const fused = await evaluate(c, true);
  const steps = await evaluate(c, false);
  const label = JSON.stringify(c);
  expect(fused.values.map((v) => v.name)).toEqual(steps.values.map((v) => v.name));
  fused.values.forEach((v, k) => {
    const ref = steps.values[k] as Result['values'][number];
    expect(relativeError(v, ref), `${label} ${v.name}`).toBeLessThanOrEqual(TOLERANCE);
  });
  // Nothing more outlives a pass (the model's forward keeps one tensor either way).
  expect(fused.left, `${label} tensors left`).toEqual(steps.left);
  // Where the fused path does not apply, the same kernels run (kernels per step: see below).
  if (!fusedApplies) expect(fused.kernels, label).toBe(steps.kernels);
}

const SHAPES: Case['x'][] = [
  [2, 5, 3],
  [3, 2, 4],
  [1, 7, 2],
  [4, 3, 5],
];

const LAYERS: Layer[] = [
  { type: 'lstm', units: 4 },
  { type: 'lstm', units: 3, returnSequences: true, returnState: true },
  { type: 'lstm', units: 4, goBackwards: true, returnSequences: true },
  { type: 'lstm', units: 2, useBias: false, unitForgetBias: false, returnState: true },
  { type: 'lstm', units: 3, activation: 'relu', recurrentActivation: 'tanh' },
  { type: 'lstm', units: 3, activation: 'linear', returnSequences: true },
  { type: 'gru', units: 4, returnSequences: true, returnState: true },
  { type: 'gru', units: 3, resetAfter: false, returnSequences: true },
  { type: 'gru', units: 4, resetAfter: false, goBackwards: true, returnState: true },
  { type: 'gru', units: 2, useBias: false },
  { type: 'gru', units: 3, resetAfter: false, useBias: false, activation: 'relu' },
  { type: 'gru', units: 3, recurrentActivation: 'tanh', activation: 'sigmoid' },
  { type: 'simpleRnn', units: 4 },
  { type: 'simpleRnn', units: 3, activation: 'relu', returnSequences: true, returnState: true },
  { type: 'simpleRnn', units: 5, activation: 'linear', goBackwards: true },
  { type: 'simpleRnn', units: 2, activation: 'sigmoid', useBias: false, returnSequences: true },
];

for (const engine of ['cpu', 'wasm'] as const) {
  describe(`fused recurrent layers on ${engine}`, () => {
    beforeAll(async () => {
      await useEngine(engine);
    });

    it('match the step-by-step path: outputs, weight and input gradients', async () => {
      for (const [k, layer] of LAYERS.entries())
        await expectSame({ layer, x: SHAPES[k % SHAPES.length] as Case['x'] });
    });

    it('match it on every shape for the default lstm, gru and simpleRnn', async () => {
      for (const type of ['lstm', 'gru', 'simpleRnn'] as const)
        for (const x of SHAPES) await expectSame({ layer: { type, units: 3 }, x });
    });

    it('add at most three forward kernels per step (matmuls, sigmoids), lstm and gru 8+ without', async () => {
      for (const type of ['lstm', 'gru', 'simpleRnn'] as const) {
        const perStep = async (fused: boolean) => {
          const count = async (steps: number) =>
            (await evaluate({ layer: { type, units: 3 }, x: [2, steps, 3] }, fused)).kernels;
          return ((await count(12)) - (await count(3))) / 9;
        };
        expect(await perStep(true), type).toBeLessThanOrEqual(3);
        if (type !== 'simpleRnn') expect(await perStep(false), type).toBeGreaterThanOrEqual(8);
      }
    });

    it('differentiate one-step sequences (tfjs autodiff of unstack fails there), as x·W + b', async () => {
      // From a zero state one lstm step is h = o·tanh(i·tanh(zc)) of z = x·kernel + bias; the
      // recurrent kernel gets no gradient.
      const m = layerModel({ type: 'lstm', units: 3 }, [{ shape: [1, 4] }]);
      randomizeWeights(m, 8);
      const weight = (n: string) => m.weights.get(`layer.${n}`)?.variable as tf.Variable;
      const x = tf.tensor3d(randomValues(2 * 4, 9), [2, 1, 4]);
      const probe = tf.tensor2d(randomValues(2 * 3, 10), [2, 3]);
      const [kernel, bias] = [weight('kernel'), weight('bias')];
      const vars = [kernel, weight('recurrent_kernel'), bias];
      const loss = (f: () => tf.Tensor) => () => tf.sum(tf.mul(f(), probe)) as tf.Scalar;
      const fused = tf.variableGrads(
        loss(() => run(m, [x])[0] as tf.Tensor),
        vars,
      );
      const dense = tf.variableGrads(
        loss(() => {
          const z = tf.add(tf.matMul(tf.reshape(x, [2, 4]), kernel), bias);
          const [zi, , zc, zo] = tf.split(z, 4, 1) as tf.Tensor[];
          const c = tf.mul(tf.sigmoid(zi as tf.Tensor), tf.tanh(zc as tf.Tensor));
          return tf.mul(tf.sigmoid(zo as tf.Tensor), tf.tanh(c));
        }),
        vars,
      );
      expect(relativeError(read(fused.value), read(dense.value))).toBeLessThanOrEqual(TOLERANCE);
      for (const v of vars) {
        const got = read(fused.grads[v.name] as tf.Tensor);
        const want = read(dense.grads[v.name] ?? tf.zerosLike(v));
        expect(relativeError(got, want), v.name).toBeLessThanOrEqual(TOLERANCE);
      }
      m.dispose();
    });

    it('apply input dropout in training with the same masks', async () => {
      for (const type of ['lstm', 'gru', 'simpleRnn'] as const)
        await expectSame({
          layer: { type, units: 3, dropout: 0.4, returnSequences: true, seed: 3 },
          x: [3, 4, 5],
          training: true,
        });
    });

    it('leave recurrent dropout and parameterized activations to the step-by-step path', async () => {
      await expectSame(
        {
          layer: { type: 'lstm', units: 3, recurrentDropout: 0.3, seed: 2 },
          x: [2, 4, 3],
          training: true,
        },
        false,
      );
      await expectSame(
        {
          layer: { type: 'gru', units: 3, activation: { type: 'leakyRelu', alpha: 0.2 } },
          x: [2, 4, 3],
        },
        false,
      );
    });
  });
}
