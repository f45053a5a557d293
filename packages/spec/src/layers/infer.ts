import { type InferContext, type Inferred, LayerError, type TensorType } from './kind.js';
import { layerKind } from './registry.js';
import { product } from './shape.js';

function kindOf(type: string) {
  const kind = layerKind(type);
  if (!kind) throw new LayerError(`unknown layer type "${type}"`, 'type');
  return kind;
}

/** A context for one layer; wrappers infer their inner layer through it. */
export function inferContext(
  refs: InferContext['refs'] = {},
  layers: InferContext['layers'] = {},
): InferContext {
  return {
    refs,
    layers,
    inferInner: (config, inputs) =>
      kindOf(config.type).infer(config as never, inputs, inferContext()),
  };
}

/**
 * Infers one layer configuration (`{ type, ...fields }`, defaults filled in on parse) on the
 * given inputs and referenced tensors. Throws a LayerError when it cannot apply to them.
 */
export function inferLayer(
  config: { type: string } & Record<string, unknown>,
  inputs: TensorType[],
  refs: InferContext['refs'] = {},
  layers: InferContext['layers'] = {},
): Inferred {
  const kind = kindOf(config.type);
  return kind.infer(kind.config.parse(config) as never, inputs, inferContext(refs, layers));
}

/** Number of values in all the weights listed. */
export function countParams(params: Inferred['params'] = []): number {
  return params.reduce((sum, p) => sum + product(p.shape), 0);
}
