import type { ModelRunner, RunnerTensor } from '@netspec/spec';
import { UserError } from './user-error.js';

// Metrics of any engine's outputs against a data set's targets, for `netspec evaluate` on
// onnxruntime (tfjs runs the spec's own loss and metrics): accuracy for class labels, mse and
// mae for values.

interface ArrayLikeData {
  data: Float32Array | Int32Array;
  shape: number[];
}

const rowOf = (a: ArrayLikeData) => a.shape.slice(1).reduce((x, y) => x * y, 1);

function batch(a: ArrayLikeData, start: number, end: number): RunnerTensor {
  const row = rowOf(a);
  return {
    data: a.data.subarray(start * row, end * row),
    shape: [end - start, ...a.shape.slice(1)],
  };
}

/** Runs the data through `runner` in batches and scores its single output against the targets. */
export async function runnerMetrics(
  runner: ModelRunner,
  x: Record<string, ArrayLikeData>,
  y: Record<string, ArrayLikeData>,
  size: number,
  batchSize: number,
): Promise<Record<string, number>> {
  const xKeys = Object.keys(x);
  const yKeys = Object.keys(y);
  const output = runner.outputNames[0];
  if (runner.outputNames.length !== 1 || yKeys.length !== 1 || output === undefined)
    throw new UserError(
      `evaluating on ${runner.engine} needs one output and one target array; the model has outputs ${runner.outputNames.join(', ')} and the data targets ${yKeys.join(', ') || '(none)'}`,
    );
  const inputFor = (name: string) =>
    x[name] ??
    (xKeys.length === 1 && runner.inputNames.length === 1 ? x[xKeys[0] as string] : undefined);
  const target = y[yKeys[0] as string] as ArrayLikeData;
  let correct = 0;
  let sq = 0;
  let abs = 0;
  let values = 0;
  let classification = false;
  for (let start = 0; start < size; start += batchSize) {
    const end = Math.min(size, start + batchSize);
    const feeds: Record<string, RunnerTensor> = {};
    for (const name of runner.inputNames) {
      const a = inputFor(name);
      if (!a)
        throw new UserError(
          `--data: no array for input "${name}"; the data has ${xKeys.join(', ')}`,
        );
      feeds[name] = batch(a, start, end);
    }
    const out = (await runner.run(feeds))[output] as RunnerTensor;
    const want = batch(target, start, end);
    const k = rowOf(out);
    classification = want.data instanceof Int32Array && rowOf(want) === 1 && k > 1;
    if (classification) {
      for (let i = 0; i < end - start; i++) {
        const row = out.data.subarray(i * k, (i + 1) * k);
        let best = 0;
        for (let j = 1; j < k; j++) if ((row[j] as number) > (row[best] as number)) best = j;
        if (best === want.data[i]) correct++;
      }
      continue;
    }
    if (out.data.length !== want.data.length)
      throw new UserError(
        `--data: targets of shape [${target.shape.slice(1)}] per sample; output "${output}" has [${out.shape.slice(1)}]`,
      );
    for (let i = 0; i < out.data.length; i++) {
      const d = (out.data[i] as number) - (want.data[i] as number);
      sq += d * d;
      abs += Math.abs(d);
    }
    values += out.data.length;
  }
  return classification ? { accuracy: correct / size } : { mse: sq / values, mae: abs / values };
}
