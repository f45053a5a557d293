import { tf } from '../tf.js';
import { defaultWeightPolicy, type LayerImpl, type WeightPolicy } from './kind.js';
// A cycle (the registry lists these impls); LAYER_IMPLS is read only when a layer is built.
import { LAYER_IMPLS } from './registry.js';

/** The wrapped kind's own policy of weight `name`. */
function innerPolicy(layer: { type: string }, name: string): WeightPolicy {
  const impls = LAYER_IMPLS as unknown as Record<
    string,
    { weight?(c: object, n: string): WeightPolicy }
  >;
  const impl = impls[layer.type];
  return impl?.weight ? impl.weight(layer, name) : defaultWeightPolicy(layer, name);
}

const block: LayerImpl<'block'> = {
  apply() {
    throw new Error(
      'internal error: a block layer reached the tfjs backend; the resolver expands blocks into their layers',
    );
  },
};

/**
 * Keras's TimeDistributed: the wrapped layer once over batch and time merged, weights shared
 * and named as the wrapped layer's own.
 */
const timeDistributed: LayerImpl<'timeDistributed'> = {
  weight: (c, name) => innerPolicy(c.layer as { type: string }, name),
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    const [batch, steps, ...rest] = x.shape as number[];
    const merged = tf.reshape(x, [(batch as number) * (steps as number), ...rest]); // (B·T, ...)
    const outputs = ctx.applyInner(c.layer as { type: string }, [merged], '');
    // (B, T, ...) per output
    return outputs.map((o) =>
      tf.reshape(o, [batch as number, steps as number, ...o.shape.slice(1)]),
    );
  },
};

/** The block family on tfjs. */
export const blockImpls = { block, timeDistributed };
