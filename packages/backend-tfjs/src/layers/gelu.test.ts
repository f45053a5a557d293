import { afterAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { gelu } from './activations.js';

// The closed-form GELU gradients equal autodiff through the plain formulas (erf, tanh), on cpu
// and wasm, for values from the centre to the tails.
const rng = new Rng(5);

/** The formulas as plain tf ops, differentiated by tfjs. */
const reference = (x: tf.Tensor, approximate: boolean) => {
  if (!approximate) return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
};

function valueAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) {
  return tf.tidy(() => {
    const w = tf.add(tf.range(0, x.size), 1).reshape(x.shape);
    const g = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(f(z), w)))(x);
    return { value: [...f(x).dataSync()], grad: [...tf.div(g, w).dataSync()] };
  });
}

const SHAPES = [[1], [7], [3, 5], [2, 3, 9]];

describe.each(['cpu', 'wasm'])('gelu on %s', (engine) => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(SHAPES.flatMap((s) => [false, true].flatMap((a) => [1, 6, 30].map((sc) => [s, a, sc]))))(
    '%j approximate %s scale %s: values and gradients of autodiff',
    async (shape, approximate, scale) => {
      await useEngine(engine as 'cpu' | 'wasm');
      const s = shape as number[];
      const n = s.reduce((a, b) => a * b, 1);
      const x = tf.tensor(
        Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 2 * (scale as number)),
        s,
      );
      const fused = valueAndGrad((z) => gelu(z, approximate as boolean), x);
      const plain = valueAndGrad((z) => reference(z, approximate as boolean), x);
      fused.value.forEach((v, i) => {
        const e = plain.value[i] as number;
        expect(Math.abs(v - e)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e)));
      });
      fused.grad.forEach((v, i) => {
        const e = plain.grad[i] as number;
        expect(Math.abs(v - e)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e)));
      });
      x.dispose();
    },
  );

  it('leaves no tensors behind', async () => {
    await useEngine(engine as 'cpu' | 'wasm');
    const x = tf.tensor1d([-3, -0.5, 0, 0.5, 3]);
    const before = tf.memory().numTensors;
    valueAndGrad((z) => gelu(z, false), x);
    valueAndGrad((z) => gelu(z, true), x);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
