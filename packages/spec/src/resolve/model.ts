import type { ParamShape, TensorType } from '../layers/kind.js';
import type { Layer } from '../layers/registry.js';
import type { Spec } from '../schema/spec.js';

/** A tensor of the flattened graph: an input id, a node path, or `path:n` for output n. */
export interface Tensor extends TensorType {
  name: string;
}

/** A weight with its full name in the weights file: `<node path>.<param name>`. */
export interface ResolvedParam extends ParamShape {
  path: string;
}

/** One layer instance of the flattened graph (blocks expanded), in topological order. */
export interface ResolvedNode {
  /** Unique dotted path: `conv1`, or `encoder.3.attention` inside a repeated block. */
  path: string;
  layer: Layer;
  /** Where the layer is written in the spec, for messages. */
  pointer: string;
  inputs: Tensor[];
  /** Tensors named by the kind's refFields (masks). */
  refs: Record<string, Tensor>;
  outputs: Tensor[];
  params: ResolvedParam[];
  /**
   * Weights of other nodes this one reuses (a tied output embedding): `name` is how this layer
   * reads it, `path` where it is stored. Counted and stored only under the owner.
   */
  tied: ResolvedParam[];
}

/** A layer as written at the top level of the spec (a block counts once), for summaries. */
export interface ResolvedLayer {
  id: string;
  type: Layer['type'];
  pointer: string;
  /** Names of the tensors it reads. */
  inputs: string[];
  outputs: Tensor[];
  params: number;
  trainableParams: number;
}

export interface ResolvedModel {
  spec: Spec;
  inputs: Tensor[];
  nodes: ResolvedNode[];
  layers: ResolvedLayer[];
  outputs: Tensor[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

/** Sizes beyond which a spec is rejected before anything is allocated. */
export interface Limits {
  /** Parameters of the whole model. */
  maxParams: number;
  /** Values in one activation tensor of one sample (tfjs and ONNX Runtime index with int32). */
  maxTensorElements: number;
  /** Layer instances after blocks are expanded. */
  maxLayers: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxParams: 10_000_000_000,
  maxTensorElements: 2 ** 31 - 1,
  maxLayers: 100_000,
};
