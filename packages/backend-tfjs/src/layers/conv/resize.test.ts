// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import { layerModel, run } from '../../test-utils/layer.js';
import { fitsShape, inferredShape, maxDiff, Nd, randomNd } from '../../test-utils/reference.js';
import { tf } from '../../tf.js';

const TOL = 1e-5;

/** Runs a one-layer model on `x` (batch included) and checks the inferred shape. */
function apply(layer: Record<string, unknown>, x: tf.Tensor): tf.Tensor {
  const model = layerModel(layer, [{ shape: x.shape.slice(1), dtype: x.dtype as 'float32' }]);
  const y = run(model, [x])[0] as tf.Tensor;
  expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
  return y;
}

/** out[b, i, j, c] = x[b, f(i), g(j), c], or 0 where f or g gives -1. */
function remap(x: Nd, out: [number, number], f: (i: number) => number, g: (j: number) => number) {
  const [B, , , C] = x.shape as [number, number, number, number];
  const y = new Nd([B, out[0], out[1], C]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < out[0]; i++)
      for (let j = 0; j < out[1]; j++)
        for (let c = 0; c < C; c++) {
          const [r, s] = [f(i), g(j)];
          if (r >= 0 && s >= 0) y.set(x.get(b, r, s, c), b, i, j, c);
        }
  return y;
}

/**
 * TF's half-pixel bilinear resize, per pixel: in = (i + 0.5) * (n / out) - 0.5, lower =
 * max(floor(in), 0), upper = min(ceil(in), n - 1), lerp = in - floor(in).
 */
function bilinear(x: Nd, out: [number, number]): Nd {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const axis = (i: number, n: number, o: number) => {
    const v = (i + 0.5) * (n / o) - 0.5;
    return {
      lo: Math.max(Math.floor(v), 0),
      hi: Math.min(Math.ceil(v), n - 1),
      t: v - Math.floor(v),
    };
  };
  const y = new Nd([B, out[0], out[1], C]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < out[0]; i++)
      for (let j = 0; j < out[1]; j++)
        for (let c = 0; c < C; c++) {
          const r = axis(i, H, out[0]);
          const s = axis(j, W, out[1]);
          const top =
            x.get(b, r.lo, s.lo, c) + (x.get(b, r.lo, s.hi, c) - x.get(b, r.lo, s.lo, c)) * s.t;
          const bot =
            x.get(b, r.hi, s.lo, c) + (x.get(b, r.hi, s.hi, c) - x.get(b, r.hi, s.lo, c)) * s.t;
          y.set(top + (bot - top) * r.t, b, i, j, c);
        }
  return y;
}

describe('upSampling1d / upSampling2d', () => {
  it('1d repeats each step size times', () => {
    const y = apply({ type: 'upSampling1d', size: 3 }, tf.tensor([1, 2, 3, 4], [1, 2, 2]));
    // steps [1, 2], [3, 4] each three times
    expect(Array.from(y.dataSync())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    expect(y.shape).toEqual([1, 6, 2]);
  });

  it('2d nearest repeats rows and columns by [2, 3], int32 kept', () => {
    const x = randomNd([2, 3, 2, 2], 1);
    const y = apply({ type: 'upSampling2d', size: [2, 3] }, x.tensor());
    const want = remap(
      x,
      [6, 6],
      (i) => Math.floor(i / 2),
      (j) => Math.floor(j / 3),
    );
    expect(maxDiff(y, want)).toBe(0);
    // d sum(y) / dx = 2 * 3 copies of each input (tfjs has no Tile gradient above rank 4)
    const model = layerModel({ type: 'upSampling2d', size: [2, 3] }, [{ shape: [3, 2, 2] }]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(run(model, [t])[0] as tf.Tensor))(x.tensor());
    expect(Array.from(g.dataSync()).every((v) => v === 6)).toBe(true);
    const ints = apply({ type: 'upSampling2d' }, tf.tensor([[[[1], [2]]]], [1, 1, 2, 1], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });

  it('2d bilinear is TF half-pixel resize, with gradients', () => {
    const x = randomNd([2, 3, 4, 2], 2);
    const layer = { type: 'upSampling2d', size: [2, 3], interpolation: 'bilinear' };
    const y = apply(layer, x.tensor());
    expect(y.shape).toEqual([2, 6, 12, 2]);
    expect(maxDiff(y, bilinear(x, [6, 12]))).toBeLessThan(TOL);
    // Each input's weights over the outputs sum to s_h * s_w = 6 in the interior rows/cols.
    const model = layerModel(layer, [{ shape: [3, 4, 2] }]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(run(model, [t])[0] as tf.Tensor))(x.tensor());
    expect(Array.from(g.dataSync()).every((v) => Math.abs(v - 6) < 1e-4)).toBe(true);
  });
});

describe('zeroPadding / cropping', () => {
  it('zeroPadding2d [[1, 2], [0, 3]] and zeroPadding1d [2, 1]', () => {
    const x = randomNd([2, 3, 2, 2], 3);
    const y = apply(
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 2],
          [0, 3],
        ],
      },
      x.tensor(),
    );
    expect(y.shape).toEqual([2, 6, 5, 2]);
    const inside = (i: number, n: number, before: number) =>
      i - before < n && i >= before ? i - before : -1;
    expect(
      maxDiff(
        y,
        remap(
          x,
          [6, 5],
          (i) => inside(i, 3, 1),
          (j) => inside(j, 2, 0),
        ),
      ),
    ).toBe(0);
    const seq = apply(
      { type: 'zeroPadding1d', padding: [2, 1] },
      tf.tensor([1, 2, 3, 4], [1, 2, 2]),
    );
    expect(Array.from(seq.dataSync())).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0]);
    // Default 1 on every side: (3+2, 2+2)
    expect(apply({ type: 'zeroPadding2d' }, x.tensor()).shape).toEqual([2, 5, 4, 2]);
  });

  it('cropping2d [[1, 0], [1, 2]] and cropping1d default (1, 1)', () => {
    const x = randomNd([2, 4, 5, 2], 4);
    const y = apply(
      {
        type: 'cropping2d',
        cropping: [
          [1, 0],
          [1, 2],
        ],
      },
      x.tensor(),
    );
    expect(y.shape).toEqual([2, 3, 2, 2]);
    expect(
      maxDiff(
        y,
        remap(
          x,
          [3, 2],
          (i) => i + 1,
          (j) => j + 1,
        ),
      ),
    ).toBe(0);
    const seq = apply({ type: 'cropping1d' }, tf.tensor([1, 2, 3, 4, 5, 6], [1, 3, 2]));
    expect(Array.from(seq.dataSync())).toEqual([3, 4]);
    // [h, w] = [1, 2]: (4-2, 5-4)
    expect(apply({ type: 'cropping2d', cropping: [1, 2] }, x.tensor()).shape).toEqual([2, 2, 1, 2]);
  });
});
