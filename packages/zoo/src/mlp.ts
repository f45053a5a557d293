import type { ActivationInput, LayerInput, SpecInput } from './types.js';

export interface MlpOptions {
  /** Input shape without the batch dimension; inputs of rank > 1 are flattened first. */
  inputShape: number[];
  /** Units of each hidden dense layer, in order. */
  hidden: number[];
  /** Output classes (softmax); 1 gives a single sigmoid unit. */
  classes: number;
  /** Hidden activation; default relu. */
  activation?: ActivationInput;
  /** Dropout rate after each hidden layer; default none. */
  dropout?: number;
  name?: string;
}

/** A multilayer perceptron classifier: [flatten], (dense, [dropout]) x hidden, dense softmax. */
export function mlp(options: MlpOptions): SpecInput {
  const { inputShape, hidden, classes, activation = 'relu', dropout } = options;
  const layers: LayerInput[] = [];
  if (inputShape.length > 1) layers.push({ id: 'flatten', type: 'flatten' });
  hidden.forEach((units, i) => {
    layers.push({ id: `dense${i + 1}`, type: 'dense', units, activation });
    if (dropout !== undefined && dropout > 0) {
      layers.push({ id: `dropout${i + 1}`, type: 'dropout', rate: dropout });
    }
  });
  layers.push({
    id: 'probs',
    type: 'dense',
    units: classes,
    activation: classes === 1 ? 'sigmoid' : 'softmax',
  });
  return {
    specVersion: 1,
    name: options.name ?? 'mlp',
    description: `MLP ${[...hidden, classes].join('-')} over inputs of shape [${inputShape.join(', ')}].`,
    inputs: [{ id: 'input', shape: inputShape, dtype: 'float32' }],
    layers,
  };
}
