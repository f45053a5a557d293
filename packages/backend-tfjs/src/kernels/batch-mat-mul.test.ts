import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { broadcastIndices } from './batch-mat-mul-views.js';

// The wrapped wasm matMul gives the cpu kernel's products for every transpose combination,
// batch size (1, shared right operand, per-entry XNNPACK views, the scalar loop for few rows)
// and batch broadcasting.
const rng = new Rng(12);
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5),
    shape,
  );

const CASES: [number[], number[], boolean, boolean][] = [
  // 2-D
  [[7, 5], [5, 3], false, false],
  [[5, 7], [5, 3], true, false],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [3, 5], true, true],
  [[1, 5], [5, 1], false, false],
  // a^T b with b larger than a and the output: computed as (b^T a)^T
  [[6, 2], [6, 9], true, false],
  [[33, 4], [33, 17], true, false],
  // batched, few rows (scalar loop)
  [[2, 6, 4], [2, 6, 3], true, false],
  [[2, 4, 6], [1, 3, 6], false, true],
  [[3, 1, 7], [3, 7, 5], false, false],
  // batch 1
  [[1, 9, 4], [1, 4, 6], false, false],
  [[1, 4, 9], [1, 6, 4], true, true],
  // right operand shared by the batch: one stacked product
  [[3, 9, 4], [4, 5], false, false],
  [[3, 9, 4], [1, 4, 5], false, false],
  [[3, 9, 4], [5, 4], false, true],
  [[2, 3, 4, 9], [1, 4, 5], true, false],
  // per-entry XNNPACK views, odd sizes, every transpose
  [[5, 13, 7], [5, 7, 11], false, false],
  [[5, 7, 13], [5, 7, 11], true, false],
  [[5, 13, 7], [5, 11, 7], false, true],
  [[5, 7, 13], [5, 11, 7], true, true],
  [[2, 3, 17, 8], [2, 3, 8, 17], false, false],
  [[2, 3, 17, 8], [2, 3, 17, 8], false, true],
  [[2, 3, 8, 17], [2, 3, 8, 9], true, false],
  // broadcast batch axes, both routes
  [[1, 12, 5], [4, 5, 6], false, false],
  [[12, 5], [4, 5, 6], false, false],
  [[3, 1, 10, 4], [1, 2, 4, 6], false, false],
  [[3, 1, 4, 10], [1, 2, 6, 4], true, true],
  [[3, 1, 2, 4], [1, 2, 4, 6], false, false],
  [[1, 3, 4], [5, 4, 2], false, false],
  // empty
  [[2, 0, 4], [2, 4, 3], false, false],
  [[2, 9, 0], [2, 0, 3], false, false],
];

describe('wasm BatchMatMul', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('%j x %j (transposeA %s, transposeB %s) equals cpu', async (sa, sb, ta, tb) => {
    const [a, b] = [random(sa), random(sb)];
    const product = async (backend: string, x = a, y = b) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const z = tf.matMul(x, y, ta, tb);
        return { shape: z.shape, values: Array.from(z.dataSync()) };
      });
    };
    // The cpu kernel itself mishandles broadcasting over several batch axes (it sizes the output
    // by the larger operand's batch): its reference gets operands broadcast to the full batch.
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(sa.slice(0, -2), sb.slice(0, -2));
    const [fa, fb] = [a, b].map((t) => tf.broadcastTo(t, [...outer, ...t.shape.slice(-2)]));
    const cpu = await product('cpu', fa, fb);
    tf.dispose([fa, fb]);
    const before = tf.memory().numTensors;
    const wasm = await product('wasm');
    expect(tf.memory().numTensors).toBe(before);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values.length).toBe(cpu.values.length);
    wasm.values.forEach((v, i) => {
      expect(Math.abs(v - (cpu.values[i] as number))).toBeLessThanOrEqual(1e-5);
    });
    tf.dispose([a, b]);
  });

  it.each([
    [[7, 5], [5, 3], false, false, 'linear'],
    [[5, 7], [3, 5], true, true, 'relu'],
    [[3, 9, 4], [4, 5], false, false, 'linear'],
    [[3, 4, 9], [5, 4], true, true, 'relu'],
    [[1, 9, 4], [1, 4, 5], false, false, 'linear'],
    [[2, 9, 4], [2, 4, 5], false, false, 'linear'],
  ] as const)(
    'fused %j x %j (transposes %s %s, bias, %s) equals cpu, values and gradients',
    async (sa, sb, ta, tb, activation) => {
      const [a, b] = [random([...sa]), random([...sb])];
      const bias = random([tb ? (sb[sb.length - 2] as number) : (sb[sb.length - 1] as number)]);
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.fused.matMul({ a: x, b: y, bias: z, transposeA: ta, transposeB: tb, activation });
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const value = [...f(a, b, bias).dataSync()];
          // tfjs-core's fused gradient does not reduce over a broadcast batch: values only then.
          if (sa.length !== sb.length) return [value];
          const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
            tf.sum(tf.square(f(x, y, z))),
          )([a, b, bias]);
          return [value, ...grads.map((g) => [...g.dataSync()])];
        });
      };
      const cpu = await run('cpu');
      const before = tf.memory().numTensors;
      const wasm = await run('wasm');
      expect(tf.memory().numTensors).toBe(before);
      wasm.forEach((values, j) => {
        expect(values.length).toBe(cpu[j]?.length);
        values.forEach((v, i) => {
          const e = cpu[j]?.[i] as number;
          expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e)));
        });
      });
      tf.dispose([a, b, bias]);
    },
  );

  it('takes a bias reshaped from another rank (wasm checks the rank its data was written with)', async () => {
    const [a, b, bias2d] = [random([5, 4]), random([4, 6]), random([2, 3])];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => [
        ...tf.fused.matMul({ a, b, bias: tf.reshape(bias2d, [6]) }).dataSync(),
      ]);
    };
    const cpu = await run('cpu');
    await run('wasm'); // moves a, b and bias2d to wasm
    const before = tf.engine().backend.numDataIds();
    const wasm = await run('wasm');
    expect(tf.engine().backend.numDataIds()).toBe(before);
    wasm.forEach((v, i) => {
      expect(Math.abs(v - (cpu[i] as number))).toBeLessThanOrEqual(1e-5);
    });
    tf.dispose([a, b, bias2d]);
  });

  it('gives cpu gradients for attention-shaped products', async () => {
    const [q, k, v] = [random([2, 3, 10, 4]), random([2, 3, 10, 4]), random([2, 3, 10, 4])];
    const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(tf.softmax(tf.matMul(x, y, false, true)), z), tf.range(0, 4)));
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() =>
        tf
          .grads(f)([q, k, v])
          .map((g) => Array.from(g.dataSync())),
      );
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    wasm.forEach((g, j) => {
      g.forEach((x, i) => {
        expect(Math.abs(x - (cpu[j]?.[i] as number))).toBeLessThanOrEqual(1e-5);
      });
    });
    tf.dispose([q, k, v]);
  });
});

describe('broadcastIndices', () => {
  it('maps output batch entries to operand entries as numpy broadcasting does', () => {
    expect(broadcastIndices([3, 1], [3, 2])).toEqual([0, 0, 1, 1, 2, 2]);
    expect(broadcastIndices([2], [3, 2])).toEqual([0, 1, 0, 1, 0, 1]);
    expect(broadcastIndices([], [2, 2])).toEqual([0, 0, 0, 0]);
    expect(broadcastIndices([2, 3], [2, 3])).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
