import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slice } from '../data/dataset.js';
import { loadMnist } from '../data/mnist.js';
import { buildModel, saveWeights } from '../model/build.js';
import { evaluate } from './evaluate.js';
import { train } from './fit.js';

const mnist = loadMnist({ split: 'train', limit: 600 });
const flat = {
  ...mnist,
  x: {
    x: {
      ...(mnist.x[Object.keys(mnist.x)[0] as string] as never as {
        data: Float32Array;
        shape: number[];
        dtype: 'float32';
      }),
      shape: [600, 784],
    },
  },
};

const mlp = (training: Record<string, unknown> = {}) => ({
  specVersion: 1,
  name: 'mlp',
  inputs: [{ id: 'x', shape: [784] }],
  layers: [
    { id: 'h', type: 'dense', units: 32, activation: 'relu' },
    { id: 'drop', type: 'dropout', rate: 0.1 },
    { id: 'out', type: 'dense', units: 10, activation: 'softmax' },
  ],
  training: {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.003 },
    metrics: ['accuracy'],
    batchSize: 50,
    epochs: 3,
    seed: 3,
    ...training,
  },
});

const weightsAfter = async (spec: unknown, options: Parameters<typeof train>[2] = {}) => {
  const model = buildModel(spec, { seed: 1 });
  const result = await train(model, flat, options);
  const bytes = saveWeights(model);
  model.dispose();
  return { bytes, result };
};

describe('train (fit recipe) on real MNIST digits', () => {
  it('lowers the loss and learns beyond chance, logging every epoch', async () => {
    const model = buildModel(mlp({ validationSplit: 0.2 }), { seed: 1 });
    const batches: number[] = [];
    const { history } = await train(model, flat, {
      onBatch: (e) => batches.push(e.logs.loss as number),
    });
    expect(history).toHaveLength(3);
    expect(batches).toHaveLength(3 * Math.ceil(480 / 50));
    const [first, last] = [history[0], history[2]] as Record<string, number>[];
    expect(last?.loss).toBeLessThan(first?.loss as number);
    expect(last?.valAccuracy).toBeGreaterThan(0.6);
    expect(Object.keys(last ?? {})).toEqual(
      expect.arrayContaining(['loss', 'accuracy', 'valLoss', 'valAccuracy']),
    );
    const test = evaluate(model, {
      ...flat,
      ...slice(flat, 480, 600),
      x: { x: { ...flat.x.x, data: flat.x.x.data.subarray(480 * 784), shape: [120, 784] } },
    });
    expect(test.accuracy).toBeCloseTo(last?.valAccuracy as number, 6);
    model.dispose();
  });

  it('gives bit-identical weights for the same seed and data', async () => {
    const a = await weightsAfter(mlp());
    const b = await weightsAfter(mlp());
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const c = await weightsAfter(mlp({ seed: 4 }));
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
  });

  it('resumes an aborted run exactly where it stopped', async () => {
    const straight = await weightsAfter(mlp());
    const dir = mkdtempSync(join(tmpdir(), 'netspec-fit-'));
    const controller = new AbortController();
    let batches = 0;
    const first = buildModel(mlp(), { seed: 1 });
    const stopped = await train(first, flat, {
      runDir: dir,
      signal: controller.signal,
      onBatch: () => {
        if (++batches === 17) controller.abort();
      },
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.state.epoch).toBe(1);
    first.dispose();
    const resumed = buildModel(mlp(), { seed: 99 });
    const done = await train(resumed, flat, { runDir: dir, resume: true });
    expect(done.aborted).toBe(false);
    expect(done.history).toHaveLength(3);
    expect(Buffer.from(saveWeights(resumed)).equals(Buffer.from(straight.bytes))).toBe(true);
    resumed.dispose();
  });

  it('stops early when the monitored value stops improving', async () => {
    const { result } = await weightsAfter(
      mlp({
        epochs: 20,
        validationSplit: 0.2,
        optimizer: { type: 'sgd', learningRate: 1e-9 },
        earlyStopping: { monitor: 'valLoss', patience: 1, minDelta: 0.01 },
      }),
    );
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(5);
  });
});

describe('class weights', () => {
  it('weight each sample by its class in training, not in validation (Keras)', async () => {
    const { SupervisedStep, classWeights } = await import('./supervised.js');
    const { tf } = await import('../tf.js');
    // sparse labels [2, 0, 1] with weights {0: 0.5, 2: 3} and class 1 unlisted (weight 1)
    const w = classWeights(tf.tensor1d([2, 0, 1], 'int32'), { '0': 0.5, '2': 3 });
    expect(Array.from(w.dataSync())).toEqual([3, 0.5, 1]);
    const oneHot = classWeights(
      tf.tensor2d([
        [0, 0, 1],
        [1, 0, 0],
      ]),
      { '0': 0.5, '2': 3 },
    );
    expect(Array.from(oneHot.dataSync())).toEqual([3, 0.5]);

    const spec = (classWeight?: Record<string, number>) =>
      mlp({
        optimizer: { type: 'sgd', learningRate: 1e-9 },
        ...(classWeight ? { classWeight } : {}),
      });
    const lossOf = (classWeight?: Record<string, number>) => {
      const model = buildModel(spec(classWeight), { seed: 1 });
      const step = new SupervisedStep(model, model.resolved.spec.training as never);
      const x = tf.tensor2d(flat.x.x.data.subarray(0, 50 * 784), [50, 784]);
      const label = flat.y[Object.keys(flat.y)[0] as string] as { data: Int32Array };
      const batch = {
        x: { x },
        y: { out: tf.tensor1d(label.data.subarray(0, 50), 'int32') },
        size: 50,
      };
      step.train(batch, { step: 0, seed: 0 });
      step.validate(batch);
      const logs = step.logs();
      model.dispose();
      return logs;
    };
    const plain = lossOf();
    const doubled = lossOf(
      Object.fromEntries(Array.from({ length: 10 }, (_, c) => [String(c), 2])),
    );
    // sum_over_batch_size: every weight 2 doubles the training loss; validation ignores them.
    expect(doubled.loss).toBeCloseTo(2 * (plain.loss as number), 4);
    expect(doubled.valLoss).toBeCloseTo(plain.valLoss as number, 4);
  });
});

describe('bad data', () => {
  it('names the input, the expected sample shape and what came, before training', async () => {
    const model = buildModel(mlp(), { seed: 1 });
    const wrong = { ...flat, x: { x: { ...flat.x.x, shape: [600, 28, 28] } } };
    await expect(train(model, wrong)).rejects.toThrow(
      'input "x": expected samples of shape [784], got [28, 28] (data shape [600, 28, 28])',
    );
    const ints = {
      ...flat,
      x: { x: { data: new Int32Array(600 * 784), shape: [600, 784], dtype: 'int32' as const } },
    };
    await expect(train(model, ints)).rejects.toThrow('input "x": expected float32 data, got int32');
    model.dispose();
  });
});

describe('memory', () => {
  it('leaves no tensors behind after training and checkpointing', async () => {
    const { tf } = await import('../tf.js');
    const model = buildModel(mlp({ epochs: 2, validationSplit: 0.2 }), { seed: 1 });
    const before = tf.memory().numTensors;
    await train(model, flat, { runDir: mkdtempSync(join(tmpdir(), 'netspec-mem-')) });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('determinism on wasm', () => {
  it('gives bit-identical LeNet-5 weights for the same seed and data', async () => {
    const { useEngine } = await import('../engine.js');
    const { tf } = await import('../tf.js');
    const { LENET5_LAYERS } = await import('../examples/specs.js');
    await useEngine('wasm');
    try {
      const images = loadMnist({ split: 'train', limit: 256 });
      const spec = {
        specVersion: 1,
        name: 'lenet5',
        inputs: [{ id: 'image', shape: [28, 28, 1] }],
        layers: LENET5_LAYERS,
        training: {
          loss: 'sparseCategoricalCrossentropy',
          optimizer: 'adam',
          batchSize: 64,
          epochs: 2,
          seed: 5,
        },
      };
      const run = async () => {
        const model = buildModel(spec, { seed: 1 });
        await train(model, images);
        const bytes = Buffer.from(saveWeights(model));
        model.dispose();
        return bytes;
      };
      expect((await run()).equals(await run())).toBe(true);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
