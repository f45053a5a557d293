import { tf } from '../../tf.js';
import { defaultWeightPolicy, type LayerImpl, type WeightPolicy } from '../kind.js';
import { cellImpls } from './cells.js';

type Inner = { type: keyof typeof cellImpls };

/** The wrapped layer's policy of `forward.<name>` / `backward.<name>`. */
function innerPolicy(layer: Inner, name: string): WeightPolicy {
  const own = name.slice(name.indexOf('.') + 1);
  const impl = cellImpls[layer.type] as { weight?(c: object, n: string): WeightPolicy };
  return impl.weight ? impl.weight(layer, own) : defaultWeightPolicy(layer, own);
}

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

function merge(y: tf.Tensor, yRev: tf.Tensor, mode: MergeMode): tf.Tensor {
  switch (mode) {
    case 'concat':
      return tf.concat([y, yRev], -1);
    case 'sum':
      return tf.add(y, yRev);
    case 'mul':
      return tf.mul(y, yRev);
    case 'ave':
      return tf.div(tf.add(y, yRev), 2);
  }
}

/**
 * Keras's Bidirectional: the layer as given, and a copy with goBackwards flipped whose sequence
 * output is reversed back to input order; outputs, then forward states, then backward states.
 */
export const bidirectional: LayerImpl<'bidirectional'> = {
  weight: (c, name) => innerPolicy(c.layer, name),
  apply(c, inputs, ctx) {
    const layer = c.layer;
    const [y, ...forwardStates] = ctx.applyInner(layer, inputs, 'forward.');
    const backwardLayer = { ...layer, goBackwards: !layer.goBackwards };
    const [back, ...backwardStates] = ctx.applyInner(backwardLayer, inputs, 'backward.');
    const yRev = layer.returnSequences ? tf.reverse(back as tf.Tensor, 1) : (back as tf.Tensor);
    const outputs =
      c.mergeMode === null ? [y as tf.Tensor, yRev] : [merge(y as tf.Tensor, yRev, c.mergeMode)];
    return [...outputs, ...forwardStates, ...backwardStates];
  },
};
