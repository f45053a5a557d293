import { afterAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { categoricalCrossentropy, EPSILON, oneHotFloat } from './losses.js';
import {
  sparseCrossentropyFromLogits,
  sparseCrossentropyFromProbabilities,
} from './sparse-crossentropy.js';

// The fused sparse crossentropies give the values and gradients of autodiff through Keras's
// formula on one-hot labels (losses.ts's categoricalCrossentropy), on the cpu and wasm engines.
const rng = new Rng(7);
// (tfjs's oneHot, which the unfused formula uses, needs at least two classes.)
const SHAPES = [
  [1, 3],
  [5, 7],
  [2, 3, 11],
  [4, 1, 2, 5],
  [3, 2],
];

/** Values in [-scale, scale]; `hot` rows put one entry far above the others. */
function logits(shape: number[], scale: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 2 * scale),
    shape,
  );
}

function labels(shape: number[]): tf.Tensor {
  const classes = shape[shape.length - 1] as number;
  const rows = shape.slice(0, -1);
  const n = rows.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Int32Array.from({ length: n }, () => rng.int(classes)),
    rows,
    'int32',
  );
}

/** Loss values and the gradient of sum(loss · w) for fixed weights w (so dy varies per row). */
function valueAndGrad(per: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) {
  return tf.tidy(() => {
    const value = per(x);
    const w = tf.add(tf.range(0, value.size), 0.5).reshape(value.shape);
    const g = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(per(z), w)))(x);
    return { value: [...value.dataSync()], grad: [...g.dataSync()] };
  });
}

function expectAllClose(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    const e = expected[i] as number;
    expect(Math.abs(v - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

const smoothed = (t: tf.Tensor, s: number, classes: number) =>
  s > 0 ? tf.add(tf.mul(t, 1 - s), s / classes) : t;

describe.each(['cpu', 'wasm'])('sparse crossentropy on %s', (engine) => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(SHAPES.flatMap((s) => [0, 0.2].flatMap((sm) => [1, 30].map((sc) => [s, sm, sc]))))(
    'from logits %j, smoothing %s, scale %s: autodiff values and gradients',
    async (shape, smoothing, scale) => {
      await useEngine(engine as 'cpu' | 'wasm');
      const [s, sm, sc] = [shape as number[], smoothing as number, scale as number];
      const [x, y] = [logits(s, sc), labels(s)];
      const classes = s[s.length - 1] as number;
      const fused = valueAndGrad((z) => sparseCrossentropyFromLogits(y, z, sm), x);
      const hot = oneHotFloat(y, classes);
      const reference = valueAndGrad(
        (z) => categoricalCrossentropy(smoothed(hot, sm, classes), z, true),
        x,
      );
      expectAllClose(fused.value, reference.value, 1e-5);
      expectAllClose(fused.grad, reference.grad, 1e-5);
      tf.dispose([x, y, hot]);
    },
  );

  it.each(SHAPES.map((s) => [s]))(
    'from probabilities %j: autodiff values and gradients, clipping included',
    async (shape) => {
      await useEngine(engine as 'cpu' | 'wasm');
      const s = shape as number[];
      const classes = s[s.length - 1] as number;
      const y = labels(s);
      // Softmax rows, some with the label's probability at 0 and some at 1 (both clipped).
      const raw = tf.softmax(logits(s, 3));
      const hot = oneHotFloat(y, classes);
      const n = raw.size / classes;
      const rowKind = tf.tensor(
        Int32Array.from({ length: n }, (_, i) => i % 3),
        [...s.slice(0, -1), 1],
        'int32',
      );
      const p = tf.tidy(() =>
        tf.where(
          tf.equal(rowKind, 1),
          tf.mul(raw, tf.sub(1, hot)), // label's probability 0
          tf.where(tf.equal(rowKind, 2), hot, raw), // exactly one-hot
        ),
      );
      const fused = valueAndGrad((z) => sparseCrossentropyFromProbabilities(y, z, EPSILON), p);
      const reference = valueAndGrad((z) => categoricalCrossentropy(hot, z, false), p);
      expectAllClose(fused.value, reference.value, 1e-5);
      expectAllClose(fused.grad, reference.grad, 1e-5);
      tf.dispose([y, raw, hot, rowKind, p]);
    },
  );

  it('leaves no tensors behind', async () => {
    await useEngine(engine as 'cpu' | 'wasm');
    const [x, y] = [logits([4, 6], 2), labels([4, 6])];
    const before = tf.memory().numTensors;
    valueAndGrad((z) => sparseCrossentropyFromLogits(y, z, 0.1), x);
    valueAndGrad((z) => sparseCrossentropyFromProbabilities(y, tf.softmax(z), EPSILON), x);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});
