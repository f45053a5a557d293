// Randomness of layers (recurrent dropout, sampling, noise), drawn from netspec's own generator so
// a seeded pass gives the same numbers on every engine.
import { deriveSeed, Rng } from '../random.js';
import { tf } from '../tf.js';
import type { ApplyContext } from './kind.js';

/** This call's next seed, with the layer's own `seed` mixed in so two seeds draw differently. */
export function drawSeed(ctx: ApplyContext, seed: number | undefined): number {
  const draw = ctx.nextSeed();
  return seed === undefined ? draw : deriveSeed(draw, 'seed', seed);
}

/** Standard normal values of `shape`. */
export function normalNoise(shape: readonly number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return tf.tensor(data, [...shape], 'float32');
}

/** Keras's `dropout(ones)`: each entry kept with probability 1 - rate and scaled by 1/(1 - rate). */
export function dropoutMask(shape: readonly number[], rate: number, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const keep = 1 / (1 - rate);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() >= rate ? keep : 0;
  return tf.tensor(data, [...shape], 'float32');
}
