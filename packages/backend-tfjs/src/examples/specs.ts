// Layer lists shared by the examples and the benchmark.

/** LeNet-5 for 28x28x1 digits (LeCun et al. 1998) with ReLU, first convolution padded 'same'. */
export const LENET5_LAYERS = [
  { id: 'c1', type: 'conv2d', filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' },
  { id: 's2', type: 'avgPool2d', poolSize: 2 },
  { id: 'c3', type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
  { id: 's4', type: 'avgPool2d', poolSize: 2 },
  { id: 'flatten', type: 'flatten' },
  { id: 'f5', type: 'dense', units: 120, activation: 'relu' },
  { id: 'f6', type: 'dense', units: 84, activation: 'relu' },
  { id: 'probs', type: 'dense', units: 10, activation: 'softmax' },
];
