import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';
import { registerHeapSlices, unregisterHeapSlices } from './slice-family.js';

// The heap-view Slice, Unpack, SplitV and StridedSlice (slice.ts, slice-family.ts) against the
// cpu backend's kernels: copies, so the values must be equal, dtype and shape included.

const DTYPES = ['float32', 'int32', 'bool'] as const;
type DType = (typeof DTYPES)[number];

/** A tensor of `shape` whose every element differs (bool: a seeded pattern). */
function input(shape: number[], dtype: DType, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const n = tf.util.sizeFromShape(shape);
  if (dtype === 'bool')
    return tf.tensor(
      Array.from({ length: n }, () => rng.int(2)),
      shape,
      'bool',
    );
  if (dtype === 'int32')
    return tf.tensor(
      Array.from({ length: n }, (_, i) => i - 7),
      shape,
      'int32',
    );
  return tf.tensor(
    Float32Array.from({ length: n }, (_, i) => i + rng.next()),
    shape,
  );
}

interface Read {
  shape: number[];
  dtype: string;
  values: number[];
}

/** f on cpu and on wasm, read back with dtypes. */
async function both(f: () => tf.Tensor[]): Promise<[Read[], Read[]]> {
  const read = async (backend: string) => {
    const dtypes: string[] = [];
    const outs = await runOn(backend, () => {
      const ys = f();
      dtypes.push(...ys.map((y) => y.dtype));
      return ys;
    });
    return outs.map((o, i) => ({ ...o, dtype: dtypes[i] as string }));
  };
  return [await read('cpu'), await read('wasm')];
}

function randomShape(rng: Rng, rank: number): number[] {
  return Array.from({ length: rank }, () => 1 + rng.int(5));
}

describe('heap-view slicing kernels on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('wraps wasm 4.22 Slice, Unpack, SplitV and StridedSlice once, and can put them back', () => {
    const names = [tf.Slice, tf.Unpack, tf.SplitV, tf.StridedSlice];
    const ours = names.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    expect(registerHeapSlices()).toEqual([]);
    unregisterHeapSlices();
    const theirs = names.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    theirs.forEach((f, i) => {
      expect(f, names[i]).toBeDefined();
      expect(f, names[i]).not.toBe(ours[i]);
    });
    expect(registerHeapSlices()).toEqual(names);
  });

  it('slices like the cpu kernel: ranks 1-6, every dtype, random begins and sizes', async () => {
    const rng = new Rng(3);
    for (let c = 0; c < 150; c++) {
      const rank = 1 + (c % 6);
      const shape = randomShape(rng, rank);
      const begin = shape.map((d) => rng.int(d));
      // Sizes of -1 (to the end), 0 (empty) and in between.
      const size = shape.map((d, i) => {
        const left = d - (begin[i] as number);
        const r = rng.int(6);
        return r === 0 ? -1 : r === 1 && c % 5 === 0 ? 0 : 1 + rng.int(left);
      });
      const dtype = DTYPES[c % 3] as DType;
      const [cpu, wasm] = await both(() => [tf.slice(input(shape, dtype, c), begin, size)]);
      expect(wasm, JSON.stringify({ shape, begin, size, dtype })).toEqual(cpu);
    }
  });

  it('slices whole trailing axes, single rows and the full tensor', async () => {
    const shape = [3, 4, 5, 6];
    const boxes: [number[], number[]][] = [
      [
        [1, 0, 0, 0],
        [1, -1, -1, -1],
      ],
      [
        [0, 2, 0, 0],
        [-1, 1, -1, -1],
      ],
      [
        [0, 0, 0, 3],
        [-1, -1, -1, 1],
      ],
      [
        [0, 0, 0, 0],
        [-1, -1, -1, -1],
      ],
      [
        [2, 3, 4, 5],
        [1, 1, 1, 1],
      ],
    ];
    for (const dtype of DTYPES)
      for (const [begin, size] of boxes) {
        const [cpu, wasm] = await both(() => [tf.slice(input(shape, dtype, 1), begin, size)]);
        expect(wasm, JSON.stringify({ begin, size, dtype })).toEqual(cpu);
      }
  });

  it('unstacks along every axis like the cpu kernel', async () => {
    const rng = new Rng(5);
    for (let c = 0; c < 40; c++) {
      const rank = 1 + (c % 5);
      const shape = randomShape(rng, rank);
      const axis = rng.int(rank) - (c % 2 ? rank : 0);
      const dtype = DTYPES[c % 3] as DType;
      const [cpu, wasm] = await both(() => tf.unstack(input(shape, dtype, c), axis));
      expect(wasm, JSON.stringify({ shape, axis, dtype })).toEqual(cpu);
    }
  });

  it('splits into equal and given sizes like the cpu kernel', async () => {
    const rng = new Rng(9);
    for (let c = 0; c < 40; c++) {
      const rank = 1 + (c % 4);
      const shape = randomShape(rng, rank).map((d) => d * 2);
      const axis = rng.int(rank);
      const d = shape[axis] as number;
      const first = rng.int(d + 1);
      const splits = c % 2 ? 2 : [first, -1];
      const dtype = DTYPES[c % 3] as DType;
      const [cpu, wasm] = await both(() => tf.split(input(shape, dtype, c), splits, axis));
      expect(wasm, JSON.stringify({ shape, splits, axis, dtype })).toEqual(cpu);
    }
  });

  it('strided-slices like the cpu kernel: steps, negative steps, masks, int32 kept int32', async () => {
    const rng = new Rng(11);
    for (let c = 0; c < 120; c++) {
      const rank = 1 + (c % 4);
      const shape = randomShape(rng, rank).map((d) => d + 1);
      const begin = shape.map((d) => rng.int(d));
      const end = shape.map((d, i) => (begin[i] as number) + 1 + rng.int(d));
      const strides = shape.map(() => (c % 3 === 0 ? 1 : 1 + rng.int(3)));
      if (c % 4 === 1) {
        // Backwards along axis 0.
        strides[0] = -1 - rng.int(2);
        end[0] = -(shape[0] as number) - 1;
      }
      // Shrinking with steps is checked below: the cpu kernel misreads it.
      const shrink = c % 5 === 0 && strides.every((s) => s === 1) ? 1 : 0;
      const masks = [rng.int(1 << rank), rng.int(1 << rank), 0, 0, shrink] as const;
      const dtype = DTYPES[c % 3] as DType;
      const [cpu, wasm] = await both(() => [
        tf.stridedSlice(input(shape, dtype, c), begin, end, strides, ...masks),
      ]);
      expect(wasm, JSON.stringify({ shape, begin, end, strides, masks, dtype })).toEqual(cpu);
    }
  });

  it('strided-slices with steps and a shrunk axis as the unshrunk slice reshaped', async () => {
    const shape = [4, 4, 6, 5];
    const [begin, end, strides] = [
      [3, 0, 2, 2],
      [4, 2, 8, 4],
      [1, 3, 3, 1],
    ];
    for (const dtype of DTYPES) {
      const [got, want] = await runOn('wasm', () => {
        const x = input(shape, dtype, 4);
        const whole = tf.stridedSlice(x, begin, end, strides, 2, 4);
        return [tf.stridedSlice(x, begin, end, strides, 2, 4, 0, 0, 1), tf.squeeze(whole, [0])];
      });
      expect(got, dtype).toEqual(want);
    }
  });

  it('reads only the sliced bytes: unstacking a long sequence is linear in its length', async () => {
    // With whole-input copies, 512 steps of (8, 512, 64) floats copy 512 x 1 MiB; now 1 MiB.
    await tf.setBackend('wasm');
    const x = tf.zeros([8, 512, 64]);
    const started = performance.now();
    tf.dispose(tf.unstack(x, 1));
    const ms = performance.now() - started;
    x.dispose();
    expect(ms).toBeLessThan(100);
  });
});
