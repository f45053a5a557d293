import { z } from 'zod';
import { num, Seed, type Shape } from '../schema/primitives.js';
import { defineLayer, LayerError } from './kind.js';
import { formatShape, single } from './shape.js';

const seed = Seed.optional();

/** Two shapes that can be the same at run time: equal rank, equal dims where both are known. */
function sameShape(a: Shape, b: Shape): Shape | undefined {
  if (a.length !== b.length) return undefined;
  const out: Shape = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x !== null && y !== null && x !== y) return undefined;
    out.push(x ?? y);
  }
  return out;
}

export const sampling = defineLayer({
  type: 'sampling',
  family: 'generative',
  doc: 'VAE reparameterization: z = zMean + exp(0.5 · zLogVar) · eps, eps ~ N(0, 1); inputs [zMean, zLogVar]. `inference`: draw z at inference too (sample, as the Keras VAE example does) or pass zMean through (mean: deterministic reconstructions).',
  // Replaces the Lambda layer Keras VAE examples use (DESIGN.md: no user code).
  fields: { inference: z.enum(['sample', 'mean']).default('sample'), seed },
  arity: { min: 2, max: 2, dtype: 'float32' },
  infer(_c, inputs) {
    // The resolver checks arity; inference alone (tests, wrappers) must not read past the end.
    if (inputs.length !== 2) {
      throw new LayerError(`expected 2 inputs [zMean, zLogVar], got ${inputs.length}`, 'inputs');
    }
    const [mean, logVar] = inputs.map((t) => t.shape) as [Shape, Shape];
    const shape = sameShape(mean, logVar);
    if (!shape) {
      throw new LayerError(
        `expected zLogVar of the shape of zMean ${formatShape(mean)}, got ${formatShape(logVar)}`,
        'inputs/1',
      );
    }
    return { outputs: [{ shape, dtype: 'float32' }] };
  },
});

export const gaussianNoise = defineLayer({
  type: 'gaussianNoise',
  family: 'generative',
  doc: 'Adds zero-mean Gaussian noise of `stddev` while training; the identity at inference.',
  fields: { stddev: num({ min: 0 }), seed },
  infer: (_c, inputs) => ({ outputs: [{ shape: single(inputs).shape, dtype: 'float32' }] }),
});

/** The generative family: one entry per layer kind (DESIGN.md). */
export const generativeLayers = { sampling, gaussianNoise };
