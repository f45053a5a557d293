import { didYouMean } from '@netspec/spec';
import { autoencoder } from './autoencoder.js';
import { BERT_SIZES, bertClassifier } from './bert.js';
import { dcgan } from './gan.js';
import { GPT_SIZES, gptGenerator } from './gpt.js';
import { lenet5, mnistConvnet } from './lenet.js';
import { lstmClassifier, lstmForecaster } from './lstm.js';
import {
  boolean,
  integer,
  number,
  oneOf,
  type PresetOption,
  PresetOptionError,
  type PresetValue,
  parseOverrides,
  rateOption,
} from './preset-options.js';
import { resnet, resnet20 } from './resnet.js';
import type { SpecInput } from './types.js';
import { vae } from './vae.js';
import { vit } from './vit.js';
import { wavenet } from './wavenet.js';

export type PresetName =
  | 'lenet5'
  | 'mnist-convnet'
  | 'resnet18'
  | 'resnet34'
  | 'resnet50'
  | 'resnet20'
  | 'lstm-classifier'
  | 'lstm-forecaster'
  | 'dcgan-mnist'
  | 'vae-mnist'
  | 'conv-vae-mnist'
  | 'autoencoder-mnist'
  | 'denoising-autoencoder-mnist'
  | keyof typeof GPT_SIZES
  | keyof typeof BERT_SIZES
  | 'vit-tiny-mnist'
  | 'wavenet-small';

export interface Preset {
  name: PresetName;
  /** One line. */
  description: string;
  /** The factory options a user may override (`netspec zoo show <name> --set key=value`). */
  options: readonly PresetOption[];
  /** Builds a fresh spec with these option values (the preset's own for the rest). */
  build: (values: Record<string, PresetValue>) => SpecInput;
  /** Builds a fresh spec each call, with the preset's own values. */
  spec: () => SpecInput;
}

/** A preset whose `spec()` is `build` with no overrides; `build` gets the values as options. */
function entry<O>(
  name: PresetName,
  description: string,
  options: readonly PresetOption[],
  build: (values: O) => SpecInput,
): Preset {
  const run = (values: Record<string, PresetValue>) => build(values as O);
  return { name, description, options, build: run, spec: () => run({}) };
}

const classes = (value: number) => integer('classes', value, 'output classes (softmax)');
const dropout = (value: number) => rateOption('dropout', value, 'dropout rate');
const vaeOptions = [
  integer('latentDim', 20, 'latent size'),
  oneOf(
    'inference',
    ['sample', 'mean'],
    'sample',
    'z at inference: drawn, or zMean (deterministic)',
  ),
];

const GPT_OPTIONS = (s: (typeof GPT_SIZES)[keyof typeof GPT_SIZES]) => [
  integer('vocabularySize', 50_257, 'token ids are in [0, vocabularySize) (GPT-2 BPE: 50,257)'),
  integer('contextLength', 1024, 'most positions the model reads (the position table)'),
  integer('layers', s.layers, 'decoder blocks'),
  integer('heads', s.heads, 'attention heads; must divide width'),
  integer('width', s.width, 'model width (embedding size)'),
  integer('intermediate', undefined, 'feed-forward size; default 4 * width'),
  dropout(0.1),
  boolean('tied', true, 'logits from the token-embedding matrix (no separate head weights)'),
];

const BERT_OPTIONS = (s: (typeof BERT_SIZES)[keyof typeof BERT_SIZES]) => [
  integer('vocabularySize', 30_522, 'WordPiece vocabulary (bert-base-uncased: 30,522)'),
  integer('maxPositions', 512, 'most positions (the position table)'),
  integer('typeVocabularySize', 2, 'token types (segments)'),
  integer('layers', s.layers, 'encoder blocks (L)'),
  integer('width', s.width, 'hidden size (H)'),
  integer('heads', s.heads, 'attention heads (A); must divide width'),
  integer('intermediate', undefined, 'feed-forward size; default 4 * width'),
  dropout(0.1),
  integer('numClasses', 2, 'classes of the head (softmax)'),
];

const GPT_PRESETS = Object.entries(GPT_SIZES).map(([name, s]) =>
  entry(
    name as PresetName,
    name === 'gpt2'
      ? 'GPT-2 (124M): 12 layers, 12 heads, width 768, 1024 positions, tied output embedding.'
      : `minGPT's ${name}: ${s.layers} layers, ${s.heads} heads, width ${s.width}, GPT-2 vocabulary.`,
    GPT_OPTIONS(s),
    (o: object) => gptGenerator({ ...s, ...o, name }),
  ),
);

const BERT_PRESETS = Object.entries(BERT_SIZES).map(([name, s]) =>
  entry(
    name as PresetName,
    `BERT ${name.slice(5)} (L=${s.layers}, H=${s.width}, A=${s.heads}) with a 2-class head: input_ids, token_type_ids, attention_mask.`,
    BERT_OPTIONS(s),
    (o: object) => bertClassifier({ ...s, ...o, name }),
  ),
);

export const PRESETS: readonly Preset[] = [
  entry(
    'lenet5',
    "LeNet-5 for 28x28 MNIST, first convolution padded 'same', average pooling, relu.",
    [],
    lenet5,
  ),
  entry(
    'mnist-convnet',
    'The Keras "Simple MNIST convnet" example (two convolutions, dropout, softmax).',
    [],
    mnistConvnet,
  ),
  ...([18, 34, 50] as const).map((depth) =>
    entry(
      `resnet${depth}`,
      `torchvision's ResNet-${depth}${depth === 50 ? ' (v1.5)' : ''} for 224x224 ImageNet, channels-last.`,
      [classes(1000)],
      (o: { classes?: number }) => resnet({ depth, ...o }),
    ),
  ),
  entry(
    'resnet20',
    "He et al.'s CIFAR-10 ResNet-20 with option-A (zero-padded identity) shortcuts.",
    [classes(10)],
    resnet20,
  ),
  entry(
    'lstm-classifier',
    'Bidirectional LSTM(64) over 128-d embeddings of 200 tokens (vocabulary 20,000), 2 classes.',
    [
      integer('vocabularySize', 20_000, 'token ids are in [0, vocabularySize)'),
      integer('sequenceLength', 200, 'tokens per sequence'),
      integer('embeddingDim', 128, 'embedding size'),
      integer('units', 64, 'LSTM units per direction'),
      classes(2),
      boolean('bidirectional', true, 'wrap the LSTM in bidirectional (concat)'),
    ],
    (o: object) => lstmClassifier({ bidirectional: true, ...o }),
  ),
  entry(
    'lstm-forecaster',
    'Stacked LSTM 64-32 forecaster: 24 steps of 1 feature -> the next value, mse.',
    [
      integer('steps', 24, 'time steps in the input window'),
      integer('features', 1, 'features per step'),
      oneOf('cell', ['lstm', 'gru'], 'lstm', 'recurrent cell'),
      integer('horizon', 1, 'values predicted'),
    ],
    lstmForecaster,
  ),
  entry(
    'dcgan-mnist',
    'DCGAN generator and discriminator for 28x28 digits in one spec (gan recipe).',
    [integer('latentDim', 100, 'size of the generator input z')],
    dcgan,
  ),
  entry(
    'vae-mnist',
    'MLP VAE (784-512-20) for 28x28 digits (vae recipe, binaryCrossentropy).',
    vaeOptions,
    (o: object) => vae({ kind: 'mlp', ...o }),
  ),
  entry(
    'conv-vae-mnist',
    'Convolutional VAE (the Keras VAE example, latent 20) for 28x28 digits.',
    vaeOptions,
    (o: object) => vae({ kind: 'conv', ...o }),
  ),
  entry(
    'autoencoder-mnist',
    'Dense autoencoder 784-128-32-128-784 for 28x28 digits (autoencoder recipe).',
    [integer('code', 32, 'size of the code layer')],
    (o: object) => autoencoder({ kind: 'dense', ...o }),
  ),
  entry(
    'denoising-autoencoder-mnist',
    'Convolutional denoising autoencoder (the Keras example), input noise stddev 0.4.',
    [number('noiseStddev', 0.4, 'stddev of the Gaussian noise added to the input')],
    (o: object) =>
      autoencoder({ kind: 'conv', noiseStddev: 0.4, ...o, name: 'denoising-autoencoder-mnist' }),
  ),
  ...GPT_PRESETS,
  ...BERT_PRESETS,
  entry(
    'vit-tiny-mnist',
    'Vision Transformer for 28x28 digits: 16 patches of 7x7, width 64, 4 pre-norm layers, 4 heads.',
    [
      integer('patchSize', 7, 'side of the square patches; must divide 28'),
      integer('width', 64, 'model width'),
      integer('layers', 4, 'encoder blocks'),
      integer('heads', 4, 'attention heads; must divide width'),
      integer('intermediate', undefined, 'feed-forward size; default 4 * width'),
      dropout(0.1),
      classes(10),
    ],
    (o: object) => vit({ ...o, name: 'vit-tiny-mnist' }),
  ),
  entry(
    'wavenet-small',
    'WaveNet: 8 dilated causal layers (receptive field 256), gated units, 256 mu-law levels.',
    [
      integer('quantization', 256, 'amplitude levels (input ids and output classes)'),
      integer('layers', 8, 'dilated layers per stack (dilations 1 .. 2^(layers-1))', 1, 30),
      integer('stacks', 1, 'stacks of dilated layers'),
      integer('residualChannels', 32, 'channels of the residual path'),
      integer('dilationChannels', 32, 'channels of the gated convolutions'),
      integer('skipChannels', 64, 'channels of the skips and the head'),
      integer('kernelSize', 2, 'taps of each dilated convolution'),
    ],
    (o: object) => wavenet({ ...o, name: 'wavenet-small' }),
  ),
];

export const PRESET_NAMES: readonly PresetName[] = PRESETS.map((p) => p.name);

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

function find(name: string): Preset {
  const found = PRESETS.find((p) => p.name === name);
  if (found) return found;
  const close = didYouMean(name, PRESET_NAMES);
  throw new PresetOptionError(
    `unknown zoo preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}${close ? ` (did you mean "${close}"?)` : ''}`,
    name,
  );
}

/** The spec of a named preset; throws a PresetOptionError on an unknown name, listing the known ones. */
export function preset(name: string): SpecInput {
  return find(name).spec();
}

/**
 * The spec of a named preset with options overridden from strings (`--set layers=2`): each
 * value is parsed by its option's type. Throws a PresetOptionError naming the key and what was
 * expected (an unknown key gets a did-you-mean), also when the values do not fit together.
 */
export function buildPreset(name: string, overrides: Record<string, string> = {}): SpecInput {
  const p = find(name);
  const values = parseOverrides(name, p.options, overrides);
  try {
    return p.build(values);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    // The factory's own check ("gptGenerator: heads must divide width 50, got 3").
    const message = e.message.replace(/^[A-Za-z0-9]+: /, '');
    throw new PresetOptionError(`${name}: ${message}`, name);
  }
}
