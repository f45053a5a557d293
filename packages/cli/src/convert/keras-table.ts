import { ACTIVATION_NAMES, type LayerType } from '@netspec/spec';

// What maps between netspec layers and Keras classes (as TensorFlow.js's layers-model format
// writes them). Field names map by case (kernelSize <-> kernel_size) unless renamed here.

/** netspec layer type -> Keras class name, for every layer the two share. */
export const KERAS_CLASS = {
  dense: 'Dense',
  activation: 'Activation',
  prelu: 'PReLU',
  dropout: 'Dropout',
  flatten: 'Flatten',
  reshape: 'Reshape',
  permute: 'Permute',
  repeatVector: 'RepeatVector',
  embedding: 'Embedding',
  conv1d: 'Conv1D',
  conv2d: 'Conv2D',
  conv1dTranspose: 'Conv1DTranspose',
  conv2dTranspose: 'Conv2DTranspose',
  depthwiseConv2d: 'DepthwiseConv2D',
  separableConv2d: 'SeparableConv2D',
  upSampling1d: 'UpSampling1D',
  upSampling2d: 'UpSampling2D',
  zeroPadding1d: 'ZeroPadding1D',
  zeroPadding2d: 'ZeroPadding2D',
  cropping1d: 'Cropping1D',
  cropping2d: 'Cropping2D',
  maxPool1d: 'MaxPooling1D',
  maxPool2d: 'MaxPooling2D',
  avgPool1d: 'AveragePooling1D',
  avgPool2d: 'AveragePooling2D',
  globalAvgPool1d: 'GlobalAveragePooling1D',
  globalAvgPool2d: 'GlobalAveragePooling2D',
  globalMaxPool1d: 'GlobalMaxPooling1D',
  globalMaxPool2d: 'GlobalMaxPooling2D',
  batchNorm: 'BatchNormalization',
  layerNorm: 'LayerNormalization',
  groupNorm: 'GroupNormalization',
  simpleRnn: 'SimpleRNN',
  lstm: 'LSTM',
  gru: 'GRU',
  bidirectional: 'Bidirectional',
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
  dot: 'Dot',
  gaussianNoise: 'GaussianNoise',
} satisfies Partial<Record<LayerType, string>>;

export type MappedType = keyof typeof KERAS_CLASS;

/** Keras class name -> netspec type (with the aliases Keras and tfjs also write). */
export const NETSPEC_TYPE: Record<string, MappedType> = {
  ...Object.fromEntries(Object.entries(KERAS_CLASS).map(([t, k]) => [k, t as MappedType])),
  Convolution1D: 'conv1d',
  Convolution2D: 'conv2d',
  MaxPool1D: 'maxPool1d',
  MaxPool2D: 'maxPool2d',
  AvgPool1D: 'avgPool1d',
  AvgPool2D: 'avgPool2d',
  GlobalAvgPool1D: 'globalAvgPool1d',
  GlobalAvgPool2D: 'globalAvgPool2d',
  GlobalMaxPool1D: 'globalMaxPool1d',
  GlobalMaxPool2D: 'globalMaxPool2d',
};

/** Keras classes known not to map, with the reason a user reads. */
export const UNMAPPABLE: Record<string, string> = {
  Lambda: 'no netspec equivalent; netspec runs no user code',
  TFOpLambda: 'a raw TensorFlow op call; netspec runs no user code',
  SlicingOpLambda: 'a raw TensorFlow slice; use a netspec `slice` layer',
  Sequential: 'a nested model; flatten it into the outer model',
  Model: 'a nested model; flatten it into the outer model',
  Functional: 'a nested model; flatten it into the outer model',
  TimeDistributed: 'no netspec equivalent yet',
  Masking: 'no netspec equivalent yet',
  MultiHeadAttention: 'not mapped yet (its weights are laid out per head in Keras)',
};

/** netspec field -> Keras key where case conversion alone does not give it. */
export const RENAMED: Record<string, string> = { keepDims: 'keepdims' };
export const RENAMED_BACK: Record<string, string> = Object.fromEntries(
  Object.entries(RENAMED).map(([a, b]) => [b, a]),
);

/** Fields Keras writes as lists that netspec writes as an int (or a pair) when it can. */
export const WINDOW_FIELDS = new Set([
  'kernelSize',
  'strides',
  'dilationRate',
  'poolSize',
  'size',
  'outputPadding',
  'axis',
]);

/**
 * Keras keys netspec has no field for, with the value that means "nothing special" (ignored when
 * it has it; any other value is reported). `undefined`: ignored whatever it is.
 */
export const NEUTRAL_KEYS: Record<string, unknown> = {
  name: undefined,
  dtype: undefined,
  batch_input_shape: undefined,
  batch_shape: undefined,
  input_shape: undefined,
  input_length: undefined,
  data_format: 'channels_last',
  stateful: false,
  unroll: false,
  time_major: false,
  implementation: undefined,
  zero_output_for_mask: undefined,
  sparse: false,
  ragged: false,
  synchronized: false,
  renorm: false,
  autocast: undefined,
  lora_rank: null,
};

export const snakeCase = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camelCase = (s: string) =>
  s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
export const pascalCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** netspec activation name -> Keras's, for those whose names differ by more than case. */
const ACTIVATION_KERAS: Record<string, string> = { silu: 'swish' };

export function activationToKeras(name: string): string {
  return ACTIVATION_KERAS[name] ?? snakeCase(name);
}

/** A Keras activation name as netspec writes it, or undefined when netspec has none. */
export function activationFromKeras(name: string): string | undefined {
  const camel = camelCase(name);
  return (ACTIVATION_NAMES as readonly string[]).includes(camel) ? camel : undefined;
}
