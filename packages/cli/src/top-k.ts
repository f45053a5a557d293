import type { RunnerTensor } from '@netspec/spec';

// Classifier outputs (softmax probabilities) shown as their k most likely classes.

/** Whether `t` is (batch, classes) rows of probabilities: each in [0, 1], each row summing to 1. */
export function isProbabilityRows(t: RunnerTensor): boolean {
  if (t.shape.length !== 2 || (t.shape[1] ?? 0) < 2) return false;
  const [n, k] = t.shape as [number, number];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const p = t.data[i * k + j] as number;
      if (!(p >= 0 && p <= 1)) return false;
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

export interface ClassScore {
  index: number;
  label: string;
  probability: number;
}

/** The k largest entries of a row, most likely first (ties: the lower index first). */
export function topK(row: ArrayLike<number>, k: number, labels?: readonly string[]): ClassScore[] {
  return Array.from(row, (p, index) => ({
    index,
    label: labels?.[index] ?? String(index),
    probability: p,
  }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}
