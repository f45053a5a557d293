import { afterAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../engine.js';
import { Rng } from '../../random.js';
import { tf } from '../../tf.js';
import { layerNorm, layerNormFormula } from './layer-norm.js';

// The fused layer norm gives autodiff's values and gradients (x, gamma, beta) of the plain
// formula on cpu and wasm, for odd sizes, one row, and inputs with a large offset.
const rng = new Rng(9);
const random = (shape: number[], offset = 0, scale = 1) =>
  tf.tensor(
    Float32Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      () => offset + (rng.next() - 0.5) * 2 * scale,
    ),
    shape,
  );

/** The output and the gradients of sum(f · w), w fixed weights (so dy varies per entry). */
function valuesAndGrads(
  f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  inputs: tf.Tensor[],
  w: tf.Tensor,
) {
  return tf.tidy(() => {
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a, g, b), w)),
    )(inputs);
    const [a, g, b] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor];
    return [f(a, g, b), ...grads].map((t) => [...t.dataSync()]);
  });
}

describe.each(['cpu', 'wasm'])('layerNorm on %s', (engine) => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    [[3, 5], 0, 1e-3],
    [[2, 4, 7], 0, 1e-5],
    [[1, 1, 9], 0, 1e-6],
    [[6, 33], 50, 1e-5],
    [[4, 2], 0, 0.5],
  ])('%j (offset %s, eps %s): autodiff values and gradients', async (shape, offset, eps) => {
    await useEngine(engine as 'cpu' | 'wasm');
    const d = shape[shape.length - 1] as number;
    const inputs = [random(shape, offset), random([d], 1, 0.5), random([d], 0, 0.5)];
    const w = random(shape, 0, 2);
    const run = (f: typeof layerNorm) => valuesAndGrads((x, g, b) => f(x, g, b, eps), inputs, w);
    const fused = run(layerNorm);
    const plain = run(layerNormFormula);
    fused.forEach((values, j) => {
      values.forEach((v, i) => {
        const e = plain[j]?.[i] as number;
        expect(Math.abs(v - e)).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(e)));
      });
    });
    tf.dispose([...inputs, w]);
  });
});
