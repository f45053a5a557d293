import { describe, expect, it } from 'vitest';
import { dataArray, kFold, makeDataset, slice, split, take } from './dataset.js';
import { DataError } from './errors.js';

/** 10 samples: x [10, 2] = (i, 10 i), y [10] = i % 3. */
function tiny() {
  const x = Float32Array.from({ length: 20 }, (_, k) => (k % 2 ? 10 * (k >> 1) : k >> 1));
  const y = Int32Array.from({ length: 10 }, (_, i) => i % 3);
  return makeDataset('tiny', { x: dataArray(x, [10, 2]) }, { y: dataArray(y, [10]) }, [
    'a',
    'b',
    'c',
  ]);
}

const rows = (d: ReturnType<typeof tiny>) => Array.from(d.y.y?.data ?? []);
const firstColumn = (d: ReturnType<typeof tiny>) =>
  Array.from(d.x.x?.data ?? []).filter((_, k) => k % 2 === 0);

describe('dataArray and makeDataset', () => {
  it('checks element counts and sample counts', () => {
    expect(dataArray(new Int32Array(6), [2, 3])).toMatchObject({ dtype: 'int32', shape: [2, 3] });
    expect(() => dataArray(new Float32Array(5), [2, 3])).toThrow(
      'shape [2, 3] holds 6 elements, got 5',
    );
    expect(() => dataArray(new Float32Array(1), [])).toThrow('expected a sample axis');
    expect(() => dataArray(new Float32Array(1), [-1])).toThrow('non-negative integers');
    expect(() =>
      makeDataset(
        'd',
        { a: dataArray(new Float32Array(4), [4]) },
        { b: dataArray(new Int32Array(3), [3]) },
      ),
    ).toThrow('data set "d", y.b: expected 4 samples (as x.a has), got 3');
    expect(() => makeDataset('d', {})).toThrow(DataError);
  });

  it('keeps size, name and labels', () => {
    const d = tiny();
    expect(d).toMatchObject({ size: 10, name: 'tiny', labels: ['a', 'b', 'c'] });
  });
});

describe('slice and take', () => {
  it('slices samples as views, with Array.prototype.slice bounds', () => {
    const d = tiny();
    const s = slice(d, 2, 5);
    expect(s.size).toBe(3);
    expect(s.x.x?.shape).toEqual([3, 2]);
    expect(Array.from(s.x.x?.data ?? [])).toEqual([2, 20, 3, 30, 4, 40]);
    expect(rows(s)).toEqual([2, 0, 1]);
    expect(s.x.x?.data.buffer).toBe(d.x.x?.data.buffer); // a view, not a copy
    expect(slice(d, -2).size).toBe(2);
    expect(firstColumn(slice(d, -2))).toEqual([8, 9]);
    expect(slice(d, 8, 100).size).toBe(2);
    expect(slice(d, 5, 2).size).toBe(0);
    expect(s.labels).toEqual(['a', 'b', 'c']);
    expect(() => slice(d, 0.5, 2)).toThrow('slice: expected integer bounds');
  });

  it('takes samples in the order given, as copies', () => {
    const d = tiny();
    const t = take(d, [9, 0, 9]);
    expect(firstColumn(t)).toEqual([9, 0, 9]);
    expect(rows(t)).toEqual([0, 0, 0]);
    expect(t.x.x?.shape).toEqual([3, 2]);
    expect(t.y.y?.data).toBeInstanceOf(Int32Array);
    expect(() => take(d, [0, 10])).toThrow(
      'take: expected indices in [0, 10), got 10 at position 1',
    );
    expect(() => take(d, [-1])).toThrow(DataError);
  });
});

describe('split', () => {
  it('takes the last fraction as validation, like Keras validationSplit', () => {
    const { train, validation } = split(tiny(), 0.25);
    // Keras: split_at = floor(10 * 0.75) = 7
    expect(train.size).toBe(7);
    expect(validation.size).toBe(3);
    expect(firstColumn(validation)).toEqual([7, 8, 9]);
    expect(firstColumn(train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects fractions that are out of range or leave a part empty', () => {
    expect(() => split(tiny(), 0)).toThrow('expected a fraction in (0, 1), got 0');
    expect(() => split(tiny(), 1)).toThrow(DataError);
    expect(() => split(tiny(), Number.NaN)).toThrow(DataError);
    expect(() => split(tiny(), 0.95)).toThrow(
      'expected both parts non-empty, got 0 training and 10 validation samples (0.95 of 10)',
    );
  });
});

describe('kFold', () => {
  it('makes contiguous folds that cover every sample once', () => {
    const folds = kFold(10, 3);
    expect(folds.map((f) => Array.from(f.validation))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(Array.from(folds[1]?.train ?? [])).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('shuffles with a seed, reproducibly, keeping folds disjoint and complete', () => {
    const a = kFold(100, 5, 42);
    const b = kFold(100, 5, 42);
    const c = kFold(100, 5, 7);
    expect(a.map((f) => Array.from(f.validation))).toEqual(b.map((f) => Array.from(f.validation)));
    expect(a[0]?.validation).not.toEqual(c[0]?.validation);
    expect(a[0]?.validation).not.toEqual(kFold(100, 5)[0]?.validation);
    const all = a.flatMap((f) => Array.from(f.validation)).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const f of a) {
      expect(f.validation.length + f.train.length).toBe(100);
      const v = new Set(f.validation);
      expect(Array.from(f.train).some((i) => v.has(i))).toBe(false);
      expect(Array.from(f.train)).toEqual([...f.train].sort((x, y) => x - y));
    }
  });

  it('rejects bad k and sizes', () => {
    expect(() => kFold(10, 1)).toThrow('k-fold: expected k an integer in [2, 10], got 1');
    expect(() => kFold(3, 4)).toThrow(DataError);
    expect(() => kFold(-1, 2)).toThrow('expected a non-negative integer size');
  });
});
