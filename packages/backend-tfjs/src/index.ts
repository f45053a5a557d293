export { activate, gelu, softmax } from './layers/activations.js';
export type { ApplyContext, ConfigOf, LayerImpl, LayerImpls, WeightPolicy } from './layers/kind.js';
export { LAYER_IMPLS } from './layers/registry.js';
export {
  type BuildOptions,
  buildModel,
  loadWeights,
  saveWeights,
  WeightsError,
} from './model/build.js';
export { initialValues } from './model/initializers.js';
export {
  type ApplyOptions,
  type ForwardResult,
  type ModelWeight,
  NetspecModel,
} from './model/model.js';
export { deriveSeed, Rng } from './random.js';
export { tf } from './tf.js';
