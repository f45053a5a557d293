import { describe, expect, it } from 'vitest';
import { isProbabilityRows, topK } from './top-k.js';

const t = (data: number[], shape: number[]) => ({ data: Float32Array.from(data), shape });

describe('top-k', () => {
  it('recognizes softmax rows and nothing else', () => {
    expect(isProbabilityRows(t([0.2, 0.8, 0.5, 0.5], [2, 2]))).toBe(true);
    expect(isProbabilityRows(t([0.2, 0.7], [1, 2]))).toBe(false); // sums to 0.9
    expect(isProbabilityRows(t([-0.5, 1.5], [1, 2]))).toBe(false); // logits
    expect(isProbabilityRows(t([1], [1, 1]))).toBe(false); // one value: a regression
    expect(isProbabilityRows(t([0.5, 0.5], [2]))).toBe(false);
  });

  it('orders by probability, ties by index, with labels', () => {
    expect(topK([0.1, 0.4, 0.1, 0.4], 3, ['a', 'b', 'c', 'd'])).toEqual([
      { index: 1, label: 'b', probability: 0.4 },
      { index: 3, label: 'd', probability: 0.4 },
      { index: 0, label: 'a', probability: 0.1 },
    ]);
    expect(topK([0.3, 0.7], 5).map((c) => c.label)).toEqual(['1', '0']);
  });
});
