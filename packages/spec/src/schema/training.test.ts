import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EarlyStopping,
  Loss,
  Metric,
  metricObject,
  Optimizer,
  optimizerObject,
  Schedule,
  Training,
  trainingIssues,
} from './training.js';

const parse = (t: unknown) => Training.parse(t);

describe('training defaults', () => {
  it('fills the Keras defaults around a bare loss', () => {
    expect(parse({ loss: 'mse' })).toEqual({
      loss: 'mse',
      optimizer: 'rmsprop',
      metrics: [],
      batchSize: 32,
      epochs: 1,
      validationSplit: 0,
      shuffle: true,
    });
  });
  it('fills object defaults for losses, optimizers and metrics', () => {
    expect(Loss.parse({ type: 'huber' })).toEqual({ type: 'huber', delta: 1 });
    expect(Loss.parse({ type: 'binaryCrossentropy' })).toEqual({
      type: 'binaryCrossentropy',
      fromLogits: false,
      labelSmoothing: 0,
    });
    expect(Optimizer.parse({ type: 'adamw' })).toEqual({
      type: 'adamw',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: 0.004,
    });
    expect(Metric.parse({ type: 'auc' })).toEqual({
      type: 'auc',
      numThresholds: 200,
      curve: 'ROC',
    });
  });
  it('expands bare names to objects', () => {
    expect(optimizerObject('sgd')).toEqual({
      type: 'sgd',
      learningRate: 0.01,
      momentum: 0,
      nesterov: false,
    });
    expect(optimizerObject('rmsprop')).toMatchObject({ rho: 0.9, centered: false });
    expect(metricObject('topKAccuracy')).toEqual({ type: 'topKAccuracy', k: 5 });
    expect(metricObject('f1')).toEqual({ type: 'f1', average: null });
  });
  it('fills schedule and early-stopping defaults', () => {
    const plateau = Schedule.parse({ type: 'reduceOnPlateau', initialLearningRate: 0.01 });
    expect(plateau).toMatchObject({ monitor: 'valLoss', factor: 0.1, patience: 10, mode: 'auto' });
    expect(EarlyStopping.parse({})).toEqual({
      monitor: 'valLoss',
      minDelta: 0,
      patience: 0,
      mode: 'auto',
      restoreBestWeights: false,
      startFromEpoch: 0,
    });
  });
});

const full = {
  loss: { out: { type: 'categoricalCrossentropy', labelSmoothing: 0.1 }, aux: 'mse' },
  lossWeights: { out: 1, aux: 0.5 },
  optimizer: {
    type: 'adam',
    learningRate: { type: 'cosineDecay', initialLearningRate: 0.001, decaySteps: 1000 },
    clipNorm: 1,
  },
  metrics: ['accuracy', { type: 'f1', average: 'macro', threshold: 0.4 }],
  batchSize: 64,
  epochs: 10,
  validationSplit: 0.2,
  seed: 42,
  classWeight: { '0': 1, '1': 2.5 },
  earlyStopping: { patience: 3, restoreBestWeights: true, baseline: 0.5 },
};

const accepted: [string, unknown][] = [
  ['a bare loss', { loss: 'sparseCategoricalCrossentropy' }],
  ['every option', full],
  ['a loss object', { loss: { type: 'cosineSimilarity', axis: 1 } }],
  ['an output map', { loss: { 'decoder:1': 'kld' } }],
  ['a bare optimizer', { loss: 'mae', optimizer: 'adamax' }],
  ['sgd with momentum', { loss: 'mae', optimizer: { type: 'sgd', momentum: 0.9, nesterov: true } }],
  [
    'a piecewise schedule',
    {
      loss: 'hinge',
      optimizer: {
        type: 'sgd',
        learningRate: { type: 'piecewiseConstantDecay', boundaries: [100], values: [0.1, 0.01] },
      },
    },
  ],
  ['an f1 with null average', { loss: 'mse', metrics: [{ type: 'f1', average: null }] }],
];

const rejected: [string, unknown][] = [
  ['no loss', {}],
  ['a negative learning rate', { loss: 'mse', optimizer: { type: 'adam', learningRate: -0.1 } }],
  ['a zero learning rate', { loss: 'mse', optimizer: { type: 'adam', learningRate: 0 } }],
  ['an unknown loss name', { loss: 'meanSquaredError' }],
  ['labelSmoothing 2', { loss: { type: 'binaryCrossentropy', labelSmoothing: 2 } }],
  ['an unknown key', { loss: 'mse', learningRate: 0.1 }],
  ['an unknown optimizer key', { loss: 'mse', optimizer: { type: 'sgd', lr: 0.1 } }],
  ['a negative clipNorm', { loss: 'mse', optimizer: { type: 'sgd', clipNorm: -1 } }],
  ['validationSplit 1', { loss: 'mse', validationSplit: 1 }],
  ['a fractional batch size', { loss: 'mse', batchSize: 2.5 }],
  ['a class weight keyed by name', { loss: 'mse', classWeight: { cat: 1 } }],
  ['a negative class weight', { loss: 'mse', classWeight: { '0': -1 } }],
  ['an unknown metric', { loss: 'mse', metrics: ['accurasy'] }],
  ['an unknown f1 average', { loss: 'mse', metrics: [{ type: 'f1', average: 'samples' }] }],
  ['an output map with a bad ref', { loss: { 'a.b': 'mse' } }],
  [
    'a schedule without decaySteps',
    {
      loss: 'mse',
      optimizer: {
        type: 'sgd',
        learningRate: { type: 'exponentialDecay', initialLearningRate: 0.1, decayRate: 0.9 },
      },
    },
  ],
  [
    'a plateau factor of 1',
    {
      loss: 'mse',
      optimizer: {
        type: 'adam',
        learningRate: { type: 'reduceOnPlateau', initialLearningRate: 0.1, factor: 1 },
      },
    },
  ],
  ['a negative seed', { loss: 'mse', seed: -1 }],
  ['an early stopping mode', { loss: 'mse', earlyStopping: { mode: 'lowest' } }],
];

describe('training validation', () => {
  const validate = new Ajv2020({ allErrors: true }).compile(
    z.toJSONSchema(Training, { io: 'input' }),
  );

  it.each(accepted)('accepts %s (zod and the JSON Schema agree)', (_, value) => {
    expect(Training.safeParse(value).success).toBe(true);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });
  it.each(rejected)('rejects %s (zod and the JSON Schema agree)', (_, value) => {
    expect(Training.safeParse(value).success).toBe(false);
    expect(validate(value)).toBe(false);
  });
  it('names the expectation in the message', () => {
    const r = Optimizer.safeParse({ type: 'adam', beta1: 1 });
    expect(r.error?.issues[0]?.message).toBe('a number >= 0 and < 1');
  });
});

describe('trainingIssues', () => {
  it('is empty for a consistent section', () => {
    expect(trainingIssues(parse(full))).toEqual([]);
  });
  it('checks piecewise lengths and order', () => {
    const learningRate = { type: 'piecewiseConstantDecay', boundaries: [10, 5], values: [1, 2] };
    const issues = trainingIssues(parse({ loss: 'mse', optimizer: { type: 'sgd', learningRate } }));
    expect(issues.map((i) => i.path.join('/'))).toEqual([
      'optimizer/learningRate/values',
      'optimizer/learningRate/boundaries/1',
    ]);
    expect(issues[0]?.message).toBe('expected 3 values (one more than boundaries), got 2');
  });
  it('rejects clipNorm with globalClipNorm and weights for unknown outputs', () => {
    const t = parse({
      loss: { a: 'mse' },
      lossWeights: { b: 1 },
      optimizer: { type: 'adam', clipNorm: 1, globalClipNorm: 1 },
    });
    expect(trainingIssues(t).map((i) => i.path.join('/'))).toEqual([
      'optimizer/globalClipNorm',
      'lossWeights/b',
    ]);
  });
});
