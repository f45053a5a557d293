import type { LayerInput, SpecInput } from './types.js';

export interface LstmClassifierOptions {
  /** Token ids are in [0, vocabularySize); default 20,000. */
  vocabularySize?: number;
  /** Tokens per sequence (int32 input of shape [sequenceLength]); default 200. */
  sequenceLength?: number;
  /** Embedding size; default 128. */
  embeddingDim?: number;
  /** LSTM units (per direction); default 64. */
  units?: number;
  /** Output classes (softmax); 1 gives a single sigmoid unit. Default 2. */
  classes?: number;
  /** Wrap the LSTM in `bidirectional` (concat); default false. */
  bidirectional?: boolean;
  name?: string;
}

/** A sequence classifier: embedding -> lstm (or bidirectional lstm) -> dense softmax. */
export function lstmClassifier(options: LstmClassifierOptions = {}): SpecInput {
  const {
    vocabularySize = 20_000,
    sequenceLength = 200,
    embeddingDim = 128,
    units = 64,
    classes = 2,
    bidirectional = false,
  } = options;
  const lstm = { type: 'lstm' as const, units };
  const recurrent: LayerInput = bidirectional
    ? { id: 'bilstm', type: 'bidirectional', layer: lstm }
    : { id: 'lstm', ...lstm };
  const binary = classes === 1;
  return {
    specVersion: 1,
    name: options.name ?? 'lstm-classifier',
    description: `${bidirectional ? 'Bidirectional ' : ''}LSTM(${units}) classifier over ${embeddingDim}-d embeddings of ${sequenceLength} tokens (vocabulary ${vocabularySize}), ${classes} classes.`,
    inputs: [{ id: 'tokens', shape: [sequenceLength], dtype: 'int32' }],
    layers: [
      { id: 'embedding', type: 'embedding', inputDim: vocabularySize, outputDim: embeddingDim },
      recurrent,
      {
        id: 'probs',
        type: 'dense',
        units: classes,
        activation: binary ? 'sigmoid' : 'softmax',
      },
    ],
    training: {
      loss: binary ? 'binaryCrossentropy' : 'sparseCategoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.001 },
      metrics: ['accuracy'],
      batchSize: 32,
      epochs: 5,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}

export interface LstmForecasterOptions {
  /** Time steps in the input window; default 24. */
  steps?: number;
  /** Features per step; default 1. */
  features?: number;
  /** Units of each stacked recurrent layer, in order; default [64, 32]. */
  units?: number[];
  /** Recurrent cell; default lstm. */
  cell?: 'lstm' | 'gru';
  /** Values predicted (linear dense output); default 1. */
  horizon?: number;
  name?: string;
}

/**
 * A time-series forecaster: stacked LSTM or GRU layers (returnSequences on all but the last), a
 * linear dense output of `horizon` values, mse loss.
 */
export function lstmForecaster(options: LstmForecasterOptions = {}): SpecInput {
  const { steps = 24, features = 1, units = [64, 32], cell = 'lstm', horizon = 1 } = options;
  if (units.length === 0) throw new Error('lstmForecaster: units needs at least one layer');
  const layers: LayerInput[] = units.map((u, i) => ({
    id: `${cell}${i + 1}`,
    type: cell,
    units: u,
    ...(i < units.length - 1 ? { returnSequences: true } : {}),
  }));
  layers.push({ id: 'forecast', type: 'dense', units: horizon });
  return {
    specVersion: 1,
    name: options.name ?? 'lstm-forecaster',
    description: `Stacked ${cell.toUpperCase()} (${units.join('-')}) forecaster: ${steps} steps of ${features} features -> ${horizon} values.`,
    inputs: [{ id: 'series', shape: [steps, features], dtype: 'float32' }],
    layers,
    training: {
      loss: 'mse',
      optimizer: { type: 'adam', learningRate: 0.001 },
      metrics: ['mae'],
      batchSize: 32,
      epochs: 20,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}
