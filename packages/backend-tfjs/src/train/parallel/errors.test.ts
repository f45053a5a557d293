import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../engine.js';
import { buildModel } from '../../model/build.js';
import { TrainingThreadError, TrainingThreads } from './pool.js';
import { SharedArrays, SharedWeights } from './weights.js';

// Failures in a training thread become one clear error on the main thread, and threads never
// keep a process alive.

const spec = {
  specVersion: 1,
  name: 'tiny',
  inputs: [{ id: 'x', shape: [4] }],
  layers: [{ id: 'out', type: 'dense', units: 2, activation: 'softmax' }],
  training: { loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', batchSize: 8 },
};
const training = {
  loss: 'sparseCategoricalCrossentropy',
  optimizer: 'sgd',
  metrics: [],
} as never;

beforeAll(async () => {
  await useEngine('wasm');
});

describe('training thread errors', () => {
  it('a thread that cannot build the model rejects the start, naming the thread and why', async () => {
    const weights = SharedWeights.of(buildModel(spec));
    const start = TrainingThreads.start(1, {
      engine: 'wasm',
      spec: { ...spec, layers: [{ id: 'out', type: 'dense', units: 0 }] },
      training,
      layout: weights.layout,
      weights: weights.buffer,
      grads: [new SharedArrays([8, 2]).buffer],
      outputs: true,
    });
    await expect(start).rejects.toThrow(TrainingThreadError);
    await expect(start).rejects.toThrow(/training thread 1 could not build the model: .*units/);
  });

  it('a step that fails in a thread throws on the main thread, and the threads stay failed', async () => {
    const model = buildModel(spec);
    const weights = SharedWeights.of(model);
    weights.write(model);
    const threads = await TrainingThreads.start(1, {
      engine: 'wasm',
      spec,
      training,
      layout: weights.layout,
      weights: weights.buffer,
      grads: [new SharedArrays([8, 2]).buffer],
      outputs: true,
    });
    try {
      // 3 features where the model reads 4: the thread's matmul throws.
      const x = { x: { data: new Float32Array(12), shape: [4, 3], dtype: 'float32' as const } };
      const y = { out: { data: new Int32Array(4), shape: [4], dtype: 'int32' as const } };
      threads.request(0, { type: 'step', seed: 1, x, y, size: 4 });
      expect(() => threads.receive(0)).toThrow(/training thread 1 failed: /);
      expect(() => threads.request(0, { type: 'step', seed: 1, x, y, size: 4 })).toThrow(
        TrainingThreadError,
      );
    } finally {
      threads.dispose();
      model.dispose();
    }
  });
});

describe('threads after a failure on the main thread', () => {
  it('a thread whose reply was never read is not reused by the next run', async () => {
    const model = buildModel(spec);
    const weights = SharedWeights.of(model);
    weights.write(model);
    const options = () => ({
      engine: 'wasm',
      spec,
      training,
      layout: weights.layout,
      weights: weights.buffer,
      grads: [new SharedArrays([8, 2]).buffer],
      outputs: true,
    });
    const x = () => ({
      x: { data: new Float32Array(16), shape: [4, 4], dtype: 'float32' as const },
    });
    const y = () => ({ out: { data: new Int32Array(4), shape: [4], dtype: 'int32' as const } });
    const first = await TrainingThreads.start(1, options());
    // As when the main thread's own shard throws: the thread's step is sent, never read.
    first.request(0, { type: 'step', seed: 1, x: x(), y: y(), size: 4 });
    first.dispose();
    const second = await TrainingThreads.start(1, options());
    try {
      second.request(0, { type: 'step', seed: 1, x: x(), y: y(), size: 4 });
      expect(second.receive(0).type).toBe('result');
    } finally {
      second.dispose();
      model.dispose();
    }
  });
});

describe('process exit', () => {
  const index = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));
  /** Runs a script in a fresh Node process; resolves with its exit code and output. */
  const node = (script: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error.code as number | null) ?? null) : 0,
            out: stdout + stderr,
          }),
      );
    });
  const prelude = `
    const t = await import(${JSON.stringify(index)});
    await t.useEngine('wasm');
    const spec = ${JSON.stringify(spec)};
    const data = { x: { x: { data: new Float32Array(64 * 4), shape: [64, 4], dtype: 'float32' } },
      y: { y: { data: new Int32Array(64), shape: [64], dtype: 'int32' } }, size: 64 };`;

  it('ends by itself after training on threads (idle threads hold nothing open)', async () => {
    const { code, out } = await node(`${prelude}
      const r = await t.train(t.buildModel(spec), data, { threads: 2, epochs: 2 });
      console.log('trained on', r.threads);`);
    expect(out).toContain('trained on 2');
    expect(code).toBe(0);
  });

  it('ends, with the error, when a thread fails', async () => {
    const { code, out } = await node(`${prelude}
      const model = t.buildModel(spec);
      // A model built on the main thread only: the threads cannot build this spec.
      model.resolved.spec.layers[0].units = 0;
      await t.train(model, data, { threads: 2 });`);
    expect(out).toMatch(/TrainingThreadError: training thread 1 could not build the model/);
    // Exited with an error (not killed by the timeout: code null). Not necessarily 1: the wasm
    // engine's uncaught-exception handler rethrows, which Node reports as exit code 7.
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
  });
});
