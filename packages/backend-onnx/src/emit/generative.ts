import { float } from '../graph/attributes.js';
import type { Emitter } from './kind.js';

/** The generative family in ONNX. */
export const generativeEmitters = {
  sampling: {
    // z = zMean + exp(0.5 · zLogVar) · eps with eps from RandomNormalLike: the exported model
    // samples, as the tfjs layer does at inference (a VAE served for generation must draw new
    // z's). Known gap: the draws cannot equal tfjs's seeded ones, so this kind has no tfjs
    // parity. A spec's seed becomes the op's seed; onnxruntime draws anew on every run of a
    // session. `inference: 'mean'` exports z = zMean (deterministic, so it has parity).
    emit(c, inputs, ctx) {
      const [mean, logVar] = inputs as [string, string];
      if (c.inference === 'mean') return [mean];
      const eps = ctx.op(
        'RandomNormalLike',
        [mean],
        c.seed === undefined ? {} : { seed: float(c.seed) },
      );
      const std = ctx.op('Exp', [ctx.op('Mul', [logVar, ctx.scalar('half', 0.5)])]);
      return [ctx.op('Add', [mean, ctx.op('Mul', [std, eps])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'sampling'>,

  gaussianNoise: {
    // The identity at inference: no node at all.
    emit: (_c, inputs) => [inputs[0] as string],
  } satisfies Emitter<'gaussianNoise'>,
};
