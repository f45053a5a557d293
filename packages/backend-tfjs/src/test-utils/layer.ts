import { resolveSpec } from '@netspec/spec';
import { buildModel } from '../model/build.js';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';

export interface TestInput {
  shape: (number | null)[];
  dtype?: 'float32' | 'int32';
}

/**
 * A model of one layer over `inputs` (named x0, x1, ...), every output of the layer exposed.
 * `extra` adds layers before it (masks for refFields).
 */
export function layerModel(
  layer: Record<string, unknown>,
  inputs: TestInput[],
  options: { seed?: number; extraInputs?: (TestInput & { id: string })[] } = {},
): NetspecModel {
  const ids = inputs.map((_, i) => `x${i}`);
  const spec = (outputs: string[]) => ({
    specVersion: 1,
    name: 'layer_test',
    inputs: [
      ...inputs.map((x, i) => ({ id: ids[i], shape: x.shape, dtype: x.dtype ?? 'float32' })),
      ...(options.extraInputs ?? []).map((x) => ({ ...x, dtype: x.dtype ?? 'float32' })),
    ],
    layers: [{ id: 'layer', inputs: ids, ...layer }],
    outputs,
  });
  const first = resolveSpec(spec(['layer']));
  const node = first.nodes.find((n) => n.path === 'layer') ?? first.nodes.at(-1);
  const names = node?.outputs.map((t) => t.name) ?? ['layer'];
  return buildModel(spec(names), { seed: options.seed ?? 1 });
}

/** Runs `model` on `inputs` and returns every output as nested arrays. */
export function run(
  model: NetspecModel,
  inputs: tf.Tensor[],
  training = false,
  extra: Record<string, tf.Tensor> = {},
): tf.Tensor[] {
  const feeds = {
    ...model.feeds(inputs.slice(0, model.inputNames.length - Object.keys(extra).length)),
    ...extra,
  };
  const { outputs } = model.forward(feeds, { training, seed: 7 });
  return model.outputNames.map((n) => outputs[n] as tf.Tensor);
}

/** Max |a - b| over two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor | number[] | number): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** A weight's current value as a flat array. */
export function weightOf(model: NetspecModel, path: string): Float32Array {
  const w = model.weights.get(path);
  if (!w) throw new Error(`no weight ${path}`);
  return w.variable.dataSync() as Float32Array;
}
