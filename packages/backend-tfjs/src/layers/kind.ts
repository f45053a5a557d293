import type {
  Constraint,
  Initializer,
  LayerOf,
  LayerType,
  Regularizer,
  ResolvedNode,
} from '@netspec/spec';
import type { tf } from '../tf.js';

/** A layer's own configuration, as wrappers (`bidirectional`, `timeDistributed`) embed it. */
export type ConfigOf<K extends LayerType> = Omit<LayerOf<K>, 'id' | 'inputs' | 'trainable'>;

/** How one weight is initialized, penalized and constrained (Keras's `*_initializer` & co.). */
export interface WeightPolicy {
  initializer: Initializer;
  regularizer?: Regularizer | undefined;
  constraint?: Constraint | undefined;
  /** Initial values no single initializer expresses (LSTM's unit forget bias); wins over it. */
  values?(shape: readonly number[], seed: number): Float32Array;
}

/** What a layer sees while it is applied. */
export interface ApplyContext {
  /** True in training steps: dropout drops, batchNorm uses batch statistics and updates. */
  training: boolean;
  /** The node of the resolved graph: its path, output shapes and weights. */
  node: ResolvedNode;
  /** A weight of this layer by its name in the spec (`kernel`, `forward.recurrent_kernel`). */
  weight(name: string): tf.Tensor;
  /** Assigns a non-trainable weight (batchNorm's moving statistics) in training steps. */
  assign(name: string, value: tf.Tensor): void;
  /** Tensors named by the kind's `refFields` (masks), when the layer sets them. */
  refs: Partial<Record<string, tf.Tensor>>;
  /** A fresh seed for this call's randomness; the same step of the same run gives the same seeds. */
  nextSeed(): number;
  /** Applies a wrapped layer configuration whose weights are named `<prefix><name>`. */
  applyInner(config: { type: string }, inputs: tf.Tensor[], prefix: string): tf.Tensor[];
}

/** How the tfjs backend runs one layer kind. */
export interface LayerImpl<K extends LayerType> {
  /**
   * The policy of weight `name` (a name the spec infers for this kind). When absent, weight
   * `kernel` reads `kernelInitializer`/`kernelRegularizer`/`kernelConstraint` and so on
   * (see `defaultWeightPolicy`).
   */
  weight?(config: ConfigOf<K>, name: string): WeightPolicy;
  /** The layer's outputs, in the order of the spec's inferred outputs. */
  apply(config: ConfigOf<K>, inputs: tf.Tensor[], ctx: ApplyContext): tf.Tensor | tf.Tensor[];
}

/** Every kind of the spec, checked by the compiler: a kind without an implementation fails here. */
export type LayerImpls = { [K in LayerType]: LayerImpl<K> };

/** Keras's field prefix of each weight name: `recurrent_kernel` -> `recurrent`. */
const FIELD_PREFIX: Record<string, string> = {
  recurrent_kernel: 'recurrent',
  depthwise_kernel: 'depthwise',
  pointwise_kernel: 'pointwise',
  moving_mean: 'movingMean',
  moving_variance: 'movingVariance',
};

/** The Keras convention: weight `kernel` is set up by `kernelInitializer` and friends. */
export function defaultWeightPolicy(config: object, name: string): WeightPolicy {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const prefix = FIELD_PREFIX[last] ?? last;
  const fields = config as Record<string, unknown>;
  const initializer = fields[`${prefix}Initializer`] as Initializer | undefined;
  return {
    initializer: initializer ?? (last === 'bias' || last === 'beta' ? 'zeros' : 'glorotUniform'),
    regularizer: fields[`${prefix}Regularizer`] as Regularizer | undefined,
    constraint: fields[`${prefix}Constraint`] as Constraint | undefined,
  };
}
