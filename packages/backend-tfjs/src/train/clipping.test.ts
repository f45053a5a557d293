import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { clipGradients } from './clipping.js';

const A = [3, -4, 0]; // norm 5
const B = [1, 2, 2, 0]; // norm 3
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

function clipped(o: Parameters<typeof clipGradients>[1], grads = [A, B]): (number[] | null)[] {
  const ts = grads.map((g) => (g.length ? tf.tensor1d(g) : null));
  const out = tf.tidy(() => clipGradients(ts, o).filter((t): t is tf.Tensor => t !== null));
  const values = out.map((t) => [...t.dataSync()]);
  tf.dispose([...out, ...ts.flatMap((t) => (t ? [t] : []))]);
  // Put the nulls back where they were.
  let k = 0;
  return ts.map((t) => (t ? (values[k++] ?? null) : null));
}

function expectVectors(actual: (number[] | null)[], expected: number[][]): void {
  expected.forEach((e, i) => {
    e.forEach((x, j) => {
      expect(actual[i]?.[j]).toBeCloseTo(x, 6);
    });
  });
}

describe('gradient clipping (Keras 3 _clip_gradients)', () => {
  it('clipNorm rescales each gradient by its own norm, only above the threshold', () => {
    const c = 4;
    // g * c / max(||g||, c)
    const expected = [A.map((x) => (x * c) / Math.max(norm(A), c)), B];
    expectVectors(clipped({ clipNorm: c }), expected);
  });

  it('globalClipNorm rescales all gradients by their joint norm', () => {
    const c = 2;
    const total = Math.sqrt(norm(A) ** 2 + norm(B) ** 2);
    const scale = c * Math.min(1 / total, 1 / c);
    expectVectors(clipped({ globalClipNorm: c }), [
      A.map((x) => x * scale),
      B.map((x) => x * scale),
    ]);
    // Below the threshold nothing changes.
    expectVectors(clipped({ globalClipNorm: 100 }), [A, B]);
  });

  it('clipValue clips elementwise', () => {
    const clip = (x: number) => Math.min(2.5, Math.max(-2.5, x));
    expectVectors(clipped({ clipValue: 2.5 }), [A.map(clip), B.map(clip)]);
  });

  it('the first option set wins, as in Keras (clipNorm, then global, then value)', () => {
    const byNorm = clipped({ clipNorm: 4 });
    expect(clipped({ clipNorm: 4, clipValue: 0.1 })).toEqual(byNorm);
    const byGlobal = clipped({ globalClipNorm: 2 });
    expect(clipped({ globalClipNorm: 2, clipValue: 0.1 })).toEqual(byGlobal);
    expect(clipped({})).toEqual([A, B]);
  });

  it('null gradients pass through and do not count toward the global norm', () => {
    const out = clipped({ globalClipNorm: 2.5 }, [A, []]);
    expect(out[1]).toBeNull();
    expectVectors(out, [A.map((x) => x * (2.5 / 5))]);
  });

  it('a non-finite global norm makes every gradient NaN', () => {
    const out = clipped({ globalClipNorm: 1 }, [[Number.POSITIVE_INFINITY, 1], B]);
    expect(out.flatMap((g) => g ?? []).every(Number.isNaN)).toBe(true);
  });
});
