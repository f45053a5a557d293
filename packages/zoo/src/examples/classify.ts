// Test-set scores of a trained classifier (accuracy, and precision / recall / F1 of one class),
// and the batched input feeds that prediction over a data set uses.
import { type Dataset, type NetspecModel, tf } from '@netspec/backend-tfjs';

/** The model's inputs for samples [start, end) of `data`, as tensors (the caller disposes). */
export function batchFeeds(
  model: NetspecModel,
  data: Dataset,
  start: number,
  end: number,
): Record<string, tf.Tensor> {
  return Object.fromEntries(
    model.inputNames.map((name) => {
      // A lone input may be named differently in the data (mnist's "image" for "input").
      const lone = model.inputNames.length === 1 ? Object.values(data.x) : [];
      const a = data.x[name] ?? (lone.length === 1 ? lone[0] : undefined);
      if (!a) throw new Error(`data set "${data.name}": expected input "${name}"`);
      const row = a.shape.slice(1).reduce((p, d) => p * d, 1);
      const values = a.data.subarray(start * row, end * row);
      return [name, tf.tensor(values, [end - start, ...a.shape.slice(1)], a.dtype)];
    }),
  );
}

/** The argmax class of every sample, predicted in batches (inference mode). */
export function predictClasses(model: NetspecModel, data: Dataset, batchSize = 64): Int32Array {
  const out = new Int32Array(data.size);
  for (let start = 0; start < data.size; start += batchSize) {
    const end = Math.min(start + batchSize, data.size);
    const classes = tf.tidy(() => {
      const [probs] = model.predict(batchFeeds(model, data, start, end));
      return tf.argMax(probs as tf.Tensor, -1).dataSync() as Int32Array;
    });
    out.set(classes, start);
  }
  return out;
}

export interface Scores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Accuracy over all classes; precision, recall and F1 of `positive`. */
export function scores(predicted: Int32Array, labels: Int32Array, positive = 1): Scores {
  let right = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    const y = labels[i];
    if (p === y) right++;
    if (p === positive && y === positive) tp++;
    else if (p === positive) fp++;
    else if (y === positive) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { accuracy: right / predicted.length, precision, recall, f1 };
}
