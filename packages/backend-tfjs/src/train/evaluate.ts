import type { NetspecModel } from '../model/model.js';
import { recipeStep } from '../recipes/index.js';
import { disposeBatch, type Examples, makeBatch } from './examples.js';
import { prepare, trainingOf } from './fit.js';

/** Keras's evaluate(): the loss and metrics of the spec over `data`, in inference mode. */
export function evaluate(
  model: NetspecModel,
  data: Examples,
  options: { batchSize?: number } = {},
): Record<string, number> {
  const training = trainingOf(model);
  const recipe = training.recipe ?? { type: 'fit' as const };
  const step = recipeStep(model, training, recipe);
  const examples: Examples = prepare(model, data, recipe);
  const batchSize = options.batchSize ?? training.batchSize;
  step.resetLogs();
  for (let start = 0; start < data.size; start += batchSize) {
    const end = Math.min(start + batchSize, data.size);
    const batch = makeBatch(
      examples,
      Int32Array.from({ length: end - start }, (_, i) => start + i),
    );
    try {
      step.validate(batch);
    } finally {
      disposeBatch(batch);
    }
  }
  // Validation logs are `val`-prefixed; evaluation reports them under their own names.
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(step.logs())) {
    if (k.startsWith('val')) out[`${k[3]?.toLowerCase() ?? ''}${k.slice(4)}`] = v;
  }
  return out;
}
