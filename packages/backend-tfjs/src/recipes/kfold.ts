import { kFold } from '../data/dataset.js';
import { buildModel } from '../model/build.js';
import type { NetspecModel } from '../model/model.js';
import type { tf } from '../tf.js';
import { evaluate } from '../train/evaluate.js';
import { type Examples, makeBatch } from '../train/examples.js';
import { type TrainOptions, train } from '../train/fit.js';

export interface CrossValidation {
  /** Each fold's evaluation on its held-out part. */
  folds: Record<string, number>[];
  /** Mean and (population) standard deviation of each logged value over the folds. */
  mean: Record<string, number>;
  std: Record<string, number>;
}

/** Rows of an Examples as a new Examples (copies). */
function rows(data: Examples, indices: Int32Array): Examples {
  const batch = makeBatch(data, indices);
  const arrays = (r: Record<string, tf.Tensor>) =>
    Object.fromEntries(
      Object.entries(r).map(([k, t]) => {
        const out = {
          data: t.dataSync() as Float32Array | Int32Array,
          shape: t.shape,
          dtype: t.dtype as 'float32' | 'int32',
        };
        t.dispose();
        return [k, out];
      }),
    );
  return { x: arrays(batch.x), y: arrays(batch.y), size: indices.length };
}

/**
 * K-fold cross-validation: a fresh model (same seed) per fold, trained on k-1 folds and
 * evaluated on the held-out one. `spec` is the raw spec; the folds are shuffled by `seed`.
 */
export async function crossValidate(
  spec: unknown,
  data: Examples,
  k: number,
  options: TrainOptions & {
    seed?: number;
    onFold?: (fold: number, model: NetspecModel) => void;
  } = {},
): Promise<CrossValidation> {
  const seed = options.seed ?? 0;
  const folds: Record<string, number>[] = [];
  for (const [i, fold] of kFold(data.size, k, seed).entries()) {
    const model = buildModel(spec, { seed });
    try {
      await train(model, rows(data, fold.train), { ...options, runDir: undefined, resume: false });
      folds.push(evaluate(model, rows(data, fold.validation)));
      options.onFold?.(i, model);
    } finally {
      model.dispose();
    }
  }
  const keys = Object.keys(folds[0] ?? {});
  const mean = Object.fromEntries(
    keys.map((key) => [key, folds.reduce((s, f) => s + (f[key] ?? 0), 0) / folds.length]),
  );
  const std = Object.fromEntries(
    keys.map((key) => {
      const m = mean[key] ?? 0;
      return [
        key,
        Math.sqrt(folds.reduce((s, f) => s + ((f[key] ?? 0) - m) ** 2, 0) / folds.length),
      ];
    }),
  );
  return { folds, mean, std };
}
