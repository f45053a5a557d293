import { describe, expect, it } from 'vitest';
import { layerModel, run } from '../test-utils/layer.js';
import { fitsShape, inferredShape, maxDiff, Nd, randomNd } from '../test-utils/reference.js';
import { tf } from '../tf.js';

const TOL = 1e-5;

/** Runs a merge of `xs` (batch included) and checks the inferred shape. */
function apply(layer: Record<string, unknown>, xs: tf.Tensor[]): tf.Tensor {
  const model = layerModel(
    layer,
    xs.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype as 'float32' })),
  );
  const y = run(model, xs)[0] as tf.Tensor;
  expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
  return y;
}

/** An elementwise reference over same-shaped arrays. */
const zip = (xs: Nd[], f: (v: number[]) => number) =>
  new Nd(
    (xs[0] as Nd).shape,
    (xs[0] as Nd).data.map((_, i) => f(xs.map((x) => x.data[i] as number))),
  );

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

describe('elementwise merges', () => {
  const xs = [randomNd([2, 3, 4], 1), randomNd([2, 3, 4], 2), randomNd([2, 3, 4], 3)];
  const cases: [string, (v: number[]) => number, number][] = [
    ['add', sum, 3],
    ['subtract', (v) => (v[0] as number) - (v[1] as number), 2],
    ['multiply', (v) => v.reduce((a, b) => a * b, 1), 3],
    ['average', (v) => sum(v) / v.length, 3],
    ['maximum', (v) => Math.max(...v), 3],
    ['minimum', (v) => Math.min(...v), 3],
  ];
  it.each(cases)('%s', (type, f, n) => {
    const inputs = xs.slice(0, n);
    const y = apply(
      { type },
      inputs.map((x) => x.tensor()),
    );
    expect(maxDiff(y, zip(inputs, f))).toBeLessThan(TOL);
  });

  it('broadcasts a lower rank after the batch axis, as Keras inserts axes', () => {
    const a = randomNd([2, 4, 3], 4);
    const b = randomNd([2, 3], 5);
    const y = apply({ type: 'add' }, [a.tensor(), b.tensor()]);
    // y[n, i, c] = a[n, i, c] + b[n, c]
    const want = new Nd([2, 4, 3]);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 4; i++)
        for (let c = 0; c < 3; c++) want.set(a.get(n, i, c) + b.get(n, c), n, i, c);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
    // size-1 axes: (4, 1) * (1, 3) -> (4, 3)
    const col = randomNd([2, 4, 1], 6);
    const row = randomNd([2, 1, 3], 7);
    const outer = apply({ type: 'multiply' }, [col.tensor(), row.tensor()]);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 4; i++)
        for (let c = 0; c < 3; c++) want.set(col.get(n, i, 0) * row.get(n, 0, c), n, i, c);
    expect(maxDiff(outer, want)).toBeLessThan(TOL);
  });
});

describe('concatenate', () => {
  it('joins on the last axis by default and on axis 1 when asked; int32 kept', () => {
    const a = tf.tensor([1, 2, 3, 4], [1, 2, 2]);
    const b = tf.tensor([5, 6], [1, 2, 1]);
    expect(Array.from(apply({ type: 'concatenate' }, [a, b]).dataSync())).toEqual([
      1, 2, 5, 3, 4, 6,
    ]);
    const c = tf.tensor([7, 8], [1, 1, 2]);
    const rows = apply({ type: 'concatenate', axis: 1 }, [a, c]);
    expect(rows.shape).toEqual([1, 3, 2]);
    expect(Array.from(rows.dataSync())).toEqual([1, 2, 3, 4, 7, 8]);
    const ints = apply({ type: 'concatenate', axis: -1 }, [
      tf.tensor([1], [1, 1], 'int32'),
      tf.tensor([2, 3], [1, 2], 'int32'),
    ]);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, 2, 3]);
  });
});

describe('dot', () => {
  it("Keras's example: axes (1, 2) of arange(10) as (1, 5, 2) and arange(10, 20) as (1, 2, 5)", () => {
    const x = tf.tensor(
      Array.from({ length: 10 }, (_, i) => i),
      [1, 5, 2],
    );
    const y = tf.tensor(
      Array.from({ length: 10 }, (_, i) => 10 + i),
      [1, 2, 5],
    );
    const out = apply({ type: 'dot', axes: [1, 2] }, [x, y]);
    expect(out.shape).toEqual([1, 2, 2]);
    expect(Array.from(out.dataSync())).toEqual([260, 360, 320, 445]);
  });

  it('axes -1 of (B, 3, 4) and (B, 5, 4): x rows against y rows', () => {
    const a = randomNd([2, 3, 4], 8);
    const b = randomNd([2, 5, 4], 9);
    const out = apply({ type: 'dot', axes: -1 }, [a.tensor(), b.tensor()]);
    const want = new Nd([2, 3, 5]);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 5; j++)
          for (let k = 0; k < 4; k++) want.add(a.get(n, i, k) * b.get(n, j, k), n, i, j);
    expect(maxDiff(out, want)).toBeLessThan(TOL);
  });

  it('vectors give (B, 1); normalize gives the cosine', () => {
    const a = randomNd([3, 6], 10);
    const b = randomNd([3, 6], 11);
    const dots = (n: number, x: Nd, y: Nd) =>
      sum([0, 1, 2, 3, 4, 5].map((k) => x.get(n, k) * y.get(n, k)));
    const plain = new Nd(
      [3, 1],
      [0, 1, 2].map((n) => dots(n, a, b)),
    );
    // cos = a·b / (|a| |b|)
    const cosine = new Nd(
      [3, 1],
      [0, 1, 2].map((n) => dots(n, a, b) / Math.sqrt(dots(n, a, a) * dots(n, b, b))),
    );
    expect(maxDiff(apply({ type: 'dot', axes: 1 }, [a.tensor(), b.tensor()]), plain)).toBeLessThan(
      TOL,
    );
    const cos = apply({ type: 'dot', axes: 1, normalize: true }, [a.tensor(), b.tensor()]);
    expect(maxDiff(cos, cosine)).toBeLessThan(TOL);
    // A zero vector normalizes to zero rather than NaN (Keras clips the inverse norm).
    const zero = apply({ type: 'dot', axes: 1, normalize: true }, [tf.zeros([3, 6]), b.tensor()]);
    expect(Array.from(zero.dataSync())).toEqual([0, 0, 0]);
  });
});
