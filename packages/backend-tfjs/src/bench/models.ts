import { LENET5_LAYERS } from '../examples/specs.js';

// The benchmark's models: the classic families of issue 4, at sizes a 2-core CPU trains.

type Spec = Record<string, unknown>;

const training = (loss: unknown, batchSize: number) => ({
  loss,
  optimizer: { type: 'adam', learningRate: 0.001 },
  batchSize,
});
const sparse = 'sparseCategoricalCrossentropy';

export interface BenchModel {
  name: string;
  spec: Spec;
  /** Inputs by name: shape without batch, int32 vocabulary size for token inputs. */
  inputs: { name: string; shape: number[]; vocabulary?: number }[];
  /** Target: number of classes per position, with its shape. */
  target: { shape: number[]; classes: number };
}

const mlp: BenchModel = {
  name: 'mlp',
  spec: {
    specVersion: 1,
    name: 'mlp',
    inputs: [{ id: 'x', shape: [784] }],
    layers: [
      { id: 'h1', type: 'dense', units: 256, activation: 'relu' },
      { id: 'h2', type: 'dense', units: 128, activation: 'relu' },
      { id: 'out', type: 'dense', units: 10, activation: 'softmax' },
    ],
    training: training(sparse, 64),
  },
  inputs: [{ name: 'x', shape: [784] }],
  target: { shape: [], classes: 10 },
};

const lenet5: BenchModel = {
  name: 'lenet5',
  spec: {
    specVersion: 1,
    name: 'lenet5',
    inputs: [{ id: 'image', shape: [28, 28, 1] }],
    layers: LENET5_LAYERS,
    training: training(sparse, 64),
  },
  inputs: [{ name: 'image', shape: [28, 28, 1] }],
  target: { shape: [], classes: 10 },
};

const residual = (filters: number) => ({
  inputs: ['x'],
  layers: [
    { id: 'conv1', type: 'conv2d', filters, kernelSize: 3, padding: 'same', useBias: false },
    { id: 'bn1', type: 'batchNorm' },
    { id: 'relu1', type: 'activation', activation: 'relu' },
    { id: 'conv2', type: 'conv2d', filters, kernelSize: 3, padding: 'same', useBias: false },
    { id: 'bn2', type: 'batchNorm' },
    { id: 'skip', type: 'add', inputs: ['x', 'bn2'] },
    { id: 'out', type: 'activation', activation: 'relu' },
  ],
});

const resnet: BenchModel = {
  name: 'resnet-small',
  spec: {
    specVersion: 1,
    name: 'resnet_small',
    inputs: [{ id: 'image', shape: [32, 32, 3] }],
    layers: [
      {
        id: 'stem',
        type: 'conv2d',
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      },
      { id: 'stage1', type: 'block', block: 'res16', repeat: 2 },
      {
        id: 'down',
        type: 'conv2d',
        filters: 32,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      },
      { id: 'stage2', type: 'block', block: 'res32', repeat: 2 },
      { id: 'pool', type: 'globalAvgPool2d' },
      { id: 'out', type: 'dense', units: 10, activation: 'softmax' },
    ],
    blocks: { res16: residual(16), res32: residual(32) },
    training: training(sparse, 64),
  },
  inputs: [{ name: 'image', shape: [32, 32, 3] }],
  target: { shape: [], classes: 10 },
};

const lstm: BenchModel = {
  name: 'lstm',
  spec: {
    specVersion: 1,
    name: 'lstm_classifier',
    inputs: [{ id: 'tokens', shape: [64], dtype: 'int32' }],
    layers: [
      { id: 'embed', type: 'embedding', inputDim: 1000, outputDim: 64 },
      { id: 'lstm', type: 'lstm', units: 64 },
      { id: 'out', type: 'dense', units: 2, activation: 'softmax' },
    ],
    training: training(sparse, 64),
  },
  inputs: [{ name: 'tokens', shape: [64], vocabulary: 1000 }],
  target: { shape: [], classes: 2 },
};

const gpt: BenchModel = {
  name: 'gpt-small',
  spec: {
    specVersion: 1,
    name: 'gpt_small',
    inputs: [{ id: 'tokens', shape: [64], dtype: 'int32' }],
    layers: [
      {
        id: 'embed',
        type: 'tokenAndPositionEmbedding',
        vocabularySize: 256,
        sequenceLength: 64,
        embeddingDim: 128,
      },
      { id: 'decoder', type: 'block', block: 'layer', repeat: 2 },
      { id: 'norm', type: 'layerNorm', epsilon: 1e-5 },
      { id: 'logits', type: 'dense', units: 256 },
    ],
    blocks: {
      layer: {
        layers: [
          {
            id: 'd',
            type: 'transformerDecoder',
            intermediateDim: 512,
            numHeads: 4,
            normalizeFirst: true,
            activation: 'gelu',
          },
        ],
      },
    },
    training: training({ type: sparse, fromLogits: true }, 16),
  },
  inputs: [{ name: 'tokens', shape: [64], vocabulary: 256 }],
  target: { shape: [64], classes: 256 },
};

export const BENCH_MODELS: BenchModel[] = [mlp, lenet5, resnet, lstm, gpt];
