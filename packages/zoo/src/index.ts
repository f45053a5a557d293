export { type AutoencoderOptions, autoencoder } from './autoencoder.js';
export { type DcganOptions, dcgan } from './gan.js';
export { lenet5, mnistConvnet } from './lenet.js';
export {
  type LstmClassifierOptions,
  type LstmForecasterOptions,
  lstmClassifier,
  lstmForecaster,
} from './lstm.js';
export { type MlpOptions, mlp } from './mlp.js';
export {
  isPresetName,
  PRESET_NAMES,
  PRESETS,
  type Preset,
  type PresetName,
  preset,
} from './presets.js';
export {
  type Resnet20Options,
  type ResnetDepth,
  type ResnetOptions,
  resnet,
  resnet20,
} from './resnet.js';
export type { ActivationInput, BlockInput, LayerInput, SpecInput } from './types.js';
export { type VaeOptions, vae } from './vae.js';
