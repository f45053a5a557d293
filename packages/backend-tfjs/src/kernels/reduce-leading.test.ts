import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';

// Sum and Mean over leading axes (a product with a row of ones on wasm) equal the cpu kernels,
// and the other reductions still reach wasm's own kernels; Identity shares data safely.
const rng = new Rng(3);
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5),
    shape,
  );

const CASES: [number[], number | number[], boolean][] = [
  [[1024, 37], 0, false],
  [[7, 5], [0], true],
  [[3, 5, 7], [0, 1], false],
  [[3, 5, 7], [1, 0], true],
  [[2, 3, 4, 5], [0, 1, 2], false],
  [[1, 9], 0, false],
  [[9, 1], 0, false],
  [[3, 5, 7], 1, false],
  [[3, 5, 7], -1, true],
  [[3, 5, 7], [0, 2], false],
  [[3, 5, 7], [0, 1, 2], false],
  [[4, 0, 3], 0, false],
];

describe('wasm Sum and Mean over leading axes', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('%j over axis %j (keepDims %s) equals cpu', async (shape, axis, keepDims) => {
    const x = random(shape);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() =>
        [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)].map((y) => ({
          shape: y.shape,
          values: [...y.dataSync()],
        })),
      );
    };
    const cpu = await run('cpu');
    const before = tf.memory().numTensors;
    const wasm = await run('wasm');
    expect(tf.memory().numTensors).toBe(before);
    wasm.forEach((w, j) => {
      expect(w.shape).toEqual(cpu[j]?.shape);
      w.values.forEach((v, i) => {
        expect(Math.abs(v - (cpu[j]?.values[i] as number))).toBeLessThanOrEqual(2e-5);
      });
    });
    x.dispose();
  });

  it('integer sums keep their dtype and values', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const y = tf.sum(x, 0);
    expect(y.dtype).toBe('int32');
    expect([...y.dataSync()]).toEqual([9, 12]);
    tf.dispose([x, y]);
  });
});

describe('wasm Identity', () => {
  it('shares data: a clone outlives its source, and both read the same values', async () => {
    await useEngine('wasm');
    const x = random([4, 3]);
    const values = [...x.dataSync()];
    const c = tf.clone(x);
    x.dispose();
    expect([...c.dataSync()]).toEqual(values);
    const before = tf.memory().numTensors;
    const d = tf.clone(c);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([c, d]);
    await tf.setBackend('cpu');
  });
});
