import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';

// Sum and Mean over leading axes (column sums over the heap on wasm) equal the cpu kernels,
// and the other reductions still reach wasm's own kernels; Identity shares data safely; tall
// transposes (a blocked copy over the heap) equal the cpu kernel.
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

/** Runs `ops` on cpu, then on wasm: the same shapes and values, and no tensor left behind. */
async function expectWasmEqualsCpu(ops: () => tf.Tensor[]): Promise<void> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => ops().map((y) => ({ shape: y.shape, values: [...y.dataSync()] })));
  };
  const cpu = await run('cpu');
  await useEngine('wasm');
  const before = tf.memory().numTensors;
  const wasm = await run('wasm');
  expect(tf.memory().numTensors).toBe(before);
  expect(wasm).toEqual(cpu);
}

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

describe('wasm Transpose of the last two axes', () => {
  it.each([
    [
      [1024, 80],
      [1, 0],
    ],
    [
      [300, 257],
      [1, 0],
    ],
    [
      [2, 600, 130],
      [0, 2, 1],
    ],
    [
      [2, 600, 130],
      [2, 1, 0],
    ],
    [
      [130, 600],
      [1, 0],
    ],
    [
      [16, 4, 64, 32],
      [0, 1, 3, 2],
    ],
  ])('%j by %j equals cpu', async (shape, perm) => {
    const x = random(shape);
    const xi = tf.cast(tf.mul(x, 1000), 'int32');
    await expectWasmEqualsCpu(() => [tf.transpose(x, perm), tf.transpose(xi, perm)]);
    tf.dispose([x, xi]);
    await tf.setBackend('cpu');
  });
});

describe('wasm GatherV2 of rows', () => {
  it.each([
    [[7, 33], [3, 0, 6, 6], 0],
    [
      [7, 3],
      [
        [1, 2],
        [0, 6],
      ],
      0,
    ],
    [[9], [8, 0, 4], 0],
    [[4, 2, 20], [2, 2], 0],
    [[4, 5], [1, 3], 1],
    [[5, 0], [1, 4], 0],
  ])('%j at %j on axis %s equals cpu', async (shape, index, axis) => {
    const x = random(shape);
    const xi = tf.cast(tf.mul(x, 1000), 'int32');
    const i = tf.tensor(index as number[], undefined, 'int32');
    await expectWasmEqualsCpu(() => [tf.gather(x, i, axis), tf.gather(xi, i, axis)]);
    tf.dispose([x, xi, i]);
    await tf.setBackend('cpu');
  });

  it('throws on an index out of range and leaves no tensor behind', async () => {
    await useEngine('wasm');
    const x = random([3, 4]);
    const i = tf.tensor1d([0, 3], 'int32');
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, i)).toThrow(/index value 3 is not in \[0, 2\]/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, i]);
    await tf.setBackend('cpu');
  });
});
