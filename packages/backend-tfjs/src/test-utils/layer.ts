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
  // Positional inputs fill the input names that `extra` does not feed, in order.
  const positional = model.inputNames.filter((n) => !(n in extra));
  if (inputs.length !== positional.length)
    throw new Error(`expected ${positional.length} inputs (${positional.join(', ')})`);
  const feeds = {
    ...Object.fromEntries(positional.map((n, i) => [n, inputs[i] as tf.Tensor])),
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

/** The test layer's weights by their name in the layer (`query.kernel`), as flat arrays. */
export function layerWeights(model: NetspecModel): (name: string) => Float32Array {
  return (name) => weightOf(model, `layer.${name}`);
}

/** Overwrites one weight of the test layer. */
export function setLayerWeight(model: NetspecModel, name: string, values: tf.TensorLike): void {
  const w = model.weights.get(`layer.${name}`);
  if (!w) throw new Error(`no weight layer.${name}`);
  w.variable.assign(tf.tensor(values, w.param.shape, 'float32'));
}

/** The test layer's first inferred output shape, batch `b` in front, free dims from `free`. */
export function inferredShape(model: NetspecModel, b: number, free: number[] = []): number[] {
  const node = model.resolved.nodes.find((n) => n.path === 'layer');
  const frees = [...free];
  return [b, ...(node?.outputs[0]?.shape ?? []).map((d) => d ?? (frees.shift() as number))];
}
