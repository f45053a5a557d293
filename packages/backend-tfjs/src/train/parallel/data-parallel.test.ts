import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../engine.js';
import { buildModel, saveWeights } from '../../model/build.js';
import { Rng } from '../../random.js';
import type { Examples } from '../examples.js';
import { type TrainOptions, train } from '../fit.js';

// Data-parallel training on the wasm engine, 2 threads (CI has 2 cores). The training threads run
// the built package (dist/): build before testing, as CI does.

const N = 256;
const rng = new Rng(7);
/** 16 features, 4 classes given by the largest of four sums of features: learnable, not trivial. */
const features = Float32Array.from({ length: N * 16 }, () => rng.next() * 2 - 1);
const labels = Int32Array.from({ length: N }, (_, i) => {
  const sums = [0, 1, 2, 3].map((c) =>
    features.subarray(i * 16, i * 16 + 16).reduce((s, v, j) => s + (j % 4 === c ? v : 0), 0),
  );
  return sums.indexOf(Math.max(...sums));
});
const data: Examples = {
  x: { x: { data: features, shape: [N, 16], dtype: 'float32' } },
  y: { y: { data: labels, shape: [N], dtype: 'int32' } },
  size: N,
};

const spec = (training: Record<string, unknown> = {}, extra: object[] = []) => ({
  specVersion: 1,
  name: 'mlp',
  inputs: [{ id: 'x', shape: [16] }],
  layers: [
    { id: 'h', type: 'dense', units: 32, activation: 'relu' },
    ...extra,
    { id: 'out', type: 'dense', units: 4, activation: 'softmax' },
  ],
  training: {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: { type: 'sgd', learningRate: 0.1 },
    metrics: ['accuracy'],
    batchSize: 32,
    epochs: 2,
    seed: 5,
    ...training,
  },
});

async function run(s: object, options: TrainOptions) {
  const model = buildModel(s, { seed: 1 });
  const result = await train(model, data, options);
  const bytes = Buffer.from(saveWeights(model));
  const weights = [...model.weights.values()].map((w) => w.variable.dataSync().slice());
  model.dispose();
  return { result, bytes, weights };
}

beforeAll(async () => {
  await useEngine('wasm');
});

describe('training on 2 threads', () => {
  it('gives bit-identical weights on two runs with the same seed (dropout included)', async () => {
    const dropout = spec({ optimizer: 'adam' }, [{ id: 'd', type: 'dropout', rate: 0.2 }]);
    const a = await run(dropout, { threads: 2 });
    const b = await run(dropout, { threads: 2 });
    expect(a.result.threads).toBe(2);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const other = await run(dropout, { threads: 2, seed: 6 });
    expect(a.bytes.equals(other.bytes)).toBe(false);
  });

  it('matches 1-thread training up to float summation order (loss, accuracy, weights)', async () => {
    // Without dropout or batch norm the threads compute exactly the 1-thread step: each shard's
    // mean loss gradient weighted by its share of the batch is the batch's mean gradient. Only
    // the order of float32 additions differs (per-shard sums, then the weighted sum), which moves
    // a gradient by a few ulps (~1e-7 relative); 16 SGD steps of learning rate 0.1 keep that at
    // the same order in weights and logs: the differences seen are 1e-8 to 3e-8. 1e-6 leaves a
    // 30x margin and is far below a real error (a shard weighted wrong moves the loss ~1e-2).
    const one = await run(spec(), { threads: 1 });
    const two = await run(spec(), { threads: 2 });
    expect(two.result.threads).toBe(2);
    for (const [e, row] of one.result.history.entries()) {
      const other = two.result.history[e] as Record<string, number>;
      expect(Math.abs((other.loss as number) - (row.loss as number))).toBeLessThan(1e-6);
      expect(other.accuracy).toBeCloseTo(row.accuracy as number, 9);
    }
    for (const [i, w] of one.weights.entries()) {
      const v = two.weights[i] as Float32Array;
      const worst = Math.max(...w.map((x, j) => Math.abs(x - (v[j] as number))));
      expect(worst).toBeLessThan(1e-6);
    }
  });

  it('resumes an aborted 2-thread run to the same weights, bit for bit', async () => {
    const s = spec({ optimizer: 'adam', epochs: 3 }, [{ id: 'd', type: 'dropout', rate: 0.2 }]);
    const straight = await run(s, { threads: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'netspec-threads-'));
    const controller = new AbortController();
    let batches = 0;
    const stopped = await run(s, {
      threads: 2,
      runDir: dir,
      signal: controller.signal,
      onBatch: () => {
        if (++batches === 11) controller.abort();
      },
    });
    expect(stopped.result.aborted).toBe(true);
    const model = buildModel(s, { seed: 99 });
    const done = await train(model, data, { threads: 2, runDir: dir, resume: true });
    expect(done.aborted).toBe(false);
    expect(Buffer.from(saveWeights(model)).equals(straight.bytes)).toBe(true);
    model.dispose();
  });

  it("trains batch norm (moving statistics from the main thread's shard) and small last batches", async () => {
    const bn = spec({ batchSize: 40 }, [{ id: 'bn', type: 'batchNorm' }]);
    // 256 = 6 batches of 40 (20 + 20 samples per thread) and one of 16 (8 + 8).
    const a = await run(bn, { threads: 2 });
    const b = await run(bn, { threads: 2 });
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const [first, last] = [a.result.history[0], a.result.history[1]] as Record<string, number>[];
    expect(last?.loss).toBeLessThan(first?.loss as number);
  });

  it('trains the causalLm recipe (GPT training) on the threads, matching 1 thread', async () => {
    // Sequences of 9 tokens counting up mod 10: the model reads 8 and predicts the next 8.
    const seqs = Int32Array.from({ length: 64 * 9 }, (_, i) => (Math.floor(i / 9) + (i % 9)) % 10);
    const lm = {
      specVersion: 1,
      name: 'lm',
      inputs: [{ id: 'tokens', shape: [8], dtype: 'int32' }],
      layers: [
        { id: 'embed', type: 'embedding', inputDim: 10, outputDim: 8 },
        { id: 'logits', type: 'dense', units: 10 },
      ],
      training: {
        loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
        optimizer: { type: 'sgd', learningRate: 0.5 },
        batchSize: 16,
        epochs: 2,
        recipe: { type: 'causalLm' },
      },
    };
    const lmData = {
      x: { tokens: { data: seqs, shape: [64, 9], dtype: 'int32' as const } },
      y: {},
      size: 64,
    };
    const trainLm = async (threads: number) => {
      const model = buildModel(lm, { seed: 1 });
      const result = await train(model, lmData, { threads });
      model.dispose();
      return result;
    };
    const [one, two] = [await trainLm(1), await trainLm(2)];
    expect(two.threads).toBe(2);
    // The same bound and reason as the supervised comparison above.
    for (const [e, row] of one.history.entries())
      expect(Math.abs((two.history[e]?.loss as number) - (row.loss as number))).toBeLessThan(1e-6);
  });
});
