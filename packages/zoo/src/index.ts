export { type AutoencoderOptions, autoencoder } from './autoencoder.js';
export { BERT_SIZES, type BertOptions, bertClassifier } from './bert.js';
export { type DcganOptions, dcgan } from './gan.js';
export {
  type GeneratedToken,
  type GenerateOptions,
  type GenerationResult,
  generate,
  type RunnerScorerOptions,
  runnerScorer,
  type SamplingOptions,
  type StopReason,
  seededRandom,
} from './generate/index.js';
export { GPT_SIZES, type GptOptions, gptGenerator } from './gpt.js';
export { lenet5, mnistConvnet } from './lenet.js';
export {
  type LstmClassifierOptions,
  type LstmForecasterOptions,
  lstmClassifier,
  lstmForecaster,
} from './lstm.js';
export { type MlpOptions, mlp } from './mlp.js';
export {
  describeOption,
  type PresetOption,
  PresetOptionError,
  type PresetOptionType,
  type PresetValue,
} from './preset-options.js';
export {
  buildPreset,
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
export {
  type DecodeOptions,
  type EncodeOptions,
  loadTokenizer,
  type SpecialTokens,
  type Tokenizer,
  TokenizerError,
  type TokenizerJson,
  type TokenizerKind,
  type TrainTokenizerOptions,
  trainTokenizer,
} from './tokenizers/index.js';
export type { ActivationInput, BlockInput, LayerInput, SpecInput } from './types.js';
export { type VaeOptions, vae } from './vae.js';
export { type VitOptions, vit } from './vit.js';
export { type WavenetOptions, wavenet } from './wavenet.js';
