import { LOSS_NAMES, type Loss, METRIC_NAMES, type Metric, OPTIMIZER_NAMES } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { lossFunction } from './losses.js';
import { createMetric } from './metrics.js';
import { createOptimizer } from './optimizers.js';

// Losses, metrics and optimizers compute the same on wasm as on cpu (a wasm kernel that
// mislabels its dtype, like OneHot's in tfjs 4.22, shows up here as garbage).

const rng = new Rng(4);
const floats = (n: number, lo = 0, hi = 1) =>
  Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
const probs = floats(12, 0.05, 1);
const data = {
  sparse: Array.from({ length: 4 }, () => rng.int(3)),
  binary: Array.from({ length: 12 }, () => rng.int(2)),
  probs,
  real: floats(12, -1, 1),
};

/** Labels and predictions that suit the loss: (B=4, C=3). */
function pair(loss: string): [tf.Tensor, tf.Tensor] {
  const p = tf.softmax(tf.tensor2d(data.probs, [4, 3]));
  if (loss.startsWith('sparse')) return [tf.tensor1d(data.sparse, 'int32'), p];
  if (loss === 'categoricalCrossentropy' || loss === 'kld')
    return [tf.oneHot(tf.tensor1d(data.sparse, 'int32'), 3).cast('float32'), p];
  if (loss === 'binaryCrossentropy' || loss === 'hinge')
    return [tf.tensor2d(data.binary, [4, 3]), tf.sigmoid(tf.tensor2d(data.real, [4, 3]))];
  return [tf.tensor2d(data.real, [4, 3]), tf.tensor2d(data.probs, [4, 3])];
}

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  let out: T | undefined;
  tf.tidy(() => {
    out = f();
  });
  return out as T;
}

describe('training math on wasm equals cpu', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(LOSS_NAMES)('loss %s', async (name) => {
    const value = () => {
      const [t, p] = pair(name);
      return lossFunction(name as Loss)(t, p).dataSync()[0] as number;
    };
    const [cpu, wasm] = [await on('cpu', value), await on('wasm', value)];
    expect(Number.isFinite(cpu) && cpu !== 0).toBe(true);
    expect(Math.abs(wasm - cpu)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu)));
  });

  it.each(METRIC_NAMES)('metric %s', async (name) => {
    const loss = ['precision', 'recall', 'auc'].includes(name)
      ? 'binaryCrossentropy'
      : ['mse', 'mae'].includes(name)
        ? 'mse'
        : 'sparseCategoricalCrossentropy';
    const value = () => {
      const m = createMetric(name as Metric, loss);
      const [t, p] = pair(loss);
      m.update(t, p);
      return m.result();
    };
    const [cpu, wasm] = [await on('cpu', value), await on('wasm', value)];
    expect(Number.isFinite(cpu)).toBe(true);
    expect(Math.abs(wasm - cpu)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu)));
  });

  it.each(OPTIMIZER_NAMES)('optimizer %s', async (name) => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const v = tf.variable(tf.tensor1d([0.5, -1, 2]));
      const opt = createOptimizer(name, [v]);
      for (let i = 0; i < 3; i++) opt.apply([tf.tensor1d([0.1 * i, -0.3, 1])], 0.01);
      const out = Array.from(v.dataSync());
      opt.dispose();
      v.dispose();
      return out;
    };
    const [cpu, wasm] = [await run('cpu'), await run('wasm')];
    expect(cpu).not.toEqual([0.5, -1, 2]);
    cpu.forEach((c, i) => {
      expect(Math.abs((wasm[i] as number) - c)).toBeLessThanOrEqual(1e-6);
    });
  });
});
