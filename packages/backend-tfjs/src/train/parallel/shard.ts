// The work of one shard, the same code on the main thread and on every training thread: the
// supervised objective's loss on the shard, its gradient for each trainable variable, and the
// outputs (for metrics).
import { deriveSeed } from '../../random.js';
import { tf } from '../../tf.js';
import type { Batch } from '../examples.js';
import type { SupervisedObjective } from '../supervised.js';

export interface ShardGradients {
  loss: number;
  /** One per variable, in the variables' order. */
  grads: tf.Tensor[];
  outputs: Record<string, tf.Tensor>;
}

/**
 * The seed of shard `k`'s randomness (dropout, noise) in a step seeded `seed`: a function of the
 * step and the shard alone, so the thread that runs a shard and when it runs do not matter.
 */
export const shardSeed = (seed: number, k: number) => deriveSeed(seed, 'shard', k);

export function shardGradients(
  objective: SupervisedObjective,
  variables: tf.Variable[],
  batch: Batch,
  seed: number,
): ShardGradients {
  let outputs: Record<string, tf.Tensor> = {};
  const { value, grads } = tf.variableGrads(() => {
    const r = objective.trainingLoss(batch, seed);
    outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, tf.keep(v)]));
    return r.loss;
  }, variables);
  const loss = value.dataSync()[0] as number;
  value.dispose();
  return { loss, grads: variables.map((v) => grads[v.name] as tf.Tensor), outputs };
}
